"""Benchmark of reader search: server search latency per query class on SQLite and PostgreSQL,
the live search page under load (wrk against gunicorn), and the Pagefind static index.

Usage (from the repository root)::

    .venv/bin/python bench/search.py --stories 100000                 # SQLite, + wrk
    .venv/bin/python bench/search.py --stories 100000 --postgres      # PostgreSQL, + wrk
    .venv/bin/python bench/search.py --stories 10000 --no-wrk         # queries only
    .venv/bin/python bench/search.py --stories 10000 --pagefind       # + static index

Corpora are generated once and kept: SQLite in ``var/bench-search/sqlite-<N>.sqlite3``,
PostgreSQL in the database ``<prefix>_<N>`` of ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``; the prefix is ``BENCH_DATABASE_PREFIX``, default
``bs_search_bench``, so that engineers sharing a server keep apart); ``--regenerate`` starts
afresh, ``--reindex`` rebuilds only the story search index. Stories are generated in bulk
(rows inserted directly, with 60 authors, then indexed with
:func:`broadsheet.search.index.rebuild`, which
``broadsheet update_index`` runs); ``--wagtail-index`` also fills Wagtail's own index (slow;
the direct search path does not read it). Words come from the demo story files, 1 in 10
stories is in Persian.

Each query of the mix is timed two ways, each with the build of a live request
(:func:`~broadsheet.site.views.live_build`: the site of the request's host, the process's memo
of site-wide facts): the search alone (:class:`~broadsheet.search.query.StorySearch`: index
query, re-ranking, cards, snippets) and the whole page
(:func:`~broadsheet.search.views.render_search`, not cached); wall-clock and this process's
CPU time (on PostgreSQL the server's CPU is not in it). Printed per query class (rare, common,
phrase — several words —, filtered): p50/p95/p99 and min/median/max, and each query's median.

The live page (``--wrk``, on by default; ``--no-wrk`` skips it) is served with gunicorn
(``--workers``, default 4, settings ``broadsheet.settings.dev`` with ``DEBUG=0``; the shared
cache is Redis at ``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/13``, when it
answers) and measured with ``wrk -t2 -c50 -d<s> --timeout 30s`` on ``/search/?q=iran``
twice: with the results page cache (the default), and with it off
(``BROADSHEET_SEARCH_CACHE_SECONDS=0``: every request searches). It needs wrk
(``apt-get install wrk`` on Debian/Ubuntu); without it that part is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PERSIAN_WORDS = (  # noqa: SIM905
    "ایران تهران کمیته گزارش انتخابات مجلس دولت آزادی حقوق بشر روزنامه خبرنگار زندان دانشجو "
    "اقتصاد نفت تحریم کتاب یک شنبه سال خورشیدی مردم رهبر اصلاحات"
).split()
# (class, query-string parameters); "{section}" and "{author}" are filled in at run time.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("rare", {"q": "Baqerzadeh"}),
    ("rare", {"q": "zeppelin"}),  # no match
    ("rare", {"q": "كميته"}),  # Persian word typed with Arabic letters
    ("rare", {"q": "۱۳۸۶"}),  # Persian digits
    ("common", {"q": "iran"}),
    ("common", {"q": "SOLIDARITY"}),
    ("common", {"q": "the"}),
    ("common", {"q": "ایران"}),
    ("phrase", {"q": "Noah's Ark"}),
    ("phrase", {"q": "human rights campaigner"}),
    ("phrase", {"q": "opposition conference Paris"}),
    ("phrase", {"q": "regime elections"}),
    ("filtered", {"q": "iran", "section": "{section}"}),
    ("filtered", {"q": "iran", "author": "{author}"}),
    ("filtered", {"q": "iran", "from": "2015-01-01", "to": "2015-12-31"}),
    ("filtered", {"q": "human rights", "section": "{section}", "from": "2010-01-01"}),
    ("filtered", {"q": "iran", "sort": "date"}),
    ("filtered", {"q": "Baqerzadeh", "author": "{author}", "sort": "date"}),
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


def generate(n: int, seed: int = 7, wagtail_index: bool = False) -> float:
    """Insert ``n`` live stories in 12 sections by 60 authors, and index them; returns seconds
    taken."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from broadsheet.content.newsroom.models import Author, SectionPage, StoryAuthor, StoryPage
    from broadsheet.content.newsroom.tree import ensure_section
    from broadsheet.importers.storyfiles import parse_story_file, save_story
    from broadsheet.search.index import rebuild
    from broadsheet.site import listings

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
    authors = Author.objects.bulk_create(
        [Author(name=f"Bench Writer {i}", slug=f"bench-writer-{i}") for i in range(60)]
    )
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
            StoryAuthor.objects.bulk_create(
                [
                    StoryAuthor(story_id=p.id, author_id=authors[i % 60].id, sort_order=0)
                    for i, p in enumerate(pages, start=offset)
                ]
            )
            if wagtail_index:
                backend.add_bulk(StoryPage, pages)
        print(f"  generated {min(n, offset + batch)} stories", file=sys.stderr, flush=True)
    for section in sections:
        SectionPage.objects.filter(id=section.id).update(numchild=counters[section.id])
    rebuild(batch=2000)
    listings.rebuild()  # the site model's listing index (the rows above bypassed its signals)
    analyze()
    return time.perf_counter() - started


def analyze() -> None:
    """Planner statistics, as autovacuum would gather them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(args: argparse.Namespace) -> tuple[str, Path]:
    """The corpus's database URL and var folder, generated when missing (or ``--regenerate``)."""
    var = REPO / "var" / "bench-search"
    var.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        import psycopg

        base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
        base = base.rsplit("/", 1)[0]
        prefix = os.environ.get("BENCH_DATABASE_PREFIX", "bs_search_bench")
        name = f"{prefix}_{args.stories}"
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if args.regenerate or not exists:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        return f"{base}/{name}", var
    path = var / f"sqlite-{args.stories}.sqlite3"
    if args.regenerate:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", var


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values`` (sorted or not)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def queries() -> list[tuple[str, str, dict[str, str]]]:
    """The query mix with the corpus's section and author filled in: ``(class, label, params)``."""
    from broadsheet.content.newsroom.models import Author
    from broadsheet.site.build import make_build

    section = next(s.url for s in make_build().read.sections().values() if "desk-3" in s.url)
    author = Author.objects.filter(slug="bench-writer-7").values_list("slug", flat=True).first()
    out = []
    for kind, params in QUERIES:
        filled = {k: v.format(section=section, author=author or "") for k, v in params.items()}
        label = " ".join(f"{k}={v}" if k != "q" else v for k, v in params.items())
        out.append((kind, label, filled))
    return out


def server_cpu_reader():
    """A function returning the CPU seconds used so far by this connection's PostgreSQL
    backend process (read from /proc: same machine only), or 0.0 on SQLite, where the engine
    runs in this process and its time is in ``process_time``."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def measure(rounds: int) -> None:
    """Time each query of the mix ``rounds`` times (after one warm-up), search alone and the
    whole page; print per class and per query."""
    from django.test import RequestFactory

    from broadsheet.search.query import SearchRequest, StorySearch
    from broadsheet.search.views import render_search
    from broadsheet.site.views import live_build

    factory = RequestFactory()

    def request_build(params: dict[str, str]) -> Any:  # as a live request builds it
        return live_build(factory.get("/search/", params))

    mix = queries()
    server = server_cpu_reader()
    server_seconds: dict[str, float] = {}
    samples: dict[tuple[str, str], dict[str, list[float]]] = {}
    found: dict[str, str] = {}
    for kind, label, params in mix:
        request = SearchRequest.from_params(params)
        outcome = StorySearch(request_build(params).read).run(request)
        render_search(request_build(params), request)
        more = "more than " if outcome.capped else ""
        found[label] = f"{more}{outcome.total}"
        samples[(kind, label)] = {"search": [], "search_cpu": [], "page": [], "page_cpu": []}
    for _ in range(rounds):
        for kind, label, params in mix:
            request = SearchRequest.from_params(params)
            s = samples[(kind, label)]
            before = server()
            t, c = time.perf_counter(), time.process_time()
            StorySearch(request_build(params).read).run(request)
            s["search"].append(1000 * (time.perf_counter() - t))
            s["search_cpu"].append(1000 * (time.process_time() - c))
            t, c = time.perf_counter(), time.process_time()
            render_search(request_build(params), request)
            s["page"].append(1000 * (time.perf_counter() - t))
            s["page_cpu"].append(1000 * (time.process_time() - c))
            server_seconds[kind] = server_seconds.get(kind, 0.0) + server() - before
    print("per class (ms): p50 / p95 / p99 | min / median / max")
    for kind in dict.fromkeys(k for k, _, _ in mix):
        for what in ("search", "search_cpu", "page", "page_cpu"):
            values = [v for (k, _), s in samples.items() if k == kind for v in s[what]]
            p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
            low, mid, high = min(values), statistics.median(values), max(values)
            print(
                f"  {kind:8} {what:10} {p50:7.1f} {p95:7.1f} {p99:7.1f} | "
                f"{low:7.1f} {mid:7.1f} {high:7.1f}   (n={len(values)})"
            )
    if server_seconds and any(server_seconds.values()):
        print("database server CPU (PostgreSQL backend process, from /proc; mean ms per search")
        print("  + page, which runs the search twice):")
        for kind, seconds in server_seconds.items():
            n = sum(len(s["page"]) for (k, _), s in samples.items() if k == kind)
            print(f"  {kind:8} {1000 * seconds / max(1, n):7.1f}")
    print("per query (ms, median): search wall / cpu, page wall / cpu, stories found")
    for (kind, label), s in samples.items():
        print(
            f"  [{kind}] {label}: {statistics.median(s['search']):.1f} / "
            f"{statistics.median(s['search_cpu']):.1f}, {statistics.median(s['page']):.1f} / "
            f"{statistics.median(s['page_cpu']):.1f}, {found[label]}"
        )


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
                *dict.fromkeys(params["q"] for _, params in QUERIES),
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
    parser.add_argument("--regenerate", action="store_true", help="generate the corpus afresh")
    parser.add_argument("--reindex", action="store_true", help="rebuild the story index only")
    parser.add_argument("--wagtail-index", action="store_true", help="also fill Wagtail's index")
    parser.add_argument(
        "--wrk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the live page under load with wrk (default; --no-wrk skips it)",
    )
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for --wrk")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--pagefind", action="store_true")
    args = parser.parse_args()

    url, var = prepare(args)
    setup_django(url, var)
    from django.db import connection

    from broadsheet.content.newsroom.models import StoryPage
    from broadsheet.search.index import rebuild

    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load {os.getloadavg()}"
    )
    version = connection.cursor().connection
    version = getattr(version, "info", None)
    print(
        f"database: {connection.vendor} {getattr(version, 'server_version', '')}"
        f"{connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}, "
        f"stories: {args.stories}"
    )
    if StoryPage.objects.count() < args.stories:
        seconds = generate(args.stories, wagtail_index=args.wagtail_index)
        print(f"generate+index: {seconds:.1f} s")
    elif args.reindex:
        t, c = time.perf_counter(), time.process_time()
        count = rebuild(batch=2000)
        analyze()
        print(
            f"reindex: {count} stories, {time.perf_counter() - t:.1f} s wall, "
            f"{time.process_time() - c:.1f} s CPU"
        )
    else:
        print(f"corpus reused: {url}")
    if not args.skip_queries:
        measure(args.rounds)
    print(f"load at end: {os.getloadavg()}")
    if args.wrk:
        from bench.search_load import run_wrk

        connection.close()
        run_wrk(url, var, args.wrk_seconds, args.workers)
    if args.pagefind:
        import tempfile

        site = Path(tempfile.mkdtemp(prefix="bench-search-site-", dir=var))
        for key, value in pagefind(site).items():
            print(
                f"pagefind {key}: {value:.2f}"
                if isinstance(value, float)
                else f"pagefind {key}: {value}"
            )


if __name__ == "__main__":
    main()
