"""Accessibility and budgets of the reading pages, in Chromium against the demo newsroom:

* axe-core (vendored in tests/browser/assets/axe-core/, injected by Playwright from the file:
  no request out) on every reader page type, in both editions: no serious or critical
  violation;
* keyboard only: tabbing through a story page reaches every visible link and control, and
  each shows a visible focus indicator (an outline or a box-shadow);
* the baked story page, served by a plain file server: no layout shift from images (CLS
  ≤ 0.1, measured with a ``layout-shift`` PerformanceObserver while the page is scrolled
  through), at most 150 kB transferred without the images, no request to another origin.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

AXE = Path(__file__).resolve().parent / "assets" / "axe-core" / "axe.min.js"
SEED = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
FA_SEED = (
    "/fa/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/%D9%85%D8%AE%D8%A7%D9%84%D9%81%D8%A7%D9%86/"
    "hambastegi-melli-iran-baraye-sakhtan-jaygozin/"
)
PAGE_TYPES = {
    "front": "/",
    "section": "/iran/",
    "story": SEED,
    "archive-year": "/archives/2007/",
    "archive-month": "/archives/2007/06/",
    "archive-day": "/archives/2007/06/18/",
    "author": "/authors/maryam-sadeghi/",
    "tag": "/tags/iran/",
    "search": "/search/?q=solidarity",
    "guestbook": "/guestbook/",
    "contact": "/contact/",
    "fa-front": "/fa/",
    "fa-story": FA_SEED,
}
CLS_BUDGET = 0.1
TRANSFER_BUDGET = 150_000  # bytes, images excluded


@pytest.fixture
def axe_page(chromium):
    """A page whose context lets Playwright inject axe-core as a script tag despite the
    pages' strict Content-Security-Policy (``bypass_csp``; the other browser tests check the
    policy itself), and the list of every URL it requested."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(120_000)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        yield page, requests
    finally:
        context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; its violations of impact serious or critical."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})); }"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_no_serious_violation(demo_site, axe_page, name):
    page, requests = axe_page
    response = page.goto(demo_site.url + PAGE_TYPES[name])
    assert response is not None and response.status == 200, name
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    foreign = [r for r in requests if not r.startswith((demo_site.url, "data:"))]
    assert foreign == [], "axe is injected from the file: nothing is asked of another origin"


def test_axe_would_report_a_serious_violation(demo_site, axe_page):
    """The check can fail: an image without alt text and a link without a name, put into
    the story page, are reported."""
    page, _requests = axe_page
    page.goto(demo_site.url + SEED)
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '/x/';"
        " a.appendChild(document.createElement('img')); document.querySelector('main').append(a); }"
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert ids & {"image-alt", "link-name"}, ids


FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary,"
    " [tabindex]:not([tabindex='-1'])"
)


def test_keyboard_reaches_every_control_of_a_story_page_with_focus_visible(demo_site, watched_page):
    page, _watch = watched_page
    page.goto(demo_site.url + SEED)
    page.wait_for_load_state("networkidle")
    wanted = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility()"
        " && !e.closest('[inert], [aria-hidden=true]')).length",
        FOCUSABLE,
    )
    page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].forEach((e, i) => e.dataset.kb = i)",
        FOCUSABLE,
    )
    reached, invisible = set(), []
    for _ in range(wanted + 20):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "() => { const e = document.activeElement; if (!e || e === document.body) return null;"
            " const s = getComputedStyle(e);"
            " return {kb: e.dataset.kb, tag: e.tagName, text: (e.textContent || e.name || '')"
            ".trim().slice(0, 40),"
            " outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,"
            " shadow: s.boxShadow !== 'none'}; }"
        )
        if info is None:
            continue
        if info["kb"] in reached:
            break  # round the page once
        reached.add(info["kb"])
        if not (info["outline"] or info["shadow"]):
            invisible.append(info)
    assert len(reached) >= wanted, f"{len(reached)} of {wanted} controls reached by Tab"
    assert invisible == [], invisible


def test_the_baked_story_page_keeps_its_budgets(baked_copy_url, chromium):
    """On the baked folder served by a plain file server: CLS, transfer without images, and
    every request to the page's own origin."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(120_000)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(
        "window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " { if (!e.hadRecentInput) window.__cls += e.value; } })"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    try:
        page.goto(baked_copy_url + SEED)
        page.wait_for_load_state("networkidle")
        height = page.evaluate("document.documentElement.scrollHeight")
        for _y in range(0, height, 600):  # scroll through: lazy images load in view
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(100)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("[...document.images].every(i => i.complete)"), (
            "every image loaded before measuring"
        )
        cls = page.evaluate("window.__cls")
        transfer = page.evaluate(
            "() => { const nav = performance.getEntriesByType('navigation')[0];"
            " const res = performance.getEntriesByType('resource')"
            ".filter(r => r.initiatorType !== 'img'"
            " && !/\\.(jpe?g|png|webp|avif|gif)$/.test(new URL(r.name).pathname));"
            " return (nav.transferSize || nav.encodedBodySize) +"
            " res.reduce((n, r) => n + (r.transferSize || r.encodedBodySize), 0); }"
        )
        images = page.evaluate("document.images.length")
    finally:
        context.close()
    print(f"baked story page: CLS {cls:.4f}, {transfer} bytes without images, {images} images")
    assert images >= 1, "the seed story shows its picture"
    assert cls <= CLS_BUDGET, cls
    assert 0 < transfer <= TRANSFER_BUDGET, transfer
    foreign = [
        r for r in requests if not r.startswith(baked_copy_url) and not r.startswith("data:")
    ]
    assert foreign == [], foreign
