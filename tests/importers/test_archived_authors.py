"""Archived pages: who wrote the story — structured data referenced by ``@id``, microdata,
co-authors, roles and agencies after a name, the site's and organisations' names, bylines
marked by their class, and bylines in other scripts."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from broadsheet.importers.archived import choose_authors, extract_page
from broadsheet.importers.byline import marked_byline
from broadsheet.importers.htmlbody import plain_text
from broadsheet.importers.pagemeta import read_meta

STORY = [
    "The lighthouse on the north mole will be switched off for a month while engineers "
    "replace the lamp that has guided fishing boats into the harbour since 1962.",
    "A temporary light on a barge will mark the harbour mouth, and the coastguard has asked "
    "skippers to keep to the buoyed channel after dark until the work is finished.",
    "The old lamp is to go to the town museum, which plans to show it beside the keeper's "
    "log books and a model of the mole as it was before the storm of 1987.",
]
HEADLINE = "North mole lighthouse goes dark for repairs"


def page(under: str = "", head: str = "", after: str = "", story: str = "") -> bytes:
    body = story or "".join(f"<p>{t}</p>" for t in STORY)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>"
        f"{under}{body}</article>{after}</body></html>"
    ).encode()


def ld(*objects: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(list(objects))}</script>'


def article(**fields: object) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        **fields,
    }


def authors(data: bytes, url: str = "") -> list[str]:
    return extract_page(data, url=url).authors


def text_of(data: bytes) -> str:
    blocks = extract_page(data).body
    return " ".join(plain_text(b["value"]) for b in blocks if b["type"] == "paragraph")


# -- structured data ---------------------------------------------------------------------


def test_an_author_referenced_by_id_is_read_from_the_graph():
    person = {"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Mara Quill"}
    head = ld({"@graph": [article(author={"@id": person["@id"]}), person]})
    assert authors(page(head=head)) == ["Mara Quill"]


def test_a_shown_byline_wins_over_the_account_the_graph_references():
    person = {"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Desk Account"}
    head = ld({"@graph": [article(author={"@id": person["@id"]}), person]})
    assert authors(page("<p>By Mara Quill</p>", head)) == ["Mara Quill"]


def test_a_person_on_their_own_site_is_the_author():
    head = '<meta property="og:site_name" content="Mara Quill">' + ld(
        article(author={"@type": "Person", "name": "Mara Quill"})
    )
    assert authors(page(head=head)) == ["Mara Quill"]


def test_a_person_named_like_the_sites_organisation_is_not_an_author():
    head = ld(
        article(
            author={"@type": "Person", "name": "Harbour Herald"},
            publisher={"@type": "Organization", "name": "Harbour Herald"},
        )
    )
    assert authors(page(head=head)) == []


def test_microdata_author_comes_before_the_meta_author():
    head = '<meta name="author" content="Coastal Heritage Office and Archive">'
    under = '<p><span itemprop="author">Mara Quill</span></p>'
    assert authors(page(under, head)) == ["Mara Quill"]


def test_an_author_marked_as_an_organisation_refuses_that_name():
    head = '<meta name="author" content="Harbour Trust">'
    after = (
        '<div itemprop="author" itemscope itemtype="https://schema.org/Organization">'
        "Harbour Trust e.V.</div>"
    )
    assert authors(page(head=head, after=after)) == []


def test_a_comment_authors_microdata_is_not_the_byline():
    after = (
        '<div class="comments"><div itemprop="comment"><span itemprop="author">Reader Ron</span>'
        "</div></div>"
    )
    assert authors(page(after=after)) == []


# -- the site's names, organisations, placeholders ------------------------------------------


@pytest.mark.parametrize(
    ("head", "url"),
    [
        ('<meta name="author" content="Lighthouse Trust GmbH">', ""),  # a legal form
        ('<meta name="author" content="Harbour Trust eG">', ""),
        ('<meta name="author" content="anónimo">', ""),  # "anonymous"
        ('<meta name="author" content="Anonymous">', ""),
        ('<meta name="author" content="kj">', ""),  # initials
        ('<meta name="author" content="HHN">', ""),  # an abbreviation
        (
            '<meta property="og:site_name" content="Harbour Herald">'
            '<meta name="author" content="Newsdesk Harbour Herald">',
            "",
        ),  # a department of the site
        (
            '<meta property="og:site_name" content="Coast Press Office - Harbour Herald">'
            '<meta name="author" content="Harbour Herald">',
            "",
        ),  # a part of og:site_name
        (
            '<meta property="og:site_name" content="Coast Party Newsroom">'
            '<meta name="author" content="Newsroom Coast Party">',
            "",
        ),  # the same words in another order
        ('<meta name="author" content="Harbourherald De">', "https://www.harbourherald.de/a/1"),
    ],
)
def test_names_that_are_not_a_persons(head, url):
    assert authors(page(head=head), url) == []


def test_an_agency_alone_stays_the_byline():
    assert authors(page("<p>By AP</p>")) == ["AP"]


def test_on_a_blog_host_the_bloggers_name_is_not_the_sites():
    under = (
        '<p><a rel="author" href="https://gullwing.wordpress.com/author/gullwing/">Gullwing</a></p>'
    )
    url = "https://gullwing.wordpress.com/2020/01/24/lighthouse/"
    assert authors(page(under), url) == ["Gullwing"]


# -- the byline shown under the headline ------------------------------------------------


@pytest.mark.parametrize(
    ("under", "names"),
    [
        ("<p>By Mara Quill and Tom Reed</p>", ["Mara Quill", "Tom Reed"]),
        ("<p>By Mara Quill, Tom Reed and Ann Holt</p>", ["Mara Quill", "Tom Reed", "Ann Holt"]),
        (
            '<div>By <a href="/author/mq">Mara Quill</a>, <a href="/author/tr">Tom Reed</a></div>',
            ["Mara Quill", "Tom Reed"],
        ),  # one line in several elements
        ("<p>By Mara Quill, Staff Writer</p>", ["Mara Quill"]),  # a role
        ("<p>Von Max Muster, dpa</p>", ["Max Muster"]),  # the agency's credit
        ("<p>By Mara Quill · 6 January 2020</p>", ["Mara Quill"]),
        ("<p>par Mara Quill, 21 juin 2018</p>", ["Mara Quill"]),
        ("<p>Автор: Иван Петров</p>", ["Иван Петров"]),
        ('<p dir="rtl">به قلم مریم احمدی</p>', ["مریم احمدی"]),
        ("<p>By the harbour master and his crew</p>", []),  # a sentence
    ],
)
def test_the_names_of_the_byline_under_the_headline(under, names):
    assert authors(page(under)) == names


def test_a_byline_naming_the_declared_author_and_co_authors_wins():
    head = '<meta name="author" content="Mara Quill">'
    assert authors(page("<p>By Mara Quill and Tom Reed</p>", head)) == ["Mara Quill", "Tom Reed"]


def test_several_author_links_under_the_headline():
    under = (
        '<p><a rel="author" href="/a/mq">Mara Quill</a> and '
        '<a rel="author" href="/a/tr">Tom Reed</a></p>'
    )
    assert authors(page(under)) == ["Mara Quill", "Tom Reed"]


# -- a byline marked by its class, anywhere ----------------------------------------------


def test_a_byline_marked_by_its_class_below_a_long_standfirst():
    standfirst = "<p>" + " ".join(STORY[:2]) + "</p>"
    under = (
        f'{standfirst}<div class="dates_auteurs">par <span>Mara Quill</span>, 21 juin 2018</div>'
    )
    assert authors(page(under)) == ["Mara Quill"]


def test_a_labelled_author_in_a_marked_block_after_the_story():
    after = (
        '<div class="storyAuthorDateBlock"><span>Datum:</span> 19.11.2021 '
        "<span>Autor:</span> Max Muster<span>Quelle:</span> Hafenblatt</div>"
    )
    assert authors(page(after=after)) == ["Max Muster"]


@pytest.mark.parametrize(
    "after",
    [
        '<div class="author">Mara Quill</div>',  # a bare name does not say it is the byline
        '<div class="comment-author">By Reader Ron</div>',
        '<div class="author-bio">By day a pilot, Mara Quill writes about the sea.</div>',
        '<input class="author" value="By Mara Quill">',
    ],
)
def test_marked_texts_that_are_not_the_byline(after):
    tree = lxml_html.fromstring(page(after=after))
    assert marked_byline(tree, []) == []


# -- a byline line opening the text ------------------------------------------------------


def test_a_byline_line_after_subheadings_in_a_block_of_paragraphs():
    story = (
        "<h2>A month without the light</h2><div><p><i>Text von Anna Beispiel "
        "Illustration von Max Muster</i></p>" + "".join(f"<p>{t}</p>" for t in STORY) + "</div>"
    )
    data = page(story=story)
    assert authors(data) == ["Anna Beispiel"]
    text = text_of(data)
    assert "Text von Anna Beispiel" not in text
    assert STORY[0] in text and STORY[-1] in text


def test_pieces_of_a_refused_declared_name_stay_out():
    head = (
        '<meta property="og:site_name" content="Newsroom Coast Party">'
        '<meta name="author" content="Coast Party Newsroom">'
    )
    meta = read_meta(lxml_html.fromstring(page(head=head)))
    assert meta.authors == [] and meta.refused_authors == ["Coast Party Newsroom"]
    # trafilatura reads the same <meta> and may cut it in pieces
    assert choose_authors(meta, None, "Coast ; Party Newsroom") == []
    assert choose_authors(meta, None, "Mara Quill") == ["Mara Quill"]
