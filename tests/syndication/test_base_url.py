"""``bake --base-url https://news.example.org``: the address asked for is in every canonical
link, og:url, JSON-LD url, feed link and sitemap ``<loc>`` of the baked folder — and no file
names the settings' address (``BROADSHEET_BASE_URL``) or ``localhost`` — in a full bake and in
the incremental bakes that follow it (which read the address from the folder's config)."""

import datetime as dt
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.management import call_command
from lxml import etree
from lxml import html as lxml_html

from broadsheet.content.newsroom.models import InfoPage, StoryPage
from broadsheet.publishing.engine import process_pending
from broadsheet.publishing.models import BakeRun
from broadsheet.site.build import make_build
from broadsheet.site.registry import registry
from tests.content.factories import StoryFactory

from .conftest import NS, OTHER_BASE, base, make_image

pytestmark = pytest.mark.django_db
SKIPPED = {"static", "pagefind"}  # assets and the search index: no page URLs in them


def baked_files(folder: Path) -> dict[str, bytes]:
    """Every file of the baked folder but the static assets and the search index, by path
    relative to the folder."""
    found = {}
    for root, dirs, names in os.walk(folder):
        if Path(root) == folder:
            dirs[:] = [d for d in dirs if d not in SKIPPED]
        for name in names:
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def foreign_addresses(files: dict[str, bytes]) -> dict[str, list[str]]:
    """The files that name the settings' address, its host, or localhost, with the places."""
    needles = {base(), urlsplit(base()).hostname, "localhost"}
    found: dict[str, list[str]] = {}
    for name, data in files.items():
        text = data.decode("utf-8", "replace")
        for needle in needles:
            at = text.find(needle)
            if at >= 0:
                found.setdefault(name, []).append(text[max(0, at - 60) : at + 60])
    return found


def check_folder(folder: Path) -> dict[str, bytes]:
    """Assert the base URL rules over the whole folder; return its files."""
    files = baked_files(folder)
    assert not foreign_addresses(files)
    html = {n: d for n, d in files.items() if n.endswith(".html")}
    canonical = 0
    for name, data in html.items():
        doc = lxml_html.fromstring(data)
        links = doc.xpath('//link[@rel="canonical"]/@href')
        if not links or doc.xpath('//meta[@http-equiv="refresh"]'):
            continue  # redirect stubs: see test_a_redirect_stub_names_the_address_too
        canonical += 1
        (url,) = links
        assert url.startswith(OTHER_BASE + "/"), name
        og = doc.xpath('//meta[@property="og:url"]/@content')
        blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
        for block in blocks:
            if "url" in block:
                assert block["url"].startswith(OTHER_BASE + "/"), name
        if og:  # a story page: og:url, canonical and the NewsArticle agree
            assert og == [url], name
            article = next(b for b in blocks if b["@type"] == "NewsArticle")
            assert article["url"] == url, name
    assert canonical >= 20
    feeds = [n for n in files if n.endswith(("/rss.xml", "/atom.xml"))]
    assert "feeds/rss.xml" in feeds and "iran/opposition/feed/atom.xml" in feeds
    for name in feeds:
        parsed = feedparser.parse(files[name])
        assert parsed.bozo == 0, name
        assert parsed.feed.link.startswith(OTHER_BASE + "/"), name
        for entry in parsed.entries:
            assert entry.link.startswith(OTHER_BASE + "/"), name
            for enclosure in entry.get("enclosures", []):
                assert enclosure["href"].startswith(OTHER_BASE + "/media/"), name
    sitemaps = [n for n in files if n.startswith("sitemap")]
    assert {"sitemap.xml", "sitemap-news.xml", "sitemaps/pages.xml"} <= set(sitemaps)
    for name in sitemaps:
        locs = etree.fromstring(files[name]).xpath("//sm:loc/text()", namespaces=NS)
        assert locs and all(loc.startswith(OTHER_BASE + "/") for loc in locs), name
    assert f"Sitemap: {OTHER_BASE}/sitemap.xml".encode() in files["robots.txt"]
    return files


def test_a_bake_for_another_address_names_it_everywhere(newsroom, baking_on):
    StoryFactory(parent=newsroom["iran"], slug="pictured", lead_image=make_image())
    about = InfoPage(title="About us", slug="about", body="<p>Who we are.</p>")
    newsroom["iran"].get_parent().add_child(instance=about)
    about.save_revision().publish()
    # broadsheet bake --output <folder> --base-url https://news.example.org/
    call_command("bake", output=str(baking_on), base_url=OTHER_BASE + "/", no_progress=True)
    assert BakeRun.objects.get().status == BakeRun.Status.DONE
    files = check_folder(baking_on)
    story = lxml_html.fromstring(files["iran/pictured/index.html"])
    assert story.xpath('//meta[@property="og:image"]/@content')[0].startswith(OTHER_BASE + "/")
    pages = files["sitemaps/pages.xml"].decode()
    assert f"<loc>{OTHER_BASE}/about/</loc>" in pages
    assert json.loads(files[".bake/config.json"])["base_url"] == OTHER_BASE

    # an incremental bake into the folder keeps the folder's address
    new = StoryFactory(
        parent=newsroom["opposition"],
        slug="breaking",
        authors=[newsroom["authors"][0]],
        tags=["Oil"],
        lead_image=make_image(),
        published_at=dt.datetime(2007, 6, 20, 12, tzinfo=dt.UTC),
    )
    StoryPage.objects.get(slug="story-2").move(newsroom["iran"], pos="last-child")
    run = process_pending(baking_on)
    assert (run.kind, run.status) == (BakeRun.Kind.INCREMENTAL, BakeRun.Status.DONE), run.error
    assert {"/iran/opposition/breaking/", "/feeds/rss.xml", "/sitemaps/stories-2007-06.xml"} <= set(
        run.written
    )
    files = check_folder(baking_on)
    page = lxml_html.fromstring(files["iran/opposition/breaking/index.html"])
    assert page.xpath('//link[@rel="canonical"]/@href') == [OTHER_BASE + new.url]
    rss = feedparser.parse(files["feeds/rss.xml"])
    assert OTHER_BASE + new.url in [e.link for e in rss.entries]
    month = files["sitemaps/stories-2007-06.xml"].decode()
    assert f"<loc>{OTHER_BASE}{new.url}</loc>" in month
    moved = files["sitemaps/stories-2007-05.xml"].decode()  # story 2: 2007-05-11
    assert f"<loc>{OTHER_BASE}/iran/story-2/</loc>" in moved


def test_a_redirect_stub_names_the_address_too(newsroom):
    StoryPage.objects.get(slug="story-2").move(newsroom["iran"], pos="last-child")
    build = make_build(base_url=OTHER_BASE, live=False)
    stub = registry.kind("redirect-stub").render(build, old="middle-east/story-2").html
    doc = lxml_html.fromstring(stub)
    assert doc.xpath('//link[@rel="canonical"]/@href') == [OTHER_BASE + "/iran/story-2/"]
