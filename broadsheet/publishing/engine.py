"""The baker: one pipeline from a change to files — what it touches, render, output.

:func:`full_bake` enumerates every page of every page kind in the registry, renders them from a
:class:`~broadsheet.site.memory.MemorySource` (in ``jobs`` forked processes), writes them to an
output backend (only files whose bytes changed), removes pages that no longer exist, records the
state of every story (:class:`~.models.BakedStory`) and runs the finishers (the static search
index). :func:`process_pending` bakes the queued changes (:class:`~.models.BakeRequest`): each
change is turned into the pages it touches by the features' rules — indexed lookups in the
read model, never a pass over the archive — and those pages are rendered from the database.

One bake at a time per output (its lock). A bake killed part-way leaves every file either old or
new, never half-written; its requests stay queued and its :class:`~.models.BakeRun` is marked
interrupted by the next run, which completes the work. After a bake, the changed URLs are purged
from the CDN, if one is configured (:mod:`.purge`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.site import editions, listings
from broadsheet.site.build import Build
from broadsheet.site.changes import Change, StoryState
from broadsheet.site.context import contexts, default_site
from broadsheet.site.live import LiveSource
from broadsheet.site.memory import MemorySource
from broadsheet.site.registry import ALL, registry
from broadsheet.site.render import renderer_for
from broadsheet.syndication import websub

from . import purge
from .models import BakedStory, BakeRequest, BakeRun
from .outputs import Output, default_output, output_for, read_config, write_config
from .pipeline import Item, bake_in_processes, bake_items
from .runs import BakeStats, finish_run, start_run

logger = logging.getLogger(__name__)


def _items(build: Build) -> list[Item]:
    """Every page of every page kind that bakes in the build's edition, in registry order, each
    path once."""
    seen: set[str] = set()
    items: list[Item] = []
    for kind in registry.ordered_kinds():
        if kind.paths is None or not in_edition(kind, build):
            continue
        for params in kind.paths(build):
            path = build.path_of(kind.name, params)
            if path not in seen:
                seen.add(path)
                items.append((kind.name, dict(params), path))
    return items


def in_edition(kind: Any, build: Build) -> bool:
    """Whether pages of ``kind`` exist in the build's edition: every kind does in the default
    edition; the others have all but the site-wide files (``every_edition`` False: robots.txt,
    the server's redirect rules, the 404 page)."""
    return kind.every_edition or not build.ctx.prefix


def _builds(output: Output, base_url: str | None, memory: bool) -> list[Build]:
    """One build per edition of the default site (the default edition first)."""
    static = output.static_url()
    renderer = renderer_for(static, key=("bake", output.name, output.static_key()))
    builds = []
    for ctx in contexts(default_site(), base_url):
        read = MemorySource(ctx) if memory else LiveSource(ctx)
        builds.append(Build(ctx, read, renderer, live=False))
    return builds


def _build(output: Output, base_url: str | None, memory: bool) -> Build:
    """The build of the default edition."""
    return _builds(output, base_url, memory)[0]


def is_site_output(output: str | Path | Output | None) -> bool:
    """Whether ``output`` is the site's own output (``BROADSHEET_BAKE_DIR``, default
    ``<var>/site``; a folder or ``s3://bucket/prefix``): the one the queue, the record of baked
    stories, the record of runs and the CDN belong to. A relative output never is."""
    out = output_for(output)
    if getattr(out, "relative", False):
        return False
    return out.name == output_for(None).name


def known_base_url(output: str | Path | Output | None = None) -> str | None:
    """The public base URL a bake into ``output`` uses when none is asked for: the one of its
    own last full bake, else the one the site's own output (a local folder) was last fully
    baked for — the address the newsroom serves, such as the demo's ``http://127.0.0.1:8360``
    — else None (then :func:`~broadsheet.site.context.for_site`: ``BROADSHEET_BASE_URL``, else
    the Wagtail site's hostname and port)."""
    out = output_for(output)
    url = read_config(out).get("base_url")
    if not url and not str(default_output()).startswith("s3://"):
        url = read_config(output_for(None)).get("base_url")
    return (url or "").rstrip("/") or None


# -- full bake --------------------------------------------------------------------------------
def full_bake(
    output: str | Any = None,
    base_url: str | None = None,
    jobs: int = 1,
    progress: bool = False,
    locked: bool = False,
    record: bool = True,
) -> BakeRun:
    """Bake every page into ``output`` (a folder, ``s3://…`` or an :class:`~.outputs.Output`;
    default ``var/site``).

    ``base_url``: the public base URL written into every canonical link, feed, sitemap and
    structured-data URL (default: :func:`known_base_url`, else the site's). ``jobs``: processes
    (forked; 1 bakes in this process). ``record`` False: a copy for elsewhere (a relative
    folder for a mirror, a frozen archive, any folder that is not :func:`is_site_output`) —
    the queue, the record of baked stories, the record of runs and the CDN are left alone, as
    they belong to the site's own output. Returns the finished
    :class:`BakeRun` (status ``failed`` if any page failed)."""
    out = output_for(output)
    if not locked:
        with out.lock():
            return full_bake(out, base_url, jobs, progress, locked=True, record=record)
    started = time.monotonic()
    run = start_run(BakeRun.Kind.FULL, out.name, record=record)
    stats = BakeStats()
    try:
        base_url = (base_url or known_base_url(out) or "").rstrip("/") or None
        listings.ensure_current()
        out.collect_static()
        covered = BakeRequest.objects.order_by("-id").values_list("id", flat=True).first()
        builds = _builds(out, base_url, memory=True)
        build = builds[0]
        if getattr(out, "relative", False) and not out.base_url:
            out.base_url = build.ctx.base_url  # its host is the site's own (relative.py)
        # the intent first: a bake killed part-way is completed by the next with the same URL
        write_config(out, {"base_url": build.ctx.base_url})
        per_edition = [(b, _items(b)) for b in builds]
        bar = _progress(sum(len(items) for _, items in per_edition), progress)
        for b, items in per_edition:
            stats.add(bake_in_processes(b, out, items, jobs, bar.update))
        bar.close()
        seen = {path for _, items in per_edition for _, _, path in items}
        for path in sorted(out.pages() - seen):
            if out.remove(path):
                stats.removed.append(path)
        out.cleanup()
        if record:
            sync_baked_stories([b.read for b in builds])
        # the changes queued before the data was loaded are baked (only into the site's own)
        if record and covered is not None and not stats.failed:
            BakeRequest.objects.filter(id__lte=covered).delete()
    except Exception as exc:
        logger.exception("full bake failed")
        return finish_run(run, stats, started, f"{type(exc).__name__}: {exc}")
    run = finish_run(run, stats, started)
    _finish([(b, ()) for b in builds], out, stats, full=True, purge_cdn=record)
    run.finish_later = None
    return run


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="page", disable=not enabled, smoothing=0.1)


def _finish(
    work: Sequence[tuple[Build, Sequence[Change]]],
    out: Output,
    stats: BakeStats,
    full: bool,
    purge_cdn: bool = True,
) -> float | None:
    """Run the finishers (the static search index…) for each edition's build in ``work`` with
    that edition's changes: at once after a full bake; after an incremental one they only note
    their work, and the delay (seconds) after which :func:`flush` should do it is returned (a
    publish is on disk without waiting for them; :mod:`.queue` schedules it). Then purge the
    changed URLs from the CDN (unless ``purge_cdn`` is false: a copy that is not the site's
    own output, such as ``bake --relative``)."""
    changed = {*stats.written, *stats.removed}
    later: list[float] = []
    with out.lock("finish"):
        for finisher in registry.finishers:
            try:
                for build, changes in work:
                    finisher.run(build, out, full=full, changes=changes)
                if not full and finisher.pending(out):
                    later.append(finisher.delay)
            except Exception:
                logger.exception("finisher %s failed", getattr(finisher, "name", finisher))
    if changed and purge_cdn:
        purge.purge(work[0][0], sorted(changed))
        websub.announce(work[0][0], changed)  # the feeds among them, to the WebSub hub
    return min(later) if later else None


def flush(output: str | Any = None) -> int:
    """Do the finishers' pending work for ``output`` now (the task scheduled after incremental
    bakes), edition by edition. Returns how many finishers had work."""
    out = output_for(output)
    done = 0
    with out.lock("finish"):
        out.write_state("flush.json", b"{}")  # a later change schedules a new flush
        builds = _builds(out, read_config(out).get("base_url"), memory=False)
        for finisher in registry.finishers:
            if finisher.pending(out):
                for build in builds:
                    finisher.flush(build, out)
                done += 1
    return done


# -- story states ------------------------------------------------------------------------------
def _row(state: StoryState) -> BakedStory:
    return BakedStory(
        story_id=state.story_id,
        url=state.url,
        section_id=state.section_id,
        published_at=state.published_at,
        lastmod=state.lastmod,
        author_ids=list(state.author_ids),
        tag_ids=list(state.tag_ids),
    )


def _state(row: BakedStory) -> StoryState:
    return StoryState(
        row.story_id,
        row.url,
        row.section_id,
        row.published_at,
        row.lastmod or row.published_at,
        tuple(row.author_ids),
        tuple(row.tag_ids),
    )


def sync_baked_stories(sources: Sequence[MemorySource]) -> None:
    """Record every public story's state as baked, from the read model of each edition (only
    rows that differ are written)."""
    now = {c.id: s.state(c.id) for s in sources for c in s.cards_oldest_first}
    old = {r.story_id: _state(r) for r in BakedStory.objects.all()}
    with transaction.atomic():
        gone = [i for i in old if i not in now]
        for i in range(0, len(gone), 500):
            BakedStory.objects.filter(story_id__in=gone[i : i + 500]).delete()
        BakedStory.objects.bulk_create(
            [_row(s) for i, s in now.items() if i not in old], batch_size=1000
        )
        BakedStory.objects.bulk_update(
            [_row(s) for i, s in now.items() if i in old and old[i] != s],
            ["url", "section_id", "published_at", "lastmod", "author_ids", "tag_ids"],
            batch_size=1000,
        )


# -- incremental ------------------------------------------------------------------------------
FULL_TOPICS = {"sections", "site", "tips", "discussion-settings", "all"}


def changes_of(read: LiveSource, requests: Sequence[BakeRequest]) -> list[Change]:
    """The changes the queued requests describe: each story once, with its state as last baked
    (``before``) and now (``after``)."""
    changes: list[Change] = []
    stories: dict[int, str] = {}
    for r in requests:
        if r.kind in ("story", "comments") and r.object_id is not None:
            if stories.get(r.object_id) != "story":
                stories[r.object_id] = r.kind
        else:
            changes.append(Change(r.kind, r.object_id, data=r.data or {}))
    baked = {b.story_id: _state(b) for b in BakedStory.objects.filter(story_id__in=list(stories))}
    story_changes = []
    for story_id, topic in stories.items():
        after = read.state(story_id)
        before = baked.get(story_id)
        if topic == "comments" and before is None:
            before = after
        story_changes.append(Change("story", story_id, before=before, after=after))
    return story_changes + changes


def touched_items(build: Build, changes: Sequence[Change]) -> list[Item] | None:
    """The pages of the build's edition the changes touch, as bake items; None if one of them
    touches everything."""
    pages: set[tuple[str, tuple]] = set()
    for change in changes:
        for rule in registry.rules:
            if change.topic not in rule.topics:
                continue
            found = rule.fn(build, change)
            if found is ALL:
                return None
            for kind_name, params in found:
                kind = registry.kinds.get(kind_name)
                if kind is None:
                    raise LookupError(f"rule of {rule.feature} names unknown page {kind_name!r}")
                if not in_edition(kind, build):
                    continue
                if change.topic not in kind.reads:
                    raise LookupError(
                        f"rule of {rule.feature}: {kind_name} does not read {change.topic!r}"
                    )
                pages.add((kind_name, params))
    items = []
    for kind_name, params in sorted(pages, key=lambda p: (p[0], repr(p[1]))):
        items.append((kind_name, dict(params), build.path_of(kind_name, dict(params))))
    return items


def edition_requests(builds: Sequence[Build], requests: Sequence[BakeRequest]) -> list[list]:
    """The queued requests each edition's build must bake: a story's (and its comments') go to
    the edition whose tree holds it (or, once deleted, held it when it was baked); every other
    change (an author, the guestbook…) to every edition."""
    ids = {r.object_id for r in requests if r.kind in ("story", "comments") and r.object_id}
    paths = dict(StoryPage.objects.filter(id__in=ids).values_list("id", "path"))
    urls = dict(BakedStory.objects.filter(story_id__in=ids).values_list("story_id", "url"))
    prefix_of = {b.ctx.prefix: i for i, b in enumerate(builds)}
    home: dict[int, int] = {}
    for story_id in ids:
        path = paths.get(story_id)
        found = [i for i, b in enumerate(builds) if path and path.startswith(b.ctx.root_path)]
        if found:
            home[story_id] = found[0]
        elif story_id in urls:
            home[story_id] = prefix_of.get(editions.for_path(urls[story_id]).path_prefix, 0)
        else:
            home[story_id] = 0
    out: list[list] = [[] for _ in builds]
    # a story's translations show a link to it: their pages are baked again too (a deleted
    # story's translation key came with its request)
    keys = {r.data["translation_key"] for r in requests if (r.data or {}).get("translation_key")}
    translations = (
        StoryPage.objects.filter(
            Q(translation_key__in=StoryPage.objects.filter(id__in=ids).values("translation_key"))
            | Q(translation_key__in=keys)
        )
        .exclude(id__in=ids)
        .values_list("id", "path")
    )
    for other_id, path in translations:
        for i, b in enumerate(builds):
            if path.startswith(b.ctx.root_path):
                out[i].append(BakeRequest(kind="comments", object_id=other_id))
    for r in requests:
        if r.kind in ("story", "comments") and r.object_id in home:
            out[home[r.object_id]].append(r)
        else:
            for part in out:
                part.append(r)
    return out


def full_threshold() -> int:
    """Above this many changed stories in the queue (an import), one full bake is cheaper than
    many incremental ones: ``BROADSHEET_BAKE_FULL_THRESHOLD`` (default 300)."""
    return int(getattr(settings, "BROADSHEET_BAKE_FULL_THRESHOLD", 300))


def bake_jobs() -> int:
    """Processes for full bakes started by the queue: ``BROADSHEET_BAKE_JOBS`` (default 1)."""
    return int(getattr(settings, "BROADSHEET_BAKE_JOBS", 1))


def describe(requests: Sequence[BakeRequest]) -> str:
    """A line per queued change, for the bake log."""
    return "\n".join(f"{r.kind} {r.object_id or ''} {r.data or ''}".strip() for r in requests)


def _full_instead(out: Output, requests: Sequence[BakeRequest], progress: bool) -> BakeRun:
    ids = [r.id for r in requests]
    run = full_bake(out, jobs=bake_jobs(), progress=progress, locked=True)
    run.changes = describe(requests)[:10_000]
    run.save(update_fields=["changes"])
    if run.status == BakeRun.Status.DONE:
        BakeRequest.objects.filter(id__in=ids).delete()
    return run


def process_pending(output: str | Any = None, progress: bool = False) -> BakeRun | None:
    """Bake the queued changes into ``output``; returns the :class:`BakeRun` (its
    ``finish_later``: seconds after which :func:`flush` has finishers' work to do, or None), or
    None if the queue was empty. Requests are deleted only once their pages are written."""
    out = output_for(output)
    with out.lock():
        requests = list(BakeRequest.objects.order_by("id")[:5000])
        if not requests:
            return None
        many = len({r.object_id for r in requests if r.kind == "story"}) > full_threshold()
        never_baked = not read_config(out) or (
            not BakedStory.objects.exists() and StoryPage.objects.live().exists()
        )
        if never_baked or many or any(r.kind in FULL_TOPICS for r in requests):
            return _full_instead(out, requests, progress)
        started = time.monotonic()
        run = start_run(BakeRun.Kind.INCREMENTAL, out.name, describe(requests))
        stats = BakeStats()
        try:
            builds = _builds(out, read_config(out)["base_url"], memory=False)
            work = []
            for b, part in zip(builds, edition_requests(builds, requests), strict=True):
                edition_changes = changes_of(b.read, part)
                items = touched_items(b, edition_changes)
                if items is None:
                    run.delete()
                    return _full_instead(out, requests, progress)
                work.append((b, edition_changes, items))
            for b, _changes, items in work:
                stats.add(bake_items(b, out, items))
            for change in (c for _, cs, _ in work for c in cs):
                if change.topic == "story":
                    if change.after is None:
                        BakedStory.objects.filter(story_id=change.object_id).delete()
                    else:
                        _row(change.after).save()
            if not stats.failed:
                BakeRequest.objects.filter(id__in=[r.id for r in requests]).delete()
        except Exception as exc:
            logger.exception("incremental bake failed")
            return finish_run(run, stats, started, f"{type(exc).__name__}: {exc}")
        run = finish_run(run, stats, started)
    run.finish_later = _finish([(b, cs) for b, cs, _ in work], out, stats, full=False)
    return run
