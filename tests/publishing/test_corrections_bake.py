"""Corrections re-bake what they change: the story, the corrections page, the feeds (whose
updated date the note sets) — the same files a fresh full bake writes."""

from __future__ import annotations

import datetime as dt

import pytest

from broadsheet.publishing.engine import full_bake, process_pending
from tests.stories.test_corrections import NOTE, correct

from .test_incremental import check_incremental

pytestmark = pytest.mark.django_db


def test_a_correction_rebakes_the_story_the_page_and_the_feeds(newsroom, baking_on, tmp_path):
    story = newsroom["stories"][-1]  # the newest: in the site's feeds
    later = story.published_at + dt.timedelta(days=2)
    run = check_incremental(baking_on, tmp_path, lambda: correct(story, when=later))
    assert {"/iran/opposition/story-13/", "/corrections/", "/feeds/rss.xml"} <= set(run.written)
    assert "/feeds/atom.xml" in run.written
    assert NOTE[:20] in (baking_on / "corrections" / "index.html").read_text()


def test_the_corrections_page_is_baked_by_a_full_bake(newsroom, baking_on):
    correct(newsroom["stories"][0])
    process_pending(baking_on)
    full_bake(baking_on)
    html = (baking_on / "corrections" / "index.html").read_text()
    assert "the wrong date for the meeting" in html
    assert 'href="/iran/story-0/"' in html
