"""Feeds and sitemaps in bakes: every file a bake renders (in-memory read model) is the live
file, and a change re-bakes exactly the feeds and sitemap files that list what changed."""

import datetime as dt

import pytest
from django.utils import timezone
from lxml import etree

from broadsheet.content.newsroom.models import Author, InfoPage, StoryPage
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.publishing.engine import changes_of, full_bake, process_pending, touched_items
from broadsheet.publishing.models import BakeRequest, BakeRun
from broadsheet.site.build import make_build
from broadsheet.site.changes import Change
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import NS, base, syndication_kinds

pytestmark = pytest.mark.django_db


def syndication_paths(build, changes) -> set[str]:
    """The paths of this feature's pages that ``changes`` touch (the publishing pipeline's
    answer: every feature's rules, checked against what each page kind reads)."""
    items = touched_items(build, changes)
    assert items is not None, "a story or author change must not re-bake everything"
    ours = {k.name for k in syndication_kinds()}
    return {path for kind, _params, path in items if kind in ours}


def story_change(build, story_id: int, before=None) -> Change:
    return Change("story", story_id, before=before, after=build.read.state(story_id))


def test_every_file_a_bake_renders_is_the_live_file(client, front_page):
    writer = AuthorFactory()
    StoryFactory(
        parent=ensure_section(["Iran", "Iran Opposition"]),
        authors=[writer],
        tags=["Exile"],
        published_at=timezone.make_aware(dt.datetime(2007, 6, 18, 12)),
    )
    StoryFactory(published_at=timezone.now() - dt.timedelta(hours=3), tags=["Oil"])
    build = make_build(memory=True, live=False)  # what a full bake renders from
    paths = []
    for kind in syndication_kinds():
        for params in kind.paths(build):
            rendered = kind.render(build, **params)
            path = kind.compiled.build(params)
            assert rendered.path == path
            paths.append(path)
            live = client.get(path)
            assert live.status_code == 200, path
            assert live["Content-Type"] == rendered.content_type, path
            assert live.content == rendered.data(), path
            if path.endswith("/rss.xml"):
                assert rendered.content_type == "application/rss+xml; charset=utf-8"
            elif path.endswith("/atom.xml"):
                assert rendered.content_type == "application/atom+xml; charset=utf-8"
            elif path.endswith(".xml"):
                assert rendered.content_type == "application/xml; charset=utf-8"
            elif path.endswith("/feed/"):  # the feeds page (feedspage.py)
                assert rendered.content_type == "text/html; charset=utf-8"
            else:
                assert rendered.content_type == "text/plain; charset=utf-8"
    assert len(paths) == len(set(paths))
    now = timezone.localtime()
    assert set(paths) >= {
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/stories-2007-06.xml",
        f"/sitemaps/stories-{now.year:04d}-{now.month:02d}.xml",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/iran/feed/rss.xml",
        "/iran/iran-opposition/feed/atom.xml",
        f"/authors/{writer.slug}/feed/rss.xml",
        "/tags/exile/feed/atom.xml",
        "/tags/oil/feed/rss.xml",
    }


def test_a_publish_touches_its_feeds_and_only_its_month_file(front_page, settings):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    writer = AuthorFactory()
    StoryFactory(published_at=dt.datetime(2006, 5, 1, tzinfo=dt.UTC), tags=["Oil"])
    section = ensure_section(["Iran", "Iran Opposition"])
    BakeRequest.objects.all().delete()
    StoryFactory(
        parent=section,
        authors=[writer],
        tags=["Exile"],
        published_at=dt.datetime(2007, 6, 18, tzinfo=dt.UTC),
    )
    build = make_build()
    changes = changes_of(build.read, list(BakeRequest.objects.all()))
    assert [c.topic for c in changes] == ["story"]
    assert syndication_paths(build, changes) == {
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
        "/sitemaps/stories-2007-06.xml",
        "/sitemaps/pages.xml",
        "/sitemap.xml",
        "/sitemap-news.xml",
    }


def test_a_move_touches_old_and_new_section_feeds(front_page):
    story = StoryFactory(parent=ensure_section(["Sport"]))
    before = make_build().read.state(story.id)
    StoryPage.objects.get(id=story.id).move(ensure_section(["World"]), pos="last-child")
    build = make_build()
    paths = syndication_paths(build, [story_change(build, story.id, before)])
    assert {
        "/sport/feed/rss.xml",
        "/sport/feed/atom.xml",
        "/world/feed/rss.xml",
        "/world/feed/atom.xml",
    } <= paths


def test_a_new_publication_date_touches_the_old_and_the_new_month_file(front_page):
    StoryFactory(published_at=dt.datetime(2010, 6, 1, tzinfo=dt.UTC))
    story = StoryFactory(published_at=dt.datetime(2010, 5, 10, tzinfo=dt.UTC))
    before = make_build().read.state(story.id)
    page = StoryPage.objects.get(id=story.id)
    page.published_at = dt.datetime(2010, 7, 10, tzinfo=dt.UTC)
    page.save_revision().publish()
    build = make_build()
    paths = syndication_paths(build, [story_change(build, story.id, before)])
    assert {p for p in paths if "/stories-" in p} == {
        "/sitemaps/stories-2010-05.xml",
        "/sitemaps/stories-2010-07.xml",
    }
    months = [(m.year, m.month) for m in build.read.months()]
    assert months == [(2010, 7), (2010, 6)]  # May is gone: its file is removed by the bake


def test_an_author_change_touches_the_feeds_that_show_their_byline(front_page, settings):
    settings.BROADSHEET_FEED_COUNT = 2
    old_hand, co_author, newcomer = AuthorFactory(), AuthorFactory(), AuthorFactory()
    archive = ensure_section(["Archive"])
    StoryFactory(
        parent=archive,
        authors=[old_hand, co_author],
        tags=["History"],
        published_at=dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
    )
    news = ensure_section(["News"])
    for day in (1, 2, 3):  # newer than the old hand's story: the site feed shows these only
        StoryFactory(parent=news, published_at=dt.datetime(2007, 3, day, tzinfo=dt.UTC))
    StoryFactory(
        parent=news, authors=[newcomer], published_at=dt.datetime(2007, 4, 1, tzinfo=dt.UTC)
    )
    old_slug = old_hand.slug
    Author.objects.filter(id=old_hand.id).update(slug="renamed")
    build = make_build()
    paths = syndication_paths(build, [Change("author", old_hand.id, data={"old_slug": old_slug})])
    assert paths == {
        f"/authors/{old_slug}/feed/rss.xml",
        f"/authors/{old_slug}/feed/atom.xml",
        "/authors/renamed/feed/rss.xml",
        "/authors/renamed/feed/atom.xml",
        f"/authors/{co_author.slug}/feed/rss.xml",
        f"/authors/{co_author.slug}/feed/atom.xml",
        "/archive/feed/rss.xml",
        "/archive/feed/atom.xml",
        "/tags/history/feed/rss.xml",
        "/tags/history/feed/atom.xml",
        "/sitemaps/pages.xml",
        "/sitemap.xml",
    }
    paths = syndication_paths(build, [Change("author", newcomer.id, data={})])
    assert {"/feeds/rss.xml", "/feeds/atom.xml", "/news/feed/rss.xml"} <= paths


def test_an_information_page_touches_pages_xml_and_the_index_and_a_section_everything(
    front_page,
):
    StoryFactory()
    about = InfoPage(title="About us", slug="about", body="<p>Who we are.</p>")
    front_page.add_child(instance=about)
    about.save_revision().publish()
    build = make_build()
    page = Change("page", about.id)
    assert syndication_paths(build, [page]) == {"/sitemaps/pages.xml", "/sitemap.xml"}
    for topic in ("sections", "site"):  # section URLs and the site's name are in every file
        assert touched_items(build, [Change(topic, front_page.id)]) is None, topic


def test_a_bake_writes_a_new_month_file_and_removes_it_when_it_empties(newsroom, baking_on):
    assert full_bake(baking_on).status == BakeRun.Status.DONE
    months = {p.name for p in (baking_on / "sitemaps").iterdir()}
    assert months == {
        "pages.xml",
        "stories-2007-05.xml",
        "stories-2007-06.xml",
        "stories-2007-07.xml",
    }
    unchanged = {name: (baking_on / "sitemaps" / name).stat().st_mtime_ns for name in months}
    story = StoryFactory(
        parent=newsroom["opposition"],
        slug="breaking",
        published_at=timezone.make_aware(dt.datetime(2007, 9, 1, 12)),
    )
    run = process_pending(baking_on)
    assert (run.kind, run.status) == (BakeRun.Kind.INCREMENTAL, BakeRun.Status.DONE), run.error
    assert {"/sitemaps/stories-2007-09.xml", "/sitemap.xml", "/sitemaps/pages.xml"} <= set(
        run.written
    )
    month_file = baking_on / "sitemaps" / "stories-2007-09.xml"
    assert f"<loc>{base()}/iran/opposition/breaking/</loc>" in month_file.read_text()
    for name in months - {"pages.xml"}:  # the other months' files were not rewritten
        assert (baking_on / "sitemaps" / name).stat().st_mtime_ns == unchanged[name]
    assert f"{base()}/sitemaps/stories-2007-09.xml" in (baking_on / "sitemap.xml").read_text()

    StoryPage.objects.get(id=story.id).unpublish()
    run = process_pending(baking_on)
    assert (run.kind, run.status) == (BakeRun.Kind.INCREMENTAL, BakeRun.Status.DONE), run.error
    assert "/sitemaps/stories-2007-09.xml" in run.removed
    assert not month_file.exists()
    index = (baking_on / "sitemap.xml").read_text()
    assert "stories-2007-09" not in index and "stories-2007-07" in index
    assert "breaking" not in (baking_on / "feeds" / "rss.xml").read_text()
    locs = etree.fromstring((baking_on / "sitemap.xml").read_bytes()).xpath(
        "//sm:loc/text()", namespaces=NS
    )
    assert len(locs) == 5  # pages, three months, news
