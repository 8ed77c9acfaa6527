"""What an archived page shows the reader under its headline: the date and the byline.

Our own rules (the news trade's): a story page prints its date and byline between the
headline and the text ("Monday, 6 January 2020 · By Jane Doe", "1. Februar 2022, Max
Muster", "06.11.2023 13:30 von Olga"). That is the date and the author the newsroom meant
the reader to see; the page's metadata may say otherwise (a ``datePublished`` from the first
draft when the page shows the day of its revised version, a CMS user name as the author) and
htmldate, looking at every date of the page, may pick an older one from a list of related
stories. The **head** of a story is the text after its headline's ``<h1>``, up to
:data:`HEAD_WORDS` words (scripts and styles left out).

* :func:`shown_date`: the first whole date (day, month and year) in a short text of the
  head (:data:`DATE_LINE_WORDS` words at most: a date line, not the standfirst) — ISO
  ``2020-01-06``, ``06.01.2020`` (day first), ``6 January 2020``, ``1. Februar 2022``,
  ``January 6, 2020``, ``2020年1月6日``, month names in English, German, French, Spanish,
  Portuguese, Italian and Dutch; a slashed date only when its order is certain (``25/12/2020``)
  — skipping a date labelled as an update ("Updated 6 Jan 2020", "Aktualisiert am…").
* :func:`shown_author_link`: under the headline, the text of a link to an author's page
  (``/author/jane-doe``, ``/autor/…``, ``/user/…``, ``rel="author"``) — a byline that
  says no "By".
* :func:`first_time_date`: the page's first ``<time>`` element that is not an update, and
  :func:`labelled_date`: anywhere in the page, the first date labelled as the publication
  ("Erstellt am: 01.11.2023", "Published on…", "Publié le…") — when the page shows no
  date under its headline and declares none, before htmldate (which reads metadata such
  as ``dcterms.date`` first, and an ambiguous ``11/01/2023`` day first).
* :func:`shown_byline`: a text of the head that is only a byline ("By Jane Doe", "Von Max
  Muster"), perhaps after the time ("13:30 von Olga") or a kind of piece ("Ein Beitrag
  von…", "Blog post by…").

Input: an lxml tree and its headline ``<h1>`` element; output: a date or a name, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

HEAD_WORDS = 40  # how far after the headline the date and the byline are looked for
DATE_LINE_WORDS = 12  # a longer text under the headline is prose, not the date line
SKIP_TAGS = {"script", "style", "noscript", "template"}

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janvier enero janeiro gennaio januari jän",
        "february feb februar février fevrier febrero fevereiro febbraio februari",
        "march mar märz maerz mars marzo março marco maart mär",
        "april apr avril abril aprile",
        "may mai mayo maio maggio mei",
        "june jun juni juin junio junho giugno",
        "july jul juli juillet julio julho luglio",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setembro settembre",
        "october oct oktober octobre octubre outubro ottobre okt",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dezembro dicembre dez",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_SHAPES = [
    re.compile(rf"\b{YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?{YEAR}\b"),
    re.compile(rf"\b{YEAR}\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})\b"),
    re.compile(rf"\b{YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"),
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/" + YEAR + r"\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?{YEAR}\b",
        re.I,
    ),
    re.compile(rf"\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR}\b", re.I),
]
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
NAME = (
    r"(?P<name>[A-ZÀ-ÞĀ-Ž][\w'’.-]*"
    r"(?:\s+(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]*|van|von|de|da|del|der|la|le)){0,3})"
)
KIND_OF_PIECE = (
    r"(?:(?:ein|eine|a|an|un|une)\s+)?(?:blog\s*)?(?:beitrag|artikel|bericht|kommentar|"
    r"gastbeitrag|interview|text|post|article|story|report|column|essay|review|rezension)"
)
BYLINE_TEXT = re.compile(
    rf"^(?:[\d.:/\s,|·–-]*\s|(?i:{KIND_OF_PIECE})\s+)?"
    rf"(?i:by|von|par|por|door|written by|geschrieben von|verfasst von|publicado por|"
    rf"escrito por|publié par)\s+{NAME}\s*$"
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


def find_day(text: str) -> tuple[dt.date, int] | None:
    """The first whole date in ``text`` (the shapes in the module's docstring) and where it
    starts, else ``None``."""
    found: list[tuple[int, dt.date]] = []
    for shape in DATE_SHAPES:
        for m in shape.finditer(text):
            parts = m.groupdict()
            year = int(parts["year"])
            if parts.get("a"):
                a, b = int(parts["a"]), int(parts["b"])
                if a <= 12 and b <= 12 and a != b:
                    continue  # 03/04/2020: the order is not certain
                day, month = (a, b) if a > 12 else (b, a)
            else:
                day = int(parts["d"])
                month = MONTHS[parts["month"].casefold()] if parts.get("month") else int(parts["m"])
            try:
                found.append((m.start(), dt.date(year, month, day)))
            except ValueError:
                continue
            break
    if not found:
        return None
    start, day = min(found)
    return day, start


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


def shown_author_link(h1: Any) -> str:
    """The text of the first link under the headline ``h1`` (within :data:`HEAD_WORDS`
    words) to an author's page (``/author/jane-doe``, ``/autor/…``, ``/user/…``,
    ``/profile/…``, or ``rel="author"``), else ``""``."""
    count = 0
    for node in h1.xpath("following::node()"):
        if isinstance(node, str):
            if shown(node):
                count += len(node.split())
                if count > HEAD_WORDS:
                    break
            continue
        if getattr(node, "tag", None) != "a":
            continue
        href = node.get("href") or ""
        if AUTHOR_PAGE.search(href) or "author" in (node.get("rel") or "").split():
            text = re.sub(r"\s+", " ", node.text_content()).strip()
            if text:
                return text
    return ""


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


def shown_byline(h1: Any) -> str:
    """The name in a text under the headline ``h1`` that is only a byline, else ``""``."""
    for text in head_texts(h1):
        m = BYLINE_TEXT.match(text)
        if m:
            return m.group("name")
    return ""
