"""The background task that bakes queued changes (django-tasks; a database-backed worker runs it:
``broadsheet db_worker``, or ``broadsheet bake --pending`` once)."""

from __future__ import annotations

from django_tasks import task


@task()
def bake_pending() -> int:
    """Bake every queued change; returns the number of files written (0 if nothing was queued)."""
    from .engine import process_pending

    run = process_pending()
    return run.pages_written if run else 0
