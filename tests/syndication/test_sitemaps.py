"""Sitemaps (sitemaps.org 0.9, one file of stories per month), the Google News sitemap and
robots.txt: every file validated against the schemas in ../shared/fixtures."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.site import listings
from broadsheet.site.build import make_build
from broadsheet.site.changes import Change
from broadsheet.site.registry import NotFound
from broadsheet.syndication import sitemaps
from broadsheet.syndication.sitemaps import news_language
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import NS, SEED_URL, base, get, recent, render

pytestmark = pytest.mark.django_db


def children(client, validators) -> list[str]:
    """Validate the index and return the paths of its child sitemaps."""
    tree = validators.index(get(client, "/sitemap.xml").content)
    locs = tree.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert all(loc.startswith(base() + "/") for loc in locs)
    return [loc.removeprefix(base()) for loc in locs]


def urls(tree) -> dict[str, str | None]:
    """``{path: lastmod or None}`` of a ``<urlset>``, in document order."""
    result = {}
    for url in tree.xpath("//sm:url", namespaces=NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc.startswith(base() + "/"), loc
        result[loc.removeprefix(base())] = url.findtext("sm:lastmod", namespaces=NS)
    return result


def w3c(value: dt.datetime) -> str:
    """A lastmod as the files write it: newsroom time zone, whole seconds."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def test_seed_story_in_its_month_sitemap_with_its_lastmod(client, validators, seed_story):
    paths = children(client, validators)
    assert paths == ["/sitemaps/pages.xml", "/sitemaps/stories-2007-06.xml", "/sitemap-news.xml"]
    response = get(client, "/sitemaps/stories-2007-06.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    listed = urls(validators.sitemap(response.content))
    assert listed == {SEED_URL: "2007-06-18T09:30:00+00:00"}


def test_every_sitemap_of_a_varied_newsroom_validates(client, validators, front_page):
    writer = AuthorFactory()
    StoryFactory(title="Old", published_at=dt.datetime(1969, 7, 20, tzinfo=dt.UTC))
    fresh = StoryFactory(title="Fresh", published_at=recent(), authors=[writer], tags=["Economy"])
    updated = recent(2)
    StoryFactory(
        title="Updated", updated_at=updated, published_at=dt.datetime(2007, 1, 2, tzinfo=dt.UTC)
    )
    undated = StoryFactory(title="Undated", published_at=dt.datetime(2007, 1, 5, tzinfo=dt.UTC))
    StoryPage.objects.filter(id=undated.id).update(published_at=None)  # as an import may
    listings.reindex([undated.id])  # what a bulk writer calls: not public without a date
    ensure_section(["Empty section"])
    month = timezone.localtime(fresh.published_at)
    paths = children(client, validators)
    assert paths == [
        "/sitemaps/pages.xml",
        "/sitemaps/stories-1969-07.xml",
        "/sitemaps/stories-2007-01.xml",
        f"/sitemaps/stories-{month.year:04d}-{month.month:02d}.xml",
        "/sitemap-news.xml",
    ]
    listed: dict[str, str | None] = {}
    for path in paths:
        response = get(client, path)
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        if path == "/sitemap-news.xml":
            tree = validators.news(response.content)
        else:
            tree = validators.sitemap(response.content)
            listed.update(urls(tree))
        for lastmod in tree.xpath("//sm:lastmod/text()", namespaces=NS):
            assert lastmod.strip()  # never empty (and the schema checked the format)
    assert undated.url not in listed
    pages = urls(validators.sitemap(get(client, "/sitemaps/pages.xml").content))
    index = validators.index(get(client, "/sitemap.xml").content)
    pages_lastmod = index.xpath(
        "//sm:sitemap[sm:loc=$loc]/sm:lastmod/text()",
        loc=base() + "/sitemaps/pages.xml",
        namespaces=NS,
    )
    assert pages_lastmod == [max((v for v in pages.values() if v), key=dt.datetime.fromisoformat)]
    assert pages[f"/authors/{writer.slug}/"] == w3c(fresh.published_at)
    assert pages["/tags/economy/"] == w3c(fresh.published_at)
    assert pages["/archives/1969/07/"] == "1969-07-20T00:00:00+00:00"
    assert pages["/archives/1969/"] == "1969-07-20T00:00:00+00:00"
    assert pages["/archives/2007/01/"] == pages["/archives/2007/"] == w3c(updated)
    stories_1969 = urls(validators.sitemap(get(client, "/sitemaps/stories-1969-07.xml").content))
    assert list(stories_1969.values()) == ["1969-07-20T00:00:00+00:00"]


def test_an_empty_section_has_its_own_publication_as_lastmod(client, validators, seed_story):
    empty = ensure_section(["Empty section"])
    published = dt.datetime(2009, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    SectionPage.objects.filter(id=empty.id).update(last_published_at=published)
    for memory in (False, True):
        xml = render(make_build(memory=memory), "sitemap-pages").data()
        pages = urls(validators.sitemap(xml))
        assert pages["/empty-section/"] == "2009-01-02T03:04:05+00:00", memory
        # a section with stories: its newest story's, not its own publication
        assert pages["/iran/"] == pages["/iran/iran-opposition/"] == "2007-06-18T09:30:00+00:00"
    index = validators.index(render(make_build(), "sitemap-index").data())
    assert index.xpath(
        "//sm:sitemap[sm:loc=$loc]/sm:lastmod/text()",
        loc=base() + "/sitemaps/pages.xml",
        namespaces=NS,
    ) == ["2009-01-02T03:04:05+00:00"]


def test_updated_story_lastmod_is_its_update(client, validators, front_page):
    updated = dt.datetime(2008, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    StoryFactory(published_at=dt.datetime(2007, 1, 2, tzinfo=dt.UTC), updated_at=updated)
    listed = urls(validators.sitemap(get(client, "/sitemaps/stories-2007-01.xml").content))
    assert list(listed.values()) == ["2008-03-04T05:06:07+00:00"]
    index = validators.index(get(client, "/sitemap.xml").content)
    assert index.xpath(
        "//sm:sitemap[sm:loc=$loc]/sm:lastmod/text()",
        loc=base() + "/sitemaps/stories-2007-01.xml",
        namespaces=NS,
    ) == ["2008-03-04T05:06:07+00:00"]


def test_stories_are_split_into_one_file_per_month_oldest_first(client, validators, front_page):
    start = dt.datetime(2010, 5, 30, 12, tzinfo=dt.UTC)
    order = [3, 0, 4, 1, 2]  # created out of order: files list by publication
    stories = {i: StoryFactory(published_at=start + dt.timedelta(days=i)) for i in order}
    late = StoryFactory(published_at=dt.datetime(2010, 8, 1, tzinfo=dt.UTC))
    files = [p for p in children(client, validators) if "/stories-" in p]
    assert files == [
        "/sitemaps/stories-2010-05.xml",
        "/sitemaps/stories-2010-06.xml",
        "/sitemaps/stories-2010-08.xml",
    ]
    listed = [list(urls(validators.sitemap(get(client, f).content))) for f in files]
    assert listed == [
        [stories[0].url, stories[1].url],
        [stories[2].url, stories[3].url, stories[4].url],
        [late.url],
    ]
    get(client, "/sitemaps/stories-2010-07.xml", 404)  # no stories that month
    get(client, "/sitemaps/stories-2011-01.xml", 404)
    get(client, "/sitemaps/stories-2010-13.xml", 404)
    get(client, "/sitemaps/stories-2010.xml", 404)  # the old per-year files are gone
    build = make_build(memory=True)
    for year, month in ((2010, 7), (2010, 13), (2010, 0), (0, 1)):
        with pytest.raises(NotFound):
            render(build, "sitemap-month", year=year, month=month)


def test_news_sitemap_lists_only_the_last_two_days(client, validators, front_page):
    fresh = StoryFactory(title="Fresh & <new>", published_at=recent(5))
    edge = StoryFactory(title="Nearly two days old", published_at=recent(47))
    StoryFactory(title="Just over two days old", published_at=recent(49))
    StoryFactory(title="Three days old", published_at=recent(72))
    tree = validators.news(get(client, "/sitemap-news.xml").content)
    assert tree.xpath("//news:title/text()", namespaces=NS) == [
        "Fresh & <new>",
        "Nearly two days old",
    ]
    assert tree.xpath("//news:language/text()", namespaces=NS) == ["en", "en"]
    assert tree.xpath("//news:publication/news:name/text()", namespaces=NS) == ["Broadsheet"] * 2
    assert tree.xpath("//sm:loc/text()", namespaces=NS) == [base() + fresh.url, base() + edge.url]
    published = tree.xpath("//news:publication_date/text()", namespaces=NS)
    assert published == [w3c(fresh.published_at), w3c(edge.published_at)]


def test_news_sitemap_without_recent_stories_is_still_valid(client, validators, seed_story):
    tree = validators.news(get(client, "/sitemap-news.xml").content)
    assert tree.xpath("//sm:loc/text()", namespaces=NS) == [base() + "/"]
    assert tree.xpath("//news:news", namespaces=NS) == []


@pytest.mark.parametrize("memory", [False, True])
def test_news_sitemap_holds_at_most_news_max_stories_the_newest(
    validators, front_page, monkeypatch, memory
):
    assert sitemaps.NEWS_MAX == 1_000  # Google News' limit
    monkeypatch.setattr(sitemaps, "NEWS_MAX", 3)
    stories = {hours: StoryFactory(published_at=recent(hours)) for hours in (5, 1, 40, 3, 20)}
    StoryFactory(published_at=recent(100))  # outside the window: not counted
    tree = validators.news(render(make_build(memory=memory), "sitemap-news").data())
    locs = tree.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert locs == [base() + stories[h].url for h in (1, 3, 5)]


def test_news_language_matches_the_schema_pattern():
    assert news_language("fa-IR") == "fa"
    assert news_language("en") == "en"
    assert news_language("zh-Hans") == "zh-cn"
    assert news_language("zh-TW") == "zh-tw"
    assert news_language("") == "und"
    assert news_language("x-klingon") == "und"


def test_robots_txt_names_the_sitemap_index(client, front_page):
    response = get(client, "/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {base()}/sitemap.xml\n"
    )
    other = render(make_build(base_url="https://news.example.org/"), "robots").data()
    assert other.endswith(b"\nSitemap: https://news.example.org/sitemap.xml\n")


def test_sitemap_queries_do_not_grow_with_stories(client, front_page):
    paths = [
        "/sitemaps/stories-2007-02.xml",
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        "/sitemap-news.xml",
    ]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for path in paths:
                get(client, path)
        return len(ctx.captured_queries)

    section = ensure_section(["World"])

    def add(day: int) -> None:  # odd days: in the news sitemap's window
        when = recent(day) if day % 2 else dt.datetime(2007, 2, day, tzinfo=dt.UTC)
        StoryFactory(parent=section, published_at=when, tags=[f"t{day}"], authors=[AuthorFactory()])

    add(1)
    add(2)  # every kind of entry once: a month file, news, an author, a tag
    count()  # warm the caches (content types, site root)
    first = count()
    for day in range(3, 11):
        add(day)
    assert count() == first


def test_months_follow_the_newsroom_time_zone(client, validators, front_page, settings):
    settings.TIME_ZONE = "Asia/Tehran"  # +03:30: 2007-12-31 22:00 UTC is 2008-01-01 locally
    story = StoryFactory(published_at=dt.datetime(2007, 12, 31, 22, 0, tzinfo=dt.UTC))
    assert "/sitemaps/stories-2008-01.xml" in children(client, validators)
    get(client, "/sitemaps/stories-2007-12.xml", 404)
    listed = urls(validators.sitemap(get(client, "/sitemaps/stories-2008-01.xml").content))
    assert listed == {story.url: "2008-01-01T01:30:00+03:30"}
    # and a change of the story touches that file
    from broadsheet.publishing.engine import touched_items

    build = make_build()
    state = build.read.state(story.id)
    paths = {path for _, _, path in touched_items(build, [Change("story", story.id, after=state)])}
    assert "/sitemaps/stories-2008-01.xml" in paths
    assert "/sitemaps/stories-2007-12.xml" not in paths
