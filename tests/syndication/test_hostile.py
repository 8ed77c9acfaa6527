"""Hostile text (the Big List of Naughty Strings) never produces an invalid feed, sitemap or
JSON-LD block."""

import json
import re
from pathlib import Path

import feedparser
import pytest

from broadsheet.newsroom.models import Author, SectionPage, StoryPage
from broadsheet.newsroom.tree import ensure_section
from broadsheet.syndication.feeds import AtomFeedGenerator, RssFeedGenerator
from broadsheet.syndication.head import json_ld
from broadsheet.syndication.text import xml_safe
from tests.newsroom.factories import AuthorFactory, StoryFactory

from .conftest import recent

BATCH = 52
BASE = "http://127.0.0.1:8000"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def naughty_strings(shared: Path) -> list[str]:
    return json.loads((shared / "fixtures" / "hostile" / "blns.json").read_text("utf-8"))


def test_xml_safe_removes_exactly_the_characters_xml_forbids():
    forbidden = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000)]
    forbidden += [0xFFFE, 0xFFFF]
    for code in forbidden:
        assert xml_safe(f"a{chr(code)}b") == "ab", hex(code)
    kept = "\t\n\r \x7f\x85\ud7ff\ue000\ufffd\U00010000\U0010ffff\u202e🙂"
    assert xml_safe(kept) == kept


@pytest.mark.parametrize("generator", [RssFeedGenerator, AtomFeedGenerator])
def test_feed_generators_drop_nul_and_lone_surrogates(generator):
    feed = generator(
        title="Site\x00\ud800", link="http://example.org/", description="d\x0b", language="en"
    )
    feed.add_item(
        title="Head\x00line\udfff\ufffe",
        link="http://example.org/s/",
        description="<p>sum\x01mary</p>",
        content_html="<p>full\x1f text</p>",
        categories=["ta\x02g"],
    )
    xml = feed.writeString("utf-8").encode("utf-8")
    parsed = feedparser.parse(xml)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "Site"
    assert parsed.entries[0].title == "Headline"
    assert parsed.entries[0].content[0].value == "<p>full text</p>"


@pytest.mark.slow
@pytest.mark.django_db
def test_naughty_headlines_and_bodies_never_break_feeds_sitemaps_or_json_ld(
    client, validators, shared, front_page, settings
):
    settings.BROADSHEET_FEED_COUNT = BATCH
    strings = naughty_strings(shared)
    section = ensure_section(["Naughty"])
    authors = [AuthorFactory(slug=f"writer-{i}") for i in range(BATCH)]
    stories = [
        StoryFactory(
            parent=section, slug=f"naughty-{i}", published_at=recent(i / 60), authors=[authors[i]]
        )
        for i in range(BATCH)
    ]
    for start in range(0, len(strings), BATCH):
        batch = strings[start : start + BATCH]
        expected = {}
        SectionPage.objects.filter(id=section.id).update(title=batch[0][:255])
        for story, author, text in zip(stories, authors, batch, strict=False):
            Author.objects.filter(id=author.id).update(name=text[:255])
            body = [
                {"type": "paragraph", "value": f"<p>{text}</p>"},
                {"type": "subheading", "value": text[:255]},
                {"type": "block_quote", "value": {"text": text, "attribution": text[:255]}},
            ]
            StoryPage.objects.filter(id=story.id).update(
                title=text[:255],
                standfirst=text,
                byline_credit=text[:255],
                dateline_place=text[:120],
                body=json.dumps(body),
            )
            expected[story.url] = xml_safe(text[:255])

        for path in ("/feeds/rss.xml", "/feeds/atom.xml", "/naughty/feed/rss.xml"):
            response = client.get(path)
            assert response.status_code == 200, path
            feed = validators.feed(response.content)
            assert len(feed.entries) == BATCH, path

        index = validators.index(client.get("/sitemap.xml").content)
        for loc in index.xpath("//sm:loc/text()", namespaces=NS):
            response = client.get(loc.removeprefix(BASE))
            assert response.status_code == 200, loc
            if loc.endswith("/sitemap-news.xml"):
                news = validators.news(response.content)
            else:
                validators.sitemap(response.content)
        titles = {
            url.findtext("sm:loc", namespaces=NS).removeprefix(BASE): url.findtext(
                "news:news/news:title", namespaces=NS
            )
            for url in news.xpath("//sm:url", namespaces=NS)
        }
        assert {u: t for u, t in titles.items() if u in expected} == expected

        for url, headline in expected.items():
            response = client.get(url)
            assert response.status_code == 200, url
            blocks = JSON_LD.findall(response.content.decode("utf-8"))
            assert len(blocks) == 2, url
            for block in blocks:
                assert "<" not in block and ">" not in block
            data = [json.loads(b) for b in blocks]
            assert data[0]["headline"] == headline
            assert data[0]["author"][0]["name"] == headline
            assert data[1]["itemListElement"][-1]["name"] == headline


def test_json_ld_of_every_naughty_string_parses_back(shared):
    for text in naughty_strings(shared):
        block = str(json_ld({"headline": text}))
        inner = block.removeprefix('<script type="application/ld+json">')
        inner = inner.removesuffix("</script>")
        assert "</" not in inner
        assert json.loads(inner) == {"headline": xml_safe(text)}
