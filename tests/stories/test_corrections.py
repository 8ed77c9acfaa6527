"""Corrections and updates: an editor adds a dated note to a published story; it shows at the
end of the story, makes the story's "Updated" date (so its feeds' date), and is listed on the
site-wide corrections page, which a change re-bakes like any other page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from broadsheet.content.newsroom.models import StoryCorrection, StoryPage
from tests.content.editorial.admin import errors, post_editor
from tests.content.editorial.factories import StaffFactory
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db

NOTE = "An earlier version gave the wrong date for the meeting. It was on 18 June."
NOTED = timezone.make_aware(dt.datetime(2007, 6, 20, 9, 30))


def correct(story: StoryPage, text: str = NOTE, when: dt.datetime = NOTED) -> StoryPage:
    """Add a correction and publish, as an editor's edit would."""
    story = StoryPage.objects.get(pk=story.pk)
    story.corrections.add(StoryCorrection(kind="correction", noted_at=when, text=text))
    story.save_revision().publish()
    return StoryPage.objects.get(pk=story.pk)


def test_a_correction_added_in_the_admin_is_on_the_story_and_the_corrections_page(
    client, front_page
):
    iran = SectionFactory(title="Iran", slug="iran")
    story = StoryFactory(parent=iran, title="Opposition meets", slug="meets")
    client.force_login(StaffFactory(roles=[("publisher", iran)]))
    response = post_editor(
        client,
        f"/admin/pages/{story.id}/edit/",
        "publish",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-noted_at": "2007-06-20 09:30",
            "corrections-0-text": NOTE,
            "corrections-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert story.corrections.get().text == NOTE
    assert story.updated_at == NOTED
    client.logout()
    page = client.get("/iran/meets/").content.decode()
    assert "Corrections and updates" in page and "the wrong date for the meeting" in page
    assert 'datetime="2007-06-20T09:30:00+00:00"' in page
    listing = client.get("/corrections/").content.decode()
    assert "the wrong date for the meeting" in listing and 'href="/iran/meets/"' in listing


def test_the_note_makes_the_feeds_updated_date(client, front_page):
    story = StoryFactory(title="Opposition meets", slug="meets")
    assert story.updated_at is None
    noted = story.published_at + dt.timedelta(days=2)
    correct(story, when=noted)
    import calendar

    import feedparser

    feed = feedparser.parse(client.get("/feeds/atom.xml").content)
    (entry,) = [e for e in feed.entries if e.title == "Opposition meets"]
    assert calendar.timegm(entry.updated_parsed) == noted.timestamp()


def test_a_later_manual_update_date_is_kept(front_page):
    story = StoryFactory(slug="meets")
    later = story.published_at + dt.timedelta(days=30)
    story.updated_at = later
    story.save_revision().publish()
    assert correct(story, when=story.published_at + dt.timedelta(days=2)).updated_at == later


def test_notes_on_unpublished_stories_are_not_listed(client, front_page):
    story = correct(StoryFactory(title="Withdrawn story", slug="withdrawn"))
    assert "Withdrawn story" in client.get("/corrections/").content.decode()
    story.unpublish()
    listing = client.get("/corrections/").content.decode()
    assert "Withdrawn story" not in listing and "No corrections yet." in listing
