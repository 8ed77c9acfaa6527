"""Time the importers on generated inputs: a feed of N entries (default 730), a WordPress
export of M posts (default 1,000) and K story files (default 1,000), each imported into a
fresh SQLite database; the feed and the export are then imported again unchanged (no
revision is written when nothing changed; unchanged story files are left alone too, but a
second import of them is not timed here). Prints CPU and wall seconds, min / median / max
over the runs, and items per second; asserts nothing. ``--bars`` sets the issue's sizes
(a 730-item feed, 10,000 posts, 10,000 story files); ``--only feed,wxr,stories`` picks.

    .venv/bin/python bench/import.py [--feed N] [--wxr M] [--stories K] [--runs R] [--bars]
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


def story_files(folder: Path, n: int) -> None:
    """``n`` story files in ``folder``, in eight sections, with bylines, tags and a pull quote."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:05d}.md").write_text(
            f"""---
headline: "Story {i}: {text(i, 8)}"
slug: story-{i}
section: [Section {i % 8}]
standfirst: {text(i + 2, 20)}.
byline: {{authors: [Writer {i % 7}], credit: Bench}}
published: 2019-03-05T08:{i % 60:02d}:00+00:00
tags: [Topic {i % 9}]
---

{text(i, 60)}.

::: pullquote
{text(i + 5, 12)}.
:::

{text(i + 3, 80)}.
""",
            encoding="utf-8",
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
    from broadsheet.importers.storyfiles import import_story_files
    from broadsheet.importers.wxr import import_wxr

    var = Path(os.environ["BROADSHEET_VAR_DIR"])
    only = set(args.only.split(","))
    (var / "feed.xml").write_text(feed(args.feed), encoding="utf-8")
    (var / "export.xml").write_text(wxr(args.wxr), encoding="utf-8")
    story_files(var / "stories", args.stories)
    call_command("migrate", verbosity=0)
    ensure_front_page("Bench")
    out: dict[str, list[float]] = {}
    runs = []
    if "feed" in only:
        runs += [
            (f"feed, {args.feed} entries", lambda: import_feed(var / "feed.xml"), args.feed),
            ("feed again, unchanged", lambda: import_feed(var / "feed.xml"), args.feed),
        ]
    if "wxr" in only:
        runs += [
            (f"wxr, {args.wxr} posts", lambda: import_wxr(var / "export.xml"), args.wxr),
            ("wxr again, unchanged", lambda: import_wxr(var / "export.xml"), args.wxr),
        ]
    if "stories" in only:
        runs += [
            (
                f"story files, {args.stories}",
                lambda: import_story_files([var / "stories"]),
                args.stories,
            ),
        ]
    for label, fn, items in runs:
        report, wall, cpu = timed(fn)
        if report.failures:
            raise SystemExit(f"{label}: {report.failures[:3]}")
        out[label] = [wall, cpu, items]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feed", type=int, default=730)
    parser.add_argument("--wxr", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bars", action="store_true", help="730 entries, 10,000 posts/files")
    parser.add_argument("--only", default="feed,wxr,stories")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bars:
        args.feed, args.wxr, args.stories = 730, 10_000, 10_000
    if args.one:
        print(json.dumps(one_run(args)))
        return
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    load_before = os.getloadavg()
    figures: dict[str, list[list[float]]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "BROADSHEET_VAR_DIR": var}
            argv = [sys.executable, __file__, "--one", "--feed", str(args.feed)]
            argv += ["--wxr", str(args.wxr), "--stories", str(args.stories), "--only", args.only]
            done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
            for label, values in json.loads(done.stdout.strip().splitlines()[-1]).items():
                figures.setdefault(label, []).append(values)
    load = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(load_before, os.getloadavg(), strict=True))
    print(f"commit {commit}, {args.runs} run(s); load average 1/5/15 min (before/after): {load}")
    print(f"{'import':28} {'wall s min/med/max':>24} {'CPU s min/med/max':>24} {'items/s':>8}")
    for label, runs in figures.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        rate = runs[0][2] / statistics.median(walls)
        print(f"{label:28} {spread(walls):>24} {spread(cpus):>24} {rate:8.1f}")


if __name__ == "__main__":
    main()
