"""The queue of changes to bake: :func:`request_bake` stores a change and, once the writer's
transaction commits, enqueues the task that bakes it.

Why a table of our own on top of django-tasks: a django-tasks task killed part-way is not
retried; a :class:`~.models.BakeRequest` row is deleted only after its pages are written, so the
next run (a worker, or ``broadsheet bake --pending``) completes the work.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from . import tasks
from .models import BakeRequest


def _enqueue() -> None:
    tasks.bake_pending.enqueue()


def request_bake(kind: str, object_id: int | None = None, **data: Any) -> BakeRequest:
    """Queue a change to bake and, once the transaction commits, the task that bakes it — one
    task per transaction however many changes it queues (an import publishing thousands of
    stories in one transaction enqueues one bake)."""
    request = BakeRequest.objects.create(kind=kind, object_id=object_id, data=data)
    if not any(entry[1] is _enqueue for entry in connection.run_on_commit):
        transaction.on_commit(_enqueue)
    return request
