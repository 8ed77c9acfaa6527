"""Incremental publishing: a change re-bakes exactly the pages whose content changes.

Each test bakes the site, makes a change the way an editor would, bakes the queue, and checks
against a fresh full bake of the changed site: the incremental result must be identical, and
the files changed on disk must be exactly those whose bytes differ (nothing else rewritten).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from broadsheet.content.newsroom.models import NewsroomSettings, RetiredPath, StoryPage, Tip
from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRequest, BakeRun
from tests.content.factories import StoryFactory

from .conftest import snapshot


def check_incremental(output: Path, tmp_path: Path, change) -> BakeRun:
    assert full_bake(output).status == BakeRun.Status.DONE
    before = snapshot(output)
    change()
    assert BakeRequest.objects.exists(), "the change queued a re-bake"
    run = process_pending(output)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    after = snapshot(output)
    fresh = tmp_path / "fresh"
    full_bake(fresh)
    expected = {p: data for p, (data, _) in snapshot(fresh).items()}
    assert {p: data for p, (data, _) in after.items()} == expected
    differ = {
        p
        for p in before.keys() | after.keys()
        if before.get(p, (None,))[0] != after.get(p, (None,))[0]
    }
    touched = {p for p in before.keys() & after.keys() if before[p][1] != after[p][1]}
    touched |= before.keys() ^ after.keys()
    assert touched == differ, "only files whose content changed were written or removed"
    assert set(run.written) | set(run.removed) == differ
    assert not BakeRequest.objects.exists()
    return run


def _publish_new(newsroom, **kw):
    return StoryFactory(
        parent=newsroom["opposition"],
        title="Breaking",
        slug="breaking",
        published_at=kw.get("published_at", timezone.make_aware(dt.datetime(2007, 9, 1, 12))),
        authors=[newsroom["authors"][0]],
        tags=["Exile"],
    )


@pytest.mark.django_db
def test_publishing_a_new_story(newsroom, baking_on, tmp_path):
    run = check_incremental(baking_on, tmp_path, lambda: _publish_new(newsroom))
    assert "/iran/opposition/breaking/" in run.written
    assert "/" in run.written
    # listings number pages from the oldest: /iran/ had 10 stories (pages 1-2 of 5); the new
    # one opens page 3, and page 2's "newer" link now points there instead of the front
    assert sorted(p for p in run.written if p.startswith("/iran/page/")) == [
        "/iran/page/2/",
        "/iran/page/3/",
    ]


@pytest.mark.django_db
def test_publishing_a_backdated_story(newsroom, baking_on, tmp_path):
    when = timezone.make_aware(dt.datetime(2007, 5, 3, 12))
    check_incremental(baking_on, tmp_path, lambda: _publish_new(newsroom, published_at=when))


@pytest.mark.django_db
def test_unpublishing_a_story_leaves_410(newsroom, baking_on, tmp_path, client):
    story = newsroom["stories"][4]
    run = check_incremental(baking_on, tmp_path, lambda: story.specific.unpublish())
    assert "/iran/opposition/story-4/" in run.removed
    assert not (baking_on / "iran/opposition/story-4/index.html").exists()
    assert "/iran/opposition/story-4/" in (baking_on / "_gone.txt").read_text().split()
    assert RetiredPath.objects.filter(path="/iran/opposition/story-4/").exists()
    assert client.get("/iran/opposition/story-4/").status_code == 410


@pytest.mark.django_db
def test_editing_a_headline(newsroom, baking_on, tmp_path):
    def edit():
        story = StoryPage.objects.get(slug="story-1")
        story.title = "A better headline"
        story.save_revision().publish()

    run = check_incremental(baking_on, tmp_path, edit)
    assert "/iran/opposition/story-1/" in run.written


@pytest.mark.django_db
def test_changing_authors_and_tags(newsroom, baking_on, tmp_path):
    def edit():
        story = StoryPage.objects.get(slug="story-7")
        story.story_authors.all().delete()
        story.tags.set(["Nuclear"])
        story.save_revision().publish()

    check_incremental(baking_on, tmp_path, edit)


@pytest.mark.django_db
def test_moving_a_story_leaves_a_redirect(newsroom, baking_on, tmp_path):
    def move():
        StoryPage.objects.get(slug="story-2").move(newsroom["iran"], pos="last-child")

    run = check_incremental(baking_on, tmp_path, move)
    stub = (baking_on / "middle-east/story-2/index.html").read_text()
    assert 'http-equiv="refresh"' in stub and "/iran/story-2/" in stub
    assert "/iran/story-2/" in run.written
    assert "/middle-east/story-2 " in (baking_on / "_redirects").read_text()


@pytest.mark.django_db
def test_deleting_a_story(newsroom, baking_on, tmp_path):
    run = check_incremental(
        baking_on, tmp_path, lambda: StoryPage.objects.get(slug="story-13").delete()
    )
    assert "/iran/story-13/" not in run.written


@pytest.mark.django_db
def test_scheduled_publishing(newsroom, baking_on, tmp_path):
    draft = StoryFactory(
        parent=newsroom["opposition"],
        title="Draft",
        slug="breaking",
        live=False,
        published_at=timezone.make_aware(dt.datetime(2007, 9, 1, 12)),
    )
    assert not BakeRequest.objects.exists(), "a draft queues nothing"

    def schedule_and_run():
        story = StoryPage.objects.get(id=draft.id)
        story.title = "Scheduled"
        revision = story.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
        assert not StoryPage.objects.get(id=story.id).live
        call_command("publish_scheduled")
        assert StoryPage.objects.get(id=story.id).live
        assert revision.id

    run = check_incremental(baking_on, tmp_path, schedule_and_run)
    assert "/iran/opposition/breaking/" in run.written


@pytest.mark.django_db
def test_editing_an_author(newsroom, baking_on, tmp_path):
    def rename():
        author = newsroom["authors"][0]
        author.name = "Safa H."
        author.slug = "safa-h"
        author.save()

    run = check_incremental(baking_on, tmp_path, rename)
    assert "/authors/safa-haeri/" in run.removed
    assert "/authors/safa-h/" in run.written


@pytest.mark.django_db
def test_editing_a_tip(newsroom, baking_on, tmp_path):
    def edit():
        tip = Tip.objects.get()
        tip.text = "Write to the editor."
        tip.save()

    check_incremental(baking_on, tmp_path, edit)


@pytest.mark.django_db
def test_editing_the_site_notice(newsroom, baking_on, tmp_path):
    def edit():
        s = NewsroomSettings.objects.get()
        s.notice_text = "As of January 2009, this site is closed."
        s.save()

    check_incremental(baking_on, tmp_path, edit)


@pytest.mark.django_db
def test_renaming_a_section(newsroom, baking_on, tmp_path):
    def edit():
        section = newsroom["mideast"]
        section.refresh_from_db()
        section.title = "Middle East & Gulf"
        section.save_revision().publish()

    check_incremental(baking_on, tmp_path, edit)


@pytest.mark.django_db
def test_a_draft_queues_nothing(newsroom, baking_on):
    story = StoryPage.objects.get(slug="story-3")
    story.title = "Draft headline"
    story.save_revision()
    assert not BakeRequest.objects.exists()
