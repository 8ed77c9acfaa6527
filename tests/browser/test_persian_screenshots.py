"""The Persian edition of the demo in a browser, at a phone's width (390 px) and a desktop's
(1280 px): the front page, the seed story's translation (linked to its English original) and
the archive of Ordibehesht 1399 (with its day 31) lay out right to left without widening the
page. Each is saved as a screenshot: into the test's folder, or, with
``BROADSHEET_SCREENSHOTS=docs/screenshots``, into the docs (``fa-<page>-<phone|desktop>.png``,
linked from docs/editions.md) —

    BROADSHEET_SCREENSHOTS=docs/screenshots .venv/bin/pytest -m browser \
        tests/browser/test_persian_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import BROWSER, LIVENESS_MS
from tests.browser.test_editor_flow import screenshot

pytestmark = BROWSER

PAGES = {
    "front": "/fa/",
    "story": "/fa/ایران/مخالفان/hambastegi-melli-iran-baraye-sakhtan-jaygozin/",
    "archive": "/fa/archives/1399/02/",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 1000)}


@pytest.fixture
def shots(tmp_path) -> Path:
    chosen = os.environ.get("BROADSHEET_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path / "screenshots"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_persian_pages_at_phone_and_desktop_width(demo_site, chromium, shots, name, width):
    w, h = WIDTHS[width]
    context = chromium.new_context(viewport={"width": w, "height": h}, is_mobile=width == "phone")
    context.set_default_timeout(LIVENESS_MS)
    try:
        page = context.new_page()
        response = page.goto(demo_site.url + PAGES[name])
        assert response is not None and response.status == 200, PAGES[name]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            "fa",
            "rtl",
        ]
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{PAGES[name]} is {overflow}px wider than {w}px"
        if name == "story":  # the link to the English original reads left to right
            link = page.locator("a[hreflang='en']").first
            assert link.get_attribute("lang") == "en"
        if name == "archive":  # Ordibehesht has 31 days: its last day is listed
            assert page.locator("a[href='/fa/archives/1399/02/31/']").count() >= 1
        path = screenshot(page, f"fa-{name}-{width}", shots)
        assert path.stat().st_size > 5_000
    finally:
        context.close()
