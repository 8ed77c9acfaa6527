"""Time the importers on generated inputs: a feed of N entries (default 730) and a WordPress
export of M posts (default 1,000), each imported into a fresh SQLite database, then imported
again unchanged (no revision is written when nothing changed). Prints CPU and wall seconds,
min / median / max over the runs, and items per second; asserts nothing.

    .venv/bin/python bench/import.py [--feed N] [--wxr M] [--runs R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = [
    "the",
    "council",
    "met",
    "on",
    "tuesday",
    "to",
    "agree",
    "a",
    "budget",
    "for",
    "the",
    "harbour",
    "and",
    "its",
    "schools",
]


def text(n: int, words: int) -> str:
    return " ".join(WORDS[(n + i) % len(WORDS)] for i in range(words))


def feed(n: int) -> str:
    items = "".join(
        f"<item><title>Story {i}: {text(i, 8)}</title>"
        f"<link>https://paper.example/{2000 + i % 20}/story-{i}/amp</link>"
        f"<guid>https://paper.example/?p={i}</guid>"
        f"<pubDate>Tue, 05 Mar 2019 08:{i % 60:02d}:00 +0000</pubDate>"
        f"<dc:creator>Writer {i % 7}</dc:creator><category>Topic {i % 9}</category>"
        f"<description><![CDATA[<p>{text(i, 60)}.</p><p>{text(i + 3, 80)}.</p>]]></description>"
        "</item>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Paper</title>'
        f"<link>https://paper.example/</link><description>d</description>{items}</channel></rss>"
    )


def wxr(n: int) -> str:
    sys.path.insert(0, str(REPO))
    from tests.importers.factories import wxr_document, wxr_item

    return wxr_document(
        *(
            wxr_item(
                i,
                title=f"Post {i} {text(i, 6)}",
                content=f"{text(i, 60)}.\n\n{text(i + 1, 80)}.",
                categories=((f"c{i % 8}", f"Section {i % 8}"),),
                tags=(f"tag {i % 15}",),
            )
            for i in range(1, n + 1)
        )
    )


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def spread(values: list[float]) -> str:
    return f"{min(values):7.1f} {statistics.median(values):7.1f} {max(values):7.1f}"


def one_run(args: argparse.Namespace) -> dict[str, list[float]]:
    """One run in this process, in a fresh database: ``{label: [wall, cpu, items]}``."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings.dev"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from broadsheet.content.newsroom.tree import ensure_front_page
    from broadsheet.importers.feeds import import_feed
    from broadsheet.importers.wxr import import_wxr

    var = Path(os.environ["BROADSHEET_VAR_DIR"])
    (var / "feed.xml").write_text(feed(args.feed), encoding="utf-8")
    (var / "export.xml").write_text(wxr(args.wxr), encoding="utf-8")
    call_command("migrate", verbosity=0)
    ensure_front_page("Bench")
    out: dict[str, list[float]] = {}
    for label, fn, items in (
        (f"feed, {args.feed} entries", lambda: import_feed(var / "feed.xml"), args.feed),
        ("feed again, unchanged", lambda: import_feed(var / "feed.xml"), args.feed),
        (f"wxr, {args.wxr} posts", lambda: import_wxr(var / "export.xml"), args.wxr),
        ("wxr again, unchanged", lambda: import_wxr(var / "export.xml"), args.wxr),
    ):
        report, wall, cpu = timed(fn)
        if report.failures:
            raise SystemExit(f"{label}: {report.failures[:3]}")
        out[label] = [wall, cpu, items]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feed", type=int, default=730)
    parser.add_argument("--wxr", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args)))
        return
    figures: dict[str, list[list[float]]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "BROADSHEET_VAR_DIR": var}
            argv = [sys.executable, __file__, "--one", "--feed", str(args.feed)]
            argv += ["--wxr", str(args.wxr)]
            done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
            for label, values in json.loads(done.stdout.strip().splitlines()[-1]).items():
                figures.setdefault(label, []).append(values)
    print(f"{'import':28} {'wall s min/med/max':>24} {'CPU s min/med/max':>24} {'items/s':>8}")
    for label, runs in figures.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        rate = runs[0][2] / statistics.median(walls)
        print(f"{label:28} {spread(walls):>24} {spread(cpus):>24} {rate:8.1f}")


if __name__ == "__main__":
    main()
