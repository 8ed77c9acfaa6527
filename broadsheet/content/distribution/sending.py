"""Sending an issue: batches, per-recipient delivery records, retries and bounces.

:func:`send_batch` sends an issue to the next recipients that have no final
:class:`~.models.Delivery` yet, over one SMTP connection. For each recipient, the delivery row
is written **in the same transaction as the send step**: the transaction takes the row (locked),
hands the message to the SMTP server and records the answer; it commits only after the server
answered. A worker killed before the server accepted a message leaves no ``sent`` row, and the
resumed send mails that reader; a worker killed after it leaves the row committed, and nobody
gets the issue twice. The one window that remains is between the server's ``250`` and the
commit (a few milliseconds): a kill exactly there mails that one reader twice — SMTP offers no
two-phase commit (docs/distribution.md).

The SMTP server's answer decides the rest (RFC 5321 §4.2): ``250`` → ``sent``; a ``4xx``
refusal (or a connection that breaks) → ``deferred``, tried again after ``RETRY_DELAYS``; a
``5xx`` refusal of the recipient or the message (``SMTPRecipientsRefused``,
``SMTPDataError``) → ``failed`` (``content.mailing.outcome_of``: the same rule as every other
mail the newsroom sends; a ``5xx`` refusal of our own sender or login is ``deferred``: the
newsroom's set-up, not the reader's address), and the address's ``failures`` count goes up; at
``BOUNCE_LIMIT`` refusals in a row the address is disabled. A success sets the count back to 0.
A refusal of the whole connection (the server down) stops the batch: nothing is recorded for
recipients not tried.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from broadsheet.content import mailing

from . import conf
from .models import Delivery, Issue, Subscriber, Subscription
from .subscribers import unsubscribe_token

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    """What one batch did: counts of ``sent``, ``deferred`` and ``failed`` deliveries;
    ``more``: recipients are left that can be tried now; ``later``: some wait for a retry;
    ``connection_error``: the batch stopped because the server could not be reached."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    more: bool = False
    later: bool = False
    connection_error: str = ""


def recipients(issue: Issue, now: object = None):
    """The subscriptions still to be sent ``issue`` now: confirmed on the list before the issue
    was made, address not disabled, no ``sent`` or ``failed`` delivery, and no deferred one
    waiting for its retry time (a queryset, oldest subscription first)."""
    now = now or timezone.now()
    done = Delivery.objects.filter(issue=issue).filter(
        Q(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED]) | Q(next_try_at__gt=now)
    )
    return (
        Subscription.objects.filter(
            list_id=issue.list_id,
            status=Subscription.Status.CONFIRMED,
            confirmed_at__lte=issue.created_at,
            subscriber__disabled_at__isnull=True,
        )
        .exclude(pk__in=done.values("subscription_id"))
        .select_related("subscriber")
        .order_by("pk")
    )


def waiting_retry(issue: Issue) -> bool:
    """Whether some recipients of ``issue`` wait for a retry time still to come."""
    return Delivery.objects.filter(
        issue=issue, status=Delivery.Status.DEFERRED, next_try_at__gt=timezone.now()
    ).exists()


def message_for(issue: Issue, subscription: Subscription, connection: object = None):
    """The message of ``issue`` for one recipient: the issue's body with the recipient's own
    unsubscribe link in the footer and in the RFC 8058 headers."""
    url = f"{issue.unsubscribe_url}?t={unsubscribe_token(subscription)}"
    with translation.override(issue.language):
        why = gettext("You receive this because you subscribed to %(list)s.") % {
            "list": subscription.list.name
        }
        leave = gettext("Unsubscribe")
    text = f"{issue.text}\n\n-- \n{why}\n{leave}: {url}\n"
    footer = (
        f'<hr>\n<p><small>{escape(why)} <a href="{escape(url)}">{escape(leave)}</a></small></p>'
    )
    html = mailing.html_document(
        issue.subject, f"{issue.html}\n{footer}", issue.language, issue.direction
    )
    return mailing.build_message(
        issue.subject,
        text,
        html,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.subscriber.email],
        headers=mailing.unsubscribe_headers(url),
        connection=connection,
    )


def _permanent(error: Exception) -> tuple[bool, str]:
    """Whether an SMTP error refuses this recipient for good (5xx), and its text: the rule of
    every mail the newsroom sends (``content.mailing.outcome_of``)."""
    outcome, text = mailing.outcome_of(error)
    return outcome is mailing.Outcome.REFUSED, text


def _disable_if_bouncing(subscriber_id: int, reason: str) -> None:
    Subscriber.objects.filter(pk=subscriber_id).update(failures=F("failures") + 1)
    Subscriber.objects.filter(
        pk=subscriber_id, failures__gte=conf.get("BOUNCE_LIMIT"), disabled_at__isnull=True
    ).update(disabled_at=timezone.now(), disabled_reason=reason[:500])


def _retry_at(attempts: int) -> object | None:
    delays = conf.get("RETRY_DELAYS")
    if attempts > len(delays):
        return None
    return timezone.now() + dt.timedelta(seconds=delays[attempts - 1])


def _send_one(issue: Issue, sub: Subscription, connection: object, result: BatchResult) -> bool:
    """One recipient, in one transaction; False if the connection is broken."""
    with transaction.atomic():
        delivery, _ = Delivery.objects.select_for_update().get_or_create(
            issue=issue, subscription=sub, defaults={"status": Delivery.Status.DEFERRED}
        )
        if delivery.status != Delivery.Status.DEFERRED:
            return True  # another worker sent it meanwhile
        delivery.attempts += 1
        try:
            connection.send_messages([message_for(issue, sub, connection)])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            permanent, text = _permanent(error)
            delivery.error = text[:500]
            if permanent:
                delivery.status, delivery.next_try_at = Delivery.Status.FAILED, None
                _disable_if_bouncing(sub.subscriber_id, text)
                result.failed += 1
            else:
                delivery.next_try_at = _retry_at(delivery.attempts)
                if delivery.next_try_at is None:
                    delivery.status = Delivery.Status.FAILED
                    result.failed += 1
                else:
                    result.deferred += 1
            delivery.save()
            return True
        except (smtplib.SMTPException, OSError) as error:
            # the connection broke mid-send: the server may or may not have the message
            delivery.error = f"{type(error).__name__}: {error}"[:500]
            delivery.next_try_at = _retry_at(delivery.attempts)
            delivery.status = (
                Delivery.Status.DEFERRED if delivery.next_try_at else Delivery.Status.FAILED
            )
            delivery.save()
            result.connection_error = delivery.error
            return False
        delivery.status, delivery.error, delivery.next_try_at = Delivery.Status.SENT, "", None
        delivery.save()
        if sub.subscriber.failures:
            Subscriber.objects.filter(pk=sub.subscriber_id).update(failures=0)
        result.sent += 1
        return True


def send_batch(issue: Issue, size: int | None = None, connection: object = None) -> BatchResult:
    """Send ``issue`` to the next ``size`` recipients (default ``BATCH_SIZE``) over one
    connection (default: a new one of ``EMAIL_BACKEND``). Marks the issue ``done`` when no
    recipient is left to send or retry."""
    result = BatchResult()
    if issue.status != Issue.Status.SENDING:
        return result
    size = size or conf.get("BATCH_SIZE")
    batch = list(recipients(issue)[:size])
    if batch:
        connection = connection or get_connection(fail_silently=False)
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            result.connection_error = f"{type(error).__name__}: {error}"
            result.later = True
            logger.warning("issue %s: mail server unreachable: %s", issue.pk, error)
            return result
        try:
            for sub in batch:
                if not _send_one(issue, sub, connection, result):
                    break
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
        Issue.objects.filter(pk=issue.pk).update(last_progress_at=timezone.now())
    result.more = recipients(issue).exists()
    result.later = result.later or waiting_retry(issue)
    if not result.more and not result.later:
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.DONE, finished_at=timezone.now()
        )
    return result


def progress(issue: Issue) -> dict[str, int]:
    """Counts for the admin: ``recipients`` (everyone the issue goes to: sent, failed, waiting
    for a retry, and still to send), ``sent``, ``deferred``, ``failed``."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in issue.deliveries.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    waiting = issue.deliveries.filter(
        status=Delivery.Status.DEFERRED, next_try_at__gt=timezone.now()
    ).count()
    left = recipients(issue).count() if issue.status == Issue.Status.SENDING else 0
    return {
        "recipients": left + waiting + counts["sent"] + counts["failed"],
        "sent": counts["sent"],
        "deferred": counts["deferred"],
        "failed": counts["failed"],
    }
