"""Forms in one press: the fresh-token endpoint a baked form's script asks
(``broadsheet/discussion/formtoken.py``), what each of the four baked forms carries, and the
answer to a ``GET`` on a form's address (a reloaded answer page), which is never a blank 405."""

from __future__ import annotations

import html
import re

import pytest

from broadsheet.content.discussion.models import AuthorMessage, Comment, GuestbookEntry, Letter
from broadsheet.discussion import guard
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import form_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(guard, "clock", lambda: now[0])
    return now


def token_url_on(page: str, form_id: str) -> str:
    found = re.search(rf'id="{form_id}" data-token-url="([^"]+)"', page)
    assert found, f"no token URL on form #{form_id}"
    return html.unescape(found.group(1))


FIELDS = {
    "comment": {"name": "Ana", "text": "A comment."},
    "guestbook": {"name": "Mina", "place": "Shiraz", "text": "An entry."},
    "letter": {"name": "Reza", "email": "reza@example.org", "subject": "S", "text": "A letter."},
    "author": {"name": "Leyla", "email": "l@example.org", "subject": "S", "text": "A message."},
}
MODELS = {
    "comment": Comment,
    "guestbook": GuestbookEntry,
    "letter": Letter,
    "author": AuthorMessage,
}


@pytest.mark.parametrize("kind", FIELDS)
def test_each_baked_form_is_sent_with_one_press_using_the_token_it_fetches(
    client, front_page, clock, kind
):
    target, page_url, form_id, extra = "", "", "", {}
    if kind == "comment":
        story = StoryFactory()
        target, page_url, form_id, extra = story.id, story.url, "comment-form", {"story": story.id}
    elif kind == "guestbook":
        page_url, form_id = "/guestbook/", "sign"
    elif kind == "letter":
        page_url, form_id = "/contact/", "letter"
    else:
        author = AuthorFactory()
        target, page_url, form_id = author.slug, f"/authors/{author.slug}/", "write"
    page = client.get(page_url).content.decode()
    assert "broadsheet/reader-forms.js" in page
    answer = client.get(token_url_on(page, form_id))
    assert answer.status_code == 200
    clock[0] += 5  # a person typing
    data = {"form_token": answer.json()["token"], "website": "", **extra, **FIELDS[kind]}
    response = client.post(form_url(kind, target), data, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 303, response.content.decode()[:3000]
    assert MODELS[kind].objects.count() == 1


def test_the_token_endpoint_answers_a_fresh_signed_token_for_that_form(client, clock):
    answer = client.get("/discussion/token/", {"kind": "comment", "target": "42"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    body = answer.json()
    assert body["min_fill"] == 3 and body["fresh"] == 7200
    check = guard.read_token(body["token"], "comment", 42, now=clock[0] + 4)
    assert check.valid and check.fresh and not check.too_fast
    assert guard.read_token(body["token"], "comment", 42, now=clock[0] + 1).too_fast
    assert not guard.read_token(body["token"], "comment", 43).valid  # another story's form
    other = client.get("/discussion/token/", {"kind": "comment", "target": "42"}).json()
    assert other["token"] != body["token"]  # each one-use token has its own nonce


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "nope", "target": ""},
        {"kind": "comment", "target": "x1"},
        {"kind": "comment", "target": ""},
        {"kind": "guestbook", "target": "7"},
        {"kind": "author", "target": "a/b"},
        {},
    ],
)
def test_the_token_endpoint_refuses_an_unknown_form(client, query):
    answer = client.get("/discussion/token/", query)
    assert answer.status_code == 400
    assert "token" not in answer.json()


def test_a_token_may_be_read_by_the_sites_own_origins_only(client, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example"]
    query = {"kind": "guestbook", "target": ""}
    ours = client.get("/discussion/token/", query, HTTP_ORIGIN="https://news.example")
    assert ours["Access-Control-Allow-Origin"] == "https://news.example"
    theirs = client.get("/discussion/token/", query, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in theirs


def test_a_bot_posting_the_baked_form_at_once_stores_nothing(client, front_page):
    """The baked fields as they are, posted at once: the check page, nothing stored."""
    story = StoryFactory()
    page = client.get(story.url).content.decode()
    baked = html.unescape(re.search(r'name="form_token" value="([^"]+)"', page).group(1))
    data = {"form_token": baked, "website": "", "story": story.id, **FIELDS["comment"]}
    response = client.post("/discussion/comments/", data)
    assert response.status_code == 200
    assert "Check your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_check_page_reloaded_as_a_get_goes_back_to_the_form(client, front_page):
    story = StoryFactory()
    author = AuthorFactory()
    for url, expected in [
        (f"/discussion/comments/?story={story.id}", story.url + "#comments"),
        ("/discussion/comments/", "/"),
        ("/discussion/guestbook/", "/guestbook/#sign"),
        ("/discussion/letters/", "/contact/#letter"),
        (f"/discussion/authors/{author.slug}/", f"/authors/{author.slug}/#write"),
    ]:
        response = client.get(url)
        assert response.status_code == 303, url
        assert response["Location"].endswith(expected), (url, response["Location"])
    assert client.put("/discussion/letters/").status_code == 405
