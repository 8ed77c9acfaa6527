"""Shared fixtures: the real inputs in ../shared, and a newsroom with a front page."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEMO_STORIES = REPO / "demo" / "stories"
SEED_STORY_FILE = (
    DEMO_STORIES / "iran-opposition" / "iran-national-solidarity-to-create-an-alternative.md"
)


@pytest.fixture(autouse=True)
def _fresh_site_facts():
    """Every test starts without the process's memo of site-wide facts
    (:mod:`broadsheet.site.facts`): a test's rolled-back rows bump no version."""
    from broadsheet.site import facts

    facts.clear()


@pytest.fixture
def shared() -> Path:
    """The ../shared folder of real inputs; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent (looked for {SHARED}); real-input tests skipped")
    return SHARED


@pytest.fixture
def front_page(db):
    from broadsheet.content.newsroom.tree import ensure_front_page

    return ensure_front_page("Test Newsroom")


@pytest.fixture
def client_ok(client):
    """The Django test client; ``client_ok.get_html(path)`` asserts 200 and returns text."""

    def get_html(path: str, status: int = 200) -> str:
        response = client.get(path)
        assert response.status_code == status, f"{path}: {response.status_code}"
        return response.content.decode()

    client.get_html = get_html
    return client


def executable_scripts(html: str) -> list[str]:
    """The ``<script>`` tags of a page other than JSON-LD data blocks (which browsers never
    run; their content is escaped so that it cannot close the tag), the site's own
    one-click-edit file (``broadsheet/edit-link.js``, a first-party static file, exactly as the
    ``head`` slot writes it) and the reader forms' file (``broadsheet/reader-forms.js``, exactly
    as the form macro writes it)."""
    import re

    own = re.compile(
        r'<script src="(https?://[^/"]+)?/static/broadsheet/edit-link(\.[0-9a-f]+)?\.js"'
        r' data-endpoint="[^"<>]*" defer>'
    )
    forms = re.compile(
        r'<script src="(https?://[^/"]+)?/static/broadsheet/reader-forms(\.[0-9a-f]+)?\.js"'
        r" defer>"
    )
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
        if tag.lower() != '<script type="application/ld+json">'
        and not own.fullmatch(tag)
        and not forms.fullmatch(tag)
    ]
