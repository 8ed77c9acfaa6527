"""The byline of an archived page when neither its structured data nor trafilatura names one.

Our own code: trafilatura's author search reads the page's markup (``rel="author"``, hCards,
``itemprop="author"``, byline classes), but not a byline that opens the story's text, and
no maintained library does. The rule, tried after the structured data and trafilatura:
a paragraph among the first two of the body (subheadings and images before them passed
over) that is only a byline ("By Jane Doe", "Von Max
Muster", "Por Agencia EFE", "Von Max Muster, dpa", "Text von Anna Beispiel, Illustration
von Max Muster") names the author(s), and is taken out of the text when it names the
page's author (the byline is shown above the text).

Names are read by :func:`broadsheet.importers.names.byline_names` and go through
:func:`broadsheet.importers.names.clean_author`: "By" prefixes off, not a URL, a
placeholder, the site's name, an organisation or a sentence.
"""

from __future__ import annotations

import re
from typing import Any

from .htmlbody import plain_text
from .names import byline_names, clean_author

LOOKED_AT = 2  # the byline line is among the story's first two paragraphs
FIRST_P = re.compile(r"\s*<p>(?:(?!</?p\b).)*</p>", re.S)


def byline_line(text: str) -> str:
    """The names in a line that is only a byline ("By Jane Doe" → "Jane Doe", "By Jane Doe
    and John Roe" → "Jane Doe, John Roe"), else ``""``."""
    return ", ".join(byline_names(text))


def take_byline_line(
    body: list[dict[str, Any]], site_names: list[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Look for a byline line in the first two paragraphs of ``body`` (StreamField-shaped
    blocks; subheadings and images before them are passed over; a block of several
    ``<p>`` is looked at by its first). Returns ``(names, body)``: the names (``[]`` when
    there is none) and the body without that paragraph."""
    seen = 0
    for i, block in enumerate(body):
        if block["type"] != "paragraph":
            continue
        seen += 1
        if seen > LOOKED_AT:
            break
        value = block["value"]
        first = FIRST_P.match(value)
        line = first.group(0) if first else value
        found = byline_names(plain_text(line))
        names = [n for n in (clean_author(n, site_names) for n in found) if n]
        if names:
            rest = value[len(line) :].strip()
            if rest:  # the block's other paragraphs stay
                return names, [*body[:i], {**block, "value": rest}, *body[i + 1 :]]
            return names, body[:i] + body[i + 1 :]
    return [], body


# A class or id that marks a byline: "byline", "author", "post-author", "dates_auteurs",
# "articleAuthorBlock" (camel case is read as "article-Author-Block").
BYLINE_MARK = re.compile(
    r"(?:^|[\s_-])(?:by-?line|authors?|auteurs?|autor(?:en|in)?|autore|verfasser(?:in)?|"
    r"writer)(?:$|[\s_-])",
    re.I,
)
NOT_A_BYLINE = re.compile(r"comment|respond|reply|avatar|bio|about", re.I)
LABEL_START = re.compile(r"\s(?=[A-ZÀ-Þ][\w/]*\s?:\s)")  # "Datum: … Autor: … Quelle: …"
MARKED_WORDS = 20  # a longer text is an author's box or a teaser, not a byline


def marked_byline(tree: Any, site_names: list[str]) -> list[str]:
    """The names of the page's first element marked as a byline by its class or id
    (``byline``, ``author``, ``auteurs``…; not a reader's comment's, a form field or an
    author's biography) whose text is a byline: "par Didier Roy, 21 juin 2018", or one
    labelled part of it ("Datum: 19.11.2021 Autor: Max Muster Quelle: Example"), else
    ``[]``. A bare name is not enough: the text must say it is the byline."""
    for el in tree.xpath("//body//*[@class or @id]"):
        marks = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", f"{el.get('class') or ''} {el.get('id') or ''}")
        if not BYLINE_MARK.search(marks) or el.tag in ("input", "textarea", "form", "img"):
            continue
        around = " ".join(
            f"{a.get('class') or ''} {a.get('id') or ''}" for a in (el, *el.iterancestors())
        )
        if NOT_A_BYLINE.search(around):
            continue
        texts = el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
        text = re.sub(r"\s+", " ", " ".join(texts)).strip()
        if not text or len(text.split()) > MARKED_WORDS:
            continue
        for part in (text, *LABEL_START.split(text)):
            names = [n for n in (clean_author(n, site_names) for n in byline_names(part)) if n]
            if names:
                return names
    return []
