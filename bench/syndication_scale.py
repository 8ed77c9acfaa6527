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

    from broadsheet.content.newsroom.models import StoryPage
    from broadsheet.content.newsroom.tree import ensure_section

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
    from broadsheet.content.newsroom.models import StoryPage
    from broadsheet.site.build import make_build
    from broadsheet.site.changes import Change
    from broadsheet.site.registry import registry

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    t = time.perf_counter()
    build(n)
    print(f"built {n} stories in {time.perf_counter() - t:.1f} s")
    last = StoryPage.objects.order_by("-published_at").first()
    when = last.published_at
    print("   median      bytes  what")

    def render(kind: str, **params):
        return lambda: registry.kind(kind).render(make_build(live=False), **params).data()

    for label, fn in (
        ("/sitemap.xml", render("sitemap-index")),
        ("/sitemaps/pages.xml", render("sitemap-pages")),
        (
            f"/sitemaps/stories-{when:%Y-%m}.xml",
            render("sitemap-month", year=when.year, month=when.month),
        ),
        ("/sitemaps/stories-2000-01.xml", render("sitemap-month", year=2000, month=1)),
        ("/sitemap-news.xml", render("sitemap-news")),
        ("/feeds/rss.xml", render("feed", fmt="rss")),
        ("/feeds/atom.xml", render("feed", fmt="atom")),
        ("/iran/feed/rss.xml", render("section-feed", path="iran", fmt="rss")),
        ("/robots.txt", render("robots")),
    ):
        timed(label, fn)
    state = make_build().read.state(last.id)
    change = Change("story", last.id, before=None, after=state)

    def touched():
        b = make_build()
        return [p for rule in registry.rules if "story" in rule.topics for p in rule.fn(b, change)]

    timed("what a new story touches (every rule)", touched)


if __name__ == "__main__":
    main()
