"""A reader's browser on the demo newsroom: the pages load with their stylesheet, break no
Content-Security-Policy rule, ask nothing of another origin, fit a phone's width, and the
static search finds the seed story on a copy of the baked folder with no app behind it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BROWSER, LIVENESS_MS

pytestmark = BROWSER

SEED = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
READER_PAGES = [
    "/",
    SEED,
    "/archives/",
    "/archives/2007/06/18/",
    "/iran/",
    "/latest/",
    "/fa/",
    "/guestbook/",
    "/corrections/",
    "/search/?q=Noah%27s+Ark",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_a_reader_page_loads_clean(demo_site, watched_page, path):
    page, watch = watched_page
    response = page.goto(demo_site.url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    # The stylesheet arrived and applies: the first-party sheet is in the document and its
    # rules are in effect (a browser without it lays the body out with its 8px default).
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px"
    watch.assert_clean()
    assert watch.requests and all(r.startswith(demo_site.url) for r in watch.requests)


def test_csp_violations_are_reported_by_the_browser(demo_site, watched_page):
    """The watch would see a violation: an inline script added to a baked page is refused by
    the page's policy and shows up as a console error (so the clean runs above mean something)."""
    page, watch = watched_page
    page.goto(demo_site.url + SEED)
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in error for error in watch.errors), watch.errors


@pytest.mark.parametrize("path", ["/", SEED, "/archives/2007/06/18/", "/fa/"])
def test_pages_fit_a_phone(demo_site, chromium, path):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(LIVENESS_MS)
    try:
        page = context.new_page()
        page.goto(demo_site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than a 360px phone"
    finally:
        context.close()


LONG_WORD = "Unbroken" * 40  # 320 letters, no place to break


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/", ".card a"),
        ("/iran/", ".card a"),
        (SEED, "h1"),
        (SEED, ".story-body p"),
        ("/fa/", ".card a"),
    ],
)
def test_a_long_word_wraps_instead_of_widening_the_page(demo_site, chromium, width, path, where):
    """A headline or paragraph holding one very long word (a pasted URL, a run of letters)
    stays within the page at a phone's and a desktop's width."""
    context = chromium.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(LIVENESS_MS)
    try:
        page = context.new_page()
        page.goto(demo_site.url + path)
        assert page.locator(where).count() >= 1, f"{path}: no {where}"
        page.locator(where).first.evaluate("(el, word) => { el.textContent = word; }", LONG_WORD)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} {where}: {overflow}px wider than {width}px"
    finally:
        context.close()


def test_static_search_finds_the_seed_story_without_the_app(baked_copy_url, watched_page):
    page, watch = watched_page
    page.goto(baked_copy_url + "/search/?q=Noah%27s+Ark")
    link = page.locator(f'a[href*="{SEED}"]').first
    link.wait_for(timeout=LIVENESS_MS)
    assert "Solidarity" in link.inner_text()
    watch.assert_clean()


NOWRUZ = "/culture/nowruz-concerts-sell-out-across-europe/"  # a pull quote, then a fact box


@pytest.mark.parametrize("width", [390, 1280])
def test_a_pull_quote_beside_a_fact_box_does_not_overlap_it(demo_site, chromium, width):
    """The pull quote floats beside the text on wide screens; the fact box that follows it keeps
    its own box (its background and border are not drawn under the quote), and the quote's
    attribution is set apart from the quote (not italic like it)."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(LIVENESS_MS)
    try:
        page = context.new_page()
        page.goto(demo_site.url + NOWRUZ)
        quote = page.locator(".pull-quote").first.bounding_box()
        box = page.locator(".fact-box").first.bounding_box()
        assert quote and box, f"{NOWRUZ}: no pull quote or no fact box"
        overlap_x = min(quote["x"] + quote["width"], box["x"] + box["width"]) - max(
            quote["x"], box["x"]
        )
        overlap_y = min(quote["y"] + quote["height"], box["y"] + box["height"]) - max(
            quote["y"], box["y"]
        )
        assert overlap_x <= 0 or overlap_y <= 0, (quote, box)
        styles = page.evaluate(
            """() => {
                const q = document.querySelector('.pull-quote p');
                const a = document.querySelector('.pull-quote .attribution');
                return [getComputedStyle(q).fontStyle, getComputedStyle(a).fontStyle];
            }"""
        )
        assert styles[0] != styles[1], styles
    finally:
        context.close()


@pytest.mark.parametrize(("path", "language"), [("/", "fa"), ("/fa/", "en")])
def test_the_other_edition_is_on_screen_on_a_phone(demo_site, chromium, path, language):
    """On a 390 px phone the navigation is one line that scrolls sideways; the link to the
    other edition is on that line's visible part, not after the utility links off screen."""
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    context.set_default_timeout(LIVENESS_MS)
    try:
        page = context.new_page()
        page.goto(demo_site.url + path)
        link = page.locator(f'.site-nav a[hreflang="{language}"]')
        box = link.bounding_box()
        assert box is not None, f"{path}: no link to the {language} edition in the navigation"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    finally:
        context.close()
