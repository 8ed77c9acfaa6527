"""Making any text safe for XML 1.0.

Why our own code: Django's XML writer *raises* on control characters
(``UnserializableContentError``) and Python strings may hold lone surrogates that cannot be
encoded at all; one bad headline must never break a feed, a sitemap or a JSON-LD block, so every
string is cleaned at the point it leaves for XML or JSON.
"""

from __future__ import annotations

import re

# XML 1.0 §2.2 Char excludes U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, the surrogate block
# (in a Python str any U+D800–U+DFFF is a lone surrogate) and U+FFFE, U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: object) -> str:
    """``str(value)`` without the characters XML 1.0 forbids (``None`` gives ``""``).

    Everything else — bidi overrides, emoji, markup — is kept: escaping is the XML writer's job.
    """
    if value is None:
        return ""
    return XML_FORBIDDEN.sub("", str(value))
