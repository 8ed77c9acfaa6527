"""Discussion settings with their defaults, read from Django settings.

``settings.BROADSHEET_DISCUSSION`` (a dict) may override any key of :data:`DEFAULTS`;
``BROADSHEET_LIVE_URL`` is where the reader forms post (empty: the same origin as the page);
the Akismet key comes from ``BROADSHEET_AKISMET_KEY`` or the ``AKISMET_API_KEY`` environment
variable (empty: no Akismet check).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # abuse resistance
    "MIN_FILL_SECONDS": 3,  # a form sent sooner after it was issued is refused
    "FRESH_SECONDS": 2 * 60 * 60,  # an older (or baked) form is shown back once to confirm
    "RATE_PER_ADDRESS_MINUTE": 10,  # posts per client address per minute
    "RATE_PER_ADDRESS_HOUR": 60,  # posts per client address per hour
    "RATE_GLOBAL_MINUTE": 120,  # posts per minute from everyone: past it, the site is busy
    "RATE_PER_ADDRESS_MINUTE_BUSY": 1,  # posts per address per minute while the site is busy
    "RATE_GLOBAL_MINUTE_HARD": 1200,  # posts per minute from everyone: past it, all refused
    "MAX_LINKS": 2,  # links allowed in a text
    "DUPLICATE_HOURS": 24,  # the same text on the same target within this is a duplicate
    "NOTIFY_INTERVAL_SECONDS": 300,  # at most one "held comments" e-mail per interval
    "AKISMET_TIMEOUT": 3.0,  # seconds
    # lengths (characters, after normalisation)
    "MAX_NAME": 100,
    "MAX_PLACE": 100,
    "MAX_SUBJECT": 200,
    "MAX_COMMENT": 5000,
    "MAX_GUESTBOOK": 3000,
    "MAX_LETTER": 10000,
    "MIN_TEXT": 2,
    "GUESTBOOK_PAGE_SIZE": 20,
}


def get(name: str) -> Any:
    """The discussion setting ``name`` (``KeyError`` for an unknown name)."""
    overrides = getattr(settings, "BROADSHEET_DISCUSSION", {}) or {}
    if name in overrides:
        return overrides[name]
    return DEFAULTS[name]


def live_url() -> str:
    """Base URL of the live app the baked forms post to, without a trailing slash ("" =
    same origin as the page)."""
    return (getattr(settings, "BROADSHEET_LIVE_URL", "") or "").rstrip("/")


def akismet_key() -> str:
    """The Akismet API key, or "" when Akismet is not used."""
    key = getattr(settings, "BROADSHEET_AKISMET_KEY", None)
    if key is None:
        key = os.environ.get("AKISMET_API_KEY", "")
    return key or ""
