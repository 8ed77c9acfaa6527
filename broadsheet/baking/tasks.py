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


@task()
def rebuild_static_search(output: str) -> int:
    """Rebuild the baked site's Pagefind index (scheduled after incremental bakes); returns
    the number of pages indexed."""
    from pathlib import Path

    from .engine import bake_lock, build_static_search

    with bake_lock(Path(output)):
        result = build_static_search(Path(output))
    return result["pages"] if result else 0
