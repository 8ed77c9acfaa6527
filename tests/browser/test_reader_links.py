"""The reader's ways around the baked demo: "RSS · Guestbook · Contact" in the navigation,
the seed's prompts in the footer, ``/feed/`` and ``/letters/`` answering, the site notice's
link; and the story on paper (``@media print``): no navigation, search or forms, and the
address of a body link printed after it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

SEED = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"


def test_the_navigation_and_footer_lead_to_feeds_guestbook_letters(demo_site, watched_page):
    page, watch = watched_page
    page.goto(demo_site.url + "/")
    nav = page.locator("nav.site-nav")
    for name in ("RSS", "Guestbook", "Contact"):
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    footer = page.locator("footer.site-footer")
    assert footer.get_by_text("Impressions from our site?").is_visible()
    assert footer.get_by_text("Got feedback?").is_visible()
    notice = page.locator(".site-notice a")
    assert notice.get_attribute("href") == "https://damavand.example/"
    with page.expect_navigation():
        nav.get_by_role("link", name="RSS", exact=True).click()
    assert page.url == demo_site.url + "/feed/"
    feeds = page.locator('link[rel="alternate"][type="application/rss+xml"]')
    assert feeds.count() >= 1  # a feed reader given /feed/ finds the feed
    response = page.goto(demo_site.url + "/letters/")
    assert response is not None and response.status == 200
    assert page.locator("form#letter").is_visible()
    response = page.goto(demo_site.url + "/fa/feed/")
    assert response is not None and response.status == 200
    watch.assert_clean()


def test_a_story_prints_without_navigation_or_forms_and_with_link_addresses(
    demo_site, watched_page
):
    page, watch = watched_page
    page.goto(demo_site.url + SEED)
    page.evaluate(
        """() => {
          const a = document.createElement("a");
          a.href = "https://example.org/report";
          a.textContent = "the report";
          a.id = "probe";
          document.querySelector(".story-body").append(a);
        }"""
    )
    assert page.locator("nav.site-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator(".site-search").first.is_visible()
    assert page.locator("h1.headline").is_visible()
    after = page.evaluate("getComputedStyle(document.getElementById('probe'), '::after').content")
    assert "https://example.org/report" in after
    watch.assert_clean()


@pytest.mark.parametrize("path", ["/guestbook/", "/contact/"])
def test_form_controls_are_styled(demo_site, watched_page, path):
    page, watch = watched_page
    page.goto(demo_site.url + path)
    button = page.locator("form.reader-form button[type=submit]")
    style = button.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert style == ["rgb(138, 28, 28)", "rgb(255, 255, 255)"]  # the accent, not the UA grey
    watch.assert_clean()
