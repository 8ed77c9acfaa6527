"""Slugs that fit a file name of the baked site (a slug is a folder name there)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import slugify

__all__ = ["MAX_SLUG_BYTES", "check_slug_length", "fit_slug"]

MAX_SLUG_BYTES = 200
"""The longest slug, in bytes of UTF-8: a slug is a folder name of the baked site, most file
systems allow 255 bytes per name, and a Persian letter takes two (a 150-letter Persian slug is
300 bytes). The margin leaves room for a numeric suffix (``-2``)."""


def fit_slug(text: str, max_bytes: int = MAX_SLUG_BYTES) -> str:
    """``text`` as a slug (Django's ``slugify``, Unicode letters kept) of at most ``max_bytes``
    bytes in UTF-8: cut at a character boundary, at the last hyphen of the second half if there
    is one (a whole word), without a trailing hyphen. "" if nothing of ``text`` makes a slug."""
    slug = slugify(text, allow_unicode=True)
    if len(slug.encode()) <= max_bytes:
        return slug
    cut = slug.encode()[:max_bytes].decode("utf-8", "ignore")
    hyphen = cut.rfind("-")
    if hyphen > len(cut) // 2:
        cut = cut[:hyphen]
    return cut.strip("-")


def check_slug_length(slug: str) -> None:
    """Raise ``ValidationError`` (on ``slug``) if ``slug`` is longer than
    :data:`MAX_SLUG_BYTES` in UTF-8."""
    size = len(slug.encode())
    if size > MAX_SLUG_BYTES:
        raise ValidationError(
            {
                "slug": f"This slug takes {size} bytes; a web address segment may take at most "
                f"{MAX_SLUG_BYTES} (a Persian or Arabic letter counts two): shorten it."
            }
        )
