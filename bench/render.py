"""Benchmark: the cost of a story page served live vs rendered by the shared renderer.

Usage: .venv/bin/python bench/render.py [--stories N] [--repeat R]

Creates N stories (story files generated in a temporary folder, imported into a fresh SQLite
database in a temporary folder), then measures, per story page:
  * live:      GET through Django's request cycle (test client: middleware, Wagtail routing)
  * renderer:  Renderer.story() with a LiveSource (the bulk path the baker uses)
and prints min / median / max of R rounds, in ms per page, with the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def story_file(i: int, rng: random.Random) -> str:
    words = " ".join(
        rng.choice(
            [
                "news",
                "agency",
                "exile",
                "council",
                "report",
                "Paris",
                "vote",
                "minister",
                "court",
                "market",
            ]
        )
        for _ in range(700)
    )
    paragraphs = "\n\n".join(words[j : j + 600] for j in range(0, len(words), 600))
    section = rng.choice(["Iran", "Middle East", "Culture", "Human Rights"])
    return (
        f"---\nheadline: Bench story {i}\nsection: [{section}]\nstandfirst: A standfirst.\n"
        f"byline: {{authors: [Writer {i % 7}], credit: IPS}}\n"
        "dateline: {place: Paris, agency: IPS}\n"
        f"published: 20{10 + i % 10}-0{1 + i % 9}-1{i % 9}T12:00:00+00:00\n"
        f"tags: [Tag {i % 13}, Tag {i % 5}]\n---\n\n{paragraphs}\n\n"
        "::: pullquote\nA pull quote.\n:::\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    os.environ["BROADSHEET_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from broadsheet.content.newsroom.models import StoryPage
    from broadsheet.content.newsroom.tree import ensure_front_page
    from broadsheet.importers.storyfiles import import_story_files
    from broadsheet.site.build import make_build
    from broadsheet.site.registry import registry

    call_command("migrate", verbosity=0)
    ensure_front_page()
    rng = random.Random(42)
    files = work / "stories"
    files.mkdir()
    for i in range(args.stories):
        (files / f"s{i}.md").write_text(story_file(i, rng), encoding="utf-8")
    t0 = time.perf_counter()
    report = import_story_files([files])
    import_s = time.perf_counter() - t0
    stories = list(StoryPage.objects.live())
    client = Client(HTTP_HOST="127.0.0.1")
    live, rendered = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for s in stories:
            assert client.get(s.url).status_code == 200
        live.append((time.perf_counter() - t0) * 1000 / len(stories))
        t0 = time.perf_counter()
        build = make_build()
        kind = registry.kind("story")
        for s in stories:
            kind.render(build, path=s.url.strip("/"))
        rendered.append((time.perf_counter() - t0) * 1000 / len(stories))
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus, "
        f"Python {platform.python_version()}, SQLite"
    )
    print(
        f"imported {report.created} story files in {import_s:.1f} s "
        f"({import_s * 1000 / max(report.created, 1):.1f} ms per story, through Wagtail revisions)"
    )
    for name, values in (("live request", live), ("renderer", rendered)):
        print(
            f"{name:>13}: ms/page min {min(values):.2f}  median {statistics.median(values):.2f}  "
            f"max {max(values):.2f}  ({args.repeat} rounds x {len(stories)} pages)"
        )


if __name__ == "__main__":
    main()
