"""An editor in a real browser: signs in to the demo's admin, adds a story in a section with a
headline and a body, presses Publish once, and the worker bakes it onto the public site. The
admin screens the newsroom's guide shows (docs/editors.md) are photographed on the way: with
``BROADSHEET_SCREENSHOTS=docs/screenshots`` they are written there, else into the test's
temporary folder (so they are taken, and must succeed, on every run)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import BROWSER, REPO, child_environment

pytestmark = BROWSER

HEADLINE = "Tehran: the bakers' strike enters its third day"
BODY = "Bakeries across the capital stayed shut on Wednesday."


def section_id(demo_site, slug: str) -> int:
    """The page id of the demo's section ``slug`` (read from the demo's own SQLite file)."""
    with sqlite3.connect(demo_site.var / "broadsheet.sqlite3") as db:
        row = db.execute(
            "SELECT p.id FROM wagtailcore_page p JOIN newsroom_sectionpage s"
            " ON s.page_ptr_id = p.id WHERE p.slug = ?",
            (slug,),
        ).fetchone()
    assert row, f"no section {slug!r} in the demo"
    return row[0]


def stories_headed(demo_site, headline: str) -> list[tuple[int, int]]:
    """``(live, 1 if it has a publication date)`` of every page titled ``headline`` in the
    demo's database."""
    with sqlite3.connect(demo_site.var / "broadsheet.sqlite3") as db:
        return db.execute(
            "SELECT p.live, s.published_at IS NOT NULL FROM wagtailcore_page p"
            " JOIN newsroom_storypage s ON s.page_ptr_id = p.id WHERE p.title = ?",
            (headline,),
        ).fetchall()


def screenshot(page, name: str, folder: Path) -> Path:
    """Save the visible part of ``page`` as ``folder/name.png``, reduced to a 128-colour
    palette (admin screens are flat colours: a few tens of KB instead of hundreds)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128).save(path, optimize=True)
    return path


@pytest.fixture
def shots(tmp_path) -> Path:
    chosen = os.environ.get("BROADSHEET_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path / "screenshots"


@pytest.fixture
def admin_page(demo_site, chromium):
    """A browser page signed in to the demo's admin as its administrator."""
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


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_story_typed_and_published_once_reaches_the_baked_site(demo_site, admin_page, shots):
    page = admin_page
    iran = section_id(demo_site, "iran")
    page.goto(f"{demo_site.url}/admin/pages/add/newsroom/storypage/{iran}/")
    page.fill("#id_title", HEADLINE)
    # The body is a StreamField: insert a paragraph block and type into its rich-text editor.
    page.locator("[data-streamfield-stream-container] button").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type(BODY)
    page.locator("#id_title").scroll_into_view_if_needed()
    screenshot(page, "story-editor-story-tab", shots)
    page.get_by_role("tab", name="Publishing").click()
    screenshot(page, "story-editor-publishing-tab", shots)

    # Publish is in the footer's action menu: open it, press Publish once.
    publish = page.locator('button[name="action-publish"]')
    if not publish.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    publish.click()
    # Published: Wagtail leaves the add form for the section's page list (on an error it
    # would show the form again, with the error).
    page.wait_for_url(lambda url: "/admin/pages/add/" not in url, timeout=60_000)
    assert "created and published" in page.locator("main").inner_text()
    assert stories_headed(demo_site, HEADLINE) == [(1, 1)], "one story, live (no stray draft)"

    # The worker re-bakes: the story's page appears in the baked folder and at its address,
    # and the section front lists it.
    path = "/iran/tehran-the-bakers-strike-enters-its-third-day/"
    baked = demo_site.var / "site" / path.strip("/") / "index.html"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not baked.is_file():
        time.sleep(0.5)
    assert baked.is_file(), "the worker did not bake the story"
    assert HEADLINE.replace("'", "&#39;") in baked.read_text() or HEADLINE in baked.read_text()
    status, html = fetch(demo_site.url + path)
    assert status == 200 and BODY in html
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and path not in fetch(demo_site.url + "/iran/")[1]:
        time.sleep(0.5)
    assert path in fetch(demo_site.url + "/iran/")[1], "the section front lists the story"


def waiting_comment(demo_site, text: str) -> None:
    """A reader's comment waiting for moderation on the demo's seed story, written by the
    demo's own command line (``broadsheet shell``) into its database."""
    code = (
        "from broadsheet.content.discussion.models import Comment;"
        "from broadsheet.content.newsroom.models import StoryPage;"
        "story = StoryPage.objects.get(slug='iran-national-solidarity-to-create-an-alternative');"
        f"Comment.objects.create(story=story, name='Parisa', text={text!r})"
    )
    subprocess.run(
        [sys.executable, "-m", "broadsheet", "shell", "-c", code],
        env=child_environment(demo_site.var),
        cwd=REPO,
        check=True,
        capture_output=True,
    )


def test_admin_screens_for_the_guide(demo_site, admin_page, shots):
    """The dashboard (the desk, with the comment waiting) and the comment moderation queue,
    whose row names the story by its headline and offers Approve, Spam and Remove."""
    waiting_comment(demo_site, "Which bakeries are open on Friday?")
    page = admin_page
    page.goto(demo_site.url + "/admin/")
    desk = page.locator("main").inner_text()
    assert "The desk" in desk and "Comments to moderate" in desk, desk
    screenshot(page, "dashboard", shots)
    page.goto(demo_site.url + "/admin/snippets/discussion/comment/")
    row = page.locator("tbody tr").filter(has_text="Which bakeries are open")
    assert row.count() == 1
    text = row.inner_text()
    assert "Solidarity" in text, f"the story's headline, not its id: {text}"
    for action in ("Approve", "Spam", "Remove"):
        assert (
            row.get_by_role("button", name=action).count()
            + row.get_by_role("link", name=action).count()
            == 1
        ), f"{action} on the row: {text}"
    screenshot(page, "moderation-queue", shots)


SEED = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"


def test_an_anonymous_reader_asks_nothing_and_sees_no_edit_link(demo_site, watched_page):
    page, watch = watched_page
    page.goto(demo_site.url + SEED)
    page.wait_for_load_state("networkidle")
    assert any("/broadsheet/edit-link." in r for r in watch.requests), "the script is loaded"
    assert not [r for r in watch.requests if "/edit-link/" in r]
    assert page.locator("a.edit-link").count() == 0
    watch.assert_clean()


def test_a_signed_in_editor_sees_edit_this_story_on_the_baked_page(demo_site, admin_page):
    page = admin_page  # signed in: the admin's script has set the browser's flag
    asked = []
    page.on("request", lambda r: "/edit-link/" in r.url and asked.append(r.url))
    response = page.goto(demo_site.url + SEED)
    baked = demo_site.var / "site" / SEED.strip("/") / "index.html"
    assert response is not None and response.body() == baked.read_bytes(), "the baked file"
    link = page.locator("a.edit-link")
    link.wait_for(timeout=15_000)
    assert link.inner_text() == "Edit this story"
    assert link.get_attribute("href").startswith(demo_site.url + "/admin/pages/")
    assert link.get_attribute("href").endswith("/edit/")
    assert len(asked) == 1
    link.click()
    page.wait_for_url("**/edit/")
    assert "Iran National Solidarity" in page.locator("#id_title").input_value()
