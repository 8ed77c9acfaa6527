"""Archived pages: false datelines, site names in titles, masthead <h1>s, structured data,
links between imported pages, control characters and page identity."""

from __future__ import annotations

import json

import pytest

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.archived import (
    ArchivedPage,
    apply_news_rules,
    extract_page,
    import_html_pages,
)
from broadsheet.importers.htmlbody import plain_text
from broadsheet.importers.pagemeta import strip_site_name

FILLER = (
    "The committee met on Tuesday and agreed to publish its findings next month, after "
    "hearing from residents, engineers and the city's own auditors about the costs."
)


def page_html(
    body: str, head: str = "", title: str = "", h1: str = "", lang: str = "en", dir: str = "ltr"
) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body><header>{h1}</header><article>{body}"
        "</article></body></html>"
    ).encode()


def paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{t}</p>"} for t in texts]


@pytest.mark.parametrize(
    "first",
    [
        "Die Chicago Mercantile Exchange (CME) hat am Montag neue Regeln für den Handel mit "
        "Terminkontrakten angekündigt, die ab dem kommenden Quartal gelten sollen.",
        "Topinambur (Helianthus tuberosus) ist eine Pflanzenart aus der Gattung der "
        "Sonnenblumen, deren Knollen seit Jahrhunderten als Gemüse gegessen werden.",
        "Mr Smith (Labour) - the member for the north of the city - asked the minister a "
        "question about the budget that nobody in the chamber could answer.",
    ],
)
def test_ordinary_sentences_are_not_datelines_and_nothing_is_dropped(first):
    page = ArchivedPage(
        headline="H", published=None, body=paragraphs("Short intro.", first, FILLER)
    )
    apply_news_rules(page)
    assert (page.dateline_place, page.dateline_agency) == ("", "")
    text = " ".join(plain_text(b["value"]) for b in page.body)
    assert "Short intro." in text and first in text and FILLER in text


@pytest.mark.parametrize(
    ("first", "place", "agency"),
    [
        ("PARIS, 3 May (AFP) – " + FILLER, "Paris", "AFP"),
        ("Kabul, May 3 (IPS) " + FILLER, "Kabul", "IPS"),
        ("NEW DELHI (Reuters) - " + FILLER, "New Delhi", "Reuters"),
        ("WASHINGTON — " + FILLER, "Washington", ""),
    ],
)
def test_wire_datelines_at_the_start_of_the_first_paragraph(first, place, agency):
    page = ArchivedPage(headline="H", published=None, body=paragraphs(first, FILLER))
    apply_news_rules(page)
    assert (page.dateline_place, page.dateline_agency) == (place, agency)
    assert plain_text(page.body[0]["value"]).startswith("The committee met")


def test_dateline_after_a_real_paragraph_is_not_taken():
    later = "LONDON (Reuters) - Shares fell sharply in early trading on Wednesday, dealers said."
    page = ArchivedPage(headline="H", published=None, body=paragraphs(FILLER, later))
    apply_news_rules(page)
    assert page.dateline_place == ""
    assert "\n\n".join(plain_text(b["value"]) for b in page.body) == f"{FILLER}\n\n{later}"


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        (
            "Flood closes the bridge | The Daily Bugle",
            ["The Daily Bugle"],
            "Flood closes the bridge",
        ),
        ("Flood closes the bridge - Daily Bugle", ["dailybugle.com"], "Flood closes the bridge"),
        (
            "The Daily Bugle: Flood closes the bridge",
            ["The Daily Bugle"],
            "Flood closes the bridge",
        ),
        ("Flood closes the bridge – City – Bugle", ["bugle"], "Flood closes the bridge - City"),
        ("Bridge - a report", ["Bugle"], "Bridge - a report"),
    ],
)
def test_site_names_come_out_of_titles(title, names, expected):
    assert strip_site_name(title, names) == expected


def test_site_name_known_only_from_the_h1_comparison():
    title = "Flood closes the bridge for a week | Kestrel Post"
    assert strip_site_name(title, [], ["Flood closes the bridge for a week"]) == (
        "Flood closes the bridge for a week"
    )


def test_arabic_page_whose_h1_is_the_logo():
    head = (
        '<meta property="og:site_name" content="CNN Arabic">'
        '<meta property="og:title" content="انتخابات مبكرة في البلاد الشهر المقبل">'
    )
    body = "<p>" + ("أعلنت الحكومة اليوم عن إجراء انتخابات مبكرة في البلاد. " * 6) + "</p>"
    logo = '<h1><a href="/"><img src="/logo.png" alt="CNN">CNN</a></h1>'
    page = extract_page(
        page_html(
            body, head, "انتخابات مبكرة في البلاد الشهر المقبل - CNN Arabic", logo, "ar", "rtl"
        )
    )
    assert page.headline == "انتخابات مبكرة في البلاد الشهر المقبل"


def test_structured_data_first_for_headline_authors_and_date():
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Kestrel Post"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves the harbour plan",
                "datePublished": "2011-03-04T08:00:00Z",
                "author": [
                    {"@type": "Person", "name": "Ana Ruiz"},
                    {"@type": "Person", "name": "Tom Berg"},
                    {"@type": "Organization", "name": "Kestrel Post"},
                ],
                "publisher": {"@type": "Organization", "name": "Kestrel Post"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    body = f"<p>{FILLER}</p><p>{FILLER} Again.</p><p>Updated 2019-05-05.</p>"
    page = extract_page(page_html(body, head, "Kestrel Post", "<h1>Kestrel Post</h1>"))
    assert page.headline == "Council approves the harbour plan"
    assert page.authors == ["Ana Ruiz", "Tom Berg"]
    assert page.published.isoformat() == "2011-03-04T08:00:00+00:00"


def test_control_characters_are_removed():
    body = f"<p>Bell\x07 in the text. {FILLER}</p><p>{FILLER}\x1b</p>"
    page = extract_page(page_html(body, "", "A tidy \x07headline", "<h1>A tidy \x07headline</h1>"))
    text = page.headline + "".join(b["value"] for b in page.body if b["type"] == "paragraph")
    assert "\x07" not in text and "\x1b" not in text
    assert page.headline == "A tidy headline"


@pytest.mark.django_db
def test_links_between_imported_pages_point_at_the_new_stories(tmp_path, front_page, client):
    def write(name: str, url: str, headline: str, link: str) -> None:
        head = f'<link rel="canonical" href="{url}">'
        body = f'<p>{FILLER} See <a href="{link}">the other story</a>.</p><p>{FILLER}</p>'
        (tmp_path / name).write_bytes(page_html(body, head, headline, f"<h1>{headline}</h1>"))

    write("a.html", "https://old.example/2010/a.html", "Harbour plan approved", "b.html")
    write("b.html", "https://old.example/2010/b.html", "Harbour plan opposed", "/elsewhere")
    report = import_html_pages([tmp_path])
    assert report.failures == []
    a = StoryPage.objects.get(title="Harbour plan approved")
    b = StoryPage.objects.get(title="Harbour plan opposed")
    assert f'href="{b.url}"' in a.body.raw_data[0]["value"]
    # A link to a page that was not imported stays, as an absolute external link.
    assert 'href="https://old.example/elsewhere"' in b.body.raw_data[0]["value"]
    assert f'href="{b.url}"' in client.get(a.url).content.decode()


@pytest.mark.django_db
def test_two_sites_with_the_same_headline_make_two_stories(tmp_path, front_page):
    for n, host in enumerate(("one.example", "two.example")):
        head = f'<link rel="canonical" href="https://{host}/news/1">'
        body = f"<p>{FILLER} Site {n}.</p><p>{FILLER}</p>"
        (tmp_path / f"{n}.html").write_bytes(
            page_html(body, head, "Same headline", "<h1>Same headline</h1>")
        )
    report = import_html_pages([tmp_path])
    assert report.created == 2
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == [
        "same-headline",
        "same-headline-2",
    ]
    assert any("belongs to another story" in w.reason for w in report.warnings)
