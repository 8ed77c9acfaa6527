"""The editors' side in a real browser: signed in to the demo's admin with its printed
password, the dashboard, the page explorer, a story's edit view and the moderation screens load
with no Content-Security-Policy violation (``BROADSHEET_ADMIN_CSP``), no console error, no
failed request and nothing from another origin."""

from __future__ import annotations

import sqlite3

import pytest

from tests.browser.conftest import BROWSER, LIVENESS_MS

pytestmark = BROWSER

SEED_SLUG = "iran-national-solidarity-to-create-an-alternative"
MODERATION = [
    "/admin/snippets/discussion/comment/?status=held",
    "/admin/snippets/discussion/guestbookentry/?status=held",
    "/admin/snippets/discussion/letter/",
    "/admin/snippets/discussion/authormessage/",
    "/admin/security/lockouts/",
    "/admin/security/second-factors/",
]


@pytest.fixture
def admin_page(demo_site, watched_page):
    """A browser signed in to the demo's admin (the demo asks no second factor)."""
    page, watch = watched_page
    page.goto(demo_site.url + "/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", demo_site.password)
    page.click("button[type=submit]")
    page.wait_for_url(demo_site.url + "/admin/")
    return page, watch


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert "/admin/login/" not in page.url


def test_the_dashboard_loads_clean(demo_site, admin_page):
    page, watch = admin_page
    page.wait_for_load_state("networkidle")
    assert page.locator("main, #main").first.is_visible()
    watch.assert_clean()


def test_the_page_explorer_and_a_story_editor_load_clean(demo_site, admin_page):
    page, watch = admin_page
    visit(page, demo_site.url + "/admin/pages/")
    database = f"file:{demo_site.var / 'broadsheet.sqlite3'}?mode=ro"
    with sqlite3.connect(database, uri=True) as db:
        (story_id,) = db.execute(
            "SELECT id FROM wagtailcore_page WHERE slug = ?", (SEED_SLUG,)
        ).fetchone()
        (section_id,) = db.execute(
            "SELECT id FROM wagtailcore_page WHERE slug = 'iran-opposition'"
        ).fetchone()
    visit(page, demo_site.url + f"/admin/pages/{section_id}/")  # a section's stories
    visit(page, demo_site.url + f"/admin/pages/{story_id}/edit/")
    # The story editor's own scripts ran: its tabs and the rich-text editor are there.
    page.locator('[role="tab"]').first.wait_for(timeout=LIVENESS_MS)
    page.locator('[contenteditable="true"]').first.wait_for(timeout=LIVENESS_MS)
    page.locator('[role="tab"]').nth(1).click()  # switching tabs works (scripts allowed)
    page.wait_for_timeout(300)
    watch.assert_clean()


@pytest.mark.parametrize("path", MODERATION)
def test_the_moderation_screens_load_clean(demo_site, admin_page, path):
    page, watch = admin_page
    visit(page, demo_site.url + path)
    watch.assert_clean()


def test_an_inline_script_from_elsewhere_would_be_reported(demo_site, admin_page):
    """The admin's policy still refuses another origin's script, and the watch sees it."""
    page, watch = admin_page
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.src = 'https://tracker.example/t.js'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert any("Content Security Policy" in error for error in watch.errors), watch.errors
