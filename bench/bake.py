"""Benchmark of static publishing: full bakes, one publish to disk, and Hugo/Pelican.

    .venv/bin/python bench/bake.py --n 1000 10000 [--repeat 3] [--jobs 2] [--compare]

For each N: generates N synthetic stories as story files (bench/corpus.py; seeded), imports them
into a fresh SQLite database (bulk path), then measures

* full bake (``broadsheet bake --jobs J`` into an empty folder), ``--repeat`` times: wall time,
  pages/s, ms/page, peak RSS of the largest process;
* one publish: a new story saved and published through Wagtail (``save_story``: revision +
  publish, as the importer and the admin do), then the queued change baked
  (``process_pending``): time from the publish call to every page on disk, ``--publishes``
  times. (A running ``db_worker`` adds its polling interval, 1 s by default, on top.)
* with ``--compare``: the same corpus built by Hugo (Debian package) and Pelican (installed in
  ``var/bench-venv``, not a project dependency), ``--repeat`` times; ratios of Broadsheet's full
  bake time to theirs (≤ 1.0: Broadsheet is faster).

Prints min/median/max per measurement and the machine; docs/performance.md records results.
Work files go to ``var/bench/`` (reused between runs: corpora and databases are kept).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PY = sys.executable


def env_for(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.dev",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        BROADSHEET_VAR_DIR=str(work / "var"),
        # the corpus's baked folder is the site's own output: its full bake records the baked
        # stories, so a publish after it is baked incrementally (a bake into another folder is
        # a copy, and the queue's next run would bake everything again)
        BROADSHEET_BAKE_DIR=str(work / "site"),
        DEBUG="0",
        PYTHONPATH=str(REPO),
    )
    return env


def measured(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, int, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB of its largest process, stdout)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "sys.stdout.write(p.stdout)\n"
        "sys.stderr.write(p.stderr[-3000:] if p.returncode else '')\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print('@@', wall, u.ru_maxrss, p.returncode, u.ru_utime + u.ru_stime)\n"
    )
    out = subprocess.run(
        [PY, "-c", wrapper, *cmd], env=env, cwd=cwd, capture_output=True, text=True
    )
    last = [line for line in out.stdout.splitlines() if line.startswith("@@ ")][-1]
    _, wall, rss, rc, cpu = last.split()
    if rc != "0":
        raise RuntimeError(f"{cmd} failed: {out.stderr}")
    CPU_SECONDS.append(float(cpu))
    return float(wall), int(rss) // 1024, out.stdout


CPU_SECONDS: list[float] = []  # CPU time (user + system, all processes) of each measured run


def stats(values: list[float]) -> str:
    return f"min {min(values):.3f} / median {statistics.median(values):.3f} / max {max(values):.3f}"


def prepare(n: int, root: Path, compare: bool) -> Path:
    work = root / f"n{n}"
    done = work / "imported"
    if done.exists():  # kept from an earlier run: bring its database up to the code's models
        subprocess.run(
            [PY, "-m", "broadsheet", "migrate", "-v", "0"], env=env_for(work), check=True
        )
        return work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    from bench.corpus import generate

    t = time.perf_counter()
    if compare:
        generate(n, work / "stories", hugo=work / "hugo", pelican=work / "pelican")
    else:
        generate(n, work / "stories")
    also = " (+ Hugo, Pelican)" if compare else ""
    print(f"  generated {n} story files{also} in {time.perf_counter() - t:.1f} s")
    env = env_for(work)
    subprocess.run([PY, "-m", "broadsheet", "migrate", "-v", "0"], env=env, check=True)
    t = time.perf_counter()
    subprocess.run([PY, __file__, "_import", str(work / "stories")], env=env, check=True)
    print(f"  bulk-imported {n} stories in {time.perf_counter() - t:.1f} s")
    done.touch()
    return work


def _import(folder: str) -> None:
    import django

    django.setup()
    from bench.corpus import bulk_import

    bulk_import(Path(folder))


def _publish(output: str, repeat: int) -> None:
    """In the benchmark's database: publish ``repeat`` new stories one by one, each followed
    by its incremental bake; print JSON timings."""
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings

    settings.BROADSHEET_BAKE_ON_CHANGE = True
    from broadsheet.content.newsroom.models import SectionPage
    from broadsheet.importers.storyfiles import parse_story_text, save_story
    from broadsheet.publishing.engine import process_pending
    from broadsheet.publishing.models import BakedStory, BakeRequest
    from broadsheet.publishing.outputs import output_for, read_config

    BakeRequest.objects.all().delete()
    if not read_config(output_for(output)) or not BakedStory.objects.exists():
        raise SystemExit(f"{output} has no full bake yet: bake it first (bench/site_model.py)")
    section = SectionPage.objects.live().order_by("path").first()
    results = []
    for k in range(repeat):
        when = dt.datetime.now(dt.UTC).isoformat()
        sf = parse_story_text(
            f"---\nheadline: Breaking news number {k}\nslug: bench-breaking-{time.time_ns()}\n"
            f"section: {section.title}\nbyline:\n  authors: [Writer 01]\n"
            f"published: {when}\ntags: [Topic 001, Topic 002]\n---\n\n"
            + "A paragraph of the breaking story. "
            * 100
        )
        t0 = time.perf_counter()
        save_story(sf)
        t1 = time.perf_counter()
        c1 = time.process_time()
        run = process_pending(Path(output))
        t2 = time.perf_counter()
        results.append(
            {
                "bake_cpu": time.process_time() - c1,
                "publish": t1 - t0,
                "to_disk": t2 - t0,
                "bake": t2 - t1,
                "written": run.pages_written,
                "rendered": run.pages_rendered,
            }
        )
    print("@@JSON " + json.dumps(results))


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":")[1].strip()
    import sqlite3

    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} CPUs; {mem} RAM; Python "
        f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
        f"load average at start {os.getloadavg()[0]:.1f}"
    )


HUGO_CONFIG = """baseURL = "http://example.org/"
title = "Bench"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
paginate = 20
[taxonomies]
tag = "tags"
author = "authors"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}'
        '</a> {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>'
        '<p>{{ .Date.Format "Monday, January 2, 2006" }}</p>{{ .Content }}'
        "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>"
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        "{{ end }}"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li>'
        '<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ol>'
        '{{ if .Paginator.HasNext }}<a href="{{ .Paginator.Next.URL }}">older</a>{{ end }}'
        "{{ end }}"
    ),
    "_default/terms.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}'
        '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>'
        "{{ end }}</ul>{{ end }}"
    ),
}
PELICAN_CONF = """AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
"""


def hugo_build(work: Path) -> tuple[float, int]:
    site = work / "hugo"
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text)
    shutil.rmtree(site / "public", ignore_errors=True)
    wall, rss, _ = measured(["hugo", "--quiet", "-s", str(site)])
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    return wall, pages, rss


def pelican_build(work: Path) -> tuple[float, int]:
    site = work / "pelican"
    (site / "pelicanconf.py").write_text(PELICAN_CONF)
    shutil.rmtree(site / "output", ignore_errors=True)
    pelican = REPO / "var" / "bench-venv" / "bin" / "pelican"
    wall, rss, _ = measured(
        [
            str(pelican),
            str(site / "content"),
            "-o",
            str(site / "output"),
            "-s",
            str(site / "pelicanconf.py"),
            "-q",
        ],
        cwd=site,
    )
    pages = sum(1 for _ in (site / "output").rglob("*.html"))
    return wall, pages, rss


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--compare", action="store_true", help="also build with Hugo and Pelican")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument(
        "--skip-full",
        action="store_true",
        help="measure only publishes (the output gets static files and config, no full bake)",
    )
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    for n in args.n:
        print(f"\nN = {n:,}")
        work = prepare(n, args.workdir, args.compare)
        env = env_for(work)
        out = work / "site"
        walls, cpus, rsses, pages = [], [], [], 0
        for _ in range(0 if args.skip_full else args.repeat):
            shutil.rmtree(out, ignore_errors=True)
            wall, rss, stdout = measured(
                [
                    PY,
                    "-m",
                    "broadsheet",
                    "bake",
                    "--output",
                    str(out),
                    "--jobs",
                    str(args.jobs),
                    "--no-progress",
                ],
                env=env,
            )
            pages = int(stdout.split(": ", 1)[1].split(" pages rendered")[0])
            walls.append(wall)
            cpus.append(CPU_SECONDS[-1])
            rsses.append(rss)
        if args.skip_full:
            shutil.rmtree(out, ignore_errors=True)
        best = min(walls) if walls else 0
        if walls:
            print(f"  full bake, {pages:,} pages, --jobs {args.jobs}: wall s {stats(walls)}")
            print(f"    CPU s (all processes) {stats(cpus)}")
            print(
                f"    {pages / best:,.0f} pages/s, {1000 * best / pages:.2f} ms/page wall (best "
                f"run); {1000 * min(cpus) / pages:.2f} ms/page CPU; peak RSS {max(rsses)} MB"
            )
        _, _, stdout = measured([PY, __file__, "_publish", str(out), str(args.publishes)], env=env)
        results = json.loads(stdout.split("@@JSON ", 1)[1].splitlines()[0])
        print(f"  one publish, publish call (s): {stats([r['publish'] for r in results])}")
        print(f"  one publish, to disk (s):      {stats([r['to_disk'] for r in results])}")
        print(f"  one publish, bake CPU (s):     {stats([r['bake_cpu'] for r in results])}")
        print(
            f"    pages written per publish: {sorted({r['written'] for r in results})}, "
            f"rendered: {sorted({r['rendered'] for r in results})}"
        )
        if args.compare and walls:
            for name, build in (("Hugo", hugo_build), ("Pelican", pelican_build)):
                try:
                    runs, their_cpus = [], []
                    for _ in range(args.repeat):
                        runs.append(build(work))
                        their_cpus.append(CPU_SECONDS[-1])
                except (OSError, RuntimeError) as exc:
                    print(f"  {name}: not run ({exc})")
                    continue
                times = [r[0] for r in runs]
                print(
                    f"  {name}: {runs[0][1]:,} pages; wall s {stats(times)}; "
                    f"CPU s {stats(their_cpus)}; peak RSS {max(r[2] for r in runs)} MB"
                )
                print(
                    f"    Broadsheet / {name}: wall (medians) "
                    f"{statistics.median(walls) / statistics.median(times):.2f}, CPU (medians) "
                    f"{statistics.median(cpus) / statistics.median(their_cpus):.2f}"
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_import":
        _import(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "_publish":
        _publish(sys.argv[2], int(sys.argv[3]))
    else:
        main()
