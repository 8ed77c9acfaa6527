"""The static search index at scale (issue "Search at 100,000 stories"): build time and memory,
and the seconds from a publish until the static search holds the story.

    .venv/bin/python bench/static_search.py [--n 10000 100000] [--publishes 3] [--repeat 1]

Works on the corpora of bench/site_model.py (``var/bench/n<N>/``: generated, bulk-imported,
fully baked; it prepares and bakes one that is missing). For each N:

* **index build**: every shard of the static index built afresh into the baked folder (its
  bundles removed first), as a full bake's finisher does on a new site (``build_shards``), in a
  process of its own: wall time, CPU time of all processes (ours and Pagefind's) and the
  **peak memory of all processes together** (sum of PSS) (sampled every 50 ms);
* **index check**: the same call again, nothing changed — what a full bake's finisher costs
  when no record changed (each shard's records read and digested, no shard re-indexed);
* **publish → found**: a new story published through Wagtail, its incremental bake
  (``process_pending``, what the worker runs) and the finisher's flush (the shard of its month
  rebuilt and installed); the time from the publish call until the installed bundle holds the
  story's fragment (Pagefind's per-result record, read back from the bundle: a story that has
  one is returned by a query matching it), and the CPU time of all processes. The worker waits
  ``BROADSHEET_STATIC_SEARCH_DELAY`` seconds (default 5) before the flush, to batch publishes:
  add it to the figure for a running site.

Prints min / median / max of every figure, the machine, the load average and the commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bake import env_for, machine, prepare  # noqa: E402
from bench.site_model import commit, full_bake, mmm, run_measured  # noqa: E402

PY = sys.executable


def _setup() -> None:
    import django

    django.setup()


def _index(site: str, fresh: bool) -> None:
    """Child process: bring every shard of ``site``'s static index up to date; ``fresh``:
    remove its bundles first (every shard built)."""
    _setup()
    import shutil

    from broadsheet.publishing.engine import _build
    from broadsheet.publishing.outputs import output_for, read_config
    from broadsheet.search.static_index import build_shards, primary

    out = output_for(site)
    build = _build(out, read_config(out).get("base_url"), memory=False)
    if fresh:
        shutil.rmtree(Path(site) / primary(build).strip("/"), ignore_errors=True)
    result = build_shards(build, out)
    print("@@JSON " + json.dumps(result))


def holds(bundle: Path, url: str) -> bool:
    """Whether a Pagefind bundle has the fragment (the result record) of ``url``: fragments are
    gzip files holding ``pagefind_dcd`` and a JSON object with the result's ``url``."""
    needle = json.dumps(url).encode()
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        if needle in data[:400]:
            return True
    return False


def _publish_found(site: str, repeat: int) -> None:
    """Child process: publish ``repeat`` stories one by one; each through its bake and the
    static index flush; print JSON timings."""
    _setup()
    from django.conf import settings

    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_STATIC_SEARCH = True
    from broadsheet.content.newsroom.models import SectionPage, StoryPage
    from broadsheet.importers.storyfiles import parse_story_text, save_story
    from broadsheet.publishing.engine import flush, process_pending
    from broadsheet.publishing.models import BakeRequest

    BakeRequest.objects.all().delete()
    section = SectionPage.objects.live().order_by("path").first()
    results = []
    for k in range(repeat):
        slug = f"bench-search-{time.time_ns()}"
        when = dt.datetime.now(dt.UTC).isoformat()
        sf = parse_story_text(
            f"---\nheadline: Searchable news number {k}\nslug: {slug}\n"
            f"section: {section.title}\nbyline:\n  authors: [Writer 01]\n"
            f"published: {when}\n---\n\n" + "A paragraph of the searchable story. " * 100
        )
        t0, c0, k0 = time.perf_counter(), time.process_time(), os.times()
        save_story(sf)
        run = process_pending(Path(site))
        t1 = time.perf_counter()
        flush(Path(site))
        t2, c2, k2 = time.perf_counter(), time.process_time(), os.times()
        url = StoryPage.objects.get(slug=slug).url
        children = (k2.children_user - k0.children_user) + (k2.children_system - k0.children_system)
        results.append(
            {
                "kind": run.kind if run is not None else None,
                "on_disk": t1 - t0,
                "found": t2 - t0,
                "cpu": c2 - c0 + children,
                "held": holds(Path(site) / "pagefind", url),
            }
        )
    print("@@JSON " + json.dumps(results))


def _index_runs(
    site: Path, mode: str, repeat: int, env: dict[str, str]
) -> tuple[list[float], list[float], list[float], int]:
    """Run the index step ``repeat`` times in a measured child process: ``mode`` "fresh" builds
    every shard, "check" rebuilds only changed ones. Returns walls (s), CPUs (s), peak
    memories (MB, PSS of all processes) and the shard count of the last run."""
    walls, cpus, rsses, shards = [], [], [], 0
    what = "index build" if mode == "fresh" else "index check, nothing changed"
    for _ in range(repeat):
        wall, cpu, rss, out = run_measured(
            [PY, __file__, "_index", str(site), mode], env=env, cwd=REPO
        )
        shards = json.loads(out.split("@@JSON ", 1)[1].splitlines()[0])["shards"]
        walls.append(wall)
        cpus.append(cpu)
        rsses.append(rss)
        print(
            f"  {what}: {shards} shards {'built' if mode == 'fresh' else 'rebuilt'}, wall "
            f"{wall:.1f} s, CPU {cpu:.1f} s, peak memory (all processes, PSS) {rss:.0f} MB",
            flush=True,
        )
    return walls, cpus, rsses, shards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--publishes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()
    print(
        f"Measured {dt.date.today().isoformat()} at commit {commit()} by "
        f"`bench/static_search.py`.\nMachine: {machine()}."
    )
    rows = []
    for n in args.n:
        print(f"\nN = {n:,}", flush=True)
        work = prepare(n, args.workdir, compare=False)
        site = work / "site"
        if not (site / ".bake" / "config.json").exists():
            full_bake(work, 2)
        env = dict(env_for(work), BROADSHEET_STATIC_SEARCH="1")
        walls, cpus, rsses, shards = _index_runs(site, "fresh", args.repeat, env)
        check_walls, check_cpus, check_rsses, _ = _index_runs(site, "check", args.repeat, env)
        _, _, _, out = run_measured(
            [PY, __file__, "_publish_found", str(site), str(args.publishes)], env=env, cwd=REPO
        )
        found = json.loads(out.split("@@JSON ", 1)[1].splitlines()[0])
        if not all(r["held"] for r in found):
            raise SystemExit(f"a published story is missing from the static index: {found}")
        print(
            f"  publish → found by the static search: wall s {mmm([r['found'] for r in found])}"
            f" (on disk {mmm([r['on_disk'] for r in found])}); CPU s "
            f"{mmm([r['cpu'] for r in found])}; bakes: "
            f"{', '.join(str(r['kind']) for r in found)}",
            flush=True,
        )
        rows.append(
            f"| static index of {n:,} stories ({shards} shards) | wall "
            f"{mmm(walls, '{:.1f}')} s; CPU {mmm(cpus, '{:.1f}')} s; peak memory (PSS) of all "
            f"processes {mmm(rsses, '{:.0f}')} MB |"
        )
        rows.append(
            f"| full bake's index step with no record changed, {n:,} stories | wall "
            f"{mmm(check_walls, '{:.1f}')} s; CPU {mmm(check_cpus, '{:.1f}')} s; peak memory "
            f"(PSS) of all processes {mmm(check_rsses, '{:.0f}')} MB |"
        )
        rows.append(
            f"| publish → the static search holds it, {n:,} stories | wall "
            f"{mmm([r['found'] for r in found], '{:.1f}')} s + the worker's delay; CPU "
            f"{mmm([r['cpu'] for r in found], '{:.1f}')} s |"
        )
    print("\n| work | measured (min / median / max) |\n|---|---|\n" + "\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_index":
        _index(sys.argv[2], sys.argv[3] == "fresh")
    elif len(sys.argv) > 1 and sys.argv[1] == "_publish_found":
        _publish_found(sys.argv[2], int(sys.argv[3]))
    else:
        main()
