"""In a real browser, against the demo: a new reader signs up, confirms the address from the
mail the demo prints on its console, posts in a forum (held: a new member's first post), and
a moderator approves it in the admin's queue; then the post is on the topic page, and the
reader follows the topic by mail (daily digest) and edits their post."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

PASSWORD = "a long passphrase for the browser test"


def mailed_link(log, pattern: str, seconds: float = 120) -> str:
    """The first link matching ``pattern`` printed in the demo's console log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(r"https?://\S*" + pattern + r"\S*", log.read_text())
        if found:
            return found.group(0)
        time.sleep(0.5)
    pytest.fail(f"no mail with {pattern!r} on the demo's console:\n{log.read_text()[-3000:]}")


@pytest.fixture
def moderator_page(demo_site, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 860})
    page = context.new_page()
    page.goto(demo_site.url + "/admin/login/")
    page.fill('input[name="username"]', "admin")
    page.fill('input[name="password"]', demo_site.password)
    page.click('form button[type="submit"]')
    page.wait_for_url(demo_site.url + "/admin/")
    try:
        yield page
    finally:
        context.close()


def test_sign_up_confirm_post_and_a_moderator_approves(demo_site, watched_page, moderator_page):
    page, watch = watched_page
    email = f"browser.{int(time.time())}@readers.example"
    page.goto(demo_site.url + "/accounts/signup/?next=/forums/")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    name = f"Browser Reader {int(time.time())}"  # unique: no two readers' names look alike
    page.fill('input[name="display_name"]', name)
    page.click('main form button[type="submit"]')  # not the masthead's search
    page.wait_for_load_state()
    link = mailed_link(demo_site.var.parent / "demo.log", "/accounts/confirm-email/")
    page.goto(link)
    page.click('main form button[type="submit"]')
    page.wait_for_load_state()
    page.goto(demo_site.url + "/forums/site/")
    page.click("ul.forum-topics a")
    page.fill("#forum-text", "My first post, from a real browser.")
    page.click('form.forum-form button[type="submit"]')
    page.wait_for_selector("#post-held")
    topic_url = page.url.split("?")[0]
    # its author sees it, marked as held; no one else does until a moderator approves it
    held = page.locator("article.forum-post-held")
    assert "My first post, from a real browser." in held.inner_text()
    assert "Awaiting moderation" in held.inner_text()
    # a reader who is not signed in (http://127.0.0.1: the demo this test started)
    with urllib.request.urlopen(topic_url) as response:  # noqa: S310
        assert "My first post, from a real browser." not in response.read().decode()

    moderator_page.goto(demo_site.url + "/admin/snippets/forums/post/?status=held")
    moderator_page.click('a[aria-label^="Approve: "]')
    moderator_page.click('form[action*="/admin/bulk/"] button[type="submit"]')
    moderator_page.wait_for_load_state()

    page.goto(topic_url)
    assert "My first post, from a real browser." in page.content()
    assert name in page.content()
    assert page.locator("article.forum-post-held").count() == 0  # approved: shown to all

    # follow the topic as a daily digest, then edit the post
    page.select_option("#follow-mode", "digest")
    page.click('form.forum-follow button[value="follow"]')
    page.wait_for_selector("text=You follow this topic by e-mail.")
    assert page.input_value("#follow-mode") == "digest"
    page.click("article.forum-post:last-of-type .forum-post-actions >> text=Edit")
    page.fill("#forum-text", "My first post, from a real browser, edited.")
    page.click('form.forum-form button[type="submit"]')
    page.wait_for_selector(".forum-post-edited")
    assert "My first post, from a real browser, edited." in page.content()
    watch.assert_clean()
