"""Re-bakes follow the models: every way of changing what readers see — an admin form, a bulk
action, a delete in the admin, the shell, an import — queues the change, and the queued bake
then shows it. (Before the site model, some of these were wired in admin views only.)"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from broadsheet.content.discussion.models import Comment, CommentStatus, GuestbookEntry
from broadsheet.content.newsroom.models import Author, StoryPage
from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRequest, BakeRun
from tests.conftest import DEMO_STORIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "ed@newsroom.example", "pw")
    client.force_login(user)
    return client


def queued() -> set[tuple[str, int | None]]:
    return set(BakeRequest.objects.values_list("kind", "object_id"))


def bake_ok(output) -> BakeRun:
    run = process_pending(output)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    return run


def test_guestbook_entry_approved_through_its_edit_form(newsroom, baking_on, editor):
    full_bake(baking_on)
    entry = GuestbookEntry.objects.create(name="Visitor", place="Oslo", text="Keep going.")
    assert not queued(), "a held entry shows nowhere"
    form = editor.get(f"/admin/snippets/discussion/guestbookentry/edit/{entry.id}/")
    assert form.status_code == 200
    response = editor.post(
        f"/admin/snippets/discussion/guestbookentry/edit/{entry.id}/",
        {
            "name": "Visitor",
            "place": "Oslo",
            "text": "Keep going.",
            "status": "approved",
            "created_at": entry.created_at.strftime("%Y-%m-%d %H:%M"),
            "ip_address": "",
            "user_agent": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ("guestbook", None) in queued()
    run = bake_ok(baking_on)
    assert "/guestbook/" in run.written
    assert "Keep going." in (baking_on / "guestbook" / "index.html").read_text()


def test_guestbook_entry_deleted_in_the_admin(newsroom, baking_on, editor):
    entry = GuestbookEntry.objects.create(
        name="Visitor", text="Shown then gone.", status=CommentStatus.APPROVED
    )
    full_bake(baking_on)
    assert "Shown then gone." in (baking_on / "guestbook" / "index.html").read_text()
    delete = f"/admin/snippets/discussion/guestbookentry/delete/{entry.id}/"
    assert editor.post(delete).status_code == 302
    assert not GuestbookEntry.objects.filter(id=entry.id).exists()
    assert ("guestbook", None) in queued()
    bake_ok(baking_on)
    page = (baking_on / "guestbook" / "index.html").read_text()
    assert "Shown then gone." not in page and "No entries yet" in page


def test_comment_saved_in_the_shell(newsroom, baking_on):
    story = newsroom["stories"][4]
    full_bake(baking_on)
    comment = Comment.objects.create(story=story, name="Reader", text="Typed in a shell.")
    assert not queued()
    comment.status = CommentStatus.APPROVED
    comment.save()
    assert queued() == {("comments", story.id)}
    run = bake_ok(baking_on)
    page_path = next(p for p in run.written if p.endswith(f"/{story.slug}/"))
    page = (baking_on / page_path.strip("/") / "index.html").read_text()
    assert "Typed in a shell." in page
    # removed again, by a plain delete: the page forgets it
    Comment.objects.filter(id=comment.id).delete()
    assert queued() == {("comments", story.id)}
    bake_ok(baking_on)
    assert "Typed in a shell." not in (baking_on / page_path.strip("/") / "index.html").read_text()


def test_author_renamed_in_the_snippet_editor(newsroom, baking_on, editor):
    author = newsroom["authors"][0]
    full_bake(baking_on)
    old = author.slug
    response = editor.post(
        f"/admin/snippets/newsroom/author/edit/{author.id}/",
        {
            "name": "Safa H.",
            "slug": "safa-h",
            "bio": "",
            "email": "",
            # the form's inline of the author's names in other editions, left empty
            "edition_names-TOTAL_FORMS": "0",
            "edition_names-INITIAL_FORMS": "0",
            "edition_names-MIN_NUM_FORMS": "0",
            "edition_names-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ("author", author.id) in queued()
    run = bake_ok(baking_on)
    assert "/authors/safa-h/" in run.written and f"/authors/{old}/" in run.removed
    assert Author.objects.get(id=author.id).name == "Safa H."


def test_an_import_queues_its_stories(front_page, baking_on):
    full_bake(baking_on)
    call_command("import", "stories", str(DEMO_STORIES), verbosity=0)
    kinds = {k for k, _ in queued()}
    assert "story" in kinds
    run = bake_ok(baking_on)
    assert run.kind == BakeRun.Kind.INCREMENTAL or run.kind == BakeRun.Kind.FULL
    seed = StoryPage.objects.get(slug="iran-national-solidarity-to-create-an-alternative")
    assert (baking_on / seed.url.strip("/") / "index.html").is_file()


def test_bake_pending_command_exits_cleanly(newsroom, baking_on, capsys):
    full_bake(baking_on)
    story = StoryPage.objects.get(slug="story-3")
    story.title = "A new headline"
    story.save_revision().publish()
    call_command("bake", "--pending", "--output", str(baking_on), "--no-progress")
    out = capsys.readouterr().out
    assert "Incremental into" in out and "0 failed" in out
    call_command("bake", "--pending", "--output", str(baking_on))
    assert "Nothing queued." in capsys.readouterr().out


def test_many_changes_in_one_transaction_enqueue_one_bake(newsroom, baking_on, monkeypatch):
    from django.db import transaction

    from broadsheet.publishing import queue

    enqueued = []
    monkeypatch.setattr(queue, "_enqueue", lambda: enqueued.append(1))
    with transaction.atomic():
        for story in StoryPage.objects.filter(slug__in=["story-1", "story-2", "story-3"]):
            story.title += " (updated)"
            story.save_revision().publish()
    assert BakeRequest.objects.filter(kind="story").count() >= 3
    # inside the test's own transaction, on-commit callbacks wait: count the registered ones
    from django.db import connection

    registered = [e for e in connection.run_on_commit if e[1] is queue._enqueue]
    assert len(registered) == 1
