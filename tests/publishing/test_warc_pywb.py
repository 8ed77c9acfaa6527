"""The frozen archive's WARC replays in pywb, Webrecorder's replay system, as a web archive
would replay it: the demo newsroom is frozen, a pywb collection is made from its
``archive.warc.gz`` (``wb-manager init`` / ``add``), pywb's ``wayback`` server runs on a free
port of 127.0.0.1, and

* pywb's CDX index lists exactly the folder's files, by the URLs they had on the live site
  (every file is in the WARC, and nothing else);
* sampled URLs — the front page, the seed story, an archive page, a stylesheet, the search
  index (``pagefind/``: its entry file and the ``file://`` fallback) and a Persian page —
  fetched in ``id_`` mode (``/<collection>/<timestamp>id_/<live URL>``, the capture's original
  bytes, not rewritten), come back as 200 with the folder's bytes and media type.

pywb runs from its own environment, ``.venv-pywb/`` (``bin/ensure-pywb``: it pins
``redis==2.10.6``, which cannot sit beside the project's ``redis``). ``make test`` installs it
and sets ``BROADSHEET_REQUIRE_PYWB=1``, so the test cannot be skipped there; in a plain pytest
run without ``.venv-pywb/`` it is skipped and says how to install it. It is marked ``pywb``:
``make test`` runs it once, in the SQLite run."""

from __future__ import annotations

import io
import json
import mimetypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command

from .test_warc_replay import url_of

REPO = Path(__file__).resolve().parents[2]
PYWB = REPO / ".venv-pywb" / "bin"
BASE = "https://ips.example.org"  # as in test_warc_replay.url_of
SEED_SLUG = "iran-national-solidarity-to-create-an-alternative"
COLLECTION = "ips"
START_SECONDS = 120  # the longest pywb may take to answer its first request

pytestmark = pytest.mark.pywb


@pytest.fixture
def pywb_bin() -> Path:
    """``.venv-pywb/bin``; a skip (a failure under ``make test``) when pywb is not there."""
    if (PYWB / "wayback").is_file() and (PYWB / "wb-manager").is_file():
        return PYWB
    message = "pywb is not installed in .venv-pywb/: run bin/ensure-pywb (make test does)"
    if os.environ.get("BROADSHEET_REQUIRE_PYWB") == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http only)
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def start_wayback(pywb_bin: Path, root: Path, port: int) -> tuple[subprocess.Popen, Path]:
    """Start ``wayback`` serving the collections under ``root``; wait until it answers."""
    log = root / "wayback.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(pywb_bin / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise AssertionError(f"wayback exited ({process.returncode}): {log.read_text()}")
        try:
            if get(f"http://127.0.0.1:{port}/")[0] == 200:
                return process, log
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(process)
            raise AssertionError(f"wayback did not answer in {START_SECONDS} s: {log.read_text()}")
        time.sleep(0.5)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def files_of(folder: Path) -> list[str]:
    """Every file of ``folder`` but the WARC and the checksums, as POSIX paths."""
    skip = {"archive.warc.gz", "SHA256SUMS"}
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in skip
    )


@pytest.mark.django_db
def test_pywb_replays_the_frozen_warc_with_the_folders_bytes(
    pywb_bin, demo_newsroom, tmp_path, settings
):
    from broadsheet.publishing.archive import unfreeze

    settings.BROADSHEET_STATIC_SEARCH = True
    folder = tmp_path / "archive"
    try:
        call_command(
            "freeze", output=str(folder), base_url=BASE, no_progress=True, stdout=io.StringIO()
        )
    finally:
        unfreeze()
    files = files_of(folder)
    root = tmp_path / "pywb"
    root.mkdir()
    for args in (["init", COLLECTION], ["add", COLLECTION, str(folder / "archive.warc.gz")]):
        subprocess.run(
            [str(pywb_bin / "wb-manager"), *args],
            cwd=root,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = free_port()
    process, log = start_wayback(pywb_bin, root, port)
    try:
        origin = f"http://127.0.0.1:{port}/{COLLECTION}"
        # pywb's own index of the collection: one capture per file, by its live URL
        status, _, body = get(f"{origin}/cdx?url={quote(BASE + '/*', safe='')}&output=json")
        assert status == 200, body[:500]
        captures = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        assert sorted(c["url"] for c in captures) == sorted(url_of(name) for name in files)
        assert {c["status"] for c in captures} == {"200"}
        timestamps = {c["timestamp"] for c in captures}
        assert len(timestamps) == 1  # every record is dated with the moment of the freeze
        stamp = timestamps.pop()

        samples = {
            "front page": "index.html",
            "seed story": next(n for n in files if n.endswith(f"/{SEED_SLUG}/index.html")),
            "archive page": next(
                n for n in files if n.startswith("archives/") and n.endswith("/index.html")
            ),
            "stylesheet": next(n for n in files if n.startswith("static/") and n.endswith(".css")),
            "search entry": "pagefind/pagefind-entry.json",
            "search fallback": "pagefind/fallback.js",
            "Persian page": next(
                n for n in files if n.startswith("fa/") and not n.isascii() and n.endswith(".html")
            ),
        }
        for what, name in samples.items():
            status, kind, body = get(f"{origin}/{stamp}id_/{url_of(name)}")
            assert status == 200, f"{what} ({name}): {status}; {log.read_text()[-2000:]}"
            assert body == (folder / name).read_bytes(), f"{what} ({name}): other bytes"
            expected = "text/html" if name.endswith(".html") else mimetypes.guess_type(name)[0]
            assert kind.split(";")[0] == expected, f"{what} ({name}): {kind}"
        # and a URL the site never had is not made up
        assert get(f"{origin}/{stamp}id_/{BASE}/no-such-page/")[0] == 404
    finally:
        stop(process)
