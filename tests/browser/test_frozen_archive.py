"""A frozen archive in a reader's browser: opened from ``file://`` and served from a sub-path
of a plain static server (``http://127.0.0.1:PORT/archive/``), its pages load with their
stylesheet, no request leaves the folder, and search finds the seed story by "Noah's Ark"
both ways (Pagefind over HTTP, the plain-script records from ``file://``)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import (
    BROWSER,
    REPO,
    DemoSite,
    child_environment,
    free_port,
    navigation_abort,
    stop,
    wait_for,
)

pytestmark = BROWSER

SEED = "iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/index.html"
PAGES = ["index.html", SEED, "archives/index.html", "archives/2007/06/index.html"]


@pytest.fixture(scope="module")
def frozen(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo newsroom frozen into ``<tmp>/served/archive`` — from a copy of its database,
    so the running demo stays open for the other tests."""
    var = tmp_path_factory.mktemp("frozen-var")
    source = sqlite3.connect(demo_site.var / "broadsheet.sqlite3")
    target = sqlite3.connect(var / "broadsheet.sqlite3")
    source.backup(target)
    source.close()
    target.close()
    if (demo_site.var / "media").is_dir():
        shutil.copytree(demo_site.var / "media", var / "media")
    folder = var.parent / "served" / "archive"
    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", "freeze", "--output", str(folder), "--no-progress"],
        cwd=REPO,
        env=child_environment(var),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.fixture(scope="module")
def served(frozen: Path) -> Iterator[str]:
    """The folder's parent served by ``http.server``: the archive at ``/archive/``."""
    log = frozen.parent.parent / "served-http.log"
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=frozen.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/archive/"
        wait_for(url, process, log, seconds=60)
        yield url
    finally:
        stop(process)


@pytest.fixture
def fenced(chromium):
    """``fenced(base)``: a page whose every request outside ``base`` (the folder's URL) is
    recorded and refused; returns (page, record) with record's ``outside``, ``failed``,
    ``errors``, ``requests``."""
    contexts = []

    def make(base: str):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        record = {"outside": [], "failed": [], "errors": [], "requests": []}

        def route(r):
            url = r.request.url
            record["requests"].append(url)
            if url.startswith(base) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                record["outside"].append(url)
                r.abort()

        context.route("**/*", route)
        page.on(
            "requestfailed",
            lambda req: None if navigation_abort(req) else record["failed"].append(req.url),
        )
        page.on("pageerror", lambda e: record["errors"].append(str(e)))
        page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
        page.on(
            "response", lambda r: r.status >= 400 and record["failed"].append(f"{r.status} {r.url}")
        )
        return page, record

    yield make
    for context in contexts:
        context.close()


def check_pages_and_search(page, record, base: str) -> None:
    for rel in PAGES:
        page.goto(base + rel)
        assert page.locator(".site-notice").count() == 1, rel
        # the stylesheet applied: the masthead is laid out by site.css, not the browser default
        loaded = page.evaluate(
            "[...document.styleSheets].some(s => (s.href || '').includes('/broadsheet/site.'))"
            " && getComputedStyle(document.querySelector('.skip-link')).position !== 'static'"
        )
        assert loaded, f"{rel}: the stylesheet did not load"
        assert page.locator("form").count() == 0, rel
    assert any("/static/broadsheet/site." in u for u in record["requests"])
    # search: the box is no form; the script opens ?q=… and lists the seed story
    page.goto(base + "search/index.html")
    page.fill("#search-q", "Noah's Ark")
    page.click("[data-search-box] button")
    link = page.locator(".search-hit a").first
    link.wait_for(timeout=30_000)
    assert "Solidarity" in link.inner_text()
    href = link.get_attribute("href")
    assert href.startswith(base) and href.endswith(SEED), href
    link.click()
    page.wait_for_url(base + SEED)
    assert record["outside"] == [], record["outside"]
    assert record["failed"] == [], record["failed"]
    assert record["errors"] == [], record["errors"]


def test_the_archive_opens_from_file(frozen, fenced):
    base = frozen.as_uri() + "/"
    page, record = fenced(base)
    check_pages_and_search(page, record, base)
    assert not any("pagefind.js" in u for u in record["requests"])  # the plain-script index


def test_the_archive_opens_from_a_sub_path_over_http(served, fenced):
    page, record = fenced(served)
    check_pages_and_search(page, record, served)
    assert any(u.endswith("/archive/pagefind/pagefind.js") for u in record["requests"])
