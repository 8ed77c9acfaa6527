"""The background tasks of publishing (django-tasks; a database-backed worker runs them:
``broadsheet db_worker``, or ``broadsheet bake --pending`` once)."""

from __future__ import annotations

import datetime as dt
import json
import time

from django.db import transaction
from django_tasks import task

from . import engine
from .outputs import Output, output_for


@task()
def bake_pending() -> int:
    """Bake every queued change; returns the number of files written (0 if nothing was queued).
    Schedules the finishers' delayed work if the bake left some."""
    run = engine.process_pending()
    if run is None:
        return 0
    if run.finish_later is not None:
        schedule_flush(output_for(None), run.finish_later)
    return run.pages_written


@task()
def flush_finishers(output: str) -> int:
    """Do the bake finishers' pending work (the static search shards of recent changes)."""
    return engine.flush(output)


def schedule_flush(out: Output, delay: float) -> bool:
    """Queue one run of the finishers' pending work ``delay`` seconds from now; at most one
    waits at a time. Returns whether a task was queued."""
    raw = out.read_state("flush.json")
    state = json.loads(raw) if raw else {}
    if state.get("due", 0) > time.time():
        return False
    due = time.time() + delay
    out.write_state("flush.json", json.dumps({"due": due}).encode())
    task = flush_finishers
    if delay >= 1 and task.get_backend().supports_defer:
        task = task.using(run_after=dt.datetime.fromtimestamp(due, tz=dt.UTC))
    transaction.on_commit(lambda: task.enqueue(out.name))
    return True
