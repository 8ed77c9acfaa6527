"""Benchmark of freezing a site into a lasting archive, against its full bake.

    .venv/bin/python bench/freeze.py --n 10000 [--repeat 3] [--jobs 2]

For each N: the synthetic corpus of ``bench/bake.py`` (N seeded story files, bulk-imported into
a fresh SQLite database; kept in ``var/bench/`` between runs), then, ``--repeat`` times and
alternating so that a change in the machine's load falls on both:

* a full bake (``broadsheet bake --jobs J``) into an empty folder;
* a freeze (``broadsheet freeze --jobs J``) into an empty folder: the same bake with relative
  links, the static search with its ``file://`` fallback, the WARC and ``SHA256SUMS``
  (docs/archive.md); ``broadsheet unfreeze`` after it (not timed), so that every bake and
  freeze starts from the same open site.

Prints, for each: wall time and CPU time (user + system of every process) as min / median /
max, peak RSS of the largest process; the freeze's files, WARC and folder size; and the ratio
of the medians freeze / full bake (the issue's acceptance: within 2×). docs/archive.md and
docs/performance.md record results.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bake import CPU_SECONDS, PY, env_for, machine, measured, prepare, stats  # noqa: E402

BASE_URL = "https://news.example.org"


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    for n in args.n:
        print(f"\nN = {n:,}", flush=True)
        work = prepare(n, args.workdir, compare=False)
        env = env_for(work)
        site, archive = work / "site", work / "archive"
        jobs = ["--jobs", str(args.jobs), "--no-progress", "--base-url", BASE_URL]
        bake = {"wall": [], "cpu": [], "rss": []}
        freeze = {"wall": [], "cpu": [], "rss": []}
        pages = 0
        for _ in range(args.repeat):
            shutil.rmtree(site, ignore_errors=True)
            wall, rss, stdout = measured(
                [PY, "-m", "broadsheet", "bake", "--output", str(site), *jobs], env=env
            )
            pages = int(stdout.split(": ", 1)[1].split(" pages rendered")[0])
            bake["wall"].append(wall)
            bake["cpu"].append(CPU_SECONDS[-1])
            bake["rss"].append(rss)
            shutil.rmtree(archive, ignore_errors=True)
            wall, rss, stdout = measured(
                [PY, "-m", "broadsheet", "freeze", "--output", str(archive), *jobs], env=env
            )
            freeze["wall"].append(wall)
            freeze["cpu"].append(CPU_SECONDS[-1])
            freeze["rss"].append(rss)
            measured([PY, "-m", "broadsheet", "unfreeze"], env=env)
            print(  # each round as it ends: a long run stopped early still leaves its figures
                f"  round {len(bake['wall'])}: full bake wall {bake['wall'][-1]:.1f} s "
                f"CPU {bake['cpu'][-1]:.1f} s; freeze wall {freeze['wall'][-1]:.1f} s "
                f"CPU {freeze['cpu'][-1]:.1f} s; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        files, size = folder_size(archive)
        warc = (archive / "archive.warc.gz").stat().st_size
        for name, m in (("full bake", bake), ("freeze", freeze)):
            print(f"  {name}, {pages:,} pages, --jobs {args.jobs}: wall s {stats(m['wall'])}")
            print(f"    CPU s (all processes) {stats(m['cpu'])}; peak RSS {max(m['rss'])} MB")
        print(
            f"  frozen folder: {files:,} files, {size / 1_048_576:.1f} MiB "
            f"(WARC {warc / 1_048_576:.1f} MiB)"
        )
        ratio_wall = statistics.median(freeze["wall"]) / statistics.median(bake["wall"])
        ratio_cpu = statistics.median(freeze["cpu"]) / statistics.median(bake["cpu"])
        print(f"  freeze / full bake (medians): wall {ratio_wall:.2f}, CPU {ratio_cpu:.2f}")


if __name__ == "__main__":
    main()
