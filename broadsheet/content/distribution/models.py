"""Newsletter lists, subscribers, subscriptions, issues and deliveries.

A :class:`NewsletterList` belongs to an edition (its language) and optionally to a section. A
:class:`Subscriber` is one e-mail address (no account); it has a :class:`Subscription` per list,
pending until the reader follows the signed confirmation link (double opt-in). An
:class:`Issue` is one send to one list (a daily digest, or one story sent now); a
:class:`Delivery` records what happened to one recipient of one issue, written in the same
transaction as the send step, so a send interrupted by a killed worker resumes with those who
have no ``sent`` delivery yet (docs/distribution.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NewsletterList(models.Model):
    """A list readers subscribe to: an edition's (``section`` empty) or a section's."""

    language = models.CharField(max_length=10, help_text=_("The edition's language code."))
    section = models.ForeignKey(
        "newsroom.SectionPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the whole edition."),
    )
    name = models.CharField(max_length=200)
    digest = models.BooleanField(default=True, help_text=_("Sends the daily digest."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("language", "section_id", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(section__isnull=True),
                name="distribution_one_edition_list",
            ),
            models.UniqueConstraint(
                fields=["language", "section"], name="distribution_one_list_per_section"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    """One address. ``failures``: permanent refusals in a row by the mail server; at
    ``BOUNCE_LIMIT`` the address is disabled (``disabled_at``) and gets nothing more."""

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """An address on a list: pending (not confirmed yet), confirmed, or unsubscribed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    list = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("list_id", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "list"], name="distribution_one_subscription"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.list_id}: {self.status}"


class Issue(models.Model):
    """One send to one list: the body is rendered once when the issue is made; each
    recipient's copy adds only its own unsubscribe link. ``key`` makes a digest or a story
    send unique per list (``digest:<list>:<date>``, ``story:<list>:<story>``)."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        STORY = "story", _("Story sent now")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    list = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=120, unique=True)
    story = models.ForeignKey(
        "newsroom.StoryPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=255)
    text = models.TextField(help_text="The plain-text body, without the footer.")
    html = models.TextField(help_text="The HTML body (inside <body>), without the footer.")
    language = models.CharField(max_length=10)
    direction = models.CharField(max_length=3, default="ltr")
    unsubscribe_url = models.CharField(
        max_length=500, help_text="The live unsubscribe endpoint (absolute), without token."
    )
    window_end = models.DateTimeField(
        null=True, blank=True, help_text="A digest covers stories published up to this time."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """What happened to one recipient of one issue. ``sent``: the SMTP server accepted it;
    ``deferred``: refused for now (4xx, connection lost), tried again at ``next_try_at``;
    ``failed``: refused for good (5xx), or deferred too often."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        DEFERRED = "deferred", _("Will be tried again")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscription"], name="distribution_one_delivery"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscription_id}: {self.status}"


class TelegramPost(models.Model):
    """A story posted to an edition's Telegram channel: the ``message_id`` the Bot API gave,
    so that a correction edits the post (``editMessageText``) instead of posting again;
    ``text`` is what the channel shows now."""

    story = models.ForeignKey("newsroom.StoryPage", on_delete=models.CASCADE, related_name="+")
    chat_id = models.CharField(max_length=100)
    message_id = models.BigIntegerField()
    text = models.TextField()
    posted_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "chat_id"], name="distribution_one_post")
        ]

    def __str__(self) -> str:
        return f"{self.story_id} in {self.chat_id}: {self.message_id}"
