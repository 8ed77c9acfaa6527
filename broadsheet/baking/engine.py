"""The baker: full bakes and incremental re-bakes of the reader site into a folder.

:func:`full_bake` renders every path of every producer from a :class:`~.memory.MemorySource`
(in ``jobs`` forked processes), writes each file atomically (only if its bytes changed), removes
files of pages that no longer exist and leftovers of a killed run, and records the state of every
story (:class:`~.models.BakedStory`). :func:`process_pending` bakes the queued changes
(:class:`~.models.BakeRequest`): only the paths the producers say a change touches, rendered
from the database.

One bake at a time per output folder (an ``fcntl`` lock on ``<output>/.bake/lock``). A bake killed
part-way leaves every file either old or new, never half-written; its requests stay queued and
its :class:`~.models.BakeRun` is marked interrupted by the next run, which completes the work.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import multiprocessing
import os
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from broadsheet.newsroom.catalogue import LiveSource

from .changes import ALL, Change, StoryState, current_state
from .files import (
    STATE_DIR,
    TMP_PREFIX,
    UnsafePath,
    collect_static,
    file_for_path,
    remove_file,
    static_url_function,
    write_atomic,
)
from .memory import MemorySource
from .models import BakedStory, BakeRequest, BakeRun
from .producers import BakeContext, Producer, make_context, producers

logger = logging.getLogger(__name__)
CHUNK = 250  # paths per unit of work (story bodies are loaded per chunk)
LISTED_MAX = 1000  # paths kept in a BakeRun's written/removed lists


def default_output() -> Path:
    """``BROADSHEET_BAKE_DIR``, default ``<var>/site``."""
    return Path(getattr(settings, "BROADSHEET_BAKE_DIR", settings.VAR_DIR / "site"))


@dataclass
class BakeStats:
    """Counts of one bake; ``written``/``removed`` are URL paths, ``failed`` (path, error)."""

    rendered: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: BakeStats) -> None:
        self.rendered += other.rendered
        self.written += other.written
        self.removed += other.removed
        self.failed += other.failed


@contextlib.contextmanager
def bake_lock(output: Path) -> Iterator[None]:
    """Hold the output folder's bake lock (blocks until other bakes of it finish)."""
    state = output / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_config(output: Path) -> dict[str, Any]:
    """The settings of the output's last full bake (``base_url``), or {}."""
    try:
        return json.loads((output / STATE_DIR / "config.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_run(kind: str, output: Path, changes: str = "") -> BakeRun:
    for stale in BakeRun.objects.filter(status=BakeRun.Status.RUNNING):
        if stale.pid != os.getpid() and not _pid_alive(stale.pid):
            stale.status = BakeRun.Status.INTERRUPTED
            stale.error = "The bake was stopped before it finished; a later bake completed it."
            stale.save(update_fields=["status", "error"])
    return BakeRun.objects.create(
        kind=kind, output=str(output), pid=os.getpid(), changes=changes[:10_000]
    )


def _finish_run(run: BakeRun, stats: BakeStats, started: float, error: str = "") -> BakeRun:
    run.finished_at = timezone.now()
    run.duration = time.monotonic() - started
    run.pages_rendered = stats.rendered
    run.pages_written = len(stats.written)
    run.pages_removed = len(stats.removed)
    run.pages_failed = len(stats.failed)
    run.written = sorted(stats.written)[:LISTED_MAX]
    run.removed = sorted(stats.removed)[:LISTED_MAX]
    errors = [f"{path}: {err}" for path, err in stats.failed[:20]]
    if error:
        errors.insert(0, error)
    run.error = "\n\n".join(errors)
    run.status = BakeRun.Status.FAILED if (error or stats.failed) else BakeRun.Status.DONE
    run.save()
    return run


# -- rendering paths --------------------------------------------------------------------------
def bake_paths(
    ctx: BakeContext, items: Sequence[tuple[int, str]], all_producers: Sequence[Producer]
) -> BakeStats:
    """Render and write ``items`` (producer index, URL path): the producer that listed a path
    renders it, else the first other producer that knows it; no producer knowing it removes
    its file. Story bodies are loaded in one go per call when the source can."""
    stats = BakeStats()
    delay = float(os.environ.get("BROADSHEET_BAKE_TEST_DELAY", "0") or 0)
    load = getattr(ctx.source, "load_bodies", None)
    if load is not None:
        reader = all_producers[0]
        story_ids = getattr(reader, "story_ids", None)
        if story_ids is not None:
            load(story_ids(ctx, [p for i, p in items if i == 0]))
    for index, path in items:
        try:
            target = file_for_path(ctx.output, path)
            order = [all_producers[index], *(p for j, p in enumerate(all_producers) if j != index)]
            out = None
            for producer in order:
                out = producer.render(ctx, path)
                if out is not None:
                    break
            stats.rendered += 1
            if out is None:
                if remove_file(target, ctx.output):
                    stats.removed.append(path)
            elif write_atomic(target, out.body):
                stats.written.append(path)
        except UnsafePath:
            stats.failed.append((path, "unsafe path"))
        except Exception as exc:  # one broken page must not stop the bake
            logger.exception("baking %s failed", path)
            stats.failed.append((path, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        if delay:
            time.sleep(delay)  # crash tests only (BROADSHEET_BAKE_TEST_DELAY seconds per page)
    drop = getattr(ctx.source, "drop_bodies", None)
    if drop is not None:
        drop()
    return stats


_WORKER: dict[str, Any] = {}


def _worker_chunk(items: Sequence[tuple[int, str]]) -> BakeStats:
    return bake_paths(_WORKER["ctx"], items, _WORKER["producers"])


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# -- full bake --------------------------------------------------------------------------------
def full_bake(
    output: Path | None = None,
    base_url: str | None = None,
    jobs: int = 1,
    progress: bool = False,
    locked: bool = False,
) -> BakeRun:
    """Bake every page of every producer into ``output`` (default :func:`default_output`).

    ``base_url``: the public base URL written into canonical links (default: the last full
    bake's, else ``BROADSHEET_BASE_URL``). ``jobs``: processes (forked; 1 bakes in this
    process). Returns the finished :class:`BakeRun` (status ``failed`` if any page failed)."""
    output = Path(output or default_output()).resolve()
    output.mkdir(parents=True, exist_ok=True)
    if not locked:
        with bake_lock(output):
            return full_bake(output, base_url, jobs, progress, locked=True)
    started = time.monotonic()
    run = _start_run(BakeRun.Kind.FULL, output)
    stats = BakeStats()
    try:
        base_url = base_url or read_config(output).get("base_url") or settings.BROADSHEET_BASE_URL
        base_url = base_url.rstrip("/")
        # the intent first: a bake killed part-way is completed by the next with the same URL
        write_atomic(
            output / STATE_DIR / "config.json", json.dumps({"base_url": base_url}).encode()
        )
        static = collect_static(output).url
        covered = BakeRequest.objects.order_by("-id").values_list("id", flat=True).first()
        source = MemorySource(base_url=base_url)
        ctx = make_context(source, output, static)
        all_producers = producers()
        seen: set[str] = set()
        items: list[tuple[int, str]] = []
        for index, producer in enumerate(all_producers):
            for path in producer.all_paths(ctx):
                if path not in seen:
                    seen.add(path)
                    items.append((index, path))
        bar = _progress(len(items), progress)
        chunks = _chunks(items, CHUNK)
        if jobs > 1 and len(chunks) > 1:
            _WORKER.update(ctx=ctx, producers=all_producers)
            connections.close_all()
            mp = multiprocessing.get_context("fork")
            with mp.Pool(jobs) as pool:
                for part in pool.imap_unordered(_worker_chunk, chunks):
                    stats.add(part)
                    bar.update(part.rendered)
            _WORKER.clear()
        else:
            for chunk in chunks:
                stats.add(bake_paths(ctx, chunk, all_producers))
                bar.update(len(chunk))
        bar.close()
        stats.removed += remove_stale(output, seen)
        sync_baked_stories(source)
        if covered is not None and not stats.failed:  # changes queued before we loaded the data
            BakeRequest.objects.filter(id__lte=covered).delete()
    except Exception as exc:
        logger.exception("full bake failed")
        return _finish_run(run, stats, started, f"{type(exc).__name__}: {exc}")
    run = _finish_run(run, stats, started)
    if static_search_enabled():
        build_static_search(output)
    return run


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="page", disable=not enabled, smoothing=0.1)


def remove_stale(output: Path, paths: set[str]) -> list[str]:
    """Delete baked files whose path is not in ``paths`` (pages that no longer exist) and
    temporary files a killed bake left behind. Returns the removed URL paths."""
    removed: list[str] = []
    for dirpath, dirnames, filenames in os.walk(output):
        rel = Path(dirpath).relative_to(output)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if d not in (STATE_DIR, "static")]
        for name in filenames:
            file = Path(dirpath) / name
            if name.startswith(TMP_PREFIX):
                file.unlink(missing_ok=True)
                continue
            url = "/" + ("" if rel == Path(".") else f"{rel.as_posix()}/")
            url = url if name == "index.html" else url + name
            if url not in paths:
                remove_file(file, output)
                removed.append(url)
    for file in (output / "static").rglob(f"{TMP_PREFIX}*"):
        file.unlink(missing_ok=True)
    return removed


def _state_of_card(card: Any) -> StoryState:
    return StoryState(
        story_id=card.id,
        url=card.url,
        section_id=card.section.id,
        published_at=card.published_at,
        author_ids=tuple(a.id for a in card.authors),
        tag_slugs=tuple(sorted(t.slug for t in card.tags)),
    )


def _row(state: StoryState) -> BakedStory:
    return BakedStory(
        story_id=state.story_id,
        url=state.url,
        section_id=state.section_id,
        published_at=state.published_at,
        author_ids=list(state.author_ids),
        tag_slugs=list(state.tag_slugs),
    )


def _state(row: BakedStory) -> StoryState:
    return StoryState(
        row.story_id,
        row.url,
        row.section_id,
        row.published_at,
        tuple(row.author_ids),
        tuple(row.tag_slugs),
    )


def sync_baked_stories(source: MemorySource) -> None:
    """Record every public story's state as baked (only rows that differ are written)."""
    now = {c.id: _state_of_card(c) for c in source.cards_oldest_first}
    old = {r.story_id: _state(r) for r in BakedStory.objects.all()}
    with transaction.atomic():
        gone = [i for i in old if i not in now]
        for i in range(0, len(gone), 500):
            BakedStory.objects.filter(story_id__in=gone[i : i + 500]).delete()
        new = [_row(s) for i, s in now.items() if i not in old]
        BakedStory.objects.bulk_create(new, batch_size=1000)
        changed = [_row(s) for i, s in now.items() if i in old and old[i] != s]
        BakedStory.objects.bulk_update(
            changed,
            ["url", "section_id", "published_at", "author_ids", "tag_slugs"],
            batch_size=1000,
        )


# -- incremental ------------------------------------------------------------------------------
class BakeLiveSource(LiveSource):
    """:class:`LiveSource` for one incremental bake: the site-wide aggregates that several of
    the pages it re-bakes ask for (month counts for the archive index and year page, tags,
    authors) are queried once per bake, not once per page."""

    def month_counts(self) -> list[tuple[int, int, int]]:
        if not hasattr(self, "_month_counts"):
            self._month_counts = super().month_counts()
        return self._month_counts

    def tags(self) -> list[Any]:
        if not hasattr(self, "_tags"):
            self._tags = super().tags()
        return self._tags

    def authors(self) -> list[Any]:
        if not hasattr(self, "_authors"):
            self._authors = super().authors()
        return self._authors


FULL_KINDS = {"section", "tip", "site", "all"}


def request_bake(kind: str, object_id: int | None = None, **data: Any) -> BakeRequest:
    """Queue a change to bake and, once the transaction commits, the task that bakes it."""
    request = BakeRequest.objects.create(kind=kind, object_id=object_id, data=data)
    from .tasks import bake_pending

    transaction.on_commit(lambda: bake_pending.enqueue())
    return request


def process_pending(output: Path | None = None, progress: bool = False) -> BakeRun | None:
    """Bake the queued changes into ``output``; returns the :class:`BakeRun`, or None if the
    queue was empty. Requests are deleted only once their pages are on disk."""
    output = Path(output or default_output()).resolve()
    with bake_lock(output):
        requests = list(BakeRequest.objects.order_by("id")[:5000])
        if not requests:
            return None
        ids = [r.id for r in requests]
        many = len({r.object_id for r in requests if r.kind == "story"}) > full_threshold()
        if not read_config(output) or many or any(r.kind in FULL_KINDS for r in requests):
            run = full_bake(output, jobs=bake_jobs(), progress=progress, locked=True)
            run.changes = describe(requests)
            run.save(update_fields=["changes"])
            if run.status == BakeRun.Status.DONE:
                BakeRequest.objects.filter(id__in=ids).delete()
            return run
        started = time.monotonic()
        run = _start_run(BakeRun.Kind.INCREMENTAL, output, describe(requests))
        stats = BakeStats()
        try:
            live = BakeLiveSource()
            live._site_info = replace(live.site_info(), base_url=read_config(output)["base_url"])
            static = static_url_function(output)
            manifest = output / "static" / "staticfiles.json"
            key = (str(manifest), manifest.stat().st_mtime_ns)
            ctx = make_context(live, output, static, env_key=key)
            all_producers = producers()
            changes = _changes(live, requests)
            paths: set[str] = set()
            for change in changes:
                for producer in all_producers:
                    touched = producer.touched_paths(ctx, change)
                    if touched is ALL:
                        run.delete()
                        run = full_bake(output, jobs=bake_jobs(), progress=progress, locked=True)
                        run.changes = describe(requests)
                        run.save(update_fields=["changes"])
                        if run.status == BakeRun.Status.DONE:
                            BakeRequest.objects.filter(id__in=ids).delete()
                        return run
                    paths.update(touched)
            stats = bake_paths(ctx, [(0, p) for p in sorted(paths)], all_producers)
            for change in changes:
                if change.kind != "story":
                    continue
                if change.after is None:
                    BakedStory.objects.filter(story_id=change.object_id).delete()
                else:
                    _row(change.after).save()
            if not stats.failed:
                BakeRequest.objects.filter(id__in=ids).delete()
        except Exception as exc:
            logger.exception("incremental bake failed")
            return _finish_run(run, stats, started, f"{type(exc).__name__}: {exc}")
        run = _finish_run(run, stats, started)
    if static_search_enabled() and stats.written:
        schedule_static_search(output)
    return run


def _changes(live: LiveSource, requests: Sequence[BakeRequest]) -> list[Change]:
    changes: list[Change] = []
    stories: dict[int, None] = {}
    for r in requests:
        if r.kind == "story" and r.object_id is not None:
            stories.setdefault(r.object_id)
        elif r.kind == "author":
            changes.append(Change("author", r.object_id, data=r.data))
        else:
            changes.append(Change(r.kind, r.object_id, data=r.data))
    baked = {b.story_id: _state(b) for b in BakedStory.objects.filter(story_id__in=list(stories))}
    for story_id in stories:
        before, after = baked.get(story_id), current_state(live, story_id)
        changes.insert(0, Change("story", story_id, before=before, after=after))
    return changes


def describe(requests: Sequence[BakeRequest]) -> str:
    """A line per queued change, for the bake log."""
    return "\n".join(f"{r.kind} {r.object_id or ''} {r.data or ''}".strip() for r in requests)


def full_threshold() -> int:
    """Above this many changed stories in the queue (an import), one full bake is cheaper than
    many incremental ones: ``BROADSHEET_BAKE_FULL_THRESHOLD`` (default 300)."""
    return int(getattr(settings, "BROADSHEET_BAKE_FULL_THRESHOLD", 300))


def bake_jobs() -> int:
    """Processes for full bakes started by the queue: ``BROADSHEET_BAKE_JOBS`` (default 1)."""
    return int(getattr(settings, "BROADSHEET_BAKE_JOBS", 1))


# -- the static search index (Pagefind) ---------------------------------------------------------
# Pagefind has no incremental update: every run reads the whole folder. A full bake rebuilds
# the index at its end; incremental bakes only schedule a rebuild, at most one every
# BROADSHEET_STATIC_SEARCH_INTERVAL seconds (docs/search.md), so a publish is on disk at once
# and in the static index within that interval (the server search has it at once).
SEARCH_MARK = "search-index.json"


def static_search_enabled() -> bool:
    return getattr(settings, "BROADSHEET_STATIC_SEARCH", True)


def build_static_search(output: Path) -> dict[str, Any] | None:
    """Rebuild ``output/pagefind/`` now; failures are logged, never fatal to the bake."""
    from broadsheet.search.static_index import build_static_index

    try:
        result = build_static_index(output)
    except Exception:
        logger.exception("static search index failed")
        return None
    write_atomic(
        output / STATE_DIR / SEARCH_MARK,
        json.dumps({"built": time.time(), "pages": result["pages"]}).encode(),
    )
    return result


def schedule_static_search(output: Path) -> None:
    """Queue one rebuild of the static index, no sooner than the interval after the last."""
    import datetime as dt

    from .tasks import rebuild_static_search

    mark = output / STATE_DIR / SEARCH_MARK
    state = json.loads(mark.read_text()) if mark.exists() else {}
    if state.get("scheduled"):
        return
    interval = getattr(settings, "BROADSHEET_STATIC_SEARCH_INTERVAL", 300)
    due = max(time.time(), state.get("built", 0) + interval)
    state["scheduled"] = due
    write_atomic(mark, json.dumps(state).encode())
    task = rebuild_static_search
    if due > time.time() + 1:
        task = task.using(run_after=dt.datetime.fromtimestamp(due, tz=dt.UTC))
    transaction.on_commit(lambda: task.enqueue(str(output)))
