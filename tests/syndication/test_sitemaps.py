import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.newsroom.models import StoryPage
from broadsheet.newsroom.tree import ensure_section
from broadsheet.syndication.sitemaps import news_language
from tests.newsroom.factories import AuthorFactory, StoryFactory

from .conftest import SEED_HEADLINE, recent

pytestmark = pytest.mark.django_db
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BASE = "http://127.0.0.1:8000"


def get(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response


def children(client, validators) -> list[str]:
    """Validate the index and return the paths of its child sitemaps."""
    tree = validators.index(get(client, "/sitemap.xml").content)
    locs = tree.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert all(loc.startswith(BASE) for loc in locs)
    return [loc.removeprefix(BASE) for loc in locs]


def urls(tree) -> dict[str, str | None]:
    result = {}
    for url in tree.xpath("//sm:url", namespaces=NS):
        lastmod = url.xpath("sm:lastmod/text()", namespaces=NS)
        result[url.xpath("sm:loc/text()", namespaces=NS)[0].removeprefix(BASE)] = (
            lastmod[0] if lastmod else None
        )
    return result


def test_seed_story_in_its_year_sitemap_with_its_lastmod(client, validators, seed_story):
    paths = children(client, validators)
    assert paths == ["/sitemaps/pages.xml", "/sitemaps/stories-2007.xml", "/sitemap-news.xml"]
    listed = urls(validators.sitemap(get(client, "/sitemaps/stories-2007.xml").content))
    assert listed == {
        "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/": (
            "2007-06-18T09:30:00+00:00"
        )
    }
    assert SEED_HEADLINE  # the seed story is the only one


def test_every_sitemap_of_a_varied_newsroom_validates(client, validators, front_page):
    ensure_section(["Empty section"])  # no stories: lastmod from the section page itself
    writer = AuthorFactory()
    StoryFactory(title="Old", published_at=dt.datetime(1969, 7, 20, tzinfo=dt.UTC))
    StoryFactory(title="Fresh", published_at=recent(), authors=[writer], tags=["Economy"])
    StoryFactory(
        title="Updated", updated_at=recent(2), published_at=dt.datetime(2007, 1, 2, tzinfo=dt.UTC)
    )
    undated = StoryFactory(title="Undated")
    StoryPage.objects.filter(id=undated.id).update(published_at=None)
    paths = children(client, validators)
    assert "/sitemaps/stories-1969.xml" in paths and "/sitemaps/stories-undated.xml" in paths
    for path in paths:
        response = get(client, path)
        assert response["Content-Type"] == "application/xml"
        if path == "/sitemap-news.xml":
            tree = validators.news(response.content)
        else:
            tree = validators.sitemap(response.content)
        for lastmod in tree.xpath("//sm:lastmod/text()", namespaces=NS):
            assert lastmod.strip()  # never empty (and the schema checked the format)
    pages = urls(validators.sitemap(get(client, "/sitemaps/pages.xml").content))
    index = validators.index(get(client, "/sitemap.xml").content)
    pages_lastmod = index.xpath(
        "//sm:sitemap[sm:loc='http://127.0.0.1:8000/sitemaps/pages.xml']/sm:lastmod/text()",
        namespaces=NS,
    )
    assert pages_lastmod == [max((v for v in pages.values() if v), key=dt.datetime.fromisoformat)]
    assert pages["/empty-section/"] is not None
    assert pages[f"/authors/{writer.slug}/"] is not None
    assert pages["/tags/economy/"] is not None
    assert pages["/archives/1969/07/"].startswith("1969-07-20")
    stories_1969 = urls(validators.sitemap(get(client, "/sitemaps/stories-1969.xml").content))
    assert list(stories_1969.values()) == ["1969-07-20T00:00:00+00:00"]


def test_updated_story_lastmod_is_its_update(client, validators, front_page):
    updated = dt.datetime(2008, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    StoryFactory(published_at=dt.datetime(2007, 1, 2, tzinfo=dt.UTC), updated_at=updated)
    listed = urls(validators.sitemap(get(client, "/sitemaps/stories-2007.xml").content))
    assert list(listed.values()) == ["2008-03-04T05:06:07+00:00"]


def test_a_year_is_split_into_files_of_the_chunk_size(client, validators, front_page, settings):
    settings.BROADSHEET_SITEMAP_CHUNK = 2
    base = dt.datetime(2010, 5, 1, tzinfo=dt.UTC)
    stories = [StoryFactory(published_at=base + dt.timedelta(days=i)) for i in range(5)]
    paths = children(client, validators)
    files = [p for p in paths if "stories-2010" in p]
    assert files == [
        "/sitemaps/stories-2010.xml",
        "/sitemaps/stories-2010-2.xml",
        "/sitemaps/stories-2010-3.xml",
    ]
    listed = [list(urls(validators.sitemap(get(client, f).content))) for f in files]
    assert listed == [[s.url for s in stories[i : i + 2]] for i in (0, 2, 4)]
    get(client, "/sitemaps/stories-2010-4.xml", 404)
    get(client, "/sitemaps/stories-2011.xml", 404)


def test_news_sitemap_lists_only_the_last_two_days(client, validators, front_page):
    fresh = StoryFactory(title="Fresh & <new>", published_at=recent(5))
    StoryFactory(title="Three days old", published_at=recent(72))
    tree = validators.news(get(client, "/sitemap-news.xml").content)
    assert tree.xpath("//news:title/text()", namespaces=NS) == ["Fresh & <new>"]
    assert tree.xpath("//news:language/text()", namespaces=NS) == ["en"]
    assert tree.xpath("//sm:loc/text()", namespaces=NS) == [BASE + fresh.url]


def test_news_sitemap_without_recent_stories_is_still_valid(client, validators, seed_story):
    tree = validators.news(get(client, "/sitemap-news.xml").content)
    assert tree.xpath("//sm:loc/text()", namespaces=NS) == [BASE + "/"]
    assert tree.xpath("//news:news", namespaces=NS) == []


def test_news_sitemap_holds_at_most_1000_stories(front_page, monkeypatch):
    from broadsheet.syndication import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_MAX", 2)
    for hours in (1, 2, 3):
        StoryFactory(published_at=recent(hours))
    from broadsheet.newsroom.catalogue import LiveSource

    assert len(sitemaps.news_entries(LiveSource())) == 2
    assert sitemaps.NEWS_MAX == 2  # the real limit is 1,000:


def test_news_language_matches_the_schema_pattern():
    assert news_language("fa-IR") == "fa"
    assert news_language("en") == "en"
    assert news_language("zh-Hans") == "zh-cn"
    assert news_language("") == "und"


def test_robots_txt_names_the_sitemap_index(client, front_page):
    response = get(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml\n" in response.content.decode()


def test_story_sitemap_queries_do_not_grow_with_stories(client, front_page):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(client, "/sitemaps/stories-2007.xml")
            get(client, "/sitemap.xml")
        return len(ctx.captured_queries)

    StoryFactory(published_at=dt.datetime(2007, 2, 1, tzinfo=dt.UTC))
    count()  # warm the caches (content types, site root)
    first = count()
    for day in range(2, 6):
        StoryFactory(published_at=dt.datetime(2007, 2, day, tzinfo=dt.UTC), tags=[f"t{day}"])
    assert count() == first


def test_years_follow_the_newsroom_time_zone(client, validators, front_page, settings):
    settings.TIME_ZONE = "Asia/Tehran"  # +03:30: 2007-12-31 22:00 UTC is 2008-01-01 locally
    from broadsheet.newsroom.catalogue import LiveSource
    from broadsheet.syndication.sitemaps import chunk_for_story

    story = StoryFactory(published_at=dt.datetime(2007, 12, 31, 22, 0, tzinfo=dt.UTC))
    assert "/sitemaps/stories-2008.xml" in children(client, validators)
    listed = urls(validators.sitemap(get(client, "/sitemaps/stories-2008.xml").content))
    assert listed == {story.url: "2008-01-01T01:30:00+03:30"}
    assert chunk_for_story(LiveSource(), story.id, story.published_at).name == "stories-2008"
