"""Fixtures for the newsletter tests: a clean cache (rate limits), a real SMTP server."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from broadsheet.settings.envurls import email_settings
from tests.discussion import smtp


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    settings.BROADSHEET_NEWSLETTERS = {"RATE_PER_MINUTE": 0, "BATCH_SIZE": 50}
    settings.DEFAULT_FROM_EMAIL = "Newsroom <news@newsroom.example>"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def mailbox(settings):
    """A local SMTP server (aiosmtpd), and the settings ``EMAIL_URL=smtp://…?tls=0`` gives."""
    box = smtp.Mailbox()
    controller = smtp.start(box)
    for name, value in email_settings(f"smtp://127.0.0.1:{controller.port}?tls=0").items():
        setattr(settings, name, value)
    yield box
    controller.stop()
