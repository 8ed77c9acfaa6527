"""Mail as background tasks (django-tasks; the database-backed worker ``broadsheet db_worker``
runs them): a reader's post never waits for the mail server, and mail that fails is tried again.

Each task sends one stored item with :mod:`.moderation`; ``mailed`` is set only after the mail
server accepted the message. When it did not for now (server down, a ``4xx`` answer, timed
out), the task enqueues itself again after :data:`RETRY_DELAYS` (seconds: 1 min, 5 min, 30 min,
2 h, 6 h) if the task backend can defer tasks (the database backend can); after the last try —
or at once when the server refused the message for good (a ``5xx`` answer:
``content.mailing.outcome_of``, the one rule of every mail the newsroom sends) — the item stays
stored with ``mailed`` False and an error is logged, so an editor can still read it in the admin.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from .. import mailing
from . import moderation
from .models import AuthorMessage, Comment, Letter

logger = logging.getLogger(__name__)

#: Seconds to wait before the 2nd, 3rd… try of a mail that failed.
RETRY_DELAYS: tuple[int, ...] = (60, 300, 1800, 7200, 21600)


def retry_later(
    failed: Task, attempt: int, *args: Any, outcome: mailing.Outcome = mailing.Outcome.LATER
) -> bool:
    """Enqueue ``failed`` again for try ``attempt + 1`` after its delay; False when the tries
    are used up, the backend cannot defer, or the server refused the mail for good
    (``outcome`` ``REFUSED``: a ``5xx`` answer) — then the error is logged. The mail tasks of
    every feature share it (the forums' notices too): one retry policy."""
    if outcome is mailing.Outcome.REFUSED:
        logger.error("%s%r: mail refused for good; gave up at try %d", failed.name, args, attempt)
        return False
    if attempt > len(RETRY_DELAYS) or not failed.get_backend().supports_defer:
        logger.error("%s%r: mail not accepted after %d tries; gave up", failed.name, args, attempt)
        return False
    run_after = timezone.now() + dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
    failed.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    return True


@task()
def deliver_letter(letter_id: int, attempt: int = 1) -> bool:
    """Mail letter ``letter_id`` to the editors; True once the server accepted it (or it was
    mailed before, or deleted). ``attempt`` counts the tries, from 1."""
    letter = Letter.objects.filter(pk=letter_id, mailed=False).first()
    if letter is None:
        return True
    outcome = moderation.mail_letter(letter)
    if outcome:
        return True
    retry_later(deliver_letter, attempt, letter_id, outcome=outcome)
    return False


@task()
def deliver_author_message(message_id: int, page_url: str, attempt: int = 1) -> bool:
    """Relay reader message ``message_id`` (sent from the absolute URL ``page_url``) to the
    author; True once the server accepted it (or it was mailed before, or deleted)."""
    message = (
        AuthorMessage.objects.filter(pk=message_id, mailed=False).select_related("author").first()
    )
    if message is None:
        return True
    outcome = moderation.relay_to_author(message, page_url)
    if outcome:
        return True
    retry_later(deliver_author_message, attempt, message_id, page_url, outcome=outcome)
    return False


@task()
def deliver_held_notice(comment_id: int) -> bool:
    """Tell the editors that comments wait for moderation (at most one mail per
    ``NOTIFY_INTERVAL_SECONDS``; not tried again: the next held comment sends the next one)."""
    comment = Comment.objects.filter(pk=comment_id).first()
    return comment is not None and moderation.notify_held(comment)
