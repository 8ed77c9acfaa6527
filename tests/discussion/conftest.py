"""Fixtures for the discussion tests: a clean cache (rate limits), no Akismet, editors to mail,
and ``post_form`` to send a reader form as a browser would after reading the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from broadsheet.content.discussion.models import DiscussionSettings
from broadsheet.discussion import guard
from broadsheet.discussion.guard import issue_token

FORM_URLS = {
    "comment": "/discussion/comments/",
    "guestbook": "/discussion/guestbook/",
    "letter": "/discussion/letters/",
}


@pytest.fixture(autouse=True)
def discussion_settings(settings):
    settings.BROADSHEET_AKISMET_KEY = ""  # never call Akismet from tests
    settings.BROADSHEET_DISCUSSION = {}
    settings.MANAGERS = [("Editor", "editor@newsroom.example")]
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def site_settings(front_page):
    from wagtail.models import Site

    return DiscussionSettings.for_site(Site.objects.get(is_default_site=True))


def form_url(kind: str, target: Any = "") -> str:
    if kind == "author":
        return f"/discussion/authors/{target}/"
    return FORM_URLS[kind]


@pytest.fixture
def post_form(client):
    """``post_form(kind, target, ip=..., age=10, **fields)``: POST a form with a token issued
    ``age`` seconds ago by the live app (``age=None``: the stable token of a baked page)."""

    def send(kind: str, target: Any = "", ip: str = "198.51.100.7", age: int | None = 10, **fields):
        issued = 0 if age is None else int(guard.clock()) - age
        data = {"form_token": issue_token(kind, target, issued), "website": "", **fields}
        if kind == "comment":
            data.setdefault("story", str(target))
        return client.post(form_url(kind, target), data, REMOTE_ADDR=ip)

    return send
