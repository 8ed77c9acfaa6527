"""Browser tests: headless Chromium (Debian's, installed by ``bin/ensure-chromium``) driven by
Playwright against the demo newsroom, started the way the README starts it.

``demo_site`` runs ``broadsheet demo`` in a subprocess (its own SQLite database and baked
folder in a temporary ``var/``, a free port on 127.0.0.1) once per test worker; browser test
modules set ``pytestmark = BROWSER``: the ``browser`` marker (``make test`` runs them once, in
the SQLite run) and the ``browser`` xdist group, so one worker runs them all
(``--dist loadgroup``).
``watched_page`` opens a fresh browser context and records what a reader's browser would
complain about: console errors (Content-Security-Policy violations among them), answers of 400
and over, failed requests and any request to another origin. These tests touch no test database.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
LIVENESS_MS = 120_000  # the longest any browser step may wait before the test fails
BROWSER = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 600) -> None:
    """Poll ``url`` until it answers; fail with the server's log if it exits or times out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer in {seconds} s:\n{log.read_text()[-4000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def child_environment(var_dir: Path) -> dict[str, str]:
    """The environment of a fresh machine's demo: none of the test run's settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BROADSHEET_", "DATABASE_URL", "CACHE_URL"))
    }
    env["BROADSHEET_VAR_DIR"] = str(var_dir)
    return env


@dataclass
class DemoSite:
    """The running demo: ``url`` (``http://127.0.0.1:PORT``, no trailing slash), the admin's
    printed ``password``, its ``var`` folder (the baked site is ``var / "site"``)."""

    url: str
    password: str
    var: Path


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    var = tmp_path_factory.mktemp("demo-var")
    log = var.parent / "demo.log"
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "broadsheet", "demo", "--port", str(port)],
            cwd=REPO,
            env=child_environment(var),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url + "/", process, log)
        found = re.search(r"password: (\S+)", log.read_text())
        assert found, log.read_text()
        yield DemoSite(url=url, password=found.group(1), var=var)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def baked_copy_url(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the demo's baked folder served by a plain static file server (Python's
    ``http.server``): the site as a mirror or a USB stick has it, with no app behind it."""
    folder = tmp_path_factory.mktemp("baked-copy") / "site"
    shutil.copytree(demo_site.var / "site", folder)
    log = folder.parent / "http.log"
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url + "/", process, log, seconds=60)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: run bin/ensure-chromium (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def navigation_abort(request) -> bool:
    """Whether a failed request is the favicon that Chromium fetches after the page has loaded
    and cancels (``net::ERR_ABORTED``) when the test moves on: not a failure of the page."""
    return "/favicon." in request.url and (request.failure or "").endswith("ERR_ABORTED")


@dataclass
class Watch:
    """What the browser reported while a test ran: console ``errors`` (CSP violations are
    console errors in Chromium), ``failed`` requests and ``foreign`` requests (any origin but
    the page's own)."""

    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.refused == [], self.refused
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


@pytest.fixture
def watched_page(chromium) -> Iterator[tuple[object, Watch]]:
    """A new page at desktop width and its :class:`Watch`. Requests to ``data:`` and
    ``blob:`` URLs are the page's own; anything else must be on 127.0.0.1 (tests compare the
    port themselves)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    # A loaded CI machine can take long over a page; a time limit here is only a liveness
    # bound (nothing is measured by it).
    context.set_default_timeout(LIVENESS_MS)
    page = context.new_page()
    watch = Watch()

    def on_console(message) -> None:
        if message.type == "error":
            watch.errors.append(f"{page.url}: {message.text}")

    def on_request(request) -> None:
        watch.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.hostname != "127.0.0.1":  # every server of these tests is on 127.0.0.1
            watch.foreign.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"{page.url}: {error}"))
    page.on("request", on_request)
    page.on(
        "requestfailed",
        lambda request: None if navigation_abort(request) else watch.failed.append(request.url),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and watch.refused.append(f"{response.status} {response.url}")
        ),
    )
    try:
        yield page, watch
    finally:
        context.close()
