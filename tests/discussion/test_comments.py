"""Comments on stories: posting, states, closing, moderation, display, counts, mail."""

from __future__ import annotations

import datetime as dt
import smtplib
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.discussion.models import Comment, CommentStatus
from broadsheet.content.discussion.moderation import moderate_comments
from tests.content.factories import StoryFactory

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_posted_comment_is_held_and_reader_goes_back_to_the_story(front_page, post_form):
    story = StoryFactory()
    response = post_form("comment", story.id, name="Ana", email="ana@example.org", text="Good.")
    assert response.status_code == 303
    assert response["Location"].endswith(story.url + "#comment-held")
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.text) == ("Ana", "ana@example.org", "Good.")
    assert comment.status == CommentStatus.HELD
    assert comment.ip_address == "198.51.100.7"


def test_story_page_has_the_form_and_the_awaiting_moderation_notice(client_ok, front_page):
    story = StoryFactory()
    html = client_ok.get_html(story.url)
    assert 'action="/discussion/comments/"' in html
    assert f'name="story" value="{story.id}"' in html
    assert 'id="comment-held"' in html  # shown by CSS :target after the redirect
    assert 'name="website"' in html  # the honeypot


def test_a_baked_token_earns_the_check_page_with_the_text_kept(front_page, post_form):
    """No script ran (the stable token of the baked page): nothing stored, the check page with
    the text, escaped, and a fresh token."""
    story = StoryFactory()
    response = post_form("comment", story.id, age=None, name="Ana", text="My <b>words</b>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check your comment" in html
    assert "press the button once to send it" in html
    assert "My &lt;b&gt;words&lt;/b&gt;" in html
    assert "<b>words" not in html
    assert "data-token-url" not in html  # its token is fresh already: no script needed
    assert not Comment.objects.exists()


def test_a_form_sent_at_once_gets_the_check_page_not_an_error(front_page, post_form):
    """Sooner than MIN_FILL_SECONDS after the token was issued: not stored, and not refused
    either: the check page (200) with the text kept."""
    story = StoryFactory()
    response = post_form("comment", story.id, age=0, name="Bot", text="Instant text")
    assert response.status_code == 200
    html = response.content.decode()
    assert "very soon after the form was opened" in html
    assert "Instant text" in html
    assert not Comment.objects.exists()


def test_a_token_fetched_by_the_page_and_used_after_a_few_seconds_is_accepted_at_once(
    front_page, client, monkeypatch
):
    """What reader-forms.js does: the baked form's token URL answers a fresh token; sent
    5 s later with it, the comment is stored with one press."""
    import html as htmllib
    import re

    from broadsheet.discussion import guard

    story = StoryFactory()
    page = client.get(story.url).content.decode()
    found = re.search(r'id="comment-form" data-token-url="([^"]+)"', page)
    assert found, "the baked form names where to get a fresh token"
    now = [1_800_000_000.0]
    monkeypatch.setattr(guard, "clock", lambda: now[0])
    answer = client.get(htmllib.unescape(found.group(1)))
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    token = answer.json()["token"]
    now[0] += 5
    data = {"form_token": token, "website": "", "story": story.id, "name": "Ana", "text": "Yes."}
    response = client.post("/discussion/comments/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    assert Comment.objects.get().text == "Yes."


def test_token_of_another_story_is_refused(front_page, client):
    from broadsheet.discussion.guard import issue_token

    a, b = StoryFactory(), StoryFactory()
    token = issue_token("comment", a.id, 1)
    response = client.post(
        "/discussion/comments/",
        {"story": b.id, "name": "X", "text": "Hello there", "form_token": token},
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_honeypot_refuses(front_page, post_form):
    story = StoryFactory()
    response = post_form("comment", story.id, name="Bot", text="Buy now", website="x")
    assert response.status_code == 400
    assert "Leave this field empty" in response.content.decode()
    assert not Comment.objects.exists()


def test_missing_name_and_too_many_links_are_explained(front_page, post_form):
    story = StoryFactory()
    text = "see http://a.example http://b.example http://c.example"
    response = post_form("comment", story.id, name=" \u200b ", text=text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please fill in “name”." in html
    assert "3 links; at most 2" in html
    assert "http://c.example" in html  # the text came back intact


def test_too_long_text_is_refused_and_kept(front_page, post_form):
    story = StoryFactory()
    text = "word " * 1200
    response = post_form("comment", story.id, name="Long", text=text)
    assert response.status_code == 400
    assert "too long: at most 5000 characters" in response.content.decode()
    assert text.strip() in response.content.decode()


def test_duplicate_comment_is_refused(front_page, post_form):
    story = StoryFactory()
    assert post_form("comment", story.id, name="Ana", text="Same words").status_code == 303
    response = post_form("comment", story.id, name="Ana", text="Same words")
    assert response.status_code == 409
    assert Comment.objects.count() == 1


def test_names_lose_bidi_overrides_and_zero_width_and_are_nfc(front_page, post_form):
    story = StoryFactory()
    name = "\u202eevil\u200b Jose\u0301\u2066"
    assert post_form("comment", story.id, name=name, text="Bonjour").status_code == 303
    assert Comment.objects.get().name == "evil José"


@pytest.mark.parametrize("state", ["closed", "hidden"])
def test_comment_on_a_closed_story_is_refused(front_page, post_form, state):
    story = StoryFactory(comments=state)
    response = post_form("comment", story.id, name="Ana", text="Too late?")
    assert response.status_code == 403
    assert "Too late?" in response.content.decode()
    assert not Comment.objects.exists()


def test_site_wide_switch_closes_every_story(front_page, post_form, site_settings, client_ok):
    story = StoryFactory()
    site_settings.comments_enabled = False
    site_settings.save()
    assert post_form("comment", story.id, name="Ana", text="Hello").status_code == 403
    html = client_ok.get_html(story.url)
    assert "Comments on this page are closed." in html
    assert 'action="/discussion/comments/"' not in html


def test_comments_close_automatically_after_n_days(front_page, post_form, site_settings):
    site_settings.close_after_days = 30
    site_settings.save()
    old = StoryFactory(published_at=timezone.now() - dt.timedelta(days=31))
    new = StoryFactory(published_at=timezone.now() - dt.timedelta(days=29))
    assert post_form("comment", old.id, name="Ana", text="Old news").status_code == 403
    assert post_form("comment", new.id, name="Ana", text="New news").status_code == 303


def test_approved_comments_and_replies_show_escaped_on_the_story(client_ok, front_page):
    story = StoryFactory()
    top = CommentFactory(story=story, name="<i>Ana</i>", text="See https://example.org\n\nBye")
    CommentFactory(story=story, parent=top, name="Ben", text="Agreed <script>x</script>")
    CommentFactory(story=story, status=CommentStatus.HELD, text="held text")
    CommentFactory(story=story, status=CommentStatus.SPAM, text="spam text")
    html = client_ok.get_html(story.url)
    assert "&lt;i&gt;Ana&lt;/i&gt;" in html
    assert '<a href="https://example.org" rel="nofollow">https://example.org</a>' in html
    assert "Agreed &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x" not in html
    assert "held text" not in html and "spam text" not in html
    assert 'Comments <span class="comment-count">(2)</span>' in html
    assert f'href="/discussion/comments/{top.id}/reply/"' in html  # reply link


def test_emails_of_commenters_never_shown(client_ok, front_page):
    story = StoryFactory()
    CommentFactory(story=story, email="secret-commenter@example.org")
    assert "secret-commenter" not in client_ok.get_html(story.url)


def test_story_comments_load_in_one_query_however_many(front_page):
    from broadsheet.site.build import make_build
    from broadsheet.site.registry import registry

    story = StoryFactory()
    CommentFactory(story=story)
    path = story.url.strip("/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            registry.kind("story").render(make_build(), path=path)
        return len(ctx.captured_queries)

    queries()  # first render creates the site settings rows
    few = queries()
    for parent in CommentFactory.create_batch(10, story=story):
        CommentFactory(story=story, parent=parent)
    assert queries() == few


def test_reply_to_a_reply_attaches_to_the_top_comment(front_page, post_form):
    story = StoryFactory()
    top = CommentFactory(story=story)
    reply = CommentFactory(story=story, parent=top)
    response = post_form("comment", story.id, parent=reply.id, name="C", text="Third level?")
    assert response.status_code == 303
    assert Comment.objects.get(text="Third level?").parent_id == top.id


def test_reply_page_quotes_the_comment_and_has_a_fresh_form(client, front_page):
    story = StoryFactory()
    top = CommentFactory(story=story, name="Ana", text="Original <words>")
    reply = CommentFactory(story=story, parent=top)
    response = client.get(f"/discussion/comments/{reply.id}/reply/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="parent" value="{top.id}"' in html and f'name="story" value="{story.id}"' in html
    assert response["Cache-Control"] == "no-store"
    held = CommentFactory(story=story, status=CommentStatus.HELD)
    assert client.get(f"/discussion/comments/{held.id}/reply/").status_code == 404
    closed = StoryFactory(comments="closed")
    old = CommentFactory(story=closed)
    assert client.get(f"/discussion/comments/{old.id}/reply/").status_code == 403


def test_reply_to_a_held_comment_is_refused(front_page, post_form):
    story = StoryFactory()
    held = CommentFactory(story=story, status=CommentStatus.HELD)
    response = post_form("comment", story.id, parent=held.id, name="C", text="Reply")
    assert response.status_code == 400


def test_count_on_cards_in_bulk(client_ok, front_page):
    story = StoryFactory()
    CommentFactory.create_batch(3, story=story)
    CommentFactory(story=story, status=CommentStatus.HELD)
    hidden = StoryFactory(comments="hidden", parent=story.get_parent())
    CommentFactory(story=hidden)
    html = client_ok.get_html("/")
    assert f'href="{story.url}#comments">3 comments</a>' in html
    assert f'href="{hidden.url}#comments">' not in html


def test_moderation_queues_one_rebake_per_story_and_none_for_held_ones(front_page, settings):
    from broadsheet.publishing.models import BakeRequest

    settings.BROADSHEET_BAKE_ON_CHANGE = True
    a, b = StoryFactory(), StoryFactory()
    BakeRequest.objects.all().delete()
    comments = [
        *CommentFactory.create_batch(2, story=a, status="held"),
        CommentFactory(story=b, status="held"),
    ]
    assert not BakeRequest.objects.exists(), "held comments change no page"
    assert moderate_comments(comments, CommentStatus.APPROVED) == 3
    queued = list(BakeRequest.objects.values_list("kind", "object_id"))
    assert set(queued) == {("comments", a.id), ("comments", b.id)}
    BakeRequest.objects.all().delete()
    comment = Comment.objects.get(id=comments[0].id)
    comment.text = "Edited by an editor in the shell."
    comment.save()
    assert list(BakeRequest.objects.values_list("kind", "object_id")) == [("comments", a.id)]


def test_editors_are_told_about_held_comments_once_per_interval(front_page, post_form):
    story = StoryFactory()
    post_form("comment", story.id, name="Ana", text="First comment")
    post_form("comment", story.id, name="Ben", text="Second comment")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@newsroom.example"]
    assert mail.outbox[0].subject.endswith("] 1 comment awaiting moderation")
    assert "1 reader comment is waiting" in mail.outbox[0].body


def test_held_comments_mail_counts_them_in_plural(front_page, post_form):
    story = StoryFactory()
    CommentFactory.create_batch(2, story=story, status="held")
    post_form("comment", story.id, name="Cy", text="Third comment")
    assert mail.outbox[0].subject.endswith("] 3 comments awaiting moderation")
    assert "3 reader comments are waiting" in mail.outbox[0].body


def test_comment_is_stored_when_mail_is_down(front_page, post_form, monkeypatch):
    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    story = StoryFactory()
    assert post_form("comment", story.id, name="Ana", text="Still here").status_code == 303
    assert Comment.objects.filter(text="Still here").exists()


def test_foreign_origin_is_refused_and_own_origin_accepted(front_page, client):
    from broadsheet.discussion.guard import issue_token

    story = StoryFactory()
    data = {"story": story.id, "name": "A", "text": "Cross-site", "form_token": ""}
    data["form_token"] = issue_token("comment", story.id, int(time.time()) - 10)
    response = client.post("/discussion/comments/", data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "Cross-site" in response.content.decode()
    response = client.post("/discussion/comments/", data, HTTP_ORIGIN="null")
    assert response.status_code == 403
    response = client.post("/discussion/comments/", data, HTTP_ORIGIN="http://127.0.0.1:8000")
    assert response.status_code == 303


def test_get_on_the_endpoint_stores_nothing_and_goes_back(front_page, client):
    response = client.get("/discussion/comments/", {"name": "A", "text": "By GET"})
    assert response.status_code == 303  # tests/discussion/test_one_press.py: where to
    assert client.delete("/discussion/comments/").status_code == 405
    assert not Comment.objects.exists()


def test_akismet_spam_is_stored_as_spam_without_telling_editors(
    front_page, post_form, settings, monkeypatch
):
    import io

    from broadsheet.discussion import guard

    settings.BROADSHEET_AKISMET_KEY = "abc123"
    monkeypatch.setattr(guard.urllib.request, "urlopen", lambda r, timeout: io.BytesIO(b"true"))
    story = StoryFactory()
    response = post_form("comment", story.id, name="Spammer", text="Cheap pills")
    assert response.status_code == 303  # the sender is not told
    assert Comment.objects.get().status == CommentStatus.SPAM
    assert mail.outbox == []


def test_persian_names_keep_their_zero_width_non_joiner(front_page, post_form):
    story = StoryFactory()
    # علی‌رضا and محمدی‌نژاد are spelt with ZWNJ (U+200C); one at a word's end is dropped
    name = "علی\u200cرضا محمدی\u200cنژاد\u200c \u200cX"
    assert post_form("comment", story.id, name=name, text="سلام").status_code == 303
    assert Comment.objects.get().name == "علی\u200cرضا محمدی\u200cنژاد X"


def test_normalize_line_keeps_joiners_inside_words_only():
    from broadsheet.discussion.cleaning import normalize_line

    assert normalize_line("می\u200cخواهم") == "می\u200cخواهم"
    assert normalize_line("\u200cAna\u200d") == "Ana"
    assert normalize_line("a\u200c b") == "a b"
    assert normalize_line("\u202eevil\u2066") == "evil"
