"""The byline of an archived page when neither its structured data nor trafilatura names one.

Our own code: trafilatura's author search reads the page's markup (``rel="author"``, hCards,
``itemprop="author"``, byline classes — a rule of ours for those added nothing on the
evaluation set's dev split, so there is none), but not a byline that opens the story's text,
and no maintained library does. The rule, tried after the structured data and trafilatura:
a paragraph among the first two of the body that is only a byline ("By Jane Doe", "Von Max
Muster", "Por Agencia EFE") names the author, and is taken out of the text when it names the
page's author (the byline is shown above the text).

Names go through :func:`broadsheet.importers.pagemeta.clean_author`: "By" prefixes off, not a
URL, a placeholder, the site's name or a sentence.
"""

from __future__ import annotations

import re
from typing import Any

from .htmlbody import plain_text
from .pagemeta import clean_author, squash

# "By Jane Doe", "Von Max Muster", "Por Agencia EFE", "Text: Anna Beispiel" — up to five
# capitalised words and nothing else.
BYLINE_LINE = re.compile(
    r"^(?i:by|von|par|por|door|di|av|af|text(?:\s+von)?:?)\s+"
    r"(?P<name>[A-ZÀ-ÞĀ-Ž][\w'’.-]*(?:\s+(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]*|van|von|de|da|del|der|la|le)){0,4})$",
)


def byline_line(text: str) -> str:
    """The name in a line that is only a byline ("By Jane Doe" → "Jane Doe"), else ``""``."""
    m = BYLINE_LINE.match(squash(text))
    return m.group("name") if m else ""


def take_byline_line(body: list[dict[str, Any]], site_names: list[str]) -> tuple[str, list]:
    """Look for a byline line in the first two blocks of ``body`` (StreamField-shaped
    blocks). Returns ``(name, body)``: the name (``""`` when there is none) and the body
    without that paragraph."""
    for i, block in enumerate(body[:2]):
        if block["type"] != "paragraph":
            continue
        name = clean_author(byline_line(plain_text(block["value"])), site_names)
        if name:
            return name, body[:i] + body[i + 1 :]
    return "", body
