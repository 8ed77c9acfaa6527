"""How feeds and sitemaps scale with the number of stories.

    .venv/bin/python bench/syndication_scale.py 3000

Builds a throwaway SQLite newsroom under a temporary BROADSHEET_VAR_DIR with N stories spread
over ten years in three sections (pages added live without revisions, to build quickly), then
prints the time of each syndication file and of the baking helpers (median of 3 runs, ms).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ["BROADSHEET_VAR_DIR"] = tempfile.mkdtemp(prefix="synd-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")


def build(n: int) -> None:
    import datetime as dt

    from django.core.management import call_command

    from broadsheet.newsroom.models import StoryPage
    from broadsheet.newsroom.tree import ensure_section

    call_command("migrate", interactive=False, verbosity=0)
    sections = [ensure_section(t) for t in (["Iran"], ["Iran", "Iran Opposition"], ["World"])]
    start = dt.datetime(1998, 1, 1, tzinfo=dt.UTC)
    body = [{"type": "paragraph", "value": "<p>" + "A paragraph of the story. " * 40 + "</p>"}]
    for i in range(n):
        sections[i % 3].add_child(
            instance=StoryPage(
                title=f"Story {i}",
                slug=f"story-{i}",
                standfirst="What happened, in one sentence.",
                published_at=start + dt.timedelta(hours=29 * i),
                live=True,
                body=body,
            )
        )


def timed(label: str, fn, runs: int = 3) -> None:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    size = len(result[0]) if isinstance(result, tuple) else len(result)
    print(f"{statistics.median(times):9.1f} ms  {size:>9}  {label}")


def main() -> None:
    import django

    django.setup()
    from broadsheet.newsroom.catalogue import LiveSource
    from broadsheet.newsroom.models import StoryPage
    from broadsheet.syndication import baking

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    t = time.perf_counter()
    build(n)
    print(f"built {n} stories in {time.perf_counter() - t:.1f} s")
    last = StoryPage.objects.order_by("-published_at").first()
    year = last.published_at.year
    print("   median      bytes  what")
    for path in (
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        f"/sitemaps/stories-{year}.xml",
        "/sitemaps/stories-2000.xml",
        "/sitemap-news.xml",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/iran/feed/rss.xml",
        "/robots.txt",
    ):
        timed(path, lambda p=path: baking.render_path(p))
    timed("all_paths()", baking.all_paths)
    card = LiveSource().cards([last.id])[0]
    timed("paths_for_story_change(None, newest)", lambda: baking.paths_for_story_change(None, card))


if __name__ == "__main__":
    main()
