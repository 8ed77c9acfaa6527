"""Reader forums: boards hold topics, topics hold posts (docs/forums.md).

Posts are moderated with the comments' states (:class:`~broadsheet.content.discussion.models.
CommentStatus`: held, approved, spam, removed — one vocabulary, one queue); only approved posts
are shown and counted. A topic and its board keep counts and the time of their newest approved
post, updated with ``F()`` expressions in the writer's transaction by :mod:`.services`, so two
readers posting at once are both counted. A post's author is a reader's account; a deleted
account leaves its posts with no author, shown under "former member".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from broadsheet.content.discussion.models import CommentStatus

from .networks import normalise_network

#: board slugs the forum's own routes use (``/forums/latest/``, ``/forums/search/``)
RESERVED_BOARD_SLUGS = frozenset(
    {"latest", "search", "post", "discuss", "page", "new", "follow", "unsubscribe", "edit",
     "delete", "quote", "report"}
)  # fmt: skip


class Board(models.Model):
    """A forum board: a title, a description, its place in the list (``position``, lowest
    first), and optionally the one edition's language it belongs to (empty: every edition)."""

    title = models.CharField(_("title"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    position = models.IntegerField(_("position"), default=0)
    language = models.CharField(
        _("edition language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Empty: the board is listed in every edition."),
    )
    for_stories = models.BooleanField(
        _("stories' board"),
        default=False,
        help_text=_("“Discuss this story” opens its topics on this board."),
    )
    sample = models.BooleanField(default=False, help_text="Sample content of the demo.")
    topics_count = models.IntegerField(_("topics"), default=0, editable=False)
    posts_count = models.IntegerField(_("posts"), default=0, editable=False)
    last_post_at = models.DateTimeField(_("newest post"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "title", "id"]
        verbose_name = _("forum board")
        verbose_name_plural = _("forum boards")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.slug in RESERVED_BOARD_SLUGS:
            raise ValidationError({"slug": _("This address is used by the forums themselves.")})


class Topic(models.Model):
    """A topic on a board. ``story``: the story it discusses ("Discuss this story": at most one
    topic per story). ``posts_count`` and ``last_post_at`` count approved posts only."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="topics", verbose_name=_("forum board")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    story = models.OneToOneField(
        "newsroom.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_topic",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_post_at = models.DateTimeField(_("newest post"), default=timezone.now)
    posts_count = models.IntegerField(_("posts"), default=0, editable=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    sample = models.BooleanField(default=False, help_text="Sample content of the demo.")

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-id"]
        verbose_name = _("forum topic")
        verbose_name_plural = _("forum topics")
        indexes = [models.Index(fields=["board", "hidden", "-pinned", "-last_post_at", "-id"])]

    def __str__(self) -> str:
        return self.title


class MergedTopic(models.Model):
    """The record a merge leaves of a topic it deleted: its old id and the topic its posts went
    into, so that the old address (a link in a sent mail, a bookmark) is redirected there. It
    goes with that topic; a later merge of that topic repoints it (``moderation.merge_topics``)."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    into = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.old_id} → {self.into_id}"


class Post(models.Model):
    """A post in a topic: the reader's Markdown ``text`` as written, and its ``html``
    (the small Markdown subset, sanitised: :mod:`.markup`)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("forum topic")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=20000)
    html = models.TextField(editable=False, default="")
    # " term term … ": the text's search terms (content.searchtext: Persian/Arabic letters
    # folded, English stemmed), padded with spaces so a term is matched whole
    search_terms = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.HELD,
        db_index=True,
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # the author deleted it: the row stays (numbering and quotes of the thread), its text goes
    deleted_at = models.DateTimeField(_("deleted by its author"), null=True, blank=True)
    # when it was first shown (its first approval): subscribers are mailed once, from then
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")
        indexes = [models.Index(fields=["topic", "status", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.topic.title}: {self.text[:40]}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._counted_status = instance.__dict__.get("status")
        return instance

    def excerpt(self) -> str:
        return self.text[:80]

    excerpt.short_description = _("excerpt")  # the admin's column heading


class Report(models.Model):
    """A reader's report of a post ("report this post"): it puts the post in the moderation
    queue (the post's ``reports`` count) until a moderator acts on it."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("forum post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="forums_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason[:40]}"


class TopicRead(models.Model):
    """How far a signed-in reader has read a topic: the time of the newest post they saw."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forums_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} up to {self.read_at}"


class Ban(models.Model):
    """A reader's account, or a range of addresses (an IPv4 address or network; an IPv6
    address is banned by its /64, a subscriber's line), that may not post in the forums —
    until ``expires_at`` if set. Checked on every post (``content.forums.bans.ban_for``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader's account"),
    )
    network = models.CharField(
        _("address range"),
        max_length=64,
        blank=True,
        help_text=_("An address or network, e.g. 192.0.2.7 or 2001:db8:1:2::/64."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("banned"), default=timezone.now)
    expires_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum ban")
        verbose_name_plural = _("forum bans")

    def __str__(self) -> str:
        from broadsheet.content.readers.models import account_label

        return self.network or account_label(self.user)

    def clean(self) -> None:
        if not self.user_id and not self.network:
            raise ValidationError(_("Ban an account, an address range, or both."))
        if self.network:
            try:
                self.network = normalise_network(self.network)
            except ValueError as error:
                raise ValidationError({"network": str(error)}) from None
        if self.pk is None and self.expires_at is not None and self.expires_at <= timezone.now():
            raise ValidationError(
                {"expires_at": _("This date has passed: the ban would never apply.")}
            )


class Subscription(models.Model):
    """A reader's subscription to a topic: mail on each new visible post by someone else,
    at once (``immediate``) or gathered in one mail a day (``digest``). Goes with the
    account (``CASCADE``) or the topic."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DIGEST = "digest", _("in a daily digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    mode = models.CharField(_("mail"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    created_at = models.DateTimeField(default=timezone.now)
    # the newest post a digest has told this reader of (None: none yet)
    digested_upto = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("topic subscription")
        verbose_name_plural = _("topic subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forums_subscribe_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.topic_id} ({self.mode})"
