"""The listing index, kept up to date on every write, always equals the index rebuilt from the
content — whatever editors do: publish, edit dates, tags and bylines, move, unpublish, delete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from broadsheet.content.newsroom.models import StoryAuthor, StoryPage
from broadsheet.site import listings
from broadsheet.site.build import make_build
from broadsheet.site.data import Scope
from broadsheet.site.models import ListingEntry, ListingStat
from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[set, set]:
    entries = set(
        ListingEntry.objects.values_list("root_id", "scope", "story_id", "published_at", "lastmod")
    )
    stats = set(ListingStat.objects.values_list("root_id", "scope", "count", "newest", "lastmod"))
    return entries, stats


def assert_same_as_rebuilt() -> None:
    kept = snapshot()
    listings.rebuild()
    assert kept == snapshot()


def when(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def sections(front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    return {
        "iran": iran,
        "opposition": SectionFactory(title="Opposition", slug="opposition", parent=iran),
        "world": SectionFactory(title="World", slug="world"),
    }


def test_the_index_follows_every_kind_of_edit(sections):
    a, b = AuthorFactory(), AuthorFactory()
    stories = [
        StoryFactory(
            parent=(sections["opposition"], sections["world"])[i % 2],
            published_at=when(2007, 5 + i % 3, 1 + i, 12),
            authors=[(a, b)[i % 2]],
            tags=[("Oil", "Exile")[i % 2]],
        )
        for i in range(8)
    ]
    assert ListingStat.objects.get(scope="all").count == 8
    assert ListingStat.objects.get(scope=f"section:{sections['iran'].id}").count == 4
    assert_same_as_rebuilt()

    # a new date (another month), new tags, another byline: through a revision, as in the admin
    story = StoryPage.objects.get(id=stories[0].id)
    story.published_at = when(2006, 1, 2, 9)
    story.updated_at = when(2008, 1, 1, 9)
    story.tags.set(["Elections"])
    story.story_authors.all().delete()
    story.story_authors.add(StoryAuthor(author=b, sort_order=0))
    story.save_revision().publish()
    assert_same_as_rebuilt()
    assert ListingStat.objects.get(scope="month:2006-01").count == 1

    # moved to another section, then its section unpublished: its stories leave the listings
    StoryPage.objects.get(id=stories[1].id).move(sections["iran"], pos="last-child")
    assert_same_as_rebuilt()
    sections["opposition"].refresh_from_db()
    sections["opposition"].unpublish()
    assert_same_as_rebuilt()
    assert not ListingEntry.objects.filter(scope=f"section:{sections['opposition'].id}").exists()

    # hidden from the front page, then shown again: it leaves the front's lists only
    hidden = StoryPage.objects.get(id=stories[3].id)
    hidden.hide_from_front = True
    hidden.save_revision().publish()
    assert_same_as_rebuilt()
    assert not ListingEntry.objects.filter(story_id=hidden.id, scope="front").exists()
    assert ListingEntry.objects.filter(story_id=hidden.id, scope="all").exists()
    assert not ListingEntry.objects.filter(
        story_id=hidden.id, scope=f"front-section:{sections['world'].id}"
    ).exists()
    hidden.hide_from_front = False
    hidden.save_revision().publish()
    assert_same_as_rebuilt()
    assert ListingEntry.objects.filter(story_id=hidden.id, scope="front").exists()

    # unpublished, deleted, saved in the shell
    StoryPage.objects.get(id=stories[3].id).unpublish()
    StoryPage.objects.get(id=stories[5].id).delete()
    shell = StoryPage.objects.get(id=stories[7].id)
    shell.published_at = when(2007, 12, 31, 23)
    shell.save()
    assert_same_as_rebuilt()
    assert not ListingStat.objects.filter(count__lte=0).exists()


def test_counts_places_and_pages_read_from_the_index_equal_the_in_memory_ones(sections):
    for i in range(13):
        StoryFactory(parent=sections["world"], published_at=when(2007, 6, 1 + i, 12), tags=["Oil"])
    live, memory = make_build(), make_build(memory=True)
    scope = Scope.section(live.read.sections()[sections["world"].id])
    assert live.read.count(scope) == memory.read.count(scope) == 13
    for start, stop in ((0, 5), (5, 10), (10, 15)):
        assert [c.id for c in live.read.oldest_first(scope, start, stop)] == [
            c.id for c in memory.read.oldest_first(scope, start, stop)
        ]
    cards = memory.read.oldest_first(scope, 0, 13)
    for card in cards:
        key = (card.published_at, card.id)
        assert live.read.position(scope, key) == memory.read.position(scope, key)
        assert live.read.window(scope, key, 3, 6) == memory.read.window(scope, key, 3, 6)
        assert [c.id for c in live.read.neighbours(card, scope)] == [
            c.id for c in memory.read.neighbours(card, scope)
        ]
    assert live.read.months() == memory.read.months()
    assert live.read.tags() == memory.read.tags()
    assert live.read.tag_stats() == memory.read.tag_stats()


def test_a_bulk_writer_reindexes_once(sections, django_assert_max_num_queries):
    with listings.deferred():
        made = [
            StoryFactory(parent=sections["world"], published_at=when(2007, 6, 1 + i, 12))
            for i in range(5)
        ]
        assert not ListingEntry.objects.filter(story_id__in=[s.id for s in made]).exists()
    assert ListingStat.objects.get(scope="all").count == 5
    assert_same_as_rebuilt()


def test_a_changed_time_zone_rebuilds_the_months(sections, settings):
    StoryFactory(parent=sections["world"], published_at=when(2007, 6, 30, 22))
    assert ListingStat.objects.filter(scope="month:2007-06").exists()
    settings.TIME_ZONE = "Asia/Tehran"  # 02:30 on 1 July there
    from django.utils import timezone as tz

    tz.deactivate()
    assert listings.ensure_current() is True
    assert ListingStat.objects.filter(scope="month:2007-07").exists()
    assert not ListingStat.objects.filter(scope="month:2007-06").exists()
    assert listings.ensure_current() is False
