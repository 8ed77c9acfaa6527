"""Newsletter mail as background tasks (django-tasks; ``broadsheet db_worker`` runs them).

* :func:`send_issue` sends one batch of an issue (:func:`.sending.send_batch`) and queues
  itself again for the next one, at the newsroom's rate (``RATE_PER_MINUTE``), or at the next
  retry time when the server refused some for now or could not be reached. With a task backend
  that cannot defer (the immediate backend of tests and the demo's one-off commands), it sends
  the batches one after another in this process.
* :func:`send_confirmation` mails the double opt-in link; tried again after ``RETRY_DELAYS``.
* :func:`resume_sends` queues :func:`send_issue` for every issue still sending — what a worker
  killed mid-send left (the deliveries say who has it already).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks import task

from broadsheet.content import mailing

from . import conf, sending
from .models import Delivery, Issue, Subscription
from .subscribers import confirm_token

logger = logging.getLogger(__name__)


def _delay_after(result: sending.BatchResult, issue: Issue) -> float | None:
    """Seconds until the next batch of ``issue`` should run, or None when it is finished."""
    if result.more and not result.connection_error:
        rate = conf.get("RATE_PER_MINUTE")
        handed = result.sent + result.failed + result.deferred
        return handed * 60.0 / rate if rate else 0.0
    if result.more or result.later:
        first = (
            Delivery.objects.filter(issue=issue, status=Delivery.Status.DEFERRED)
            .exclude(next_try_at=None)
            .order_by("next_try_at")
            .values_list("next_try_at", flat=True)
            .first()
        )
        if first is None or result.connection_error:
            return float(conf.get("RETRY_DELAYS")[0])
        return max(1.0, (first - timezone.now()).total_seconds())
    return None


@task()
def send_issue(issue_id: int) -> int:
    """Send issue ``issue_id`` batch by batch (see the module docstring); returns how many
    messages this run handed to the server."""
    issue = Issue.objects.filter(pk=issue_id).select_related("list").first()
    if issue is None or issue.status != Issue.Status.SENDING:
        return 0
    rate = conf.get("RATE_PER_MINUTE")
    size = min(conf.get("BATCH_SIZE"), rate) if rate else conf.get("BATCH_SIZE")
    backend = send_issue.get_backend()
    sent = 0
    while True:
        result = sending.send_batch(issue, size)
        sent += result.sent
        delay = _delay_after(result, issue)
        if delay is None:
            return sent
        if backend.supports_defer:
            run_after = timezone.now() + dt.timedelta(seconds=delay)
            send_issue.using(run_after=run_after).enqueue(issue_id)
            return sent
        if result.connection_error or not result.more:
            return sent  # no deferred task to wait with: resume_sends picks it up
        time.sleep(delay)


@task()
def resume_sends() -> int:
    """Queue :func:`send_issue` for every issue still sending; returns how many."""
    ids = list(Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True))
    for issue_id in ids:
        send_issue.enqueue(issue_id)
    return len(ids)


def confirmation_message(subscriptions: list[Subscription], confirm_url: str):
    """The double opt-in mail for pending ``subscriptions`` of one address; ``confirm_url``
    is the live confirmation endpoint (absolute, without token)."""
    first = subscriptions[0]
    url = f"{confirm_url}?t={confirm_token(subscriptions)}"
    names = ", ".join(s.list.name for s in subscriptions)
    language = first.list.language
    direction = "rtl" if language.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"
    with translation.override(language):
        subject = gettext("Please confirm your subscription to %(lists)s") % {"lists": names}
        ask = gettext(
            "Someone, probably you, asked to receive %(lists)s at this address. To confirm, "
            "open this link within seven days:"
        ) % {"lists": names}
        ignore = gettext("If it was not you, ignore this message: nothing will be sent.")
        button = gettext("Confirm my subscription")
    text = f"{ask}\n\n{url}\n\n{ignore}\n"
    html = mailing.html_document(
        subject,
        f'<p>{escape(ask)}</p>\n<p><a href="{escape(url)}">{escape(button)}</a></p>\n'
        f"<p>{escape(url)}</p>\n<p>{escape(ignore)}</p>",
        language,
        direction,
    )
    return mailing.build_message(
        subject, text, html, settings.DEFAULT_FROM_EMAIL, [first.subscriber.email]
    )


@task()
def send_confirmation(subscription_ids: list[int], confirm_url: str, attempt: int = 1) -> bool:
    """Mail the confirmation link for the (pending) subscriptions ``subscription_ids`` of one
    address; True once the server accepted it or nothing waits for confirmation any more."""
    subs = list(
        Subscription.objects.filter(pk__in=subscription_ids, status=Subscription.Status.PENDING)
        .select_related("subscriber", "list")
        .order_by("pk")
    )
    if not subs or subs[0].subscriber.disabled_at:
        return True
    outcome = mailing.send(
        confirmation_message(subs, confirm_url), f"confirmation mail {subscription_ids}"
    )
    if outcome:
        return True
    if outcome is mailing.Outcome.REFUSED:
        return False  # refused for good (5xx: content.mailing.outcome_of, logged): no retry
    delays = conf.get("RETRY_DELAYS")
    if attempt > len(delays) or not send_confirmation.get_backend().supports_defer:
        logger.error("confirmation mail %s not accepted; gave up", subscription_ids)
        return False
    run_after = timezone.now() + dt.timedelta(seconds=delays[attempt - 1])
    send_confirmation.using(run_after=run_after).enqueue(
        subscription_ids, confirm_url, attempt=attempt + 1
    )
    return False
