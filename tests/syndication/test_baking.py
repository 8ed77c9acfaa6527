import datetime as dt

import pytest
from django.utils import timezone

from broadsheet.newsroom.catalogue import LiveSource
from broadsheet.newsroom.tree import ensure_section
from broadsheet.syndication import baking
from tests.newsroom.factories import AuthorFactory, StoryFactory

pytestmark = pytest.mark.django_db


def card_of(story):
    return LiveSource().cards([story.id])[0]


def test_all_paths_render_and_match_the_live_views(client, front_page):
    writer = AuthorFactory()
    StoryFactory(
        parent=ensure_section(["Iran", "Iran Opposition"]),
        authors=[writer],
        tags=["Exile"],
        published_at=timezone.make_aware(dt.datetime(2007, 6, 18, 12)),
    )
    paths = baking.all_paths()
    assert set(paths) >= {
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/stories-2007.xml",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/iran/feed/rss.xml",
        "/iran/iran-opposition/feed/atom.xml",
        f"/authors/{writer.slug}/feed/rss.xml",
        "/tags/exile/feed/atom.xml",
    }
    assert len(paths) == len(set(paths))
    for path in paths:
        rendered = baking.render_path(path)
        assert rendered is not None, path
        body, content_type = rendered
        live = client.get(path)
        assert live.status_code == 200, path
        assert content_type == live["Content-Type"], path
        assert body == live.content, path
    assert baking.render_path("/feeds/rss.xml")[1] == "application/rss+xml; charset=utf-8"
    assert baking.render_path("/feeds/atom.xml")[1] == "application/atom+xml; charset=utf-8"
    assert baking.render_path("/sitemap.xml")[1] == "application/xml"


def test_render_path_is_none_for_paths_that_are_not_ours_or_gone(front_page):
    StoryFactory()
    assert baking.render_path("/latest/") is None
    assert baking.render_path("/nowhere/feed/rss.xml") is None
    assert baking.render_path("/sitemaps/stories-1999.xml") is None
    assert baking.render_path("/tags/none/feed/rss.xml") is None


def test_a_publish_touches_its_feeds_and_only_its_sitemap_file(front_page):
    writer = AuthorFactory()
    StoryFactory(published_at=dt.datetime(2006, 5, 1, tzinfo=dt.UTC))
    section = ensure_section(["Iran", "Iran Opposition"])
    story = StoryFactory(
        parent=section,
        authors=[writer],
        tags=["Exile"],
        published_at=dt.datetime(2007, 6, 18, tzinfo=dt.UTC),
    )
    assert baking.paths_for_story_change(None, card_of(story)) == {
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/iran/iran-opposition/feed/rss.xml",
        "/iran/iran-opposition/feed/atom.xml",
        "/iran/feed/rss.xml",
        "/iran/feed/atom.xml",
        f"/authors/{writer.slug}/feed/rss.xml",
        f"/authors/{writer.slug}/feed/atom.xml",
        "/tags/exile/feed/rss.xml",
        "/tags/exile/feed/atom.xml",
        "/sitemaps/stories-2007.xml",
        "/sitemaps/pages.xml",
        "/sitemap.xml",
        "/sitemap-news.xml",
    }


def test_a_move_touches_old_and_new_section_feeds(front_page):
    story = StoryFactory(parent=ensure_section(["Sport"]))
    old = card_of(story)
    new_section = ensure_section(["World"])
    story.move(new_section, pos="last-child")
    new = card_of(story)
    paths = baking.paths_for_story_change(old, new)
    assert {"/sport/feed/rss.xml", "/world/feed/rss.xml"} <= paths


def test_changes_in_a_year_of_several_files_touch_the_later_ones(front_page, settings):
    settings.BROADSHEET_SITEMAP_CHUNK = 2
    base = dt.datetime(2010, 5, 1, tzinfo=dt.UTC)
    stories = [StoryFactory(published_at=base + dt.timedelta(days=i)) for i in range(5)]
    newest = card_of(stories[-1])
    chunk_paths = {p for p in baking.paths_for_story_change(None, newest) if "stories-" in p}
    assert chunk_paths == {"/sitemaps/stories-2010-3.xml"}
    oldest = card_of(stories[0])
    stories[0].unpublish()
    chunk_paths = {p for p in baking.paths_for_story_change(oldest, None) if "stories-" in p}
    # 4 stories left: files 1 and 2 shift, file 3 is gone (render_path gives None).
    assert chunk_paths == {
        "/sitemaps/stories-2010.xml",
        "/sitemaps/stories-2010-2.xml",
        "/sitemaps/stories-2010-3.xml",
    }
    assert baking.render_path("/sitemaps/stories-2010-3.xml") is None
