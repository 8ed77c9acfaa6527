"""Archived pages: a byline line at the start of the story, and a title whose other parts
are the site's name."""

from __future__ import annotations

import pytest

from broadsheet.importers.archived import extract_page, keep_agreed_text
from broadsheet.importers.byline import byline_line, take_byline_line
from broadsheet.importers.htmlbody import plain_text
from broadsheet.importers.pagemeta import PageMeta, choose_headline, title_part

FILLER = [
    "The harbour board voted on Thursday to close the old ferry pier for repairs, after "
    "divers found that two of its wooden piles had rotted through below the waterline.",
    "Repairs are expected to take most of the winter, and the morning ferry will leave "
    "from the fish market quay until the pier opens again in the spring.",
    "Traders at the market said they welcomed the extra customers but worried about the "
    "queues of cars that the ferry brings twice a day along the narrow quay road.",
]


def page(first: str, head: str = "") -> bytes:
    body = "".join(f"<p>{t}</p>" for t in [first, *FILLER])
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Ferry pier to close for repairs</title>{head}</head><body>"
        f"<article><h1>Ferry pier to close for repairs</h1>{body}</article></body></html>"
    ).encode()


def text_of(blocks: list[dict]) -> str:
    return " ".join(plain_text(b["value"]) for b in blocks if b["type"] == "paragraph")


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Max Muster", "Max Muster"),
        ("Por Agencia EFE", "Agencia EFE"),
        ("Text von Anna Beispiel", "Anna Beispiel"),
        ("by Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("By the end of the year", ""),  # a sentence, not a name
        ("By Jane Doe and the rest of the team at the desk", ""),
        ("Bylines Matter", ""),
        ("Jane Doe", ""),
    ],
)
def test_byline_line(line, name):
    assert byline_line(line) == name


def test_take_byline_line_removes_it_and_refuses_the_site_name():
    body = [{"type": "paragraph", "value": "<p>By Jane Doe</p>"}] + [
        {"type": "paragraph", "value": f"<p>{t}</p>"} for t in FILLER
    ]
    names, rest = take_byline_line(body, ["Harbour Herald"])
    assert names == ["Jane Doe"] and rest == body[1:]
    site = [{"type": "paragraph", "value": "<p>By Harbour Herald</p>"}, *body[1:]]
    assert take_byline_line(site, ["Harbour Herald"]) == ([], site)
    late = [*body[1:3], body[0]]  # only the first two paragraphs are looked at
    assert take_byline_line(late, []) == ([], late)


def test_byline_at_the_start_of_the_story_names_the_author():
    result = extract_page(page("By Jane Doe"))
    assert result.authors == ["Jane Doe"]
    text = text_of(result.body)
    assert "By Jane Doe" not in text and FILLER[0] in text and FILLER[-1] in text


def test_byline_line_naming_someone_else_stays_in_the_text():
    head = '<meta name="author" content="Ann Other">'
    result = extract_page(page("By Jane Doe", head))
    assert result.authors == ["Ann Other"]
    assert "By Jane Doe" in text_of(result.body)


def test_byline_line_repeating_the_declared_author_leaves_the_text():
    head = '<meta name="author" content="Jane Doe">'
    result = extract_page(page("By Jane Doe", head))
    assert result.authors == ["Jane Doe"]
    assert "By Jane Doe" not in text_of(result.body)


@pytest.mark.parametrize(
    ("title", "other", "expected"),
    [
        ("Jo Bloggs's Home | Reflections on the Vote", "Reflections on the Vote", None),
        ("Reflections on the Vote - Jo's Diary", "Reflections on the Vote", None),
        ("Jo's Home | Menu", "Menu", "Jo's Home | Menu"),  # one word: not trusted
        ("Reflections on the Vote", "Reflections on the Vote", "Reflections on the Vote"),
        ("Jo's Home | Reflections on the Vote", "Something else entirely", None),
    ],
)
def test_title_part(title, other, expected):
    if expected is None:
        expected = other if other in title else title
    assert title_part(title, other) == expected


def test_headline_is_the_part_of_the_title_that_the_extractor_found():
    meta = PageMeta(html_title="Jo Bloggs's Digital Home | Reflections on the Budget Vote")
    assert choose_headline(meta, [], "Reflections on the Budget Vote") == (
        "Reflections on the Budget Vote"
    )


def para(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def test_paragraphs_only_the_linked_reading_has_are_dropped():
    image = {"type": "image", "value": {"src": "a.jpg", "caption": ""}}
    blocks = [para(FILLER[0]), image, para("Related: Ferry fares to rise"), para(FILLER[1])]
    plain = f"{FILLER[0]}\n{FILLER[1]}"
    assert keep_agreed_text(blocks, plain) == [blocks[0], image, blocks[3]]


def test_a_long_paragraph_that_reads_a_little_differently_is_kept():
    changed = FILLER[2].replace("narrow quay road", "narrow quay road [1]")
    blocks = [para(changed), para("Rate this article")]
    assert keep_agreed_text(blocks, FILLER[2]) == blocks[:1]


def test_no_agreement_or_no_plain_text_keeps_every_block():
    blocks = [para(FILLER[0]), para(FILLER[1])]
    assert keep_agreed_text(blocks, "") == blocks
    assert keep_agreed_text(blocks, "Something else entirely was read here.") == blocks


def test_an_h1_repeating_the_whole_title_loses_the_site_name():
    from lxml import html as lxml_html

    h1 = lxml_html.fragment_fromstring('<h1 class="visually-hidden">x</h1>')
    meta = PageMeta(
        html_title="Harbour pier closes for the winter | Harbour Herald",
        site_names=["Harbour Herald"],
    )
    text = "Harbour pier closes for the winter | Harbour Herald"
    assert choose_headline(meta, [(h1, text)], "") == "Harbour pier closes for the winter"


@pytest.mark.parametrize(
    "wrapper",
    [
        "<nav><h1>Navigation and service</h1></nav>",
        '<div class="navSkip"><h1>Navigation and service</h1></div>',
        '<h1 id="skip-links">Navigation and service</h1>',
        '<div class="site-menu"><h1>Navigation and service</h1></div>',
    ],
)
def test_a_navigation_heading_is_not_the_headline(wrapper):
    from lxml import html as lxml_html

    root = lxml_html.fromstring(
        f"<div>{wrapper}<h1>Mayor opens the new ferry pier after winter repairs</h1></div>"
    )
    h1s = [(h, h.text_content()) for h in root.iter("h1")]
    meta = PageMeta(html_title="Mayor opens the new ferry pier after winter repairs")
    # trafilatura took the first <h1> for the title: that must not settle it.
    assert choose_headline(meta, h1s, "Navigation and service") == (
        "Mayor opens the new ferry pier after winter repairs"
    )


def test_a_long_title_part_repeated_by_the_h1_is_the_headline_not_the_site_name():
    from lxml import html as lxml_html

    h1 = lxml_html.fragment_fromstring("<h1>Of language rules, politics and plain German</h1>")
    meta = PageMeta(
        html_title="Bestselling author in talk - Of language rules, politics and plain German",
        og_title="Of language rules, politics and plain German",
    )
    text = "Of language rules, politics and plain German"
    assert choose_headline(meta, [(h1, text)], "") == text
