"""SQLite: the FTS5 table of the newest stories (broadsheet/search/recent.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from broadsheet.search import dbrank, recent
from broadsheet.search.index import rebuild
from broadsheet.search.models import StoryIndexEntry
from tests.content.factories import StoryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 only"),
]


def recent_keys() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {recent.RECENT} WHERE {recent.RECENT} MATCH %s",  # noqa: S608
            ['scope : "p0001"*'],
        )
        return sorted(row[0] for row in cursor.fetchall())


def newest_keys(n: int) -> list[int]:
    return sorted(StoryIndexEntry.objects.order_by("-key").values_list("key", flat=True)[:n])


def make(n: int, front_page) -> list:
    return [
        StoryFactory(
            title=f"Kashan rosewater {i}", published_at=dt.datetime(2010, 1, 1 + i, tzinfo=dt.UTC)
        )
        for i in range(n)
    ]


def test_holds_every_story_of_a_small_site(front_page):
    make(3, front_page)
    assert recent.boundary() == recent.ALL
    assert recent_keys() == newest_keys(3)


def test_keeps_the_newest_and_moves_up_at_twice_its_size(front_page, settings):
    settings.BROADSHEET_SEARCH_RECENT_ROWS = 2
    stories = make(4, front_page)
    keys = recent_keys()
    assert set(newest_keys(2)) <= set(keys) and len(keys) <= 4
    StoryFactory(title="Kashan rosewater 9", published_at=dt.datetime(2011, 1, 1, tzinfo=dt.UTC))
    assert recent_keys() == newest_keys(2)  # five is more than twice two: trimmed to two
    stories[-1].unpublish()  # a delete above the boundary reaches the table
    assert len(recent_keys()) == 1
    rebuild()
    assert recent_keys() == newest_keys(2)


def test_results_are_those_of_the_whole_index(front_page, settings):
    """Enough matches among the newest stories: the same stories as the main table gives."""
    settings.BROADSHEET_SEARCH_RECENT_ROWS = 3
    make(8, front_page)
    assert recent.boundary() not in (recent.ALL, recent.NONE)
    filters = dbrank.Filters(path_prefix=front_page.path, whole_index=True)
    rows, more = dbrank.ranked(["kashan"], filters, 2)
    assert more
    assert sorted(pk for pk, _, _ in rows) == sorted(
        StoryIndexEntry.objects.order_by("-key").values_list("story_id", flat=True)[:2]
    )
    rows, more = dbrank.ranked(["kashan"], filters, 7)  # more than the table holds
    assert more and len(rows) == 7
    rows, more = dbrank.ranked(["kashan"], filters, 8)
    assert not more and len(rows) == 8
