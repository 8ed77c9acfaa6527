"""Embargo and expiry on a clock (time-machine), never by sleeping: an embargoed story is in no
baked page, feed, sitemap nor search until its go-live time, then everywhere after one worker
cycle; an expired story leaves with 410 the same way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import django
import pytest
import time_machine
from django.core.management import call_command

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing import schedule
from broadsheet.publishing.engine import full_bake, process_pending
from tests.content.factories import StoryFactory

from .conftest import baked_paths

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
GO_LIVE = NOW + dt.timedelta(hours=2)
HEADLINE = "Embargoed: the council's programme"


def files_naming(output: Path, text: str) -> set[str]:
    """The URL paths of the baked files that contain ``text``."""
    return {path for path, file in baked_paths(output).items() if text in file.read_text()}


def embargoed_story(section) -> StoryPage:
    """A story published by an editor with a go-live time two hours ahead (Wagtail keeps the
    revision, approved to go live then)."""
    story = StoryPage(
        title=HEADLINE,
        slug="programme",
        go_live_at=GO_LIVE,
        live=False,  # as the admin creates it
        body=[{"type": "paragraph", "value": "<p>Under embargo until Monday 11:00.</p>"}],
    )
    section.add_child(instance=story)
    story.save_revision().publish()
    story.refresh_from_db()
    return story


def search_finds(client, words: str) -> bool:
    from django.core.cache import cache

    cache.clear()  # the search page's result cache is not what is tested here
    page = client.get("/search/", {"q": words}).content.decode()
    return 'href="/iran/programme/"' in page


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_an_embargoed_story_is_nowhere_until_its_time_then_everywhere(
    newsroom, baking_on, clock, client
):
    full_bake(baking_on)
    story = embargoed_story(newsroom["iran"])
    assert not story.live
    process_pending(baking_on)
    assert files_naming(baking_on, "council") == set()
    assert files_naming(baking_on, "/iran/programme/") == set()
    assert client.get("/iran/programme/").status_code == 404
    assert not search_finds(client, "council programme")

    clock.move_to(GO_LIVE - dt.timedelta(minutes=1))
    schedule.publish_scheduled.call()  # a worker cycle before the time: nothing changes
    assert files_naming(baking_on, "council") == set()

    clock.move_to(GO_LIVE + dt.timedelta(seconds=5))
    schedule.publish_scheduled.call()  # the first worker cycle after the go-live time
    story.refresh_from_db()
    assert story.live
    assert story.published_at >= GO_LIVE, "published when the embargo lifted"
    found = files_naming(baking_on, "council")
    assert {"/iran/programme/", "/", "/iran/", "/latest/", "/feeds/rss.xml"} <= found
    assert "/feeds/atom.xml" in found
    linked = files_naming(baking_on, "/iran/programme/")
    assert {"/sitemaps/stories-2026-03.xml", "/sitemap-news.xml"} <= linked, linked
    assert client.get("/iran/programme/").status_code == 200
    assert search_finds(client, "council programme")


def test_an_expired_story_leaves_with_410_after_one_worker_cycle(
    newsroom, baking_on, clock, client
):
    story = StoryFactory(parent=newsroom["iran"], title="Ceasefire holds", slug="ceasefire")
    story.expire_at = NOW + dt.timedelta(hours=1)
    story.save_revision().publish()
    full_bake(baking_on)
    assert "/iran/ceasefire/" in files_naming(baking_on, "Ceasefire holds")

    clock.move_to(NOW + dt.timedelta(hours=1, seconds=5))
    schedule.publish_scheduled.call()
    story.refresh_from_db()
    assert not story.live and story.expired
    assert files_naming(baking_on, "Ceasefire holds") == set()
    assert "/iran/ceasefire/" in (baking_on / "_gone.txt").read_text().split()
    assert client.get("/iran/ceasefire/").status_code == 410


@pytest.mark.skipif(
    django.VERSION >= (6, 0),
    reason="On Django 6 django-tasks-db stores django.tasks (core) tasks only, and Wagtail's "
    "search index tasks (modelsearch) are django-tasks backport tasks: enqueueing them on the "
    "database backend raises SuspiciousOperation — a known incompatibility, see docs/design.md",
)
def test_scheduling_arms_the_worker_which_publishes_on_time(
    newsroom, baking_on, clock, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes "old" connections between tasks; inside the test's transaction that
    # would close the test's own connection (PostgreSQL).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        story = embargoed_story(newsroom["iran"])
    armed = DBTaskResult.objects.filter(task_path=f"{schedule.__name__}.publish_scheduled")
    assert [r.run_after for r in armed] == [GO_LIVE + schedule.GRACE]

    def worker_cycle():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    worker_cycle()
    story.refresh_from_db()
    assert not story.live, "the worker does not run the task before its time"
    clock.move_to(GO_LIVE + dt.timedelta(seconds=2))
    worker_cycle()
    story.refresh_from_db()
    assert story.live
    assert (baking_on / "iran" / "programme" / "index.html").is_file()


def test_bake_pending_publishes_what_is_due(newsroom, baking_on, clock):
    full_bake(baking_on)
    story = embargoed_story(newsroom["iran"])
    clock.move_to(GO_LIVE + dt.timedelta(seconds=5))
    call_command("bake", "--pending", "--output", str(baking_on), verbosity=0)
    story.refresh_from_db()
    assert story.live
    assert (baking_on / "iran" / "programme" / "index.html").is_file()


def test_next_due_is_the_earliest_go_live_or_expiry(newsroom, clock):
    assert schedule.next_due() is None
    embargoed_story(newsroom["iran"])
    assert schedule.next_due() == GO_LIVE
    story = StoryFactory(parent=newsroom["iran"], slug="expiring")
    story.expire_at = NOW + dt.timedelta(minutes=30)
    story.save_revision().publish()
    assert schedule.next_due() == NOW + dt.timedelta(minutes=30)


def scheduled_in_the_admin(client, section, **fields) -> StoryPage:
    """A publisher adds a story in the admin with a go-live time two hours ahead and presses
    Publish once (Wagtail saves the new page as live for an instant, then schedules it)."""
    from tests.content.editorial.admin import errors, post_editor
    from tests.content.editorial.factories import StaffFactory

    client.force_login(StaffFactory(roles=[("publisher", section)]))
    url = f"/admin/pages/add/newsroom/storypage/{section.id}/"
    go_live = GO_LIVE.strftime("%Y-%m-%d %H:%M")  # TIME_ZONE is UTC in tests
    response = post_editor(client, url, "publish", title=HEADLINE, go_live_at=go_live, **fields)
    assert response.status_code == 302, errors(response)
    story = StoryPage.objects.get(title=HEADLINE)
    assert not story.live, "scheduled, not published"
    if "published_at" not in fields:
        assert story.published_at is None, "no date before it goes live"
    return story


def test_a_story_scheduled_in_the_admin_is_dated_by_its_go_live_time(
    newsroom, baking_on, clock, client
):
    full_bake(baking_on)
    story = scheduled_in_the_admin(client, newsroom["iran"])
    # The worker comes late (it was down; cron's `bake --pending` ran ten minutes after).
    clock.move_to(GO_LIVE + dt.timedelta(minutes=10))
    schedule.publish_scheduled.call()
    story.refresh_from_db()
    assert story.live
    assert story.published_at == GO_LIVE, "the go-live time, not the moment Publish was pressed"
    html = (baking_on / "iran" / story.slug / "index.html").read_text()
    assert 'datetime="2026-03-02T11:00:00+00:00"' in html
    assert "2026-03-02T09:00" not in html, "the moment the editor scheduled it"
    rss = (baking_on / "feeds" / "rss.xml").read_text()
    assert "Mon, 02 Mar 2026 11:00:00 +0000" in rss
    atom = (baking_on / "feeds" / "atom.xml").read_text()
    assert "2026-03-02T11:00:00+00:00" in atom or "2026-03-02T11:00:00Z" in atom
    news = (baking_on / "sitemap-news.xml").read_text()
    assert "2026-03-02T11:00:00" in news
    for listing in ("index.html", "iran/index.html", "latest/index.html"):
        text = (baking_on / listing).read_text()
        assert 'datetime="2026-03-02T11:00:00+00:00"' in text, listing
        assert "2026-03-02T09:00" not in text, listing


def test_a_publication_date_set_by_the_editor_is_kept_through_the_embargo(
    newsroom, baking_on, clock, client
):
    story = scheduled_in_the_admin(client, newsroom["iran"], published_at="2026-03-01 18:30")
    assert story.published_at == dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)
    clock.move_to(GO_LIVE + dt.timedelta(seconds=5))
    schedule.publish_scheduled.call()
    story.refresh_from_db()
    assert story.live
    assert story.published_at == dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)
