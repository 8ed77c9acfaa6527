"""Issue 17, what was left (session 6): scheduled WordPress posts, comment outcomes on a
re-import, comments without dates, archived pages' addresses, bylines that are host names,
and media in the import fingerprints. Small inputs written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.pagemeta import clean_author
from broadsheet.importers.wxr import import_wxr

from .factories import write, wxr_document, wxr_item


@pytest.mark.parametrize(
    "byline",
    [
        "By example-news",
        "By localhost",
        "localhost:8000",
        "By example.com",
        "Example.org",
        "news.example.co.uk",
        "By https://example.org/staff",
        "www.example.org",
        "jane@example.org",
    ],
)
def test_a_byline_that_is_a_host_name_url_or_e_mail_is_not_a_person(byline):
    assert clean_author(byline) == ""


@pytest.mark.parametrize(
    "name", ["Jane Doe", "Jean-Pierre Dupont", "Anna-Lena", "J.R.R. Tolkien", "St.John Smith"]
)
def test_names_with_hyphens_and_dots_are_still_names(name):
    assert clean_author(f"By {name}") == name


# -- 1. scheduled WordPress posts ------------------------------------------------------------

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_a_scheduled_post_is_published_at_its_date(tmp_path, front_page, bulk):
    """``wp:status`` future with a date ahead: saved, not live, Wagtail's revision approved to
    go live at that date; the scheduler publishes it then."""
    from broadsheet.publishing.schedule import publish_due

    doc = wxr_document(
        wxr_item(1, title="Now", name="now"),
        wxr_item(2, title="Later", name="later", status="future", date_gmt="2026-03-05 07:30:00"),
    )
    with time_machine.travel(NOW, tick=False):
        report = import_wxr(write(tmp_path, doc), bulk=bulk)
        later = StoryPage.objects.get(slug="later")
        go_live = dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.UTC)
        assert (later.live, later.go_live_at) == (False, go_live)
        assert later.latest_revision.approved_go_live_at == go_live
        assert (report.counts["scheduled posts"], report.counts["published posts"]) == (1, 1)
        assert report.accounted == sum(report.items.values()) == 2
        assert report.warnings == []
        again = import_wxr(write(tmp_path, doc), bulk=bulk)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    with time_machine.travel(go_live + dt.timedelta(seconds=5), tick=False):
        publish_due()
    later.refresh_from_db()
    assert later.live and later.published_at == go_live


@pytest.mark.django_db
def test_a_scheduled_post_whose_time_has_passed_is_published_with_a_warning(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(2, title="Late", name="late", status="future", date_gmt="2026-03-01 07:30:00")
    )
    with time_machine.travel(NOW, tick=False):
        report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get(slug="late").live
    assert any("which has passed" in w.reason for w in report.warnings)
