"""Archived pages: page furniture in lines of its own (a post's meta line, an image's credit,
a labelled link to another story, the headline again), soft hyphens, and the standfirst
the page shows under its headline."""

from __future__ import annotations

import pytest

from broadsheet.importers.archived import extract_page
from broadsheet.importers.htmlbody import plain_text
from broadsheet.importers.newsrules import drop_furniture_lines

STORY = [
    "The ferry company will add a late sailing on Fridays from March, after a petition from "
    "islanders who work evening shifts at the hospital on the mainland gathered 900 names.",
    "The new sailing leaves the harbour at half past ten and returns at midnight, and the "
    "company says it will keep it through the summer if enough passengers use it.",
    "Islanders welcomed the news but asked for a Sunday sailing as well, which the company "
    "said it would consider once it has a second crew trained for the route.",
]
HEADLINE = "Late Friday ferry for island night workers"


def page(body: str, under: str = "", head: str = "") -> bytes:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{HEADLINE}</title>{head}</head><body><article><h1>{HEADLINE}</h1>"
        f"{under}{body}</article></body></html>"
    ).encode()


def story(*extra: str, at: int = 1) -> str:
    paras = [f"<p>{t}</p>" for t in STORY]
    return "".join(paras[:at] + list(extra) + paras[at:])


def text(data: bytes) -> str:
    result = extract_page(data)
    return " ".join(
        [result.standfirst]
        + [plain_text(b["value"]) for b in result.body if b["type"] == "paragraph"]
    )


def para(value: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{value}</p>"}


@pytest.mark.parametrize(
    "lines",
    [
        ["January 13, 2020 at 08:45 AM | categories:", '<a href="/c/ferries">Ferries</a>,',
         '<a href="/c/island">Island</a> |', "View Comments"],
        ["Kategorie:", '<a href="/k/news">News</a>'],
        ["Tags: ferries, island, hospital"],
        ["12 Comments"],
        ['<b>Also:</b> <a href="/2020/ferry-fares">Ferry fares to rise in spring</a>'],
        ["Lesen Sie auch:", '<a href="/2020/faehre">Fähre fährt länger</a>'],
        ["Bild: The harbour at dawn | © Harbour Photo Agency"],
        ['Image illustrative : <a href="/p/1">Ferry at night</a> by Jo, en licence '
         '<a href="/cc">Creative Commons by</a>'],
    ],
)  # fmt: skip
def test_furniture_lines_are_dropped(lines):
    blocks = [para(STORY[0]), *(para(x) for x in lines), para(STORY[1])]
    assert drop_furniture_lines(blocks) == [blocks[0], blocks[-1]]


@pytest.mark.parametrize(
    "lines",
    [
        ["Tags: the ferry company says it will keep the late sailing through the summer "
         "if enough passengers use it, and review it in the autumn"],  # a sentence
        ['<b>Also:</b> the company will <a href="/x">repaint</a> the waiting room.'],
        ["Bild: The harbour at dawn"],  # a caption without a credit: not sure
        ["Islanders: 900 names on a petition"],
    ],
)  # fmt: skip
def test_lines_that_only_look_like_furniture_stay(lines):
    blocks = [para(STORY[0]), *(para(x) for x in lines), para(STORY[1])]
    assert drop_furniture_lines(blocks) == blocks


def test_a_label_alone_goes_and_the_sentence_after_it_stays():
    sentence = para("The ferry company will add a late sailing on Fridays from March.")
    blocks = [para(STORY[0]), para("Kategorie:"), sentence, para(STORY[1])]
    assert drop_furniture_lines(blocks) == [blocks[0], sentence, blocks[-1]]


def test_furniture_lines_leave_the_page_and_the_story_stays():
    body = story('<p><b>Also:</b> <a href="/2020/fares">Ferry fares to rise in spring</a></p>')
    result = text(page(body))
    assert "Ferry fares to rise" not in result
    assert all(t in result for t in STORY)


def test_the_headline_again_as_a_subheading_with_other_dashes_is_dropped():
    again = HEADLINE.replace("for", "—  for")  # another dash and spacing, same words
    result = extract_page(page(f"<h2>{again}</h2>" + story()))
    assert [b for b in result.body if b["type"] == "subheading"] == []


def test_soft_hyphens_leave_the_text():
    body = story("<p>The island&shy;ers&#173; welcome it.</p>")
    assert "The islanders welcome it." in text(page(body))


@pytest.mark.parametrize(
    "under",
    [
        '<p class="article-lead">Hospital workers on the island will no longer have to '
        "stay overnight on the mainland after their evening shifts.</p>",
        '<div class="teaserText">Hospital workers on the island will no longer have to '
        "stay overnight on the mainland after their evening shifts.</div>",
    ],
)
def test_the_standfirst_shown_under_the_headline_wins_over_the_description(under):
    head = '<meta name="description" content="Ferry news from the islands, updated daily.">'
    result = extract_page(page(story(), under, head))
    assert result.standfirst.startswith("Hospital workers on the island")


def test_the_h2_of_the_headlines_hgroup_is_the_standfirst():
    deck = (
        "Hospital workers on the island will no longer have to stay overnight on the "
        "mainland after their evening shifts."
    )
    data = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        f"<body><article><hgroup><h1>{HEADLINE}</h1><h2>{deck}</h2></hgroup>{story()}"
        "</article></body></html>"
    ).encode()
    assert extract_page(data).standfirst == deck


def test_without_a_shown_standfirst_the_description_stays():
    head = '<meta name="description" content="A late Friday sailing from March.">'
    assert extract_page(page(story(), "", head)).standfirst == "A late Friday sailing from March."
