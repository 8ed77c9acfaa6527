import datetime as dt
import io

import pytest
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images import get_image_model

from broadsheet.newsroom.tree import ensure_section
from broadsheet.syndication.feeds import story_guid
from tests.newsroom.factories import AuthorFactory, StoryFactory

from .conftest import SEED_HEADLINE

pytestmark = pytest.mark.django_db


def get(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response


def make_image(title: str = "Lead"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (200, 30, 30)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="lead.png"), description="Protesters in Paris"
    )


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_seed_story_in_site_and_section_feeds_with_its_date(client, validators, seed_story, fmt):
    for path in (f"/feeds/{fmt}.xml", f"/iran/iran-opposition/feed/{fmt}.xml"):
        feed = validators.feed(get(client, path).content)
        entry = next(e for e in feed.entries if e.title == SEED_HEADLINE)
        assert entry.published_parsed[:3] == (2007, 6, 18)
        assert entry.link.endswith(
            "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
        )
        assert entry.id == story_guid(seed_story.id)


def test_section_feed_includes_subsections_and_excludes_other_sections(
    client, validators, seed_story
):
    other = StoryFactory(title="Football results", parent=ensure_section(["Sport"]))
    titles = [e.title for e in validators.feed(get(client, "/iran/feed/rss.xml").content).entries]
    assert SEED_HEADLINE in titles
    assert other.title not in titles
    site = [e.title for e in validators.feed(get(client, "/feeds/atom.xml").content).entries]
    assert {SEED_HEADLINE, other.title} <= set(site)


def test_rss_has_full_text_english_dates_and_permalink_false_guid(client, validators, seed_story):
    with translation.override("fa"):  # dates stay English whatever the language
        assert (
            b"<pubDate>Mon, 18 Jun 2007 09:30:00 +0000</pubDate>"
            in get(client, "/feeds/rss.xml").content
        )
    xml = get(client, "/feeds/rss.xml").content.decode()
    assert f'<guid isPermaLink="false">{story_guid(seed_story.id)}</guid>' in xml
    entry = validators.feed(xml.encode()).entries[0]
    assert entry.summary == "Exiled opposition groups meet in Paris."
    full = entry.content[0].value
    assert "Paris, 18 June (IPS) –" in full
    assert "The first paragraph of the story." in full


def test_atom_dates_are_rfc3339(client, seed_story):
    xml = get(client, "/feeds/atom.xml").content.decode()
    assert "<published>2007-06-18T09:30:00+00:00</published>" in xml
    assert '<content type="html">' in xml


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_lead_image_is_enclosure_and_media_content(client, validators, front_page, fmt):
    StoryFactory(title="Pictured", lead_image=make_image())
    xml = get(client, f"/feeds/{fmt}.xml").content
    entry = validators.feed(xml).entries[0]
    enclosures = entry.enclosures
    assert len(enclosures) == 1 and enclosures[0]["type"] == "image/png"
    assert enclosures[0]["href"].startswith("http://127.0.0.1:8000/media/")
    assert entry.media_content[0]["url"] == enclosures[0]["href"]
    assert entry.media_content[0]["width"] == "1200"


def test_author_and_tag_feeds(client, validators, front_page):
    writer = AuthorFactory(name="Shahram Azar")
    mine = StoryFactory(title="By Shahram", authors=[writer], tags=["Elections"])
    StoryFactory(title="By nobody")
    author_feed = validators.feed(get(client, f"/authors/{writer.slug}/feed/rss.xml").content)
    assert [e.title for e in author_feed.entries] == [mine.title]
    assert author_feed.entries[0].author == "Shahram Azar, IPS"
    tag_feed = validators.feed(get(client, "/tags/elections/feed/atom.xml").content)
    assert [e.title for e in tag_feed.entries] == [mine.title]


def test_unknown_section_author_tag_feeds_are_404(client, front_page):
    for path in (
        "/nowhere/feed/rss.xml",
        "/authors/nobody/feed/rss.xml",
        "/tags/none/feed/atom.xml",
    ):
        get(client, path, 404)


def test_feed_lists_newest_stories_up_to_the_feed_count(client, validators, front_page, settings):
    settings.BROADSHEET_FEED_COUNT = 3
    section = ensure_section(["World"])
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for i in range(5):
        StoryFactory(title=f"Day {i}", parent=section, published_at=base + dt.timedelta(days=i))
    feed = validators.feed(get(client, "/world/feed/rss.xml").content)
    assert [e.title for e in feed.entries] == ["Day 4", "Day 3", "Day 2"]


def test_pre_1970_story_dates(client, validators, front_page):
    StoryFactory(title="Moon landing", published_at=dt.datetime(1969, 7, 20, 20, 17, tzinfo=dt.UTC))
    rss = get(client, "/feeds/rss.xml")
    assert b"<pubDate>Sun, 20 Jul 1969 20:17:00 +0000</pubDate>" in rss.content
    assert validators.feed(rss.content).entries[0].published_parsed[:3] == (1969, 7, 20)
    atom = get(client, "/feeds/atom.xml").content
    assert b"<published>1969-07-20T20:17:00+00:00</published>" in atom


def test_unicode_section_feed_and_percent_encoded_links(client, validators, front_page):
    section = ensure_section(["ایران"])
    story = StoryFactory(parent=section, slug="گزارش", title="گزارش", standfirst="")
    xml = get(client, "/ایران/feed/rss.xml").content
    entry = validators.feed(xml).entries[0]
    assert entry.title == "گزارش"
    assert entry.link == (
        "http://127.0.0.1:8000/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4/"
    )
    assert "summary" not in entry or entry.summary == entry.content[0].value  # no empty summary
    assert entry.link == "http://127.0.0.1:8000" + story.url
