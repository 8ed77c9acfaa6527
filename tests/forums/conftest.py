"""Fixtures for the reader accounts and forums tests: a newsroom, a clean cache (rate limits,
allauth's limits), django-axes' attempt log empty (a test's database is its own)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def forum_settings(settings, db, front_page):
    settings.BROADSHEET_AKISMET_KEY = ""
    cache.clear()
    yield settings
    cache.clear()


def reader_login(client, email: str, password: str, ip: str = "198.51.100.30"):
    """POST the reader sign-in form as a browser would; returns the response."""
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def link_in(body: str, pattern: str) -> str:
    """The path of the first link in a mail ``body`` matching ``pattern`` (a regex)."""
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert match, f"no link like {pattern!r} in:\n{body}"
    return match.group(1)
