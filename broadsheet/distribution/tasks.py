"""The daily digest as a background task: :func:`send_digests` makes every list's digest
(each then sends through :func:`broadsheet.content.distribution.tasks.send_issue`), and arms
itself for the next ``DIGEST_HOUR`` (newsroom time) when the task backend can defer. Arm it once
with ``broadsheet newsletter schedule``, or run ``broadsheet newsletter digest`` from cron."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from broadsheet.content.distribution import conf
from broadsheet.content.distribution.tasks import resume_sends

from . import issues


def next_digest_time(now: dt.datetime | None = None) -> dt.datetime:
    """The next ``DIGEST_HOUR`` o'clock in the newsroom's time zone after ``now``."""
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=conf.get("DIGEST_HOUR"), minute=0, second=0, microsecond=0)
    if at <= local:
        at = (at + dt.timedelta(days=1)).replace(hour=conf.get("DIGEST_HOUR"))
    return at


def arm() -> dt.datetime | None:
    """Queue :func:`send_digests` for the next digest time; None when the task backend cannot
    defer (use cron and ``broadsheet newsletter digest`` then)."""
    if not send_digests.get_backend().supports_defer:
        return None
    at = next_digest_time()
    send_digests.using(run_after=at).enqueue()
    return at


@task()
def send_digests() -> int:
    """Make today's digest of every list (sent in the background), resume any send a killed
    worker left, and arm the next run. Returns how many digests were made."""
    made = issues.make_digests()
    resume_sends.enqueue()
    arm()
    return len(made)
