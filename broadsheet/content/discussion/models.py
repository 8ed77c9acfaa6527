"""Reader comments on stories, moderated.

A comment is ``held`` until an editor approves it; only ``approved`` comments are shown (and
baked into the story page). Replies are one level deep: a reply's ``parent`` is a top-level
comment. The e-mail address is never shown.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class CommentStatus(models.TextChoices):
    """Moderation state of a comment or guestbook entry; only ``approved`` is shown."""

    HELD = "held", _("Held for moderation")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    REMOVED = "removed", _("Removed")


class Moderated(models.Model):
    """A reader's submission with a moderation ``status``; remembers the status it was loaded
    with, so that a receiver of ``post_save`` can tell whether what readers see changed."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def shown_changed(self) -> bool:
        """Whether saving or deleting this row may change what readers see: it is, or was when
        loaded, approved (a new held entry changes nothing)."""
        return CommentStatus.APPROVED in (self.status, getattr(self, "_loaded_status", None))

    def remember_status(self) -> None:
        """Call after receivers ran: the saved status is the loaded one from now on."""
        self._loaded_status = self.status


class Comment(Moderated):
    """A reader's comment on a story. ``source_key`` identifies imported comments
    (e.g. ``wxr:<site>:<comment id>``) so that importing again updates instead of duplicating."""

    story = models.ForeignKey(
        "newsroom.StoryPage", on_delete=models.CASCADE, related_name="reader_comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Never shown.")
    url = models.URLField(blank=True, max_length=500)
    text = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.HELD, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    source_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["story", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} on “{self.story.title}”: {self.text[:40]}"

    def excerpt(self) -> str:
        """The first 120 characters of the text (for the moderation queue)."""
        return self.text[:120] + ("…" if len(self.text) > 120 else "")

    excerpt.short_description = "Text"  # type: ignore[attr-defined]

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError("Replies are one level deep: reply to the top comment.")
        if self.parent_id and self.parent and self.parent.story_id != self.story_id:
            raise ValidationError("A reply must be on the same story as its parent.")


class GuestbookEntry(Moderated):
    """An entry in the guestbook (name, place, text), moderated like a comment."""

    name = models.CharField(max_length=100)
    place = models.CharField(max_length=100, blank=True, help_text='e.g. "Tehran" or "Oslo"')
    text = models.TextField(max_length=3000)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.HELD, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("guestbook entry")
        verbose_name_plural = _("guestbook entries")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"

    def excerpt(self) -> str:
        """The first 120 characters of the text (for the moderation queue)."""
        return self.text[:120] + ("…" if len(self.text) > 120 else "")

    excerpt.short_description = "Text"  # type: ignore[attr-defined]


class LetterStatus(models.TextChoices):
    NEW = "new", _("New")
    PUBLISHED = "published", _("Published as a story")
    ARCHIVED = "archived", _("Archived")
    SPAM = "spam", _("Spam")


class Letter(models.Model):
    """A letter to the editor from the contact form. Stored first, then e-mailed to the
    editors (``mailed`` records whether that worked); an editor may publish it as a story in the
    "Letters" section (``story``)."""

    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Never shown.")
    subject = models.CharField(max_length=200)
    text = models.TextField(max_length=10000)
    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.NEW, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    mailed = models.BooleanField(default=False, help_text="The e-mail to the editors was sent.")
    story = models.ForeignKey(
        "newsroom.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story this letter was published as.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter to the editor")
        verbose_name_plural = _("letters to the editor")

    def __str__(self) -> str:
        return f"{self.subject} — {self.name}"


class AuthorMessage(models.Model):
    """A reader's message to an author, relayed by e-mail (the author's address is never
    shown). Stored first so that nothing is lost when mail is down (``mailed`` False)."""

    author = models.ForeignKey("newsroom.Author", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="The reader's address, for the author's reply.")
    subject = models.CharField(max_length=200)
    text = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    mailed = models.BooleanField(default=False)
    spam = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to an author")
        verbose_name_plural = _("messages to authors")

    def __str__(self) -> str:
        return f"{self.subject} — {self.name}"


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Per-site discussion settings: the site-wide switch, automatic closing, who is told."""

    comments_enabled = models.BooleanField(
        default=True,
        help_text="Untick to close comments on every story (existing comments stay shown).",
    )
    close_after_days = models.PositiveIntegerField(
        default=0,
        help_text="Close comments this many days after a story's publication (0: never).",
    )
    guestbook_enabled = models.BooleanField(default=True)
    editors_email = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated addresses told about held comments and sent letters "
        "(empty: the MANAGERS of the settings).",
    )

    panels = [
        FieldPanel("comments_enabled"),
        FieldPanel("close_after_days"),
        FieldPanel("guestbook_enabled"),
        FieldPanel("editors_email"),
    ]

    class Meta:
        verbose_name = _("discussion settings")

    def editor_addresses(self) -> list[str]:
        """The editors' addresses: this setting, else ``settings.MANAGERS``, else the active
        superusers' addresses (so that a fresh install, like the demo, tells someone)."""
        from django.conf import settings
        from django.contrib.auth import get_user_model

        listed = [a.strip() for a in self.editors_email.split(",") if a.strip()]
        listed = listed or [address for _, address in getattr(settings, "MANAGERS", [])]
        if listed:
            return listed
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return sorted(set(users.exclude(email="").values_list("email", flat=True)))
