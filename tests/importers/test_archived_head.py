"""Archived pages: the date and the byline the page shows under its headline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lxml import html as lxml_html

from broadsheet.importers.archived import extract_page
from broadsheet.importers.pagehead import (
    find_day,
    first_time_date,
    labelled_date,
    shown_author_link,
    shown_byline,
    shown_date,
)
from broadsheet.importers.pagemeta import clean_author

STORY = [
    "The harbour board voted on Thursday to close the old ferry pier for repairs, after "
    "divers found that two of its wooden piles had rotted through below the waterline.",
    "Repairs are expected to take most of the winter, and the morning ferry will leave "
    "from the fish market quay until the pier opens again in the spring.",
    "Traders at the market said they welcomed the extra customers but worried about the "
    "queues of cars that the ferry brings twice a day along the narrow quay road.",
]
HEADLINE = "Ferry pier to close for repairs"


def h1_of(under: str, before: str = "") -> object:
    root = lxml_html.fromstring(
        f"<html><body>{before}<h1>{HEADLINE}</h1>{under}"
        + "".join(f"<p>{t}</p>" for t in STORY)
        + "</body></html>"
    )
    return root.xpath("//h1")[-1]


@pytest.mark.parametrize(
    ("under", "day"),
    [
        ("<p>Monday, 6 January 2020 · By Jane Doe</p>", dt.date(2020, 1, 6)),
        ("<div>1. Februar 2022 , Max Muster</div>", dt.date(2022, 2, 1)),
        ("<h2>Stars <span>06.11.2023 13:30 von Olga</span></h2>", dt.date(2023, 11, 6)),
        ("<time>Mar 16, 2020 at 3:44 AM</time>", dt.date(2020, 3, 16)),
        ("<p>le 15 septembre 2009</p>", dt.date(2009, 9, 15)),
        ("<p>4 de mayo de 2022</p>", dt.date(2022, 5, 4)),
        ("<p>2020年7月15日 11時00分</p>", dt.date(2020, 7, 15)),
        ("<p>2020-10-26 13:44</p>", dt.date(2020, 10, 26)),
        ("<p>Published 25/12/2020</p>", dt.date(2020, 12, 25)),
        ("<p>Published 03/04/2020</p>", None),  # day or month first: not certain
        ("<p>Updated 8 January 2020</p><p>Published 6 January 2020</p>", dt.date(2020, 1, 6)),
        ("<p>Aktualisiert am: 8. Januar 2020, erschienen 6. Januar 2020</p>", dt.date(2020, 1, 6)),
        ("<script>var d = '2020-01-09';</script><p>By Jane Doe</p>", None),
        ("<p><script>var d = '2020-01-09';</script>6 January 2020</p>", dt.date(2020, 1, 6)),
        ("<p>In 2020 the pier was 31 years old.</p>", None),  # a year is not a date
        (
            "<p>The ferry festival on 6 January 2020 drew crowds from all along the coast.</p>"
            "<p>8 January 2020</p>",
            dt.date(2020, 1, 8),  # the standfirst's date is its subject's, not the page's
        ),
    ],
)
def test_the_date_shown_under_the_headline(under, day):
    assert shown_date(h1_of(under)) == day


def test_a_date_far_below_the_headline_is_not_its_date():
    assert shown_date(h1_of("")) is None
    late = h1_of("<p>" + " ".join(STORY) + "</p><p>6 January 2020</p>")
    assert shown_date(late) is None


def test_find_day_gives_the_first_date_of_a_text():
    assert find_day("Posted 2 March 2021, updated 2021-03-05") == (dt.date(2021, 3, 2), 7)
    assert find_day("31.02.2021") is None  # no such day


def page(under: str, head: str = "", sidebar: str = "") -> bytes:
    body = "".join(f"<p>{t}</p>" for t in STORY)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>"
        f"{under}{body}</article>{sidebar}</body></html>"
    ).encode()


def ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE}
    return f'<script type="application/ld+json">{json.dumps({**data, **fields})}</script>'


def test_the_shown_date_wins_over_a_different_date_published():
    head = ld(datePublished="2020-01-03T09:48:24Z", dateModified="2020-01-06T09:22:36Z")
    result = extract_page(page("<p>Monday, 6 January 2020</p>", head))
    assert result.published.date() == dt.date(2020, 1, 6)


def test_the_shown_date_agreeing_with_date_published_keeps_its_time():
    head = ld(datePublished="2020-01-06T09:48:24+00:00")
    result = extract_page(page("<p>6 January 2020</p>", head))
    assert result.published == dt.datetime(2020, 1, 6, 9, 48, 24, tzinfo=dt.UTC)


def test_without_a_shown_date_date_published_stays():
    head = ld(datePublished="2020-01-19T12:25:36Z", dateModified="2020-01-20T09:49:32Z")
    result = extract_page(page("<p>By Jane Doe</p>", head))
    assert result.published.date() == dt.date(2020, 1, 19)


def test_the_shown_date_wins_over_an_older_date_of_a_related_story():
    sidebar = "<aside><h2>Related</h2><p>Pier inspection ordered</p><p>21 January 2022</p></aside>"
    result = extract_page(page("<p>1 February 2022, Jane Doe</p>", sidebar=sidebar))
    assert result.published.date() == dt.date(2022, 2, 1)


@pytest.mark.parametrize(
    ("under", "name"),
    [
        ("<p>By Jane Doe</p>", "Jane Doe"),
        ("<h2>Stars <span>06.11.2023 13:30 von Olga</span></h2>", "Olga"),
        ("<p>Blog Beitrag von Anna Beispiel</p>", "Anna Beispiel"),
        ("<p>Ein Interview von Max Muster</p>", "Max Muster"),
        ("<p>par Florence Exemple</p>", "Florence Exemple"),
        ("<p>Christoph von Beispiel</p>", ""),  # "von" inside a name is no byline
        ("<p>Seite 1 von 2</p>", ""),
        ("<p>by the harbour board</p>", ""),
        ("<p>By Jane Doe and the rest of the team at the desk</p>", ""),
    ],
)
def test_the_byline_shown_under_the_headline(under, name):
    assert shown_byline(h1_of(under)) == name


def test_the_shown_byline_names_the_author_when_the_page_declares_none():
    result = extract_page(page("<h2>Harbour <span>06.11.2023 13:30 von Olga</span></h2>"))
    assert result.authors == ["Olga"]


def test_a_declared_author_wins_over_the_shown_byline():
    result = extract_page(page("<p>By Jane Doe</p>", '<meta name="author" content="Ann Other">'))
    assert result.authors == ["Ann Other"]


def test_the_site_name_shown_as_byline_is_not_an_author():
    head = '<meta property="og:site_name" content="Harbour Herald">'
    result = extract_page(page("<p>By Harbour Herald</p>", head))
    assert result.authors == []


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Autor: Max Muster", "Max Muster"),
        ("Autorin Anna Beispiel", "Anna Beispiel"),
        ("Author: Jane Doe", "Jane Doe"),
        ("Written by Jane Doe", "Jane Doe"),
        ("Publicado por Ana Gómez", "Ana Gómez"),
        ("Geschrieben von Max Muster", "Max Muster"),
        ("Author", ""),  # a template's placeholder
        ("Authorised Dealer Network", "Authorised Dealer Network"),  # no label: kept as it is
    ],
)
def test_a_byline_label_is_not_part_of_the_name(raw, name):
    assert clean_author(raw) == name


def test_a_labelled_author_loses_the_label():
    result = extract_page(page("", '<meta name="author" content="Autor: Max Muster">'))
    assert result.authors == ["Max Muster"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("<p>Erstellt am: 01.11.2023</p>", dt.date(2023, 11, 1)),
        ("<p><span>Published on</span> <span>6 January 2020</span></p>", dt.date(2020, 1, 6)),
        ("<p>Publié le 15 septembre 2009</p>", dt.date(2009, 9, 15)),
        ("<p>Concert on 6 January 2020</p>", None),  # a date, but not the page's
        ("<script>published = '2020-01-06'</script>", None),
    ],
)
def test_a_date_labelled_as_the_publication(text, day):
    root = lxml_html.fromstring(f"<html><body><p>{STORY[0]}</p>{text}</body></html>")
    assert labelled_date(root) == day


def test_a_labelled_date_wins_over_an_ambiguous_date_in_the_metadata():
    head = '<meta name="date" content="11/01/2023 12:43:42">'
    footer = "<footer><p>Erstellt am: 01.11.2023</p></footer>"
    result = extract_page(page("", head, sidebar=footer))
    assert result.published.date() == dt.date(2023, 11, 1)


@pytest.mark.parametrize(
    ("under", "name"),
    [
        ('<p><a href="/user/jane-doe">Jane Doe</a> · 6 January 2020</p>', "Jane Doe"),
        ('<p><a href="https://example.org/autor/max-muster/">Max Muster</a></p>', "Max Muster"),
        ('<p><a rel="author" href="/about">Ann Other</a></p>', "Ann Other"),
        ('<p><a href="/section/harbour">Harbour</a></p>', ""),  # not an author's page
        ('<p><a href="/user/login">Anmelden</a> <a href="/user/register">Join</a></p>', ""),
        ('<p><a href="/author/"><img src="a.jpg"></a></p>', ""),
    ],
)
def test_a_link_to_an_authors_page_under_the_headline(under, name):
    assert shown_author_link(h1_of(under)) == name


def test_an_authors_link_far_below_the_headline_is_not_the_byline():
    late = "<p>" + " ".join(STORY) + '</p><p><a href="/user/jane-doe">Jane Doe</a></p>'
    assert shown_author_link(h1_of(late)) == ""


def test_the_linked_name_under_the_headline_names_the_author():
    result = extract_page(page('<div><a href="/user/jane-doe">Jane Doe</a> 6 January 2020</div>'))
    assert result.authors == ["Jane Doe"]


@pytest.mark.parametrize(
    ("html", "day"),
    [
        (
            '<p>Posted <time datetime="2022-01-25T08:00:00+01:00">25.01.2022</time></p>',
            "2022-01-25",
        ),
        ("<p><time>4 May 2020, 04:10</time></p>", "2020-05-04"),
        ('<p><time datetime="2021-11-8">8. November 2021</time></p>', "2021-11-08"),
        (
            '<p><time class="updated" datetime="2022-01-27">27.01.2022</time>'
            '<time datetime="2022-01-25">25.01.2022</time></p>',
            "2022-01-25",
        ),
        (
            '<p>Updated <time datetime="2022-01-27">27 Jan</time>, first published '
            '<time datetime="2022-01-25">25 Jan</time></p>',
            "2022-01-25",
        ),
        ("<p><time>Aktualisiert 27.01.2022</time></p>", None),
        ("<p><time>12 hours ago</time></p>", None),
    ],
)
def test_the_first_time_element_that_is_not_an_update(html, day):
    root = lxml_html.fromstring(f"<html><body><h1>{HEADLINE}</h1>{html}</body></html>")
    assert first_time_date(root) == (dt.date.fromisoformat(day) if day else None)


def test_a_time_element_wins_over_htmldates_reading_of_the_metadata():
    head = '<meta name="dcterms.date" content="2022-01-21T09:43+01:00">'
    footer = '<footer><time datetime="2022-01-25T08:00:00+01:00">25.01.2022</time></footer>'
    result = extract_page(page("", head, sidebar=footer))
    assert result.published.date() == dt.date(2022, 1, 25)
