"""Benchmark: a flood of reader posts against two app processes sharing Redis, and what a
legitimate reader sees meanwhile.

Starts gunicorn (2 workers, test settings, a migrated SQLite file, ``CACHE_URL`` = the Redis on
127.0.0.1:6379 with a fresh key prefix, ``TRUSTED_PROXIES=127.0.0.1`` so that the load
generator can name the client address in ``X-Forwarded-For`` as nginx would). Then, for
``--seconds``, one thread posts comments at ``--rate`` a minute from ``--flood-addresses``
addresses in turn, while another posts one comment every ``--legit-every`` seconds, each from a
new address. Prints the flood's accepted (303) and refused (429) posts, and the legitimate
posts' answers and latency (p50, p99, max).

Run: ``.venv/bin/python bench/flood.py [--seconds 60] [--rate 200] [--flood-addresses 1]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing

REPO = Path(__file__).resolve().parent.parent
SECRET = "test-only-insecure-key"  # noqa: S105 - broadsheet.settings.test's, not a secret
settings.configure(SECRET_KEY=SECRET)


def token(story_id: int) -> str:
    """A form token issued 10 s ago (as the live app's answer page would give)."""
    payload = {"k": "comment", "t": str(story_id), "at": int(time.time()) - 10}
    return signing.Signer(salt="broadsheet.discussion.form").sign_object(payload)


def post(port: int, story_id: int, address: str, text: str) -> tuple[int, float]:
    body = urllib.parse.urlencode(
        {"form_token": token(story_id), "website": "", "story": story_id, "name": "N", "text": text}
    )
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/discussion/comments/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": "127.0.0.1",
            "X-Forwarded-For": address,
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status, (time.perf_counter() - start) * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200, help="flood posts a minute")
    parser.add_argument("--flood-addresses", type=int, default=1)
    parser.add_argument("--legit-every", type=float, default=2.0, help="seconds")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="broadsheet-flood-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"bench-flood-{uuid.uuid4().hex}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "BROADSHEET_VAR_DIR": str(tmp),
    }
    py = [sys.executable, "-m", "broadsheet"]
    subprocess.run([*py, "migrate", "-v0"], env=env, cwd=REPO, check=True)
    made = subprocess.run(
        [
            *py,
            "shell",
            "-c",
            "from broadsheet.content.newsroom.tree import ensure_front_page\n"
            "from tests.content.factories import StoryFactory\n"
            "ensure_front_page('Bench'); print(StoryFactory().id)",
        ],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    story_id = int(made.stdout.split()[-1])
    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*gunicorn, "broadsheet.wsgi:application"],
        env=env,
        cwd=REPO,
    )
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        post(port, story_id, "192.0.2.250", "warm-up")
        flood: list[int] = []
        legit: list[tuple[int, float]] = []
        end = time.monotonic() + args.seconds

        def flooder() -> None:
            n = 0
            while time.monotonic() < end:
                address = f"203.0.113.{n % args.flood_addresses + 1}"
                flood.append(post(port, story_id, address, f"flood {n}")[0])
                n += 1
                time.sleep(max(0.0, 60 / args.rate - 0.001))

        def reader() -> None:
            n = 0
            while time.monotonic() < end:
                legit.append(post(port, story_id, f"198.51.{n // 250}.{n % 250 + 1}", f"ok {n}"))
                n += 1
                time.sleep(args.legit_every)

        threads = [threading.Thread(target=flooder), threading.Thread(target=reader)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(ms for _, ms in legit)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"flood: {len(flood)} posts in {args.seconds:.0f} s from {args.flood_addresses} "
        f"address(es): {flood.count(303)} accepted, {flood.count(429)} refused (429), "
        f"{len(flood) - flood.count(303) - flood.count(429)} other"
    )
    print(
        f"legitimate: {len(legit)} posts, {sum(1 for s, _ in legit if s == 303)} accepted; "
        f"latency ms p50 {statistics.median(latencies):.0f}, p99 {p99:.0f}, "
        f"max {latencies[-1]:.0f}"
    )


if __name__ == "__main__":
    main()
