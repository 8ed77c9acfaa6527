"""Import identities' keys and free slugs, shared by :mod:`.identity` and :mod:`.storyfiles`."""

from __future__ import annotations

import hashlib

from broadsheet.content.newsroom.models import StoryPage, fit_slug
from broadsheet.content.newsroom.slugs import MAX_SLUG_BYTES

ENTRY_MAX = 500


def entry_key(value: str) -> str:
    """``value`` as an ``ImportedStory.entry`` (at most 500 characters: a longer one keeps its
    first 450 and a SHA-1 of the whole)."""
    value = value.strip()
    if len(value) <= ENTRY_MAX:
        return value
    digest = hashlib.sha1(value.encode()).hexdigest()  # noqa: S324 - an identity, not a secret
    return f"{value[:450]}#sha1:{digest}"


def free_slug(slug: str, pending: dict[str, str] | None = None) -> str:
    """``slug`` or the first of ``slug-2``, ``slug-3``… that no story uses (site-wide) and
    that is not among the ``pending`` slugs (stories queued but not yet written)."""
    base = fit_slug(slug, MAX_SLUG_BYTES) or "story"
    candidate, n = base, 1
    pending = pending or {}
    while candidate in pending or StoryPage.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
