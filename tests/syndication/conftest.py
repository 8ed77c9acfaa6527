"""Fixtures for syndication tests: validators (the sitemaps.org, sitemap index and Google News
schemas of ../shared/fixtures, with lxml; feedparser), the seed-like story, an image, and
helpers to render the feature's page kinds from a build."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.site.registry import Rendered, registry
from tests.content.factories import StoryFactory

# the baking tests' newsroom and queue fixtures, shared here
from tests.publishing.conftest import baking_on, newsroom  # noqa: F401

SEED_HEADLINE = 'Iran National Solidarity To Create An "Alternative"'
SEED_DATE = dt.datetime(2007, 6, 18, 9, 30, tzinfo=dt.UTC)
SEED_URL = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
OTHER_BASE = "https://news.example.org"


def base() -> str:
    """The public address of the test settings (``BROADSHEET_BASE_URL``)."""
    return settings.BROADSHEET_BASE_URL.rstrip("/")


class Validators:
    """``sitemap(xml)`` / ``index(xml)`` / ``news(xml)`` validate and return the parsed tree;
    ``feed(xml)`` parses with feedparser and asserts ``bozo == 0``."""

    def __init__(self, schemas: Path, tmp: Path) -> None:
        self.sitemap_schema = etree.XMLSchema(etree.parse(str(schemas / "sitemap.xsd")))
        self.index_schema = etree.XMLSchema(etree.parse(str(schemas / "siteindex.xsd")))
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


def make_image(title: str = "Lead"):
    """A 1600×900 PNG in the image library."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (200, 30, 30)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="lead.png"), description="Protesters in Paris"
    )


def render(build, kind: str, **params) -> Rendered:
    """Page kind ``kind`` rendered from ``build`` (as a bake renders it)."""
    return registry.kind(kind).render(build, **params)


def syndication_kinds() -> list:
    """The page kinds this feature declares."""
    return [k for k in registry.ordered_kinds() if k.feature == "syndication"]


def get(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response
