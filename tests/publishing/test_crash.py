"""Crash safety: a bake killed part-way (SIGKILL) leaves every page whole — old or new, never
half-written — and the next bake completes the work.

The bakes run as subprocesses (``broadsheet bake``) against a real database: a SQLite file, or
the PostgreSQL test database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import DEMO_STORIES, REPO

from .conftest import baked_paths


def broadsheet(env: dict[str, str], *args: str, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )
    assert result.returncode == 0, f"broadsheet {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


def base_env(folder: Path) -> dict[str, str]:
    """The environment of a ``broadsheet`` process whose var folder is in ``folder``."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.dev",
        BROADSHEET_VAR_DIR=str(folder / "var"),
        DEBUG="0",
        SECRET_KEY="test-only",
        BROADSHEET_STATIC_SEARCH="0",
    )
    return env


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite, a folder with a database file migrated and holding the demo's stories, and
    its var folder: made once (a migrate and an import, in processes of their own) for the
    tests of this module, which each work on a copy. None on PostgreSQL."""
    if connection.vendor != "sqlite":
        return None
    folder = tmp_path_factory.mktemp("crash-demo")
    env = dict(base_env(folder), DATABASE_URL=f"sqlite:///{folder / 'crash.sqlite3'}")
    broadsheet(env, "migrate", "--no-input", "-v", "0")
    broadsheet(env, "import", "stories", str(DEMO_STORIES))
    return folder


@pytest.fixture
def subprocess_env(transactional_db, tmp_path, sqlite_demo) -> dict[str, str]:
    env = base_env(tmp_path)
    if sqlite_demo is not None:
        shutil.copytree(sqlite_demo, tmp_path, dirs_exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return env
    if connection.vendor == "postgresql":
        # a transactional test flushes the tables, data migrations' rows too: the demo's
        # stories have lead images, which go into Wagtail's root collection
        from wagtail.models import Collection

        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        )
    broadsheet(env, "import", "stories", str(DEMO_STORIES))
    return env


def page_bytes(output: Path) -> dict[str, bytes]:
    return {p: f.read_bytes() for p, f in baked_paths(output).items() if not p.startswith("/_")}


def test_a_killed_bake_leaves_whole_pages_and_the_next_bake_completes(subprocess_env, tmp_path):
    site = tmp_path / "site"
    # the site's own output (a bake into another folder is a copy and records no run)
    env = dict(subprocess_env, BROADSHEET_BAKE_DIR=str(site))
    broadsheet(env, "bake", "--output", str(site), "--base-url", "https://old.example")
    old = page_bytes(site)
    reference = tmp_path / "reference"
    # the reference is baked by two processes, the completing run below by one: same bytes
    broadsheet(
        env, "bake", "--output", str(reference), "--base-url", "https://new.example", "--jobs", "2"
    )
    new = page_bytes(reference)
    assert old.keys() == new.keys() and all(old[p] != new[p] for p in old if p.endswith("/"))

    slow = dict(env, BROADSHEET_BAKE_TEST_DELAY="0.2")
    cmd = [sys.executable, "-m", "broadsheet", "bake", "--output", str(site)]
    proc = subprocess.Popen(
        [*cmd, "--base-url", "https://new.example", "--no-progress"], env=slow, cwd=REPO
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:  # wait until the bake is part-way
            done = sum(1 for p, data in page_bytes(site).items() if data == new[p] != old[p])
            if done >= 3:
                break
            assert proc.poll() is None, "the bake finished before it could be killed"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    middle = page_bytes(site)
    assert middle.keys() == old.keys(), "no page went missing"
    whole = [p for p in middle if middle[p] in (old[p], new[p])]
    assert len(whole) == len(middle), "every page is the old or the new one, complete"
    renewed = [p for p in middle if middle[p] == new[p] != old[p]]
    kept = [p for p in middle if middle[p] == old[p] != new[p]]
    assert renewed and kept, "the bake was killed part-way"

    result = broadsheet(env, "bake", "--output", str(site), "--no-progress")
    assert page_bytes(site) == new, "the next bake completed the work"
    assert not list(site.rglob(".tmp-bake-*")), "leftover temporary files are cleaned up"
    assert "0 failed" in result.stdout
    status = broadsheet(
        env,
        "shell",
        "-c",
        "from broadsheet.publishing.models import BakeRun;"
        "print(sorted(BakeRun.objects.values_list('status', flat=True)))",
    )
    assert "interrupted" in status.stdout


def test_the_static_search_index_is_there_at_every_moment_of_a_full_bake(subprocess_env, tmp_path):
    """The index is replaced in place, never deleted first: ``/pagefind/pagefind.js`` (and the
    entry file it loads) exist throughout a full bake — its pages, then the index build —, and
    a bake killed while indexing leaves the previous index."""
    env = dict(subprocess_env, BROADSHEET_STATIC_SEARCH="1")
    site = tmp_path / "site"
    broadsheet(env, "bake", "--output", str(site), "--no-progress")
    entry = site / "pagefind" / "pagefind.js"
    assert entry.is_file()
    slow = dict(env, BROADSHEET_BAKE_TEST_DELAY="0.02")
    cmd = [sys.executable, "-m", "broadsheet", "bake", "--output", str(site), "--no-progress"]
    proc = subprocess.Popen([*cmd, "--base-url", "https://new.example"], env=slow, cwd=REPO)
    polls = 0
    try:
        while proc.poll() is None:
            assert entry.is_file(), "pagefind.js went missing during the bake"
            assert (site / "pagefind" / "pagefind-entry.json").is_file()
            polls += 1
            time.sleep(0.005)
    finally:
        proc.wait()
    assert proc.returncode == 0 and polls > 50
    assert entry.is_file()

    # killed while Pagefind runs (its process is the bake's child): the old index stays
    proc = subprocess.Popen([*cmd, "--base-url", "https://other.example"], env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            children = subprocess.run(
                ["ps", "--ppid", str(proc.pid), "-o", "comm="], capture_output=True, text=True
            ).stdout
            if "pagefind" in children:
                break
            time.sleep(0.01)
        else:
            pytest.skip("the bake finished before Pagefind could be caught running")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert entry.is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
