"""Hostile text (the Big List of Naughty Strings) never produces an invalid feed, sitemap or
JSON-LD block."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from taggit.models import Tag

from broadsheet.content.newsroom.models import (
    Author,
    NewsroomSettings,
    SectionPage,
    StoryPage,
)
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.syndication.feeds import AtomFeedGenerator, RssFeedGenerator
from broadsheet.syndication.head import json_ld
from broadsheet.syndication.text import xml_safe
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import NS, base, make_image, recent

BATCH = 52
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
    assert xml_safe(None) == ""


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
    assert [t.term for t in parsed.entries[0].tags] == ["tag"]


def _unique(texts: list[str], size: int) -> list[str]:
    """``texts`` cut to ``size`` characters, made unique (tag names are)."""
    seen: set[str] = set()
    out = []
    for i, text in enumerate(texts):
        name = text[:size]
        if name in seen or not name.strip():
            name = f"{i} {text}"[:size]
        seen.add(name)
        out.append(name)
    return out


@pytest.mark.slow
@pytest.mark.django_db
def test_naughty_text_in_every_field_never_breaks_feeds_sitemaps_or_json_ld(
    client, validators, shared, front_page, settings
):
    settings.BROADSHEET_FEED_COUNT = BATCH
    strings = naughty_strings(shared)
    section = ensure_section(["Naughty"])
    image = make_image()
    authors = [AuthorFactory(slug=f"writer-{i}") for i in range(BATCH)]
    stories = [
        StoryFactory(
            parent=section,
            slug=f"naughty-{i}",
            published_at=recent(i / 60),
            authors=[authors[i]],
            tags=[f"tag-{i}"],
            lead_image=image,
        )
        for i in range(BATCH)
    ]
    tags = {t.slug: t.id for t in Tag.objects.filter(slug__startswith="tag-")}
    site = NewsroomSettings.for_site(front_page.get_site())
    for start in range(0, len(strings), BATCH):
        batch = strings[start : start + BATCH]
        SectionPage.objects.filter(id=section.id).update(
            title=batch[0][:255], description=batch[-1]
        )
        NewsroomSettings.objects.filter(id=site.id).update(
            site_name=batch[1][:255], tagline=batch[2][:255]
        )
        image.description = batch[3][:255]
        image.save()
        for slug, tag_id in tags.items():  # names are unique: free last batch's first
            Tag.objects.filter(id=tag_id).update(name=slug)
        expected = {}
        for i, (story, author, text, tag) in enumerate(
            zip(stories, authors, batch, _unique(batch, 100), strict=False)
        ):
            Author.objects.filter(id=author.id).update(name=text[:255])
            Tag.objects.filter(id=tags[f"tag-{i}"]).update(name=tag)
            body = [
                {"type": "paragraph", "value": f"<p>{text}</p>"},
                {"type": "subheading", "value": text[:255]},
                {"type": "block_quote", "value": {"text": text, "attribution": text[:255]}},
                {"type": "pull_quote", "value": {"text": text, "attribution": text[:255]}},
                {"type": "fact_box", "value": {"title": text[:255], "body": f"<p>{text}</p>"}},
            ]
            StoryPage.objects.filter(id=story.id).update(
                title=text[:255],
                standfirst=text,
                byline_credit=text[:255],
                dateline_place=text[:120],
                dateline_agency=text[:60],
                story_code=text[:120],
                search_description=text,
                lead_image_caption=text[:500],
                body=json.dumps(body),
            )
            expected[story.url] = (xml_safe(text[:255]), xml_safe(tag))

        feeds = {  # path: stories listed
            "/feeds/rss.xml": BATCH,
            "/feeds/atom.xml": BATCH,
            "/naughty/feed/rss.xml": BATCH,
            "/naughty/feed/atom.xml": BATCH,
            "/authors/writer-0/feed/atom.xml": 1,
            "/tags/tag-1/feed/rss.xml": 1,
        }
        for path, count in feeds.items():
            response = client.get(path)
            assert response.status_code == 200, path
            assert len(validators.feed(response.content).entries) == count, path

        index = validators.index(client.get("/sitemap.xml").content)
        for loc in index.xpath("//sm:loc/text()", namespaces=NS):
            response = client.get(loc.removeprefix(base()))
            assert response.status_code == 200, loc
            if loc.endswith("/sitemap-news.xml"):
                news = validators.news(response.content)
            else:
                validators.sitemap(response.content)
        titles = {
            url.findtext("sm:loc", namespaces=NS).removeprefix(base()): url.findtext(
                "news:news/news:title", namespaces=NS
            )
            for url in news.xpath("//sm:url", namespaces=NS)
        }
        assert len(titles) == BATCH  # the last batch is shorter: its other stories keep theirs
        assert {u: t for u, t in titles.items() if u in expected} == {
            url: headline for url, (headline, _tag) in expected.items()
        }
        assert set(news.xpath("//news:name/text()", namespaces=NS)) == {xml_safe(batch[1][:255])}

        for url, (headline, tag) in expected.items():
            response = client.get(url)
            assert response.status_code == 200, url
            blocks = JSON_LD.findall(response.content.decode("utf-8"))
            assert len(blocks) == 2, url
            for block in blocks:
                assert "<" not in block and ">" not in block
            article, crumbs = (json.loads(b) for b in blocks)
            assert article["headline"] == headline
            assert article["author"][0]["name"] == headline
            assert article["publisher"]["name"] == xml_safe(batch[1][:255])
            assert article["articleSection"] == xml_safe(batch[0][:255])
            assert article["keywords"] == [tag]
            assert crumbs["itemListElement"][-1]["name"] == headline
            assert crumbs["itemListElement"][-2]["name"] == xml_safe(batch[0][:255])
        section_page = client.get("/naughty/").content.decode("utf-8")
        for block in JSON_LD.findall(section_page):
            assert "<" not in block and ">" not in block
            json.loads(block)


def test_json_ld_of_every_naughty_string_parses_back(shared):
    for text in naughty_strings(shared):
        block = str(json_ld({"headline": text}))
        inner = block.removeprefix('<script type="application/ld+json">')
        inner = inner.removesuffix("</script>")
        assert "</" not in inner
        assert json.loads(inner) == {"headline": xml_safe(text)}
