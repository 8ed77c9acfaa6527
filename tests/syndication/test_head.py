"""The ``head`` slot: Open Graph and Twitter tags, schema.org JSON-LD and feed links on reader
pages."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from broadsheet.content.newsroom.models import StoryAuthor
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.site.build import make_build
from broadsheet.site.registry import registry
from broadsheet.syndication import head
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import OTHER_BASE, SEED_HEADLINE, SEED_URL, base, make_image, render

pytestmark = pytest.mark.django_db


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml_html.fromstring(response.content)


def json_ld(doc) -> dict[str, dict]:
    blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    return {b["@type"]: b for b in blocks}


def meta(doc) -> dict[str, str]:
    return {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta")}


def alternates(doc) -> list[tuple[str, str]]:
    return [(e.get("type"), e.get("href")) for e in doc.xpath('//head/link[@rel="alternate"]')]


def test_story_page_news_article_breadcrumbs_and_social_tags(client, seed_story):
    writer = AuthorFactory(name="Reza")
    StoryAuthor.objects.create(story=seed_story, author=writer, sort_order=0)
    doc = page(client, SEED_URL)
    url = base() + SEED_URL
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
    data = json_ld(doc)
    article = data["NewsArticle"]
    assert article["headline"] == SEED_HEADLINE
    assert article["datePublished"] == "2007-06-18T09:30:00+00:00"
    assert article["dateModified"] == "2007-06-18T09:30:00+00:00"
    assert article["author"] == [
        {"@type": "Person", "name": "Reza", "url": f"{base()}/authors/{writer.slug}/"},
        {"@type": "Organization", "name": "IPS"},
    ]
    assert article["publisher"] == {
        "@type": "Organization",
        "name": "Broadsheet",
        "url": base() + "/",
    }
    assert article["dateline"] == "Paris, 18 June (IPS)"
    assert article["articleSection"] == "Iran Opposition"
    assert article["identifier"] == "IRAN OPPOSITION 18607"
    assert article["description"] == "Exiled opposition groups meet in Paris."
    assert article["url"] == article["mainEntityOfPage"]["@id"] == url
    assert "image" not in article
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", base() + "/"),
        (2, "Iran", base() + "/iran/"),
        (3, "Iran Opposition", base() + "/iran/iran-opposition/"),
        (4, SEED_HEADLINE, url),
    ]
    tags = meta(doc)
    assert tags["og:type"] == "article"
    assert tags["og:title"] == SEED_HEADLINE
    assert tags["og:url"] == url
    assert tags["og:site_name"] == "Broadsheet"
    assert tags["article:published_time"] == "2007-06-18T09:30:00+00:00"
    assert tags["article:section"] == "Iran Opposition"
    assert tags["twitter:card"] == "summary"
    assert tags["twitter:title"] == SEED_HEADLINE
    assert "og:image" not in tags


def test_lead_image_in_social_tags_and_json_ld(client, front_page):
    story = StoryFactory(lead_image=make_image())
    doc = page(client, story.url)
    tags = meta(doc)
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"].startswith(base() + "/media/")
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["og:image:alt"] == "Protesters in Paris"
    assert json_ld(doc)["NewsArticle"]["image"] == [tags["og:image"]]


def test_story_page_links_site_and_section_feeds(client, seed_story):
    links = alternates(page(client, SEED_URL))
    assert links == [
        ("application/rss+xml", "/feeds/rss.xml"),
        ("application/atom+xml", "/feeds/atom.xml"),
        ("application/rss+xml", "/iran/iran-opposition/feed/rss.xml"),
        ("application/atom+xml", "/iran/iran-opposition/feed/atom.xml"),
    ]


def test_every_kind_of_reader_page_links_feeds_that_exist(client, front_page):
    writer = AuthorFactory()
    story = StoryFactory(authors=[writer], tags=["Oil"], parent=ensure_section(["Business"]))
    pages = [
        "/",
        "/latest/",
        "/business/",
        story.url,
        "/archives/",
        "/archives/2007/",
        f"/authors/{writer.slug}/",
        "/authors/",
        "/tags/",
        "/tags/oil/",
    ]
    for path in pages:
        links = alternates(page(client, path))
        assert ("application/atom+xml", "/feeds/atom.xml") in links, path
        for _type, href in links:
            assert client.get(href).status_code == 200, (path, href)
    assert ("application/rss+xml", f"/authors/{writer.slug}/feed/rss.xml") in alternates(
        page(client, f"/authors/{writer.slug}/")
    )
    assert ("application/rss+xml", "/tags/oil/feed/rss.xml") in alternates(
        page(client, "/tags/oil/")
    )


def test_section_front_collection_page(client, seed_story):
    doc = page(client, "/iran/")
    data = json_ld(doc)
    collection = data["CollectionPage"]
    assert collection["name"] == "Iran"
    assert collection["url"] == base() + "/iran/"
    items = collection["mainEntity"]["itemListElement"]
    assert items == [
        {"@type": "ListItem", "position": 1, "url": base() + SEED_URL, "name": SEED_HEADLINE}
    ]
    assert [c["name"] for c in data["BreadcrumbList"]["itemListElement"]] == ["Home", "Iran"]


def test_front_page_website(client, seed_story):
    data = json_ld(page(client, "/"))
    assert data == {
        "WebSite": {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Broadsheet",
            "url": base() + "/",
        }
    }


def test_every_head_url_is_on_the_build_base_url(seed_story):
    build = make_build(base_url=OTHER_BASE)
    story = render(build, "story", path=SEED_URL.strip("/")).html
    assert base() not in story
    doc = lxml_html.fromstring(story)
    url = OTHER_BASE + SEED_URL
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
    assert meta(doc)["og:url"] == url
    data = json_ld(doc)
    assert data["NewsArticle"]["url"] == url
    assert data["NewsArticle"]["publisher"]["url"] == OTHER_BASE + "/"
    assert [c["item"] for c in data["BreadcrumbList"]["itemListElement"]] == [
        OTHER_BASE + "/",
        OTHER_BASE + "/iran/",
        OTHER_BASE + "/iran/iran-opposition/",
        url,
    ]
    section = lxml_html.fromstring(render(build, "section", path="iran").html)
    assert json_ld(section)["CollectionPage"]["url"] == OTHER_BASE + "/iran/"
    front = lxml_html.fromstring(render(build, "front").html)
    assert json_ld(front)["WebSite"]["url"] == OTHER_BASE + "/"


def test_json_ld_cannot_close_its_script_element():
    block = str(head.json_ld({"headline": "</script><script>alert(1)</script> & <!-- \x0b\ud800"}))
    inner = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"headline": "</script><script>alert(1)</script> & <!-- "}


def test_head_slot_adds_no_query_to_a_story_page(seed_story, monkeypatch):
    path = SEED_URL.strip("/")

    def queries() -> tuple[int, str]:
        build = make_build()
        with CaptureQueriesContext(connection) as ctx:
            html = render(build, "story", path=path).html
        return len(ctx.captured_queries), html

    queries()  # warm the caches (content types, renditions)
    with_head, html = queries()
    assert 'type="application/ld+json"' in html and 'property="og:url"' in html
    others = [s for s in registry.slots["head"] if s.fn is not head.head]
    assert len(others) == len(registry.slots["head"]) - 1
    monkeypatch.setitem(registry.slots, "head", others)
    without_head, html = queries()
    assert 'type="application/ld+json"' not in html and 'property="og:url"' not in html
    assert without_head == with_head
