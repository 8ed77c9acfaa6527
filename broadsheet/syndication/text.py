"""Making any text safe for XML 1.0 and for absolute URLs.

Why our own code: Django's XML writer *raises* on control characters
(``UnserializableContentError``) and Python strings may hold lone surrogates that cannot be
encoded at all; one bad headline must never break a feed, a sitemap or a JSON-LD block, so every
string is cleaned at the point it leaves for XML or JSON.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri

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


def base_url() -> str:
    """The public base URL of the reader site, without a trailing slash
    (``settings.BROADSHEET_BASE_URL``, e.g. ``https://news.example.org``)."""
    return settings.BROADSHEET_BASE_URL.rstrip("/")


def absolute(path: str) -> str:
    """An absolute, ASCII-only URL (RFC 3986, via Django's ``iri_to_uri``) for a public path such
    as ``/iran/story/``; a URL that already has a scheme is only encoded."""
    path = xml_safe(path)
    if urlsplit(path).scheme:
        return iri_to_uri(path)
    return iri_to_uri(base_url() + path)


def site_host() -> str:
    """The host (with port, if any) of the public base URL: ``news.example.org``."""
    return urlsplit(base_url()).netloc
