"""Server search at /search/ on the database backend (SQLite FTS5 or PostgreSQL), with the
index kept up to date by Wagtail's publish signals."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from markupsafe import escape

from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["direct-index", "wagtail-api"])
def search_path(request, settings):
    """Run every test both ways: reading the database backend's index in one query
    (broadsheet/search/dbrank.py) and through Wagtail's search API (as OpenSearch would)."""
    settings.BROADSHEET_SEARCH_DIRECT_INDEX = request.param == "direct-index"
    return request.param


def hit_urls(page: str) -> list[str]:
    """The story links of the search hits on a results page, in order."""
    return re.findall(r'<h2 class="card-headline" dir="auto"><a href="([^"]+)">', page)


def search(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", ["Noah's Ark", "Baqerzadeh", "SOLIDARITY"])
def test_seed_story_is_found(client, seed_story, query):
    StoryFactory(title="An unrelated story")
    page = search(client, q=query)
    assert hit_urls(page) == [seed_story.url]
    assert "<mark>" in page


def test_ascii_apostrophe_query_marks_typographic_apostrophe(client, seed_story):
    page = search(client, q="Noah's Ark")
    assert "<mark>Noah’s</mark> <mark>Ark</mark>" in page


def test_stemming_finds_other_forms(client, seed_story):
    assert hit_urls(search(client, q="organizer conferences")) == [seed_story.url]


def test_words_that_are_absent_find_nothing(client, seed_story):
    page = search(client, q="Noah's Ark zeppelin")
    assert hit_urls(page) == []
    assert "No stories found" in page


@pytest.mark.parametrize(
    ("stored", "asked"),
    [
        ("گزارش كميته يك شنبه", "کمیته"),  # Arabic yeh and kaf stored, Persian asked
        ("گزارش کمیته یک شنبه", "كميته"),  # Persian stored, Arabic asked
        ("سال ۱۳۸۶ خورشیدی", "1386"),
        ("سال 1386 خورشیدی", "۱۳۸۶"),
        ("او می\u200cرود به تهران", "میرود"),
        ("کـتـاب تازه", "کتاب"),
    ],
)
def test_persian_spelling_variants_match(client, front_page, stored, asked):
    story = StoryFactory(
        title="گزارش", body=[{"type": "paragraph", "value": f"<p>{stored}</p>"}], slug="fa-story"
    )
    StoryFactory(title="Other story", body=[{"type": "paragraph", "value": "<p>Nothing.</p>"}])
    assert hit_urls(search(client, q=asked)) == [story.url]


def test_unpublished_story_leaves_the_results(client, front_page):
    story = StoryFactory(title="Zanjan earthquake relief")
    assert hit_urls(search(client, q="zanjan")) == [story.url]
    story.unpublish()
    assert hit_urls(search(client, q="zanjan")) == []


def test_edit_and_republish_updates_the_index(client, front_page):
    story = StoryFactory(title="Tabriz market")
    story.title = "Shiraz market"
    story.save_revision().publish()
    assert hit_urls(search(client, q="shiraz")) == [story.url]
    assert hit_urls(search(client, q="tabriz")) == []


def test_filters_by_section_author_and_dates(client, front_page):
    iran, world = SectionFactory(title="Iran"), SectionFactory(title="World")
    writer = AuthorFactory(name="Sara Writer")
    tz = timezone.get_current_timezone()
    a = StoryFactory(
        title="Oil exports a", parent=iran, published_at=dt.datetime(2007, 6, 18, 12, tzinfo=tz)
    )
    b = StoryFactory(
        title="Oil exports b",
        parent=world,
        authors=[writer],
        published_at=dt.datetime(2008, 1, 5, 12, tzinfo=tz),
    )
    assert set(hit_urls(search(client, q="oil"))) == {a.url, b.url}
    assert hit_urls(search(client, q="oil", section=iran.url)) == [a.url]
    assert hit_urls(search(client, q="oil", author=writer.slug)) == [b.url]
    assert hit_urls(search(client, q="oil", **{"from": "2007-12-01"})) == [b.url]
    assert hit_urls(search(client, q="oil", to="2007-06-18")) == [a.url]
    assert hit_urls(search(client, q="oil", sort="date")) == [b.url, a.url]


def test_recency_boost_puts_newer_of_equal_matches_first(client, front_page):
    tz = timezone.get_current_timezone()
    old = StoryFactory(title="Caspian caviar", published_at=dt.datetime(2005, 1, 1, tzinfo=tz))
    new = StoryFactory(title="Caspian caviar", published_at=timezone.now() - dt.timedelta(days=3))
    assert hit_urls(search(client, q="caspian caviar")) == [new.url, old.url]


def test_relevance_beats_a_small_recency_edge(client, front_page):
    tz = timezone.get_current_timezone()
    strong = StoryFactory(
        title="Kurdistan Kurdistan elections",
        standfirst="Kurdistan votes in Kurdistan.",
        published_at=dt.datetime(2020, 1, 1, tzinfo=tz),
        body=[{"type": "paragraph", "value": "<p>Kurdistan, Kurdistan, Kurdistan.</p>"}],
    )
    weak = StoryFactory(
        title="A long story about many other things and places",
        published_at=dt.datetime(2020, 1, 8, tzinfo=tz),
        body=[{"type": "paragraph", "value": "<p>" + "Words. " * 200 + "Kurdistan.</p>"}],
    )
    assert hit_urls(search(client, q="kurdistan")) == [strong.url, weak.url]


def test_pagination(client, front_page, settings):
    settings.BROADSHEET_SEARCH_PAGE_SIZE = 2
    stories = [StoryFactory(title=f"Isfahan bridge {i}") for i in range(5)]
    seen = []
    for number in (1, 2, 3):
        page = search(client, q="isfahan", page=number)
        seen += hit_urls(page)
        assert f"page {number} of 3" in page
    assert sorted(seen) == sorted(s.url for s in stories)
    assert "/search/?q=isfahan&amp;page=2" in search(client, q="isfahan")


def test_results_page_has_site_look_and_search_box(client, seed_story):
    page = search(client, q="Baqerzadeh")
    assert '<header class="masthead">' in page
    assert 'action="/search/"' in page
    assert 'data-search-live="yes"' in page


def test_every_page_has_a_search_box(client, seed_story):
    page = client.get(seed_story.url).content.decode()
    assert re.search(
        r'<form class="site-search" role="search" action="/search/" method="get">', page
    )


def test_hostile_strings_never_error_and_are_escaped(client, seed_story, shared):
    strings = json.loads((shared / "fixtures" / "hostile" / "blns.json").read_text())
    for s in strings:
        response = client.get("/search/", {"q": s, "section": s, "author": s, "from": s, "page": s})
        assert response.status_code == 200, s
        body = response.content.decode()
        if "<script" in s.lower():
            assert s not in body, s
    page = search(client, q='<script>alert("Noah")</script>')
    assert "<script>alert" not in page
    assert str(escape('<script>alert("Noah")</script>')) in page


def test_null_byte_and_huge_query(client, seed_story):
    assert client.get("/search/", {"q": "Noah\x00 Ark"}).status_code == 200
    assert hit_urls(search(client, q="Noah " * 2000)) == [seed_story.url]


def test_database_backend_is_read_directly_unless_turned_off(front_page, search_path):
    from broadsheet.search.query import StorySearch
    from broadsheet.site.build import make_build

    assert StorySearch(make_build().read).fast is (search_path == "direct-index")


def test_common_words_list_the_most_relevant(client, front_page, settings):
    settings.BROADSHEET_SEARCH_MAX_CANDIDATES = 2
    for i in range(3):
        StoryFactory(title=f"Qom seminary {i}")
    page = search(client, q="qom")
    assert "More than 2 stories found; the 2 most relevant are listed" in page
    assert len(hit_urls(page)) == 2
    settings.BROADSHEET_SEARCH_PAGE_SIZE = 1
    assert "listed · page 1 of 2" in search(client, q="qom")
