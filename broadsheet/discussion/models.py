"""Reader comments on stories, moderated.

A comment is ``held`` until an editor approves it; only ``approved`` comments are shown (and
baked into the story page). Replies are one level deep: a reply's ``parent`` is a top-level
comment. The e-mail address is never shown.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class CommentStatus(models.TextChoices):
    HELD = "held", "Held for moderation"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class Comment(models.Model):
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
        return f"{self.name} on {self.story_id}: {self.text[:40]}"

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError("Replies are one level deep: reply to the top comment.")
        if self.parent_id and self.parent and self.parent.story_id != self.story_id:
            raise ValidationError("A reply must be on the same story as its parent.")
