"""Benchmark of reader search: server search latency and throughput on SQLite and PostgreSQL,
and the Pagefind static index (time, size, bytes one query loads).

Usage (from the repository root)::

    .venv/bin/python bench/search.py --stories 10000                 # SQLite (a fresh file)
    .venv/bin/python bench/search.py --stories 10000 --postgres      # PostgreSQL
    .venv/bin/python bench/search.py --stories 10000 --pagefind      # + static index

``--postgres`` uses ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/broadsheet_search_bench``), dropped and created afresh.
Stories are generated in bulk (rows inserted directly, then indexed with the search backend's
``add_bulk`` in batches, the same code ``update_index`` runs), with a word list drawn from the
demo story files and some Persian text; the seed story is imported as usual. Each query of the
mix runs through :func:`broadsheet.search.views.render_search` — search, re-ranking, cards,
snippets and the page render — so the figures are what a reader's request costs minus HTTP.
Prints the machine, then one line per figure.
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
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PERSIAN_WORDS = (
    "ایران",
    "تهران",
    "کمیته",
    "گزارش",
    "انتخابات",
    "مجلس",
    "دولت",
    "آزادی",
    "حقوق",
    "بشر",
    "روزنامه",
    "خبرنگار",
    "زندان",
    "دانشجو",
    "اقتصاد",
    "نفت",
    "تحریم",
    "کتاب",
    "یک",
    "شنبه",
    "سال",
    "خورشیدی",
    "مردم",
    "رهبر",
    "اصلاحات",
)
QUERIES = [
    "Noah's Ark",  # two words, one story
    "Baqerzadeh",  # rare name
    "SOLIDARITY",  # common word, stemmed
    "iran",  # very common word
    "human rights campaigner",  # three words
    "opposition conference Paris",
    "كميته",  # Persian word typed with Arabic letters
    "۱۳۸۶",  # Persian digits
    "zeppelin",  # no match
    "regime elections",
]


def setup_django(database_url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["BROADSHEET_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary() -> list[str]:
    import re

    words: list[str] = []
    for path in sorted((REPO / "demo" / "stories").rglob("*.md")):
        words += re.findall(r"[A-Za-z][a-z]{2,}", path.read_text(encoding="utf-8"))
    return words or ["news"]


def generate(n: int, seed: int = 7) -> float:
    """Insert ``n`` live stories in 12 sections and index them; returns seconds taken."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from broadsheet.content.newsroom.models import SectionPage, StoryPage
    from broadsheet.content.newsroom.tree import ensure_section
    from broadsheet.importers.storyfiles import parse_story_file, save_story

    started = time.perf_counter()
    rnd = random.Random(seed)
    words = vocabulary()
    save_story(
        parse_story_file(
            REPO / "demo/stories/iran-opposition/"
            "iran-national-solidarity-to-create-an-alternative.md"
        )
    )
    sections = [ensure_section(["Archive", f"Desk {i}"]) for i in range(12)]
    ct = ContentType.objects.get_for_model(StoryPage)
    locale = Locale.get_default()
    start = timezone.make_aware(dt.datetime(2005, 1, 1))
    local_fields = [f for f in StoryPage._meta.local_concrete_fields]
    counters = {s.id: s.numchild for s in sections}
    backend = get_search_backend()

    def text(k: int, persian: bool) -> str:
        pool = PERSIAN_WORDS if persian else words
        return " ".join(rnd.choice(pool) for _ in range(k))

    batch = 1000
    for offset in range(0, n, batch):
        pages = []
        for i in range(offset, min(n, offset + batch)):
            section = sections[i % len(sections)]
            counters[section.id] += 1
            persian = i % 10 == 9
            slug = f"story-{i}"
            when = start + dt.timedelta(minutes=(i * 7919) % (20 * 365 * 24 * 60))
            body = [
                {
                    "type": "paragraph",
                    "value": f"<p>{text(90, persian)}.</p>",
                    "id": str(uuid.uuid4()),
                }
                for _ in range(4)
            ]
            if persian and i % 20 == 19:
                body[0]["value"] = "<p>سال ۱۳۸۶ كميته يك گزارش</p>"
            pages.append(
                StoryPage(
                    title=text(8, persian).capitalize(),
                    draft_title="",
                    slug=slug,
                    content_type=ct,
                    path=SectionPage._get_path(
                        section.path, section.depth + 1, counters[section.id]
                    ),
                    depth=section.depth + 1,
                    numchild=0,
                    url_path=f"{section.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=when,
                    last_published_at=when,
                    published_at=when,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                    standfirst=text(25, persian),
                    byline_credit="IPS",
                    dateline_place="Paris",
                    body=body,
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)  # the wagtailcore_page rows; sets their ids
            for p in pages:
                p.page_ptr_id = p.id
            StoryPage.objects._insert(pages, fields=local_fields, raw=True, using=connection.alias)
            backend.add_bulk(StoryPage, pages)
    for section in sections:
        SectionPage.objects.filter(id=section.id).update(numchild=counters[section.id])
    with connection.cursor() as cursor:  # planner statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(rounds: int) -> dict[str, float]:
    from broadsheet.search.query import SearchRequest
    from broadsheet.search.views import render_search
    from broadsheet.site.build import make_build

    for q in QUERIES:  # warm caches
        render_search(make_build(), SearchRequest(q=q))
    timings: list[float] = []
    cpu: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for q in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            render_search(make_build(), SearchRequest(q=q))
            elapsed = time.perf_counter() - t
            cpu.append(time.process_time() - c)
            timings.append(elapsed)
            per_query[q].append(elapsed)
    timings.sort()
    cpu.sort()
    result = {
        "queries": len(timings),
        "qps": len(timings) / sum(timings),
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        # CPU time of this process (Python + SQLite, not the PostgreSQL server): less
        # sensitive than wall-clock time to other work on a shared machine.
        "cpu_p50_ms": 1000 * statistics.median(cpu),
        "cpu_p95_ms": 1000 * cpu[int(0.95 * (len(cpu) - 1))],
    }
    for q, values in per_query.items():
        result[f"median_ms[{q}]"] = 1000 * statistics.median(values)
    return result


def pagefind(site: Path) -> dict[str, float]:
    """Build the static index (every shard) from the read model into ``site``, and count what
    one query ("Noah's Ark") loads from the primary shard: pagefind.js, the entry, the wasm, the
    meta, one index chunk and ten fragments (upper bound: the largest chunk and fragments)."""
    from broadsheet.publishing.outputs import FolderOutput
    from broadsheet.search.static_index import build_shards
    from broadsheet.site.build import make_build

    t = time.perf_counter()
    build = make_build(memory=True, live=False)
    bake_seconds = time.perf_counter() - t
    stats = build_shards(build, FolderOutput(site))
    bundle = site / "pagefind"
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    stats["files"] = len(files)
    stats["bytes"] = sum(p.stat().st_size for p in files)

    def size(pattern: str) -> list[int]:
        return sorted((p.stat().st_size for p in bundle.glob(pattern)), reverse=True)

    one_query = (
        sum(size("pagefind.js")[:1])
        + sum(size("pagefind-entry.json")[:1])
        + sum(size("wasm.en.pagefind")[:1])
        + sum(size("pagefind.en_*.pf_meta")[:1])
        + sum(size("index/en_*.pf_index")[:2])
        + sum(size("fragment/*.pf_fragment")[:10])
    )
    measured = query_bytes(site)
    return {
        **measured,
        "bake_seconds": bake_seconds,
        "pages": stats["pages"],
        "index_seconds": stats["seconds"],
        "bundle_bytes": stats["bytes"],
        "bundle_files": stats["files"],
        "one_query_bytes_upper_bound": one_query,
    }


def query_bytes(site: Path) -> dict[str, int]:
    """Bytes one query really loads, per query of the mix: Pagefind's pagefind.js run under
    Node (bench/pagefind_bytes.mjs) against ``site`` served by Python's http.server."""
    import functools
    import json
    import shutil
    import subprocess
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    node = shutil.which("node")
    if node is None:
        return {}
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run(
            [
                node,
                "--no-warnings",
                "--experimental-network-imports",
                str(REPO / "bench" / "pagefind_bytes.mjs"),
                f"http://127.0.0.1:{server.server_address[1]}",
                *QUERIES,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    finally:
        server.shutdown()
        server.server_close()
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {f"query_bytes[{r['query']}]": r["bytes"] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--pagefind", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    if args.postgres:
        import psycopg

        url = os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/broadsheet_search_bench"
        )
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        url = f"sqlite:///{work / 'bench.sqlite3'}"
    setup_django(url, work)
    from django.db import connection

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"database: {connection.vendor} {connection.Database.__name__}, stories: {args.stories}")
    seconds = generate(args.stories)
    print(f"generate+index: {seconds:.1f} s")
    for key, value in measure(args.rounds).items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    print(f"load at end: {os.getloadavg()[0]:.1f}")
    if args.pagefind:
        for key, value in pagefind(work / "site").items():
            print(
                f"pagefind {key}: {value:.2f}"
                if isinstance(value, float)
                else f"pagefind {key}: {value}"
            )


if __name__ == "__main__":
    main()
