"""What an archived page shows the reader under its headline: the date and the byline.

Our own rules (the news trade's): a story page prints its date and byline between the
headline and the text ("Monday, 6 January 2020 · By Jane Doe", "1. Februar 2022, Max
Muster", "06.11.2023 13:30 von Olga"). That is the date and the author the newsroom meant
the reader to see; the page's metadata may say otherwise (a ``datePublished`` from the first
draft when the page shows the day of its revised version, a CMS user name as the author) and
htmldate, looking at every date of the page, may pick an older one from a list of related
stories. The **head** of a story is the text after its headline's ``<h1>``, up to
:data:`HEAD_WORDS` words (scripts and styles left out).

* :func:`shown_date`: the first whole date (day, month and year; the shapes of
  :mod:`~broadsheet.importers.dates`) in a short text of the head
  (:data:`DATE_LINE_WORDS` words at most: a date line, not the standfirst) — skipping a
  date labelled as an update ("Updated 6 Jan 2020", "Aktualisiert am…").
* :func:`shown_author_links`: under the headline, the texts of the links to authors' pages
  (``/author/jane-doe``, ``/autor/…``, ``/user/…``, ``rel="author"``) of one byline — a
  byline that says no "By".
* :func:`first_time_date`: the page's first ``<time>`` element that is not an update, and
  :func:`labelled_date`: anywhere in the page, the first date labelled as the publication
  ("Erstellt am: 01.11.2023", "Published on…", "Publié le…") — when the page shows no
  date under its headline and declares none, before htmldate (which reads metadata such
  as ``dcterms.date`` first, and an ambiguous ``11/01/2023`` day first).
* :func:`shown_bylines`: the names of a text of the head that is only a byline ("By Jane
  Doe", "Von Max Muster", "By Jane Doe and John Roe, Staff Writers"), perhaps after the
  time ("13:30 von Olga") or a kind of piece ("Ein Beitrag von…", "Blog post by…"); a text
  at a time, then the texts of one block element joined (:func:`head_lines`: "By", "Jane
  Doe", ",", "John Roe" are one byline). The names are read by
  :func:`broadsheet.importers.names.byline_names`.

Input: an lxml tree and its headline ``<h1>`` element; output: a date or a name, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .dates import find_day
from .names import byline_names

HEAD_WORDS = 40  # how far after the headline the date and the byline are looked for
DATE_LINE_WORDS = 12  # a longer text under the headline is prose, not the date line
SKIP_TAGS = {"script", "style", "noscript", "template"}
BYLINE_GAP_WORDS = 3  # co-authors' links: "Jane Doe, John Roe and Ann Other"
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "td", "th", "tr", "table", "header",
    "footer", "section", "article", "aside", "address", "figure", "figcaption", "blockquote",
    "main", "nav", "form", "h1", "h2", "h3", "h4", "h5", "h6", "body",
}  # fmt: skip

UPDATE_LABEL = re.compile(
    r"(?:updated|last modified|modified|aktualisiert|geändert|mis à jour|actualizado|"
    r"atualizado|aggiornato|bijgewerkt)\b[\s:]*(?:am|on|le|el|em|il|op)?[\s:]*$",
    re.I,
)
UPDATE_WORD = re.compile(
    r"\s*(?:updated|last modified|modified|aktualisiert|geändert|mis à jour|actualizado|"
    r"atualizado|aggiornato|bijgewerkt)\b",
    re.I,
)
PUBLISHED_LABEL = re.compile(
    r"(?:erstellt|veröffentlicht|publiziert|published|posted|publié|publicado|pubblicato|"
    r"gepubliceerd)(?:\s+(?:am|on|le|el|em|il|op))?\s*:?\s*$",
    re.I,
)
AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autore|users?|profiles?|profil|people|"
    r"journalist(?:en)?|redakteur(?:in)?)/"
    # the account pages under /user/ are not people
    r"(?!(?:login|logout|register|password|sign-?in|sign-?up|anmelden|abmelden|registrieren|"
    r"edit)\b)[^/?#]+",
    re.I,
)


def shown(text: Any) -> bool:
    """An lxml text result (``//text()``) is shown to the reader: not inside a script,
    style, ``<noscript>`` or ``<template>`` (a tail text belongs to the element around the
    one it follows)."""
    el = text.getparent()
    if el is not None and getattr(text, "is_tail", False):
        el = el.getparent()
    return el is None or el.tag not in SKIP_TAGS


def head_texts(h1: Any, words: int = HEAD_WORDS) -> list[str]:
    """The texts after ``h1`` in document order (whitespace collapsed, empty ones and
    scripts left out) up to ``words`` words: what the page shows under its headline."""
    texts: list[str] = []
    count = 0
    for text in h1.xpath("following::text()"):
        if not shown(text):
            continue
        text = re.sub(r"\s+", " ", str(text)).strip()
        if not text:
            continue
        texts.append(text)
        count += len(text.split())
        if count >= words:
            break
    return texts


def shown_date(h1: Any) -> dt.date | None:
    """The first date the page shows under its headline ``h1`` in a short text (a date
    line, not a sentence of the standfirst) that is not labelled as an update, else
    ``None``."""
    before = ""
    for text in head_texts(h1):
        if len(text.split()) > DATE_LINE_WORDS:  # a sentence: its dates are its subject's
            before = text
            continue
        rest, offset = text, 0
        while rest:
            hit = find_day(rest)
            if hit is None:
                break
            day, start = hit
            label = (before + " " + text[: offset + start]).strip()
            if not UPDATE_LABEL.search(label):
                return day
            offset += start + 1
            rest = text[offset:]
        before = text
    return None


def shown_author_links(h1: Any) -> list[str]:
    """The texts of the links under the headline ``h1`` (within :data:`HEAD_WORDS` words)
    to an author's page (``/author/jane-doe``, ``/autor/…``, ``/user/…``, ``/profile/…``,
    or ``rel="author"``): the first one, and those of the same byline after it (co-authors:
    no more than a few words between them), else ``[]``."""
    count = 0
    found: list[str] = []
    since = 0  # words since the last author's link
    for node in h1.xpath("following::node()"):
        if isinstance(node, str):
            if shown(node):
                words = len(node.split())
                count += words
                since += words
                if count > HEAD_WORDS or (found and since > BYLINE_GAP_WORDS):
                    break
            continue
        if getattr(node, "tag", None) != "a":
            continue
        href = node.get("href") or ""
        if AUTHOR_PAGE.search(href) or "author" in (node.get("rel") or "").split():
            text = re.sub(r"\s+", " ", node.text_content()).strip()
            if text and text not in found:
                found.append(text)
                since = -len(text.split())  # the link's own words are counted next
    return found


def shown_author_link(h1: Any) -> str:
    """The text of the first link under the headline ``h1`` to an author's page (see
    :func:`shown_author_links`), else ``""``."""
    links = shown_author_links(h1)
    return links[0] if links else ""


def head_lines(h1: Any, words: int = HEAD_WORDS) -> list[str]:
    """The texts after ``h1`` (as :func:`head_texts`), those of one block element
    (paragraph, ``<div>``, list item…) joined into one line: "By", "Jane Doe", ",", "John
    Roe" in one ``<div>`` is "By Jane Doe, John Roe"."""
    lines: list[tuple[Any, str]] = []
    count = 0
    for text in h1.xpath("following::text()"):
        if not shown(text):
            continue
        squashed = re.sub(r"\s+", " ", str(text)).strip()
        if not squashed:
            continue
        el = text.getparent()
        if el is not None and getattr(text, "is_tail", False):
            el = el.getparent()
        while el is not None and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        if lines and lines[-1][0] is el:
            lines[-1] = (el, f"{lines[-1][1]} {squashed}")
        else:
            lines.append((el, squashed))
        count += len(squashed.split())
        if count >= words:
            break
    return [re.sub(r"\s+([,;.])", r"\1", line) for _, line in lines]


def first_time_date(tree: Any) -> dt.date | None:
    """The date of the page's first ``<time>`` element (its ``datetime``, else its text)
    that is not an update (by its class or ``itemprop``, its text, or the text just before
    it: "Updated <time>…</time>"), else ``None``."""
    for el in tree.xpath("//body//time"):
        if any(a.tag in SKIP_TAGS for a in el.iterancestors()):
            continue
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        prev = el.getprevious()
        before = (prev.tail if prev is not None else el.getparent().text) or ""
        marks = f"{el.get('class') or ''} {el.get('itemprop') or ''}"
        if re.search(r"updated|modified", marks, re.I) or UPDATE_LABEL.search(before):
            continue
        if UPDATE_WORD.match(text):
            continue
        m = re.match(r"\s*((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})", el.get("datetime") or "")
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            day = None
        if day is None:
            hit = find_day(text)
            day = hit[0] if hit else None
        if day is not None:
            return day
    return None


def labelled_date(tree: Any) -> dt.date | None:
    """The first date of the page's text labelled as its publication ("Erstellt am:
    01.11.2023", "Published on 6 January 2020", "Publié le 15 septembre 2009"; the label in
    the same text or the one before), else ``None``."""
    before = ""
    for text in tree.xpath("//body//text()"):
        if not shown(text):
            continue
        text = re.sub(r"\s+", " ", str(text)).strip()
        if not text:
            continue
        hit = find_day(text)
        if hit is not None:
            day, start = hit
            label = text[:start].strip() or before
            if PUBLISHED_LABEL.search(label):
                return day
        before = text
    return None


def shown_bylines(h1: Any) -> list[str]:
    """The names of a text under the headline ``h1`` that is only a byline
    (:func:`broadsheet.importers.names.byline_names`: "By Jane Doe and John Roe", "13:30
    von Olga"), one text at a time, then the texts of one block element joined ("By",
    "Jane Doe", ",", "John Roe"), else ``[]``."""
    for text in (*head_texts(h1), *head_lines(h1)):
        names = byline_names(text)
        if names:
            return names
    return []


def shown_byline(h1: Any) -> str:
    """The names of :func:`shown_bylines`, comma-separated (``""`` when none)."""
    return ", ".join(shown_bylines(h1))


# A class that marks the standfirst: "lead", "teaser", "intro", "standfirst", "article-deck",
# "chapo" (camel case read as words: "articleLead" is "article-Lead").
STANDFIRST_MARK = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|teaser|intro|standfirst|summary|deck|dek|sub-?title|excerpt|"
    r"chapo|chapeau|abstract|vorspann|anriss|einleitung)(?:$|[\s_-])",
    re.I,
)
STANDFIRST_WORDS = (8, 80)  # shorter is a kicker or a label, longer is the story
STANDFIRST_LOOK = 40  # elements after the headline looked at


def shown_standfirst(h1: Any) -> str:
    """The standfirst the page shows under its headline ``h1``: the first element after it
    (before the story's first paragraph) marked as one by its class ("lead", "teaser",
    "intro", "standfirst", "chapo"…), or the ``<h2>`` of the headline's ``<hgroup>``,
    of 8 to 80 words; else ``""``."""
    group = h1.getparent()
    for count, el in enumerate(h1.xpath("following::*")):
        if count > STANDFIRST_LOOK or not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            if count > STANDFIRST_LOOK:
                break
            continue
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        words = len(text.split())
        marks = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", el.get("class") or "")
        in_hgroup = el.tag == "h2" and group is not None and group.tag == "hgroup"
        if (STANDFIRST_MARK.search(marks) or in_hgroup) and el.tag in (
            "p", "div", "h2", "span", "section", "header",
        ):  # fmt: skip
            if STANDFIRST_WORDS[0] <= words <= STANDFIRST_WORDS[1]:
                return text
        elif el.tag == "p" and words > DATE_LINE_WORDS:
            break  # the story has begun
    return ""
