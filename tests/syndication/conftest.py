"""Validators for syndication tests: the sitemaps.org and Google News schemas (lxml) and
feedparser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from broadsheet.newsroom.tree import ensure_section
from tests.newsroom.factories import StoryFactory

SEED_HEADLINE = 'Iran National Solidarity To Create An "Alternative"'
SEED_DATE = dt.datetime(2007, 6, 18, 9, 30, tzinfo=dt.UTC)


class Validators:
    """``sitemap(xml)`` / ``index(xml)`` / ``news(xml)`` validate and return the parsed tree;
    ``feed(xml)`` parses with feedparser and asserts ``bozo == 0``."""

    def __init__(self, schemas: Path, tmp: Path) -> None:
        self.sitemap_schema = etree.XMLSchema(etree.parse(str(schemas / "sitemap.xsd")))
        # The fixtures hold no schema of the sitemap *index*: this one declares <sitemapindex>
        # as sitemaps.org's protocol page describes it, with loc and lastmod of the types that
        # sitemap.xsd defines (included, so they are the fixture's own).
        index = tmp / "sitemap-index.xsd"
        index.write_text(
            '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">'
            f'<xsd:include schemaLocation="{(schemas / "sitemap.xsd").as_uri()}"/>'
            '<xsd:element name="sitemapindex"><xsd:complexType><xsd:sequence>'
            '<xsd:element name="sitemap" maxOccurs="50000"><xsd:complexType><xsd:sequence>'
            '<xsd:element name="loc" type="tLoc"/>'
            '<xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>'
            "</xsd:sequence></xsd:complexType></xsd:element>"
            "</xsd:sequence></xsd:complexType></xsd:element>"
            "</xsd:schema>"
        )
        self.index_schema = etree.XMLSchema(etree.parse(str(index)))
        # sitemap-news.xsd imports nothing, and sitemap.xsd lets <url> hold elements of other
        # namespaces with processContents="strict": a wrapper schema imports both.
        wrapper = tmp / "sitemap-with-news.xsd"
        wrapper.write_text(
            '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            '<xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'schemaLocation="{(schemas / "sitemap.xsd").as_uri()}"/>'
            '<xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" '
            f'schemaLocation="{(schemas / "sitemap-news.xsd").as_uri()}"/>'
            "</xsd:schema>"
        )
        self.news_schema = etree.XMLSchema(etree.parse(str(wrapper)))

    def _check(self, schema: etree.XMLSchema, xml: bytes) -> etree._ElementTree:
        tree = etree.ElementTree(etree.fromstring(xml))
        assert schema.validate(tree), schema.error_log
        return tree

    def sitemap(self, xml: bytes) -> etree._ElementTree:
        return self._check(self.sitemap_schema, xml)

    def index(self, xml: bytes) -> etree._ElementTree:
        return self._check(self.index_schema, xml)

    def news(self, xml: bytes) -> etree._ElementTree:
        return self._check(self.news_schema, xml)

    def feed(self, xml: bytes) -> feedparser.FeedParserDict:
        parsed = feedparser.parse(xml)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        return parsed


@pytest.fixture
def validators(shared: Path, tmp_path: Path) -> Validators:
    return Validators(shared / "fixtures" / "schemas", tmp_path)


@pytest.fixture
def seed_story(front_page):
    """The seed-like story: 'Iran National Solidarity…', 2007-06-18, in Iran › Iran Opposition."""
    section = ensure_section(["Iran", "Iran Opposition"])
    return StoryFactory(
        parent=section,
        title=SEED_HEADLINE,
        slug="iran-national-solidarity-to-create-an-alternative",
        published_at=SEED_DATE,
        standfirst="Exiled opposition groups meet in Paris.",
        dateline_place="Paris",
        dateline_agency="IPS",
        story_code="IRAN OPPOSITION 18607",
    )


def recent(hours: float = 1) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)
