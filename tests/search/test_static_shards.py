"""Which shards of the static index a change rebuilds (broadsheet/search/static_index.py): a
publish re-indexes the shard holding its story, never the whole archive — also when the queue
bakes every page instead of some (a site-wide change, a site whose baked stories are not
recorded) — and a re-planned period (a year split in quarters) keeps all its stories."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from wagtail.models import Site

from broadsheet.content.newsroom.models import NewsroomSettings, StoryPage
from broadsheet.publishing.engine import flush, full_bake, process_pending
from broadsheet.publishing.models import BakedStory, BakeRun
from broadsheet.search import static_index
from tests.content.factories import SectionFactory, StoryFactory
from tests.search.test_static_index import fragments

pytestmark = pytest.mark.django_db


def when(year: int, month: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 5, 12))


def story(title: str, year: int, month: int) -> StoryPage:
    """A story published in the section of the first one (a new section is a site-wide
    change: every page is baked)."""
    first = StoryPage.objects.order_by("id").first()
    parent = first.get_parent() if first else SectionFactory()
    return StoryFactory(title=title, published_at=when(year, month), parent=parent)


def page_count(bundle) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(lang["page_count"] for lang in entry["languages"].values())


@pytest.fixture
def rebuilt(monkeypatch):
    """The keys of the shards Pagefind indexes, in order, from the moment it is asked for."""
    keys: list[str] = []
    real = static_index.run_pagefind

    def spy(build, shard, bundle, *args, **kwargs):
        keys.append(shard.key)
        return real(build, shard, bundle, *args, **kwargs)

    monkeypatch.setattr(static_index, "run_pagefind", spy)
    return keys


@pytest.fixture
def three_years(tmp_path, front_page, settings):
    """Stories in 2005, 2006 and 2007 (three shards), fully baked with the static index."""
    settings.BROADSHEET_STATIC_SEARCH = True
    for year in (2005, 2006, 2007):
        story(f"Harvest of {year}", year, 3)
    site = tmp_path / "site"
    assert full_bake(site).status == BakeRun.Status.DONE
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    return site


def publish_and_flush(site) -> BakeRun:
    run = process_pending(site)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    flush(site)
    return run


def titles(bundle) -> set[str]:
    return {f["meta"]["title"] for f in fragments(bundle)}


def test_a_publish_rebuilds_only_the_shard_of_its_story(three_years, rebuilt):
    story("Drought of 2006", 2006, 8)
    assert publish_and_flush(three_years).kind == BakeRun.Kind.INCREMENTAL
    assert rebuilt == ["2006"]
    assert "Drought of 2006" in titles(three_years / "pagefind" / "s" / "2006")


def test_a_full_bake_instead_of_an_incremental_one_rebuilds_only_the_story_shard(
    three_years, rebuilt
):
    """A site whose baked stories are not recorded (its pages baked by a copy, or the record
    lost) gets a full bake on its next publish: every page, but only the shard whose records
    changed (this cost 370 s of wall time at 10,000 stories when it rebuilt every shard)."""
    BakedStory.objects.all().delete()
    story("Drought of 2006", 2006, 8)
    assert publish_and_flush(three_years).kind == BakeRun.Kind.FULL
    assert rebuilt == ["2006"]
    assert "Drought of 2006" in titles(three_years / "pagefind" / "s" / "2006")
    assert titles(three_years / "pagefind") == {"Harvest of 2007"}  # not rebuilt


def test_a_site_wide_change_rebuilds_no_shard(three_years, rebuilt):
    """The site's settings are on every page (a full bake) but in no record: no shard is
    re-indexed, and the bundles stay as they were."""
    entry = (three_years / "pagefind" / "s" / "2005" / "pagefind-entry.json").read_bytes()
    site = Site.objects.get(is_default_site=True)
    settings_row, _ = NewsroomSettings.objects.get_or_create(site=site)
    settings_row.tagline = "News from the other shore"
    settings_row.save()
    assert publish_and_flush(three_years).kind == BakeRun.Kind.FULL
    assert rebuilt == []
    assert (three_years / "pagefind" / "s" / "2005" / "pagefind-entry.json").read_bytes() == entry


def test_a_new_period_moves_the_newest_shard_and_rebuilds_no_other(three_years, rebuilt):
    story("Flood of 2008", 2008, 1)
    publish_and_flush(three_years)
    assert sorted(rebuilt) == ["2007", "2008"]  # 2007 moves from /pagefind/ to s/2007/
    manifest = json.loads((three_years / "pagefind" / "shards.json").read_text())
    assert manifest["shards"] == ["/pagefind/s/2007/", "/pagefind/s/2006/", "/pagefind/s/2005/"]
    assert "Flood of 2008" in titles(three_years / "pagefind")
    assert page_count(three_years / "pagefind") == 1
    assert titles(three_years / "pagefind" / "s" / "2007") == {"Harvest of 2007"}


def test_a_year_split_in_quarters_by_a_publish_keeps_every_story(
    tmp_path, front_page, settings, monkeypatch, rebuilt
):
    """A publish that makes its year too big for one shard splits it in quarters: the other
    quarters are built too (they had no bundle), not left out of the index."""
    monkeypatch.setattr(static_index, "SHARD_MAX", 2)
    settings.BROADSHEET_STATIC_SEARCH = True
    story("Ancient flood", 2005, 1)
    story("Summer heat", 2005, 7)
    story("Recent election", 2007, 3)
    site = tmp_path / "site"
    assert full_bake(site).status == BakeRun.Status.DONE
    assert (site / "pagefind" / "s" / "2005").is_dir()
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    rebuilt.clear()
    story("Old drought", 2005, 2)
    publish_and_flush(site)
    assert sorted(rebuilt) == ["2005-q1", "2005-q3"]
    assert titles(site / "pagefind" / "s" / "2005-q1") == {"Ancient flood", "Old drought"}
    assert titles(site / "pagefind" / "s" / "2005-q3") == {"Summer heat"}
    assert not (site / "pagefind" / "s" / "2005").exists()
