"""The moderation queue in the Wagtail admin: listing, bulk approve / spam / remove, and
publishing a letter as a story; then the approved comment is on the story page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from broadsheet.content.discussion.models import (
    Comment,
    CommentStatus,
    GuestbookEntry,
    LetterStatus,
)
from broadsheet.publishing.models import BakeRequest
from tests.content.factories import StoryFactory

from .factories import CommentFactory, GuestbookEntryFactory, LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, front_page):
    user = get_user_model().objects.create_superuser("editor", "ed@newsroom.example", "pw")
    client.force_login(user)
    return client


def bulk(client, model: str, action: str, ids: list[int]):
    query = "&".join(f"id={i}" for i in ids)
    return client.post(f"/admin/bulk/discussion/{model}/{action}/?{query}&next=/admin/")


def test_posted_comment_appears_in_the_queue_and_after_approval_on_the_story(
    editor_client, post_form, settings
):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    story = StoryFactory()
    assert post_form("comment", story.id, name="Ana", text="A fine story.").status_code == 303
    comment = Comment.objects.get()
    queue = editor_client.get("/admin/snippets/discussion/comment/?status=held")
    assert queue.status_code == 200
    assert "A fine story." in queue.content.decode()
    assert "A fine story." not in editor_client.get(story.url).content.decode()
    assert not BakeRequest.objects.filter(kind="comments").exists(), "a held comment shows nowhere"
    confirm = editor_client.get(f"/admin/bulk/discussion/comment/approve/?id={comment.id}")
    assert confirm.status_code == 200
    response = bulk(editor_client, "comment", "approve", [comment.id])
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    queued = list(BakeRequest.objects.filter(kind="comments").values_list("kind", "object_id"))
    assert queued == [("comments", story.id)]
    assert "A fine story." in editor_client.get(story.url).content.decode()


@pytest.mark.parametrize(("action", "status"), [("spam", "spam"), ("remove", "removed")])
def test_bulk_spam_and_remove(editor_client, action, status):
    story = StoryFactory()
    comments = CommentFactory.create_batch(3, story=story)
    bulk(editor_client, "comment", action, [c.id for c in comments[:2]])
    assert [Comment.objects.get(id=c.id).status for c in comments] == [status, status, "approved"]
    html = editor_client.get(story.url).content.decode()
    assert comments[0].text not in html and comments[2].text in html


def test_bulk_approve_guestbook(editor_client):
    entries = GuestbookEntryFactory.create_batch(2, status=CommentStatus.HELD)
    bulk(editor_client, "guestbookentry", "approve", [e.id for e in entries])
    assert set(GuestbookEntry.objects.values_list("status", flat=True)) == {"approved"}


def test_queue_menu_opens_on_held_comments(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "/admin/snippets/discussion/comment/?status=held" in html


def test_publish_letter_in_one_action(editor_client):
    letter = LetterFactory(subject="About the ceasefire")
    response = bulk(editor_client, "letter", "publish-letter", [letter.id])
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PUBLISHED
    html = editor_client.get(letter.story.url).content.decode()
    assert "About the ceasefire" in html
    assert letter.email not in html
    assert editor_client.get("/letters/").status_code == 200  # the Letters section front
