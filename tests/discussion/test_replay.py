"""A form token is good for one post: the token of a "check and send" page, used again (with
another text), is refused with the reader's text kept, for every reader form; the nonce is
kept in the shared cache, so the refusal holds across processes (tests/discussion/
test_limits_across_processes.py runs two)."""

from __future__ import annotations

import html
import re

import pytest

from broadsheet.content.discussion.models import Comment, GuestbookEntry, Letter
from broadsheet.discussion import guard
from tests.content.factories import StoryFactory

from .conftest import form_url

pytestmark = pytest.mark.django_db

READER = "198.51.100.7"


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(guard, "clock", lambda: now[0])
    return now


def fresh_token(page: str) -> str:
    """The token of the form on an answer page, as a browser would send it back."""
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, page
    return html.unescape(found.group(1))


def confirm_then_send(client, clock, kind, target, fields):
    """A reader's way through a baked form: send (the stable token) → the "check and send"
    page → a few seconds later, send with its fresh token. Returns that token."""
    data = {"form_token": guard.issue_token(kind, target, 0), "website": "", **fields}
    first = client.post(form_url(kind, target), data, REMOTE_ADDR=READER)
    assert first.status_code == 200 and "press the button" in first.content.decode()
    token = fresh_token(first.content.decode())
    clock[0] += 20
    sent = client.post(form_url(kind, target), {**data, "form_token": token}, REMOTE_ADDR=READER)
    assert sent.status_code == 303, sent.content.decode()[:2000]
    return token


CASES = {
    "comment": (Comment, {"name": "Ana", "email": "ana@example.org"}),
    "guestbook": (GuestbookEntry, {"name": "Mina", "place": "Shiraz"}),
    "letter": (Letter, {"name": "Reza", "email": "reza@example.org", "subject": "On the story"}),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_token_sent_twice_is_refused_with_the_text_kept(client, front_page, clock, kind):
    model, fields = CASES[kind]
    target = ""
    if kind == "comment":
        target = StoryFactory().id
        fields = {**fields, "story": str(target)}
    token = confirm_then_send(client, clock, kind, target, {**fields, "text": "First words."})
    assert model.objects.count() == 1
    clock[0] += 20
    replay = {**fields, "form_token": token, "website": "", "text": "Other <b>words</b> here."}
    response = client.post(form_url(kind, target), replay, REMOTE_ADDR=READER)
    page = response.content.decode()
    assert response.status_code == 409
    assert "This form was already sent" in page
    assert "Other &lt;b&gt;words&lt;/b&gt; here." in page  # the text, intact and escaped
    assert model.objects.count() == 1
    # The answer carries a new token: a reader who meant it sends once more, and it goes.
    clock[0] += 20
    again = client.post(
        form_url(kind, target), {**replay, "form_token": fresh_token(page)}, REMOTE_ADDR=READER
    )
    assert again.status_code == 303
    assert model.objects.count() == 2


def test_a_replay_from_another_address_is_refused_too(client, front_page, clock):
    story = StoryFactory()
    fields = {"name": "Ana", "story": str(story.id), "text": "Mine."}
    token = confirm_then_send(client, clock, "comment", story.id, fields)
    replay = {**fields, "form_token": token, "website": "", "text": "Spam from elsewhere."}
    response = client.post(form_url("comment"), replay, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 409
    assert list(Comment.objects.values_list("text", flat=True)) == ["Mine."]
