"""Rate limits hold across processes: two app processes (gunicorn) sharing the Redis on
127.0.0.1:6379 let one address through exactly the per-address limit, not twice it."""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from broadsheet.content.discussion.models import Comment
from broadsheet.discussion import guard
from tests.content.factories import StoryFactory

from .smtp import free_port

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
NOW = 1_900_000_020  # 20 s into a minute: every post of the test falls in the same window


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS_URL


def database_url(tmp_path: Path) -> str:
    """A URL the app processes can open that holds this test's committed data: a copy of the
    in-memory SQLite test database, or the PostgreSQL test database itself."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = tmp_path / "app.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    user = urllib.parse.quote(db.get("USER") or "")
    auth = f"{user}:{urllib.parse.quote(db['PASSWORD'])}@" if db.get("PASSWORD") else f"{user}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_app(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "tests.discussion.pinned_wsgi:application",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, port


def wait_for(process: subprocess.Popen, port: int) -> None:
    for _ in range(600):  # at most a minute
        if process.poll() is not None:
            raise AssertionError(f"app process ended: {process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("app process did not listen within a minute")


def post_comment(port: int, story_id: int, n: int) -> int:
    body = urllib.parse.urlencode(
        {
            "form_token": guard.issue_token("comment", story_id, NOW - 10),
            "website": "",
            "story": str(story_id),
            "name": "Flood",
            "text": f"Post number {n} of the flood.",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/discussion/comments/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"},
    )
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.slow  # two app servers start: ~20 s
@pytest.mark.django_db(transaction=True)
def test_two_app_processes_on_redis_let_one_address_exactly_the_limit(
    front_page, tmp_path, redis_url
):
    story = StoryFactory()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.test",
        DATABASE_URL=database_url(tmp_path),
        CACHE_URL=redis_url,
        CACHE_KEY_PREFIX=f"broadsheet-test-{uuid.uuid4().hex}",
        PINNED_CLOCK=str(NOW),
        BROADSHEET_VAR_DIR=str(tmp_path),
    )
    apps = [start_app(env), start_app(env)]
    try:
        for process, port in apps:
            wait_for(process, port)
        statuses = [post_comment(apps[n % 2][1], story.id, n) for n in range(30)]
    finally:
        for process, _ in apps:
            process.terminate()
            process.wait(timeout=30)
    limit = guard.conf.get("RATE_PER_ADDRESS_MINUTE")
    assert statuses.count(303) == limit, statuses
    assert statuses.count(429) == 30 - limit
    assert stored_comments(env["DATABASE_URL"]) == limit


def stored_comments(url: str) -> int:
    """Comments named "Flood" in the database the app processes wrote to."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            table = Comment._meta.db_table
            query = f"SELECT count(*) FROM {table} WHERE name = 'Flood'"  # noqa: S608
            return db.execute(query).fetchone()[0]
    return Comment.objects.filter(name="Flood").count()
