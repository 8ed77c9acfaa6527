"""The publishing benchmark of the site model (issue "One site model…"), in one run.

    .venv/bin/python bench/site_model.py [--n 1000 10000 100000] [--publishes 5]
        [--repeat 3] [--jobs 2] [--compare-at 10000] [--write-docs]

For each N (synthetic corpora from bench/corpus.py, bulk-imported into SQLite, kept under
var/bench/ between runs):

* **publish one story → all its files on disk**: a new story saved and published through
  Wagtail (revision + publish, as the admin does), then the queued change baked
  (``process_pending``, what the worker runs); CPU time of the bake (``time.process_time``) and
  wall time from the publish call to the last file written, ``--publishes`` times;
* **full bake** (``broadsheet bake --jobs J`` into an empty folder, the static search index
  included): wall and CPU time of all processes, and **the peak memory of all processes
  together**: the sum of their PSS (forked workers share the parent's pages; a sum of RSS
  counts each shared page once per process, and is printed beside it)
  (the process tree's resident memory, sampled every 50 ms);
* at ``--compare-at`` (10,000): **Hugo + Pagefind** on the same stories (Hugo builds its site,
  Pagefind indexes it), ``--repeat`` times, and the ratio of CPU times.

Prints min / median / max of every figure, the machine, the load average and the commit; with
``--write-docs``, replaces the "Site model" section of docs/performance.md with the table.
Needs Hugo (Debian package ``hugo``: ``apt-get install hugo``) for the comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bake import HUGO_CONFIG, HUGO_LAYOUTS, env_for, machine, prepare  # noqa: E402

PY = sys.executable


def mmm(values: list[float], fmt: str = "{:.3f}") -> str:
    """min / median / max."""
    if not values:
        return "–"
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def _tree_memory(root: int) -> tuple[int, int]:
    """Resident memory (bytes) of ``root`` and every descendant, from /proc: the sum of their
    RSS (pages shared by forked processes counted once per process) and of their PSS
    (proportional set size: each shared page divided among its sharers — the memory the tree
    really holds)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss += int(line.split()[1]) * 1024
    return rss, pss


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run ``cmd``; returns (wall s, CPU s of all its processes, peak memory MB of the whole
    process tree, stdout); the peak memory is the sum of PSS (see :func:`_tree_memory`), the
    peak sum of RSS is in :data:`LAST_PEAK_RSS`."""
    started = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss
        while not done.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{err[-3000:]}")
    LAST_PEAK_RSS[0] = peak_rss / 2**20
    return wall, cpu, peak / 2**20, out


LAST_PEAK_RSS = [0.0]  # MB: the peak sum of RSS of the last run_measured


def full_bake(work: Path, jobs: int) -> tuple[float, float, float, int]:
    out = work / "site"
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu, rss, stdout = run_measured(
        [
            PY,
            "-m",
            "broadsheet",
            "bake",
            "--output",
            str(out),
            "--jobs",
            str(jobs),
            "--no-progress",
        ],
        env=dict(env_for(work), BROADSHEET_STATIC_SEARCH="1"),
    )
    pages = int(stdout.split(": ", 1)[1].split(" pages rendered")[0])
    return wall, cpu, rss, pages


def publishes(work: Path, n: int) -> list[dict]:
    _, _, _, stdout = run_measured(
        [PY, str(REPO / "bench" / "bake.py"), "_publish", str(work / "site"), str(n)],
        env=env_for(work),
    )
    return json.loads(stdout.split("@@JSON ", 1)[1].splitlines()[0])


def hugo_pagefind(work: Path) -> tuple[float, float, float]:
    """Hugo then Pagefind over its output: (wall, CPU, peak RSS MB) of the two together."""
    site = work / "hugo"
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text)
    shutil.rmtree(site / "public", ignore_errors=True)
    w1, c1, r1, _ = run_measured(["hugo", "--quiet", "-s", str(site)])
    from pagefind_bin import get_executable

    w2, c2, r2, _ = run_measured(
        [
            str(get_executable()),
            "--site",
            str(site / "public"),
            "--output-path",
            str(site / "public" / "pagefind"),
        ]
    )
    return w1 + w2, c1 + c2, max(r1, r2)


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--compare-at", type=int, default=10000)
    parser.add_argument(
        "--full-at",
        type=int,
        nargs="*",
        default=None,
        help="sizes whose full bake is measured (default: every N)",
    )
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    head = (
        f"Measured {dt.date.today().isoformat()} at commit {commit()} by `bench/site_model.py`."
        f"\nMachine: {machine()}."
    )
    print(head)
    rows: list[str] = []
    publish_cpu: dict[int, list[float]] = {}
    for n in args.n:
        print(f"\nN = {n:,}", flush=True)
        work = prepare(n, args.workdir, compare=n == args.compare_at)
        full_at = args.full_at if args.full_at is not None else args.n
        runs = args.repeat if n == args.compare_at else 1
        walls, cpus, rsses, sums, pages = [], [], [], [], 0
        if n in full_at or not (work / "site" / ".bake" / "config.json").exists():
            for _ in range(runs):
                wall, cpu, rss, pages = full_bake(work, args.jobs)
                walls.append(wall)
                cpus.append(cpu)
                rsses.append(rss)
                sums.append(LAST_PEAK_RSS[0])
                print(
                    f"  full bake: {pages:,} pages, wall {wall:.1f} s, CPU {cpu:.1f} s, "
                    f"peak memory of all processes {rss:.0f} MB PSS "
                    f"({LAST_PEAK_RSS[0]:.0f} MB as a sum of RSS)",
                    flush=True,
                )
        results = publishes(work, args.publishes)
        publish_cpu[n] = [r["bake_cpu"] for r in results]
        to_disk = [r["to_disk"] for r in results]
        touched = sorted({r["rendered"] for r in results})
        print(
            f"  publish → on disk: bake CPU s {mmm(publish_cpu[n])}; wall s {mmm(to_disk)}; "
            f"pages rendered {touched}",
            flush=True,
        )
        rows.append(
            f"| publish one story → all its files on disk, {n:,} stories | "
            f"CPU {mmm(publish_cpu[n])} s; wall {mmm(to_disk)} s; {touched} pages |"
        )
        if walls:
            rows.append(
                f"| full bake of {n:,} stories ({pages:,} pages, `--jobs {args.jobs}`, static "
                f"index included) | wall {mmm(walls, '{:.1f}')} s; CPU {mmm(cpus, '{:.1f}')} s; "
                f"peak memory of all processes {mmm(rsses, '{:.0f}')} MB PSS "
                f"({mmm(sums, '{:.0f}')} MB as a sum of RSS) |"
            )
        if n == args.compare_at and walls:
            theirs = [hugo_pagefind(work) for _ in range(args.repeat)]
            their_cpu = [t[1] for t in theirs]
            ratio = statistics.median(cpus) / statistics.median(their_cpu)
            print(
                f"  Hugo + Pagefind: wall {mmm([t[0] for t in theirs], '{:.1f}')} s, "
                f"CPU {mmm(their_cpu, '{:.1f}')} s; Broadsheet ÷ Hugo+Pagefind (CPU medians) "
                f"{ratio:.2f}",
                flush=True,
            )
            rows.append(
                f"| Hugo + Pagefind, same {n:,} stories | wall "
                f"{mmm([t[0] for t in theirs], '{:.1f}')} s; CPU {mmm(their_cpu, '{:.1f}')} s; "
                f"peak memory {mmm([t[2] for t in theirs], '{:.0f}')} MB PSS; "
                f"**Broadsheet ÷ Hugo+Pagefind (CPU medians) {ratio:.2f}** |"
            )
    sizes = sorted(publish_cpu)
    if len(sizes) > 1:
        big, small = publish_cpu[sizes[-1]], publish_cpu[sizes[0]]
        ratio = statistics.median(big) / statistics.median(small)
        label = f"publish cost at {sizes[-1]:,} ÷ at {sizes[0]:,} (bake CPU medians)"
        print(f"\n{label}: {ratio:.2f}")
        rows.append(f"| {label} | **{ratio:.2f}** |")
    table = "| work | measured (min / median / max) |\n|---|---|\n" + "\n".join(rows)
    print("\n" + table)
    if args.write_docs:
        write_docs(head, table)


def write_docs(head: str, table: str) -> None:
    doc = REPO / "docs" / "performance.md"
    text = doc.read_text()
    start = "<!-- site-model-bench -->"
    end = "<!-- /site-model-bench -->"
    block = f"{start}\n{head}\n\n{table}\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.replace("# Performance\n", f"# Performance\n\n## Site model\n\n{block}\n", 1)
    doc.write_text(text)
    print(f"wrote {doc}")


if __name__ == "__main__":
    main()
