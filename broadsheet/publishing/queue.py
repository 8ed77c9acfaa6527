"""The queue of changes to bake: :func:`request_bake` stores a change and, once the writer's
transaction commits, enqueues the task that bakes it.

Why a table of our own on top of django-tasks: a django-tasks task killed part-way is not
retried; a :class:`~.models.BakeRequest` row is deleted only after its pages are written, so the
next run (a worker, or ``broadsheet bake --pending``) completes the work.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import tasks
from .models import BakeRequest


def request_bake(kind: str, object_id: int | None = None, **data: Any) -> BakeRequest:
    """Queue a change to bake and, once the transaction commits, the task that bakes it."""
    request = BakeRequest.objects.create(kind=kind, object_id=object_id, data=data)
    transaction.on_commit(lambda: tasks.bake_pending.enqueue())
    return request
