import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from broadsheet.newsroom.models import StoryAuthor
from broadsheet.newsroom.rendering import Renderer
from broadsheet.newsroom.tree import ensure_section
from broadsheet.syndication import head
from tests.newsroom.factories import AuthorFactory, StoryFactory

from .conftest import SEED_HEADLINE

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml_html.fromstring(response.content)


def json_ld(doc) -> dict[str, dict]:
    blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    return {b["@type"]: b for b in blocks}


def alternates(doc) -> list[tuple[str, str]]:
    return [(e.get("type"), e.get("href")) for e in doc.xpath('//head/link[@rel="alternate"]')]


def test_story_page_news_article_breadcrumbs_and_social_tags(client, seed_story):
    writer = AuthorFactory(name="Reza")
    StoryAuthor.objects.create(story=seed_story, author=writer, sort_order=0)
    doc = page(client, seed_story.url)
    url = BASE + seed_story.url
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
    data = json_ld(doc)
    article = data["NewsArticle"]
    assert article["headline"] == SEED_HEADLINE
    assert article["datePublished"] == "2007-06-18T09:30:00+00:00"
    assert article["dateModified"] == "2007-06-18T09:30:00+00:00"
    assert article["author"] == [
        {"@type": "Person", "name": "Reza", "url": f"{BASE}/authors/{writer.slug}/"},
        {"@type": "Organization", "name": "IPS"},
    ]
    assert article["publisher"] == {
        "@type": "Organization",
        "name": "Broadsheet",
        "url": BASE + "/",
    }
    assert article["dateline"] == "Paris, 18 June (IPS)"
    assert article["articleSection"] == "Iran Opposition"
    assert article["url"] == url
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", BASE + "/"),
        (2, "Iran", BASE + "/iran/"),
        (3, "Iran Opposition", BASE + "/iran/iran-opposition/"),
        (4, SEED_HEADLINE, url),
    ]
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta")}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == SEED_HEADLINE
    assert meta["og:url"] == url
    assert meta["article:published_time"] == "2007-06-18T09:30:00+00:00"
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == SEED_HEADLINE


def test_story_page_links_site_and_section_feeds(client, seed_story):
    links = alternates(page(client, seed_story.url))
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
    assert collection["url"] == BASE + "/iran/"
    items = collection["mainEntity"]["itemListElement"]
    assert items == [
        {"@type": "ListItem", "position": 1, "url": BASE + seed_story.url, "name": SEED_HEADLINE}
    ]
    assert [c["name"] for c in data["BreadcrumbList"]["itemListElement"]] == ["Home", "Iran"]


def test_json_ld_cannot_close_its_script_element():
    block = str(head.json_ld({"headline": "</script><script>alert(1)</script> & <!-- \x0b\ud800"}))
    inner = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"headline": "</script><script>alert(1)</script> & <!-- "}


def test_head_tags_add_no_query_to_a_story_page(seed_story, monkeypatch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            Renderer().story(seed_story)
        return len(ctx.captured_queries)

    queries()
    with_head = queries()
    monkeypatch.setattr(
        "broadsheet.newsroom.rendering.head_context",
        lambda template, context: {"feeds": [], "syndication_head": ""},
    )
    assert queries() == with_head
