"""Pagination that does not cascade: a publish into a big section touches a bounded number of
that section's pages, however many stories it has."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from broadsheet.importers.storyfiles import parse_story_text, save_story
from broadsheet.publishing.engine import full_bake, process_pending


@pytest.mark.django_db
def test_publishing_into_a_big_section_touches_its_newest_pages_only(
    front_page, tmp_path, settings_baking
):
    from bench.corpus import bulk_import, generate

    generate(150, tmp_path / "corpus", seed=7)
    assert bulk_import(tmp_path / "corpus") == 150
    full_bake(settings_baking)
    section = max(
        SectionPage.objects.live(),
        key=lambda s: StoryPage.objects.live().filter(path__startswith=s.path).count(),
    )
    n = StoryPage.objects.live().filter(path__startswith=section.path).count()
    pages = -(-n // settings.BROADSHEET_PAGE_SIZE)
    assert pages >= 6, "the section has many numbered pages"
    when = dt.datetime(2030, 1, 1, tzinfo=dt.UTC).isoformat()
    save_story(
        parse_story_text(
            f"---\nheadline: News\nslug: news\nsection: {section.title}\npublished: {when}\n"
            "tags: [Topic 001]\n---\n\nText.\n"
        )
    )
    run = process_pending(settings_baking)
    url = re.escape("/" + section.slug + "/")
    numbered = sorted(
        int(m.group(1)) for p in run.written if (m := re.fullmatch(url + r"page/(\d+)/", p))
    )
    # the newest numbered page, and the one before it only if a new page was opened
    assert numbered in ([pages], [pages, pages + 1]), numbered
    stories = [
        p
        for p in run.written
        if p.count("/") == 3
        and p.endswith("/")
        and "/page/" not in p
        and p.startswith("/" + section.slug + "/")
    ]
    assert len(stories) <= 3, stories  # the new story and its neighbours in the "More" box


@pytest.fixture
def settings_baking(settings, tmp_path):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return tmp_path / "site"
