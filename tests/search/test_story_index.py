"""The story search index (broadsheet/search/index.py, models.py): kept in step by the content
model's signals (broadsheet/search/signals.py), read newest first, and used through each
database's full-text index."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from broadsheet.search import dbrank
from broadsheet.search.index import KEY_SHIFT, rebuild, recency_key
from broadsheet.search.models import StoryIndexEntry
from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db

TZ = dt.UTC


def entry(story) -> StoryIndexEntry | None:
    return StoryIndexEntry.objects.filter(story_id=story.pk).first()


def test_recency_key_orders_by_publication_then_id():
    early = dt.datetime(2007, 6, 18, 12, 0, 0, tzinfo=TZ)
    later = early + dt.timedelta(seconds=1)
    assert recency_key(early, 10**9) < recency_key(later, 1)
    assert recency_key(early, 1) < recency_key(early, 2)
    assert recency_key(early, 5) >> KEY_SHIFT == int(early.timestamp())
    old = dt.datetime(1901, 1, 1, tzinfo=TZ)  # before 1970: negative keys still sort
    assert recency_key(old, 3) < recency_key(early, 3)


def test_publish_indexes_normalised_terms_and_filter_tokens(front_page):
    section = SectionFactory(title="Iran")
    writer = AuthorFactory()
    story = StoryFactory(
        title="گزارش كميته يك",
        parent=section,
        authors=[writer],
        body=[{"type": "paragraph", "value": "<p>Elections in ۱۳۸۶</p>"}],
    )
    row = entry(story)
    assert row is not None
    assert row.headline == "گزارش کمیته یک"  # Arabic yeh and kaf folded at index time
    assert "elect" in row.body.split() and "1386" in row.body.split()
    tokens = row.scope.split()
    assert f"p{section.path}" in tokens and f"p{front_page.path}" in tokens
    assert f"a{writer.pk}" in tokens
    assert row.key == recency_key(story.published_at, story.pk)


def test_draft_is_not_indexed_and_unpublish_and_delete_remove(front_page):
    draft = StoryFactory(title="Draft story", live=False)
    assert entry(draft) is None
    story = StoryFactory(title="Zanjan relief")
    assert entry(story) is not None
    story.unpublish()
    assert entry(story) is None
    story.save_revision().publish()
    assert entry(story) is not None
    story.delete()
    assert not StoryIndexEntry.objects.filter(story_id=story.pk).exists()


def test_a_draft_revision_leaves_the_published_text_indexed(client, front_page):
    story = StoryFactory(title="Zanjan relief")
    story.title = "Embargoed Khorramshahr"  # an editor's draft: readers do not see it
    story.save_revision()
    assert entry(story).headline == "zanjan relief"
    assert "No stories found" in client.get("/search/", {"q": "khorramshahr"}).content.decode()
    story.get_latest_revision().publish()
    assert entry(story).headline == "embargo khorramshahr"


def test_new_publication_date_moves_the_key(front_page):
    story = StoryFactory(title="Rasht floods")
    story.published_at = dt.datetime(2001, 1, 1, tzinfo=TZ)
    story.save_revision().publish()
    assert StoryIndexEntry.objects.filter(story_id=story.pk).count() == 1
    assert entry(story).key == recency_key(story.published_at, story.pk)


def test_byline_change_and_move_refresh_filter_tokens(front_page):
    from broadsheet.content.newsroom.models import StoryAuthor

    first, second = SectionFactory(title="First"), SectionFactory(title="Second")
    writer = AuthorFactory()
    story = StoryFactory(title="Yazd wind towers", parent=first)
    StoryAuthor.objects.create(story=story, author=writer, sort_order=0)
    assert f"a{writer.pk}" in entry(story).scope.split()
    StoryAuthor.objects.filter(story=story).delete()
    assert f"a{writer.pk}" not in entry(story).scope.split()
    story.move(second, pos="last-child")
    second.refresh_from_db()
    tokens = entry(story).scope.split()
    assert f"p{second.path}" in tokens and f"p{first.path}" not in tokens


def test_rebuild_matches_what_publishing_wrote(front_page):
    writer = AuthorFactory()
    for i in range(3):
        StoryFactory(title=f"Kerman carpets {i}", authors=[writer])
    StoryFactory(title="A draft", live=False)
    published = sorted(StoryIndexEntry.objects.values_list("key", "story_id", "body", "scope"))
    StoryIndexEntry.objects.all().delete()
    assert rebuild(batch=2) == 3
    assert sorted(StoryIndexEntry.objects.values_list("key", "story_id", "body", "scope")) == (
        published
    )


def test_update_index_command_rebuilds_the_story_index(front_page):
    story = StoryFactory(title="Ahvaz heat")
    StoryIndexEntry.objects.all().delete()
    call_command("update_index", verbosity=0)
    assert entry(story) is not None


def test_same_second_and_id_bits_get_another_key(front_page):
    story = StoryFactory(title="Bam citadel")
    key = recency_key(story.published_at, story.pk)
    StoryIndexEntry.objects.filter(story_id=story.pk).delete()
    StoryIndexEntry.objects.create(
        key=key, story_id=story.pk + (1 << KEY_SHIFT), published_at=story.published_at,
        headline="", body="", scope="",
    )  # fmt: skip
    story.save_revision().publish()
    assert entry(story).key == key - 1


def test_only_the_newest_candidates_are_ranked(front_page):
    """Above ``limit`` matches the engine stops at the newest ``limit`` (the index's order),
    whatever their relevance, and says that more match."""
    old_strong = StoryFactory(
        title="Tabriz Tabriz Tabriz", published_at=dt.datetime(2001, 1, 1, tzinfo=TZ)
    )
    newer = [
        StoryFactory(
            title=f"Story {i}",
            published_at=dt.datetime(2010, 1, 1 + i, tzinfo=TZ),
            body=[{"type": "paragraph", "value": "<p>" + "Words. " * 50 + "Tabriz.</p>"}],
        )
        for i in range(3)
    ]
    root = front_page.path
    rows, more = dbrank.ranked(["tabriz"], dbrank.Filters(path_prefix=root), limit=3)
    assert more is True
    assert {pk for pk, _, _ in rows} == {s.pk for s in newer}
    rows, more = dbrank.ranked(["tabriz"], dbrank.Filters(path_prefix=root), limit=4)
    assert more is False
    assert rows[0][0] == old_strong.pk  # all four fit: relevance decides
    assert dbrank.count(["tabriz"], dbrank.Filters(path_prefix=root), limit=2) == 2


def test_filters_are_matched_in_the_index(front_page):
    iran, world = SectionFactory(title="Iran"), SectionFactory(title="World")
    writer = AuthorFactory()
    a = StoryFactory(title="Oil a", parent=iran, published_at=dt.datetime(2007, 6, 18, tzinfo=TZ))
    b = StoryFactory(
        title="Oil b",
        parent=world,
        authors=[writer],
        published_at=dt.datetime(2008, 1, 5, tzinfo=TZ),
    )

    def ids(**filters) -> set[int]:
        filters = {"path_prefix": front_page.path, **filters}
        rows, _ = dbrank.ranked(["oil"], dbrank.Filters(**filters), 10)
        return {pk for pk, _, _ in rows}

    assert ids() == {a.pk, b.pk}
    assert ids(path_prefix=iran.path) == {a.pk}
    assert ids(author=writer) == {b.pk}
    assert ids(since=dt.datetime(2008, 1, 5, tzinfo=TZ)) == {b.pk}
    assert ids(until=dt.datetime(2008, 1, 5, tzinfo=TZ)) == {a.pk}  # until is exclusive
    assert ids(path_prefix=SectionFactory(title="Empty").path) == set()


def _plan(terms: list[str], filters: dbrank.Filters) -> str:
    if connection.vendor == "sqlite":
        tail = f"ORDER BY {dbrank.FTS}.rowid DESC"
        sql, params = dbrank._sqlite(terms, filters, "e.story_id", tail)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
    sql, params = dbrank._postgres(terms, filters, "e.story_id", "ORDER BY e.key DESC LIMIT 10")
    with dbrank._BitmapScansOnly() as cursor:  # as dbrank runs its queries
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_query_uses_the_full_text_index(front_page):
    section = SectionFactory(title="Khorasan")
    StoryFactory(title="Mashhad shrine", parent=section)
    filters = dbrank.Filters(
        path_prefix=section.path, since=timezone.now() - dt.timedelta(days=10000)
    )
    plan = _plan(["mashhad"], filters)
    if connection.vendor == "sqlite":
        # the FTS5 table drives the query and its rowid order serves ORDER BY: no sort step
        assert f"SCAN {dbrank.FTS} VIRTUAL TABLE INDEX" in plan
        assert "TEMP B-TREE" not in plan
    else:
        # the GIN index over the stored tsvectors (words and filter tokens), never a scan of
        # every row
        assert re.search(r"Bitmap Index Scan on newsroom_search_storyindexentry_search", plan), plan
        assert "Seq Scan" not in plan and "Index Scan Backward" not in plan


def test_only_site_needs_no_path_token(front_page):
    from broadsheet.search.query import _only_site
    from broadsheet.site.build import make_build

    assert _only_site(make_build().read)
    assert dbrank.Filters(path_prefix=front_page.path, whole_index=True).tokens() == []


def test_newest_first_counts_up_to_a_cap(client, front_page, settings):
    settings.BROADSHEET_SEARCH_MAX_COUNT = 2
    settings.BROADSHEET_SEARCH_PAGE_SIZE = 1
    stories = [
        StoryFactory(title=f"Qazvin {i}", published_at=dt.datetime(2010, 1, 1 + i, tzinfo=TZ))
        for i in range(3)
    ]
    page = client.get("/search/", {"q": "qazvin", "sort": "date"}).content.decode()
    assert "More than 2 stories found; the 2 newest are listed · page 1 of 2" in page
    assert stories[2].url in page
    page = client.get("/search/", {"q": "qazvin", "sort": "date", "page": "2"}).content.decode()
    assert stories[1].url in page and stories[0].url not in page


def test_index_stories_writes_the_rows_index_story_writes_in_a_few_queries(
    front_page, django_assert_max_num_queries
):
    from broadsheet.search.index import index_stories, index_story

    section = SectionFactory(title="Harbour")
    writers = [AuthorFactory(), AuthorFactory()]
    when = dt.datetime(2019, 3, 5, 8, 0, tzinfo=TZ)
    stories = [
        StoryFactory(
            title=f"Budget story {n}",
            parent=section,
            authors=writers[: 1 + n % 2],
            published_at=when,  # one second for all: their keys differ by id only
            body=[{"type": "paragraph", "value": f"<p>Harbour dues {n}</p>"}],
        )
        for n in range(6)
    ]
    draft = stories[5]
    draft.live = False  # as a bulk change would hand it over: not live, so not indexed
    for story in stories:
        index_story(story)
    one_by_one = {r.story_id: r for r in StoryIndexEntry.objects.all()}
    assert len(one_by_one) == 5
    StoryIndexEntry.objects.all().delete()
    StoryIndexEntry.objects.create(  # a stale row of the draft, to be removed
        key=1, story_id=draft.pk, published_at=when, headline="", body="", scope=""
    )
    with django_assert_max_num_queries(8):  # not one per story
        written = index_stories(stories)
    assert written == 5
    rows = {r.story_id: r for r in StoryIndexEntry.objects.all()}
    assert set(rows) == set(one_by_one)
    for pk, row in rows.items():
        other = one_by_one[pk]
        assert (row.key, row.headline, row.body, row.scope, row.published_at) == (
            other.key,
            other.headline,
            other.body,
            other.scope,
            other.published_at,
        )
