"""Render pages and hand them to an output backend: the middle of every bake.

An item is ``(kind name, params, URL path)``. :func:`bake_items` renders each path with its
page kind and writes it to the output (only if its bytes changed); when several kinds name the
same path (a story's old URL, and the redirect left there), the first in routing order that has
a page there wins; a path no kind has a page at any more (``NotFound``) has its file removed.
One broken page never stops the bake: it is recorded as failed and the rest go on.
:func:`bake_in_processes` spreads items over forked processes (the read model, loaded once, is
shared copy-on-write).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections

from broadsheet.site.build import Build
from broadsheet.site.registry import NotFound, Rendered, registry

from .media import carry_media, media_paths
from .outputs import Output
from .runs import BakeStats

logger = logging.getLogger(__name__)
CHUNK = 250  # items per unit of work (story bodies are loaded per chunk)
Item = tuple[str, dict[str, Any], str]


def render_item(build: Build, kind_name: str, params: dict[str, Any], path: str) -> Rendered | None:
    """The page of ``kind_name`` with ``params``, or None if it does not exist. A tree path
    whose page changed type (a story's old URL now a section) is rendered by the kind the read
    model names."""
    kind = registry.kind(kind_name)
    try:
        return kind.render(build, **params)
    except NotFound:
        if not kind.node:
            return None
    node = build.read.node(build.ctx.local(path))
    other = registry.node_kinds().get(node.kind) if node else None
    if other is None or other.name == kind_name:
        return None
    try:
        return other.render(build, **params)
    except NotFound:
        return None


def _preload(build: Build, items: Sequence[Item]) -> None:
    load = getattr(build.read, "load_bodies", None)
    if load is None:
        return
    ids = []
    for kind, _params, path in items:
        if kind == "story":
            node = build.read.node(build.ctx.local(path))
            if node is not None and node.kind == "story":
                ids.append(node.id)
    load(ids)


def bake_items(build: Build, output: Output, items: Sequence[Item]) -> BakeStats:
    """Render and write ``items`` (see the module docstring)."""
    stats = BakeStats()
    delay = float(os.environ.get("BROADSHEET_BAKE_TEST_DELAY", "0") or 0)
    _preload(build, items)
    by_path: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for kind, params, path in items:
        by_path.setdefault(path, []).append((kind, params))
    rank = {k.name: i for i, k in enumerate(registry.ordered_kinds())}
    carried: set[str] = set()
    for path, claims in by_path.items():
        try:
            out = None
            for kind, params in sorted(claims, key=lambda c: rank.get(c[0], 0)):
                with build.activated():
                    out = render_item(build, kind, params, path)
                if out is not None:
                    break
            stats.rendered += 1
            if out is None:
                if output.remove(path):
                    stats.removed.append(path)
            else:
                data = out.data()
                if output.write(path, data, out.content_type):
                    stats.written.append(path)
                wanted = media_paths(data) - carried
                carry_media(output, wanted)  # the page's images travel with it (.media)
                carried.update(wanted)
        except Exception as exc:  # one broken page must not stop the bake
            logger.exception("baking %s failed", path)
            stats.failed.append((path, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        if delay:
            time.sleep(delay)  # crash tests only (BROADSHEET_BAKE_TEST_DELAY seconds per page)
    drop = getattr(build.read, "drop_bodies", None)
    if drop is not None:
        drop()
    return stats


_WORKER: dict[str, Any] = {}


def _worker_chunk(items: Sequence[Item]) -> BakeStats:
    return bake_items(_WORKER["build"], _WORKER["output"], items)


def chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def bake_in_processes(
    build: Build,
    output: Output,
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None] = lambda n: None,
) -> BakeStats:
    """Bake ``items`` in ``jobs`` forked processes (1: in this one), chunk by chunk."""
    stats = BakeStats()
    parts = chunks(items)
    if jobs > 1 and len(parts) > 1:
        _WORKER.update(build=build, output=output)
        connections.close_all()
        mp = multiprocessing.get_context("fork")
        with mp.Pool(jobs) as pool:
            for part in pool.imap_unordered(_worker_chunk, parts):
                stats.add(part)
                progress(part.rendered)
        _WORKER.clear()
    else:
        for part in parts:
            result = bake_items(build, output, part)
            stats.add(result)
            progress(len(part))
    return stats
