"""Fixtures for the editors' security tests: a clean cache and login-attempt log, a newsroom,
the second factor required."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def security_settings(settings, db, front_page):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = True
    cache.clear()
    yield settings
    cache.clear()


def login(client, username: str, password: str, ip: str = "198.51.100.20"):
    """POST the admin's login form as a browser would; returns the response."""
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )
