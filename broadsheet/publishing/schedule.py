"""Embargo and expiry: Wagtail's scheduled publishing, run by the worker on time.

An editor sets a story's *go-live* time (the embargo) and *expiry* time (Wagtail's
``go_live_at`` / ``expire_at``). Wagtail's ``publish_scheduled`` command publishes the
revisions whose approved go-live time has passed and unpublishes (as expired) the live pages
whose expiry has passed; their publish and unpublish send the usual signals, so the change is
queued and baked like any other (an expired story's address answers 410).

Nothing has to run it by hand: whenever something is scheduled, :func:`arm` queues the
``publish_scheduled`` task to run at that time (django-tasks' ``run_after``; the database
worker, ``broadsheet db_worker``, runs it then), and each run arms the next. ``broadsheet bake
--pending`` runs it too (a cron safety net).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from . import engine

# Wagtail publishes what is due strictly before "now": run a second after the due time.
GRACE = dt.timedelta(seconds=1)


def next_due() -> dt.datetime | None:
    """The next time scheduled publishing has work: the earliest approved go-live time of a
    revision waiting for it, or expiry of a live page (UTC, aware); ``None`` if none."""
    from wagtail.models import Page, Revision

    times = [
        Revision.objects.filter(approved_go_live_at__isnull=False).aggregate(
            t=Min("approved_go_live_at")
        )["t"],
        Page.objects.filter(live=True, expire_at__isnull=False).aggregate(t=Min("expire_at"))["t"],
    ]
    due = [t for t in times if t is not None]
    return min(due) if due else None


def publish_due() -> str:
    """Publish what is due and unpublish what has expired, now (Wagtail's
    ``publish_scheduled``). Returns the command's report."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def arm() -> dt.datetime | None:
    """Queue the ``publish_scheduled`` task for the next due time (once the transaction
    commits), when the task backend can defer tasks. Returns the time it will run, or
    ``None`` when nothing is scheduled or the backend cannot defer (then ``broadsheet bake
    --pending`` or a worker cycle must run it)."""
    due = next_due()
    if due is None or not publish_scheduled.get_backend().supports_defer:
        return None
    run_at = max(due, timezone.now()) + GRACE
    transaction.on_commit(lambda: publish_scheduled.using(run_after=run_at).enqueue())
    return run_at


@task()
def publish_scheduled() -> int:
    """One worker cycle of embargoes and expiries: publish the stories whose go-live time has
    come, unpublish those whose expiry has passed, bake what that changed, and arm the task for
    the next scheduled time. Returns the number of files written."""
    publish_due()
    run = engine.process_pending()
    arm()
    return run.pages_written if run is not None else 0


def on_revision_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A revision scheduled to go live (an embargo) arms the task."""
    if instance.approved_go_live_at is not None:
        arm()


def on_page_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A live page with an expiry time arms the task."""
    if getattr(instance, "live", False) and getattr(instance, "expire_at", None) is not None:
        arm()
