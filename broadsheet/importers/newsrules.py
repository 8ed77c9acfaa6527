"""The news trade's rules for an archived page, on top of what trafilatura and htmldate find
(our own code: no maintained library knows datelines, story codes or pull quotes). The first
two are applied by :func:`broadsheet.importers.archived.extract_page` with
:mod:`~broadsheet.importers.pagemeta`, the others here (:func:`apply_news_rules` and
:func:`keep_agreed_text`).

* **headline**: the page's first ``<h1>``, unless it merely contains the metadata title (a
  kicker before it: "Abstandsregeln : Wie Firmen…"); metadata titles are often SEO rewrites;
* **date**: the date the page shows under its headline
  (:func:`~broadsheet.importers.pagehead.shown_date`), then the publisher's own
  ``datePublished`` (schema.org JSON-LD / microdata) or ``article:published_time`` —
  htmldate prefers the modification date on some pages — then the first ``<time>``
  element that is not an update, or a date the page labels as its publication ("Erstellt
  am: 01.11.2023"), then htmldate;
* **agreement with trafilatura** (:func:`keep_agreed_text`): the body is read with its
  links kept, which changes what trafilatura takes for the article; a paragraph that its plain
  reading does not have (most of its words, for a long one) is page furniture and is dropped;
* **start of the story**: a dateline ("Paris, 18 June (IPS) –", "LOS ANGELES (Reuters) -")
  in one of the first paragraphs marks the start: everything before it is page furniture
  (navigation, banners, the headline again, "Published Monday…"); the dateline goes into
  ``dateline_place`` / ``dateline_agency`` and out of the text;
* **end of the story**: a wire story code ("ENDS IRAN OPPOSITION 18607") goes into
  ``story_code``; everything after it is page furniture;
* **pull quotes**: a short paragraph that repeats (most of) the words of a nearby paragraph is
  a pull quote: it becomes a ``pull_quote`` block, not a duplicated paragraph;
* **boilerplate**: "Comments on this page are closed", "this site is closed" banners,
  "Powered by…", "Our Standards:…", "Published <date>" lines, the headline again and
  left-over image names ("<headline>-Body") are dropped;
* **furniture lines** (:func:`drop_furniture_lines`): a post's meta line ("January 13, 2020
  | categories: Python | View Comments", "Kategorie: News"), an image's credit left without
  its image ("Bild: … | © Example") and a labelled link to another story ("Also: <a>…</a>")
  are dropped when a line of their own, read on over the short paragraphs after it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .htmlbody import merge_paragraphs, plain_text

PLACE = r"(?P<place>[A-Z][A-Za-zÀ-ÿ'’.-]*(?:[ -][A-Z][A-Za-zÀ-ÿ'’.-]*){0,3})"
AGENCY = r"\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,24})\)"
DASH = r"\s*[-–—]+\s*"
DAY = r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2})"
# The shapes wires use, at the very start of the story's first paragraph:
# "PLACE, Date (AGENCY) –" (the dash may be missing), "PLACE (AGENCY) -", "PLACE —" (capitals).
DATELINES = [
    re.compile(rf"^\s*{PLACE},\s*{DAY}\s*{AGENCY}(?:{DASH}|\s+)(?=\S)"),
    re.compile(rf"^\s*{PLACE}\s*{AGENCY}{DASH}(?=\S)"),
    re.compile(r"^\s*(?P<place>[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+){0,3})\s*[–—]\s*(?=\S)"),
]
NOT_A_PLACE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sir|St|The|A|An|By|Update|Editor)\b", re.I)
FURNITURE_WORDS = 12  # paragraphs before a dateline this short are page furniture
STORY_CODE = re.compile(r"(?:^|\s)ENDS?\s+(?P<code>[A-Z][A-Z0-9 /&'.-]*?\d{3,})\s*$")
BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^comments on this (?:page|story|article) are closed\.?$",
        r"\bthis site is (?:now |definitely |permanently )?closed\b",
        r"^powered by\b",
        r"^our standards:",
        r"^(?:published|posted|updated)(?: on)?:?\s+(?:\w+day,?\s+)?\w+\s+\d{1,2},?\s+\d{4}\.?$",
        r"^(?:published|posted|updated)(?: on)?:?\s+\d{1,2}\s+\w+\s+\d{4}\.?$",
        r"^all rights reserved\.?$",
        r"^copyright\s+(?:©\s*)?\d{4}\b.{0,80}$",
    )
]
# Page furniture in lines of its own: the post's meta line ("January 13, 2020 | categories:
# Python | View Comments", "Kategorie: News", "Tags: a, b") and a link to another story
# under a label ("Also: <a>…</a>", "Lesen Sie auch: <a>…</a>"). Their parts are often
# paragraphs of their own ("Kategorie:", "<a>News</a>"): a line is read on over short ones.
META_LABEL = (
    r"(?:kategorien?|categor(?:y|ies)|catégories?|categorías?|rubriken?|tags?|"
    r"schlagw(?:ö|oe)rter|stichw(?:ö|oe)rter|filed under|posted in|abgelegt unter|etiquetas)"
)
COMMENTS = (
    r"(?:view|leave an?|add an?|no|\d+)\s+comments?|(?:keine\s+|\d+\s+)?kommentare?(?:\s*\(\d+\))?|"
    r"kommentar schreiben"
)
META_LINE = re.compile(
    rf"^{META_LABEL}\s*:\s*(?:\S+\s*){{0,8}}$|^(?:{COMMENTS})$"
    rf"|^(?=.*[|·])(?=.*(?:\b{META_LABEL}\s*:|(?:^|[|·]\s*)(?:{COMMENTS})\s*(?:[|·]|$))).*$",
    re.I,
)
RELATED_LABEL = re.compile(
    r"^(?:also|see also|read more|read also|related|more|lesen sie auch|mehr zum thema|"
    r"auch interessant|siehe auch|lire aussi|à lire aussi|voir aussi|lee también|leer más|"
    r"ver también|leggi anche)\s*:\s*(?P<rest>.+)$",
    re.I,
)
# An image's credit left in the text without its image: labelled as a picture's, with a
# rights holder or a licence ("Bild: Harbour at dawn | © Example", "Image illustrative :
# … en licence Creative Commons by").
CREDIT_LINE = re.compile(
    r"^(?:bild(?:quelle)?|beitragsbild|titelbild|fotos?|photos?|image(?:\s+illustrative)?|"
    r"images|illustration|grafik|credits?|crédits?(?:\s+photos?)?|photo\s+credit)\s*:\s*"
    r"(?=.*(?:©|\(c\)|copyright|creative commons|\bcc[ -]?by\b|\bcc0\b|licen[cs]e|lizenz|"
    r"getty images|shutterstock|istock|adobe ?stock|unsplash|pixabay)).+$",
    re.I,
)
CREDIT_WORDS = 30  # a credit line is never longer
LINE_PART_WORDS = 4  # a paragraph this short may be part of the line before it
LINE_WORDS = 20  # a meta line is never longer
AGREED_MIN_WORDS = 8  # a paragraph this long is kept when most of its words are agreed
AGREED_SHARE = 0.8
PULL_QUOTE_MIN_WORDS = 6
PULL_QUOTE_MAX_CHARS = 400
PULL_QUOTE_WINDOW = 4


@dataclass
class ArchivedPage:
    """What an archived page yields: the story's fields and its body blocks (``image``
    blocks carry local file paths, as in story files)."""

    headline: str
    published: dt.datetime | None
    authors: list[str] = field(default_factory=list)
    standfirst: str = ""
    dateline_place: str = ""
    dateline_agency: str = ""
    story_code: str = ""
    url: str = ""
    lead_image_url: str = ""
    body: list[dict[str, Any]] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def block_text(block: dict[str, Any]) -> str:
    """The plain text of a paragraph or subheading block; ``""`` for other blocks."""
    if block["type"] == "paragraph":
        return plain_text(block["value"])
    if block["type"] == "subheading":
        return block["value"]
    return ""


def _repeats(short: list[str], long: list[str]) -> bool:
    if len(short) < PULL_QUOTE_MIN_WORDS or len(long) <= len(short):
        return False
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks())
    return same >= 0.85 * len(short)


def _is_boilerplate(text: str, headline: str) -> bool:
    stripped = text.strip()
    if any(p.search(stripped) for p in BOILERPLATE):
        return True
    if headline and _text_key(stripped) == _text_key(headline):
        return True  # the headline again ("—" for " - ", other spaces or case)
    # Image names left behind by the CMS: "<headline>-Body", "<headline>-Main".
    return bool(headline) and bool(
        re.fullmatch(re.escape(headline) + r"\s*-\s*\w+", stripped, flags=re.I)
    )


def apply_news_rules(page: ArchivedPage) -> ArchivedPage:
    """Apply the news rules (module docstring) to ``page.body`` (one block per paragraph) in
    place; fills the dateline and story code. Returns ``page``."""
    blocks = [
        b
        for b in page.body
        if b["type"] not in ("paragraph", "subheading")
        or (block_text(b) and not _is_boilerplate(block_text(b), page.headline))
    ]
    blocks = drop_furniture_lines(blocks)
    # Start of the story: a dateline at the very start of the first paragraph, in a wire
    # shape. Only short lines (page furniture) before it may be dropped; never a paragraph.
    for i, block in enumerate(blocks[:4]):
        if block["type"] != "paragraph":
            continue
        text = block_text(block)
        m = next((d.match(text) for d in DATELINES if d.match(text)), None)
        if m and len(text) > 80 and not NOT_A_PLACE.match(m.group("place")):
            place = m.group("place").strip()
            page.dateline_place = place.title() if place.isupper() else place
            agency = m.groupdict().get("agency") or ""
            page.dateline_agency = agency.strip()
            block["value"] = _strip_prefix_html(block["value"], m.end())
            blocks = blocks[i:]
            break
        if len(text.split()) > FURNITURE_WORDS:
            break  # a real paragraph: the story starts here, with no dateline
    # End of the story: the wire story code.
    for i, block in enumerate(blocks):
        if block["type"] != "paragraph":
            continue
        m = STORY_CODE.search(block_text(block))
        if m:
            page.story_code = re.sub(r"\s+", " ", m.group("code")).strip()
            value = re.sub(
                r"\s*\bENDS?\s+"
                + r"\s+".join(map(re.escape, m.group("code").split()))
                + r"\s*(</p>)?\s*$",
                lambda mm: mm.group(1) or "",
                block["value"],
            )
            block["value"] = value
            blocks = blocks[: i + 1] if plain_text(value) else blocks[:i]
            break
    blocks = [b for b in blocks if b["type"] != "paragraph" or block_text(b)]
    # Pull quotes: a short paragraph repeating a nearby longer one.
    words = [_words(block_text(b)) for b in blocks]
    for i, block in enumerate(blocks):
        if block["type"] != "paragraph":
            continue
        text = block_text(block)
        if len(text) > PULL_QUOTE_MAX_CHARS:
            continue
        lo, hi = max(0, i - PULL_QUOTE_WINDOW), min(len(blocks), i + PULL_QUOTE_WINDOW + 1)
        if any(j != i and _repeats(words[i], words[j]) for j in range(lo, hi)):
            blocks[i] = {"type": "pull_quote", "value": {"text": text, "attribution": ""}}
    page.body = merge_paragraphs(blocks)
    return page


def _furniture_line(blocks: list[dict[str, Any]], texts: list[str]) -> bool:
    """The paragraphs ``blocks`` (their plain ``texts``) read as one line are a meta line,
    an image's credit or a labelled link to another story (:data:`META_LINE`,
    :data:`CREDIT_LINE`, :data:`RELATED_LABEL`)."""
    text = re.sub(r"\s+", " ", " ".join(texts)).strip()
    if len(text.split()) <= CREDIT_WORDS and CREDIT_LINE.match(text):
        return True
    if len(text.split()) > LINE_WORDS:
        return False
    if META_LINE.match(text):
        return True
    m = RELATED_LABEL.match(text)
    if not m:
        return False
    links = "".join(re.findall(r"<a\b[^>]*>(.*?)</a>", "".join(b["value"] for b in blocks), re.S))
    return bool(_text_key(m.group("rest"))) and _text_key(plain_text(links)) == _text_key(
        m.group("rest")
    )


def drop_furniture_lines(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` (one per paragraph) without the page furniture that stands in a line of
    its own: a post's meta line, an image's credit or a labelled link to another story. A
    line may go on over the short paragraphs after it (:data:`LINE_PART_WORDS` words each,
    :data:`CREDIT_WORDS` in all); a paragraph is dropped only with a line that matches as
    a whole."""
    texts = [block_text(b) if b["type"] == "paragraph" else "" for b in blocks]
    sizes = [len(t.split()) for t in texts]
    kept: list[dict[str, Any]] = []
    i = 0
    while i < len(blocks):
        if blocks[i]["type"] != "paragraph" or sizes[i] > CREDIT_WORDS:
            kept.append(blocks[i])
            i += 1
            continue
        end, words = i + 1, sizes[i]
        while (
            end < len(blocks)
            and blocks[end]["type"] == "paragraph"
            and sizes[end] <= LINE_PART_WORDS
            and words + sizes[end] <= CREDIT_WORDS
        ):
            words += sizes[end]
            end += 1
        # the longest line from i that is furniture, if any
        for j in range(end, i, -1):
            if _furniture_line(blocks[i:j], texts[i:j]):
                i = j
                break
        else:
            kept.append(blocks[i])
            i += 1
    return kept


def _text_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def keep_agreed_text(blocks: list[dict[str, Any]], plain: str) -> list[dict[str, Any]]:
    """``blocks`` without the paragraphs and subheadings whose text is not in ``plain``
    (trafilatura's text of the same page, read without links): kept links change what
    trafilatura takes for the article, and what only the linked reading has is mostly
    furniture ("Related: …", "Rate this article"). All blocks when ``plain`` is empty or
    when the text of none of them is in it (the two readings do not compare)."""
    key = _text_key(plain)
    if not key:
        return blocks
    plain_words = set(_words(plain))

    def agreed(text: str) -> bool:
        if _text_key(text) in key:
            return True
        own = _words(text)  # a long paragraph that reads a little differently
        return len(own) >= AGREED_MIN_WORDS and (
            sum(w in plain_words for w in own) >= AGREED_SHARE * len(own)
        )

    kept = [
        b for b in blocks if b["type"] not in ("paragraph", "subheading") or agreed(block_text(b))
    ]
    if not any(b["type"] in ("paragraph", "subheading") for b in kept):
        return blocks
    return kept


def _strip_prefix_html(html: str, n_chars: int) -> str:
    """Remove the first ``n_chars`` characters of text from a ``<p>…</p>`` paragraph whose
    text starts with a dateline (tags before the text are kept)."""
    text = plain_text(html)
    rest = text[n_chars:].lstrip()
    if not rest:
        return ""
    # Find where the rest starts in the HTML: after the dateline's closing ")" or dash.
    m = re.search(re.escape(rest[:20].replace("\n", " ")), html)
    if m:
        head = re.match(r"^(\s*(?:<[^>]+>\s*)*)", html)
        prefix = head.group(1) if head else ""
        return prefix + html[m.start() :]
    return f"<p>{rest}</p>"
