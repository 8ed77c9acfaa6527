"""Benchmark of the forums' live pages: a topic with 1,000 posts and a board with 10,000
topics.

Prints, for each page (the first and the last page of the topic, the first and the last page
of the board, the forums' index, the latest posts), the SQL queries per request — the same
whatever the size: tests/forums/test_queries.py asserts it — and the render time of ``--repeat``
requests through Django's test client (signed in as a reader, so unread markers and the reply
form are included): CPU and wall time, min / median / p95 / max in ms.
Run: ``.venv/bin/python bench/forums.py [--repeat 50]`` (in-memory SQLite, test settings;
``DATABASE_URL=postgres://…`` for PostgreSQL). docs/forums.md records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=10000)
    args = parser.parse_args()
    setup_test_environment()
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    from broadsheet.content.forums.markup import render
    from broadsheet.content.forums.models import Board, Post, Topic
    from broadsheet.content.forums.services import recount, terms_of
    from broadsheet.content.newsroom.tree import ensure_front_page
    from tests.forums.factories import ReaderUserFactory

    ensure_front_page("Bench")
    reader = ReaderUserFactory()
    board = Board.objects.create(slug="bench", title="Bench board")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    topics = Topic.objects.bulk_create(
        Topic(
            board=board,
            title=f"Topic number {i}",
            author=reader,
            created_at=start + dt.timedelta(minutes=i),
            last_post_at=start + dt.timedelta(minutes=i),
        )
        for i in range(args.topics)
    )
    big = topics[-1]
    text = "A post with *emphasis*, a [link](https://example.org/) and\n\n> a quote."
    html, terms = render(text), terms_of(text)
    Post.objects.bulk_create(
        Post(
            topic=big,
            author=reader,
            text=f"{text} {i}",
            html=html,
            search_terms=terms,
            status="approved",
            created_at=start + dt.timedelta(seconds=i),
        )
        for i in range(args.posts)
    )
    recount()
    print(f"setup: {args.topics} topics, {args.posts} posts in {time.perf_counter() - t0:.1f} s")
    print(f"{platform.python_implementation()} {platform.python_version()}, {connection.vendor}")
    client = Client()
    client.force_login(reader)
    big.refresh_from_db()
    last_topic_page = (big.posts_count + 19) // 20
    last_board_page = (args.topics + 29) // 30
    paths = {
        "topic, page 1": f"/forums/bench/{big.pk}/",
        f"topic, page {last_topic_page}": f"/forums/bench/{big.pk}/page/{last_topic_page}/",
        "board, page 1": "/forums/bench/",
        f"board, page {last_board_page}": f"/forums/bench/page/{last_board_page}/",
        "forums index": "/forums/",
        "latest posts": "/forums/latest/",
    }
    print(f"{'page':<20} {'queries':>7}  {'wall ms min/median/p95/max':>30}  {'cpu ms median':>13}")
    for name, path in paths.items():
        assert client.get(path).status_code == 200, path  # warm up
        connection.queries_log.clear()  # a full log (maxlen) would count nothing
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # now: the next requests clear the connection's log
        walls, cpus = [], []
        for _ in range(args.repeat):
            w, c = time.perf_counter(), time.process_time()
            client.get(path)
            walls.append((time.perf_counter() - w) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        print(
            f"{name:<20} {count:>7}  "
            f"{min(walls):6.1f} / {statistics.median(walls):6.1f} / "
            f"{percentile(walls, 95):6.1f} / {max(walls):6.1f}  {statistics.median(cpus):13.1f}"
        )


if __name__ == "__main__":
    main()
