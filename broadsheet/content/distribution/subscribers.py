"""The services that write subscriptions: subscribe, confirm, unsubscribe, import and export.

Addresses are checked with Django's ``EmailValidator`` and kept with the domain in lower case
(the local part is the mailbox owner's, RFC 5321 §2.4). Tokens of the signed links
(:mod:`broadsheet.content.mailing`) name subscription ids and the address, so a token for one
address never touches another.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone

from broadsheet.content import mailing

from . import conf
from .models import NewsletterList, Subscriber, Subscription

CONFIRM = "newsletter-confirm"
UNSUBSCRIBE = "newsletter-unsubscribe"

_validate = EmailValidator()


class BadAddress(ValueError):
    """Not an e-mail address we can send to."""


def normalize_email(raw: str) -> str:
    """``raw`` stripped, its domain in lower case; :class:`BadAddress` if it is not an
    address (Django's ``EmailValidator``; at most 254 characters, RFC 5321)."""
    email = (raw or "").strip()
    if len(email) > 254 or "@" not in email:
        raise BadAddress(raw)
    local, _, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"
    try:
        _validate(email)
    except ValidationError:
        raise BadAddress(raw) from None
    return email


def edition_list(language: str, name: str = "") -> NewsletterList:
    """The list of the edition ``language`` (made on first use)."""
    found, _ = NewsletterList.objects.get_or_create(
        language=language, section=None, defaults={"name": name or f"Newsletter ({language})"}
    )
    return found


@transaction.atomic
def subscribe(email: str, lists: Sequence[NewsletterList]) -> list[Subscription]:
    """Put ``email`` (normalised; :class:`BadAddress`) on ``lists``, pending confirmation.
    Returns the subscriptions that wait for confirmation now (new ones, and unsubscribed ones
    asked for again); a confirmed subscription is left as it is. A disabled address stays
    disabled."""
    address = normalize_email(email)
    subscriber, _ = Subscriber.objects.get_or_create(email=address)
    waiting = []
    for newsletter in lists:
        sub, created = Subscription.objects.get_or_create(subscriber=subscriber, list=newsletter)
        if not created and sub.status == Subscription.Status.UNSUBSCRIBED:
            sub.status = Subscription.Status.PENDING
            sub.save(update_fields=["status"])
        if sub.status == Subscription.Status.PENDING:
            waiting.append(sub)
    return waiting


def confirm_token(subscriptions: Sequence[Subscription]) -> str:
    """The token of a confirmation link for pending ``subscriptions`` of one address."""
    (email,) = {s.subscriber.email for s in subscriptions}
    return mailing.sign(CONFIRM, {"s": sorted(s.pk for s in subscriptions), "e": email})


def unsubscribe_token(subscription: Subscription) -> str:
    """The token of a subscription's unsubscribe link (never expires: RFC 8058 links keep
    working)."""
    return mailing.sign(UNSUBSCRIBE, {"s": subscription.pk, "e": subscription.subscriber.email})


@dataclass
class Outcome:
    """What a confirmation or unsubscribe link did: ``changed`` (subscriptions whose state it
    changed), ``already`` (those already in that state), ``missing`` (the token names no such
    subscription any more), the address."""

    email: str = ""
    changed: list[Subscription] = field(default_factory=list)
    already: list[Subscription] = field(default_factory=list)
    missing: bool = False


def _subscriptions(data: dict, ids: Iterable[int]) -> list[Subscription]:
    return list(
        Subscription.objects.select_for_update()
        .select_related("subscriber", "list")
        .filter(pk__in=list(ids), subscriber__email=str(data.get("e", "")))
        .order_by("pk")
    )


@transaction.atomic
def confirm(token: str) -> Outcome:
    """Confirm the subscriptions of a confirmation token. Raises
    :class:`~broadsheet.content.mailing.LinkExpired` (older than ``CONFIRM_MAX_AGE``) or
    :class:`~broadsheet.content.mailing.LinkForged`. An unsubscribed subscription is not
    confirmed by an old link (the reader subscribes again)."""
    data = mailing.unsign(CONFIRM, token, conf.get("CONFIRM_MAX_AGE"))
    ids = data.get("s")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise mailing.LinkForged(CONFIRM)
    outcome = Outcome(email=str(data.get("e", "")))
    found = _subscriptions(data, ids)
    outcome.missing = not found
    now = timezone.now()
    for sub in found:
        if sub.status == Subscription.Status.PENDING:
            sub.status, sub.confirmed_at = Subscription.Status.CONFIRMED, now
            sub.save(update_fields=["status", "confirmed_at"])
            outcome.changed.append(sub)
        elif sub.status == Subscription.Status.CONFIRMED:
            outcome.already.append(sub)
    return outcome


def read_unsubscribe(token: str) -> Outcome:
    """What an unsubscribe token names, without changing anything
    (:class:`~broadsheet.content.mailing.LinkForged` for a bad token)."""
    data = mailing.unsign(UNSUBSCRIBE, token)
    if not isinstance(data.get("s"), int):
        raise mailing.LinkForged(UNSUBSCRIBE)
    found = list(
        Subscription.objects.select_related("subscriber", "list").filter(
            pk=data["s"], subscriber__email=str(data.get("e", ""))
        )
    )
    outcome = Outcome(email=str(data.get("e", "")), missing=not found)
    for sub in found:
        if sub.status == Subscription.Status.UNSUBSCRIBED:
            outcome.already.append(sub)
        else:
            outcome.changed.append(sub)
    return outcome


@transaction.atomic
def unsubscribe(token: str) -> Outcome:
    """Unsubscribe the subscription of an unsubscribe token (no login: the token is the
    proof). An address or subscription that is not there changes nothing (``missing``)."""
    data = mailing.unsign(UNSUBSCRIBE, token)
    if not isinstance(data.get("s"), int):
        raise mailing.LinkForged(UNSUBSCRIBE)
    outcome = Outcome(email=str(data.get("e", "")))
    found = _subscriptions(data, [data["s"]])
    outcome.missing = not found
    for sub in found:
        if sub.status == Subscription.Status.UNSUBSCRIBED:
            outcome.already.append(sub)
            continue
        sub.status, sub.unsubscribed_at = Subscription.Status.UNSUBSCRIBED, timezone.now()
        sub.save(update_fields=["status", "unsubscribed_at"])
        outcome.changed.append(sub)
    return outcome


# -- CSV ----------------------------------------------------------------------------------------
CSV_FIELDS = ("email", "status", "subscribed_at", "confirmed_at")


def export_csv(newsletter: NewsletterList) -> str:
    """The list's subscribers as CSV (RFC 4180, a header line ``email,status,subscribed_at,
    confirmed_at``; dates RFC 3339 UTC), oldest first: what another sender can import."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    rows = (
        Subscription.objects.filter(list=newsletter)
        .select_related("subscriber")
        .order_by("created_at", "pk")
    )
    for sub in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                sub.subscriber.email,
                sub.status,
                sub.created_at.isoformat() if sub.created_at else "",
                sub.confirmed_at.isoformat() if sub.confirmed_at else "",
            ]
        )
    return out.getvalue()


@dataclass
class ImportReport:
    """What an import did: ``added`` new subscriptions, ``updated`` existing ones,
    ``skipped`` (line number, reason) for rows that were not imported."""

    added: int = 0
    updated: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


@transaction.atomic
def import_csv(newsletter: NewsletterList, text: str) -> ImportReport:
    """Import subscribers from CSV with at least an ``email`` column (and optionally
    ``status``: ``confirmed`` — the default, for a list moved from another sender —,
    ``pending`` or ``unsubscribed``). A row with a bad address or status is skipped and
    reported; nothing else is lost. An unsubscribed address is never made subscribed again
    by an import, and a disabled one stays disabled."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "email" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ValueError("the CSV has no 'email' column")
    now = timezone.now()
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            email = normalize_email(row.get("email", ""))
        except BadAddress:
            report.skipped.append((number, f"not an e-mail address: {row.get('email', '')!r}"))
            continue
        status = row.get("status") or Subscription.Status.CONFIRMED
        if status not in Subscription.Status.values:
            report.skipped.append((number, f"unknown status {status!r}"))
            continue
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        sub, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            list=newsletter,
            defaults={
                "status": status,
                "confirmed_at": now if status == Subscription.Status.CONFIRMED else None,
                "unsubscribed_at": now if status == Subscription.Status.UNSUBSCRIBED else None,
            },
        )
        if created:
            report.added += 1
        elif sub.status != status and sub.status != Subscription.Status.UNSUBSCRIBED:
            sub.status = status
            sub.save(update_fields=["status"])
            report.updated += 1
    return report
