"""RSS 2.0 and Atom 1.0 feeds: served live through the registry's routes, rendered from a build
(another base URL), checked with feedparser (``bozo == 0``)."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.site.build import make_build
from broadsheet.site.registry import NotFound
from tests.content.factories import AuthorFactory, StoryFactory

from .conftest import OTHER_BASE, SEED_DATE, SEED_HEADLINE, SEED_URL, base, get, make_image, render

pytestmark = pytest.mark.django_db


def guid(story_id: int) -> str:
    """The id a story must keep in every feed, whatever address a copy is baked for:
    ``tag:<the newsroom's domain>,2007-01-01:story/<id>`` (BROADSHEET_TAG_URI_AUTHORITY)."""
    return f"tag:newsroom.example,2007-01-01:story/{story_id}"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_seed_story_in_site_and_section_feeds_with_its_date(client, validators, seed_story, fmt):
    for path in (
        f"/feeds/{fmt}.xml",
        f"/iran/feed/{fmt}.xml",
        f"/iran/iran-opposition/feed/{fmt}.xml",
    ):
        response = get(client, path)
        assert response["Content-Type"] == f"application/{fmt}+xml; charset=utf-8"
        feed = validators.feed(response.content)
        entry = next(e for e in feed.entries if e.title == SEED_HEADLINE)
        assert entry.published_parsed[:6] == SEED_DATE.timetuple()[:6]
        assert entry.link == base() + SEED_URL
        assert entry.id == guid(seed_story.id)


def test_section_feed_includes_subsections_and_excludes_other_sections(
    client, validators, seed_story
):
    other = StoryFactory(title="Football results", parent=ensure_section(["Sport"]))
    titles = [e.title for e in validators.feed(get(client, "/iran/feed/rss.xml").content).entries]
    assert titles == [SEED_HEADLINE]
    sport = [e.title for e in validators.feed(get(client, "/sport/feed/atom.xml").content).entries]
    assert sport == [other.title]
    site = [e.title for e in validators.feed(get(client, "/feeds/atom.xml").content).entries]
    assert set(site) == {SEED_HEADLINE, other.title}


def test_rss_has_full_text_english_dates_and_permalink_false_guid(client, validators, seed_story):
    with translation.override("fa"):  # dates stay English whatever the language
        assert (
            b"<pubDate>Mon, 18 Jun 2007 09:30:00 +0000</pubDate>"
            in get(client, "/feeds/rss.xml").content
        )
    xml = get(client, "/feeds/rss.xml").content.decode()
    assert f'<guid isPermaLink="false">{guid(seed_story.id)}</guid>' in xml
    entry = validators.feed(xml.encode()).entries[0]
    assert entry.summary == "Exiled opposition groups meet in Paris."
    full = entry.content[0].value
    assert full.startswith('<p><span class="dateline">Paris, 18 June (IPS) –</span> ')
    assert "The first paragraph of the story." in full


def test_atom_dates_are_rfc3339(client, seed_story):
    StoryPage.objects.filter(id=seed_story.id).update(
        updated_at=dt.datetime(2007, 6, 19, 8, 0, tzinfo=dt.UTC)
    )
    xml = get(client, "/feeds/atom.xml").content.decode()
    assert "<published>2007-06-18T09:30:00+00:00</published>" in xml
    assert "<updated>2007-06-19T08:00:00+00:00</updated>" in xml
    assert '<content type="html">' in xml


def test_guid_survives_a_new_headline_slug_and_section(client, validators, seed_story):
    before = validators.feed(get(client, "/feeds/rss.xml").content).entries[0]
    story = StoryPage.objects.get(id=seed_story.id)
    story.title = "A new headline"
    story.slug = "a-new-slug"
    story.save_revision().publish()
    story.move(ensure_section(["World"]), pos="last-child")
    after = validators.feed(get(client, "/feeds/rss.xml").content).entries[0]
    assert (after.title, after.link) == ("A new headline", base() + "/world/a-new-slug/")
    assert after.id == before.id == guid(seed_story.id)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_lead_image_is_enclosure_and_media_content(client, validators, front_page, fmt):
    StoryFactory(title="Pictured", lead_image=make_image())
    StoryFactory(title="No picture", published_at=dt.datetime(2006, 1, 1, tzinfo=dt.UTC))
    feed = validators.feed(get(client, f"/feeds/{fmt}.xml").content)
    pictured, plain = feed.entries
    assert pictured.title == "Pictured"
    (enclosure,) = pictured.enclosures
    assert enclosure["type"] == "image/png"
    assert enclosure["href"].startswith(base() + "/media/")
    assert enclosure["href"].endswith(".png")
    assert pictured.media_content[0]["url"] == enclosure["href"]
    assert pictured.media_content[0]["width"] == "1200"
    full = pictured.content[0].value
    assert full.startswith("<figure><img ") and f'src="{enclosure["href"]}"' in full
    assert plain.enclosures == [] and "media_content" not in plain


def test_author_and_tag_feeds(client, validators, front_page):
    writer = AuthorFactory(name="Shahram Azar")
    mine = StoryFactory(title="By Shahram", authors=[writer], tags=["Elections"])
    StoryFactory(title="By nobody")
    author_feed = validators.feed(get(client, f"/authors/{writer.slug}/feed/rss.xml").content)
    assert [e.title for e in author_feed.entries] == [mine.title]
    assert author_feed.entries[0].author == "Shahram Azar, IPS"
    tag_feed = validators.feed(get(client, "/tags/elections/feed/atom.xml").content)
    assert [e.title for e in tag_feed.entries] == [mine.title]
    assert [t.term for t in tag_feed.entries[0].tags] == [mine.get_parent().title, "Elections"]


def test_unknown_section_author_tag_feeds_are_404(client, front_page):
    StoryFactory(tags=["Oil"])
    build = make_build()
    for kind, params, path in (
        ("section-feed", {"path": "nowhere"}, "/nowhere/feed/rss.xml"),
        ("author-feed", {"slug": "nobody"}, "/authors/nobody/feed/rss.xml"),
        ("tag-feed", {"slug": "none"}, "/tags/none/feed/atom.xml"),
    ):
        with pytest.raises(NotFound):
            render(build, kind, fmt="rss", **params)
        get(client, path, 404)
    get(client, "/tags/oil/feed/atom.xml")
    get(client, "/feeds/json.xml", 404)


def test_feed_lists_newest_stories_up_to_the_feed_count(client, validators, front_page, settings):
    settings.BROADSHEET_FEED_COUNT = 3
    section = ensure_section(["World"])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for i in (2, 0, 4, 1, 3):
        StoryFactory(title=f"Day {i}", parent=section, published_at=start + dt.timedelta(days=i))
    for memory in (False, True):
        xml = render(make_build(memory=memory), "section-feed", path="world", fmt="rss").data()
        feed = validators.feed(xml)
        assert [e.title for e in feed.entries] == ["Day 4", "Day 3", "Day 2"], memory


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
    assert entry.link == base() + "/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4/"
    assert entry.link == base() + story.url
    assert "summary" not in entry or entry.summary == entry.content[0].value  # no empty summary


def test_an_empty_feed_is_valid_and_dated_by_content_only(validators, front_page):
    build = make_build()
    for fmt in ("rss", "atom"):
        first = render(build, "feed", fmt=fmt).data()
        assert validators.feed(first).entries == []
        assert render(make_build(), "feed", fmt=fmt).data() == first  # not "now"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_every_feed_url_is_on_the_build_base_url(validators, front_page, fmt):
    section = ensure_section(["Iran"])
    body = [{"type": "paragraph", "value": '<p>See <a href="/iran/">our Iran pages</a>.</p>'}]
    story = StoryFactory(parent=section, lead_image=make_image(), body=body, tags=["Oil"])
    xml = render(make_build(base_url=OTHER_BASE), "feed", fmt=fmt).data()
    text = xml.decode()
    assert base() not in text and urlsplit(base()).hostname not in text
    feed = validators.feed(xml)
    assert feed.feed.link == OTHER_BASE + "/"
    (entry,) = feed.entries
    assert entry.link == OTHER_BASE + story.url
    assert entry.id == guid(story.id)  # a mirror's copy keeps the ids readers' apps know
    assert entry.enclosures[0]["href"].startswith(OTHER_BASE + "/media/")
    assert f'<a href="{OTHER_BASE}/iran/">our Iran pages</a>' in entry.content[0].value
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [f"{OTHER_BASE}/feeds/{fmt}.xml"]
