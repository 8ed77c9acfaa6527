"""Newsletter settings with their defaults: ``settings.BROADSHEET_NEWSLETTERS`` (a dict) may
override any key of :data:`DEFAULTS` (docs/distribution.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "RATE_PER_MINUTE": 600,  # messages handed to the SMTP server per minute (0: no limit)
    "BATCH_SIZE": 100,  # messages per task run (one SMTP connection)
    "RETRY_DELAYS": (60, 300, 1800, 7200, 21600),  # seconds before the 2nd, 3rd… try
    "BOUNCE_LIMIT": 3,  # permanent refusals in a row that disable an address
    "CONFIRM_MAX_AGE": 7 * 24 * 3600,  # seconds a confirmation link is good for
    "CONFIRM_MAIL_INTERVAL": 600,  # at most one confirmation mail per address per interval
    "RATE_PER_ADDRESS_HOUR": 10,  # subscribe posts per client address (IPv6: /64) per hour
    "RATE_GLOBAL_MINUTE": 120,  # subscribe posts per minute from everyone
    "DIGEST_HOUR": 18,  # the hour (newsroom time) the daily digest goes out
    "DIGEST_MAX_STORIES": 30,  # stories in one digest at most
}


def get(name: str) -> Any:
    """The newsletter setting ``name`` (``KeyError`` for an unknown name)."""
    overrides = getattr(settings, "BROADSHEET_NEWSLETTERS", {}) or {}
    return overrides[name] if name in overrides else DEFAULTS[name]
