"""The static search index of a baked site: Pagefind (https://pagefind.app), run over the
folder of baked pages, writes ``/pagefind/`` into it; the ``/search/`` page's script
(``static/broadsheet/search.js``) loads ``/pagefind/pagefind.js`` from the same origin when no
server answers the search.

Why Pagefind: it is the well-kept static-search indexer (Rust, shipped on PyPI as
``pagefind[bin]``), splits its index into small compressed chunks so that a query loads a few
kilobytes instead of the whole index, and stems per page language. Story pages mark what to
index (``data-pagefind-body`` on the story, ``data-pagefind-ignore`` on pull quotes and tags);
pages without it (section fronts, archives) are not indexed, so each story is found once.

Pagefind has no incremental mode: every run reads the whole folder and writes a fresh index
(about 1 s per 1,000 stories, docs/performance.md). The baker therefore rebuilds the index in
batches — after a bake run, not after each page — and :func:`build_static_index` writes into a
sibling folder and swaps it in, so readers never load a half-written index.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

BUNDLE_DIR = "pagefind"


class StaticIndexError(RuntimeError):
    """Pagefind failed (its message is included) or is not installed."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind-bin`` wheel; raises
    :class:`StaticIndexError` if it is missing."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise StaticIndexError("pagefind[bin] is not installed") from exc
    try:
        return get_executable()
    except FileNotFoundError as exc:  # pragma: no cover
        raise StaticIndexError(str(exc)) from exc


def build_static_index(site_dir: Path, timeout: float = 600) -> dict[str, Any]:
    """Index every baked page under ``site_dir`` with Pagefind and put the search bundle at
    ``site_dir/pagefind/`` (replacing the previous one only once the new one is complete).

    Returns ``{"pages": int, "files": int, "bytes": int, "seconds": float, "bundle": Path}``:
    pages indexed, files and total size in bytes of the bundle, wall-clock time of the run.
    Raises :class:`StaticIndexError` if ``site_dir`` is not a folder or Pagefind fails, and
    ``subprocess.TimeoutExpired`` after ``timeout`` seconds.
    """
    site_dir = Path(site_dir).resolve()
    if not site_dir.is_dir():
        raise StaticIndexError(f"{site_dir} is not a folder")
    bundle = site_dir / BUNDLE_DIR
    fresh = site_dir / f".{BUNDLE_DIR}-new"
    stale = site_dir / f".{BUNDLE_DIR}-old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - fixed executable, arguments are paths
        [
            str(pagefind_executable()),
            "--site",
            str(site_dir),
            "--output-path",
            str(fresh),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise StaticIndexError(f"pagefind failed ({result.returncode}): {result.stderr.strip()}")
    if bundle.exists():
        bundle.rename(stale)
    fresh.rename(bundle)
    shutil.rmtree(stale, ignore_errors=True)
    found = re.search(r"Indexed (\d+) page", result.stdout)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return {
        "pages": int(found.group(1)) if found else 0,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "seconds": seconds,
        "bundle": bundle,
    }
