"""The record of each bake (:class:`~.models.BakeRun`): counts, the paths written and removed,
failures, and runs a killed process left "running"."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from django.utils import timezone

from .models import BakeRun

LISTED_MAX = 1000  # paths kept in a BakeRun's written/removed lists


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


def start_run(kind: str, output: str, changes: str = "", record: bool = True) -> BakeRun:
    """Record a bake starting (and mark runs of processes that died as interrupted). With
    ``record`` False (a bake into a folder that is not the site's own output) the run is kept
    in memory only: the admin's record of runs is the site's own."""
    if not record:
        return BakeRun(kind=kind, output=output, pid=os.getpid(), changes=changes[:10_000])
    for stale in BakeRun.objects.filter(status=BakeRun.Status.RUNNING):
        if stale.pid != os.getpid() and not _pid_alive(stale.pid):
            stale.status = BakeRun.Status.INTERRUPTED
            stale.error = "The bake was stopped before it finished; a later bake completed it."
            stale.save(update_fields=["status", "error"])
    return BakeRun.objects.create(
        kind=kind, output=output, pid=os.getpid(), changes=changes[:10_000]
    )


def finish_run(run: BakeRun, stats: BakeStats, started: float, error: str = "") -> BakeRun:
    """Record a bake's end: ``done``, or ``failed`` with the errors (the first 20 pages)."""
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
    if run.pk is not None:  # not a run kept in memory only (start_run's record False)
        run.save()
    return run
