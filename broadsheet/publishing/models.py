"""What the baker records: its runs (for the admin's status page), the queue of changes still to
bake, and the state of each story as last baked (the "before" of the next change).

Why our own queue on top of django-tasks: a django-tasks task killed part-way is not retried; a
:class:`BakeRequest` row is deleted only after its pages are on disk, so the next run (a worker,
or ``broadsheet bake --pending``) completes the work.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BakeRun(models.Model):
    """One bake: full (every page) or incremental (the pages some changes touch)."""

    class Kind(models.TextChoices):
        FULL = "full", "Full bake"
        INCREMENTAL = "incremental", "Incremental"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    output = models.CharField(max_length=1000)
    pid = models.IntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="seconds")
    pages_rendered = models.IntegerField(default=0)
    pages_written = models.IntegerField(default=0)
    pages_removed = models.IntegerField(default=0)
    pages_failed = models.IntegerField(default=0)
    changes = models.TextField(blank=True, help_text="the changes baked (incremental)")
    written = models.JSONField(default=list, blank=True, help_text="paths written (first 1,000)")
    removed = models.JSONField(default=list, blank=True, help_text="paths removed (first 1,000)")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M:%S} ({self.status})"


class BakeRequest(models.Model):
    """A change waiting to be baked. ``kind`` is a change topic (``story``, ``comments``,
    ``author``, ``page``, ``guestbook``, ``redirect``, ``retired``, ``sections``, ``site``,
    ``tips``, ``discussion-settings``; see ``broadsheet.site.changes``) or ``all``;
    ``object_id`` the story/author/… id; ``data`` facts captured at the change (e.g. an
    author's old slug)."""

    kind = models.CharField(max_length=24)
    object_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id or ''}".strip()


class BakedStory(models.Model):
    """A story as last baked: where it was and what listings it was in. Compared with the story
    now, it tells which pages a change touches (docs/baking.md)."""

    story_id = models.BigIntegerField(primary_key=True)
    url = models.CharField(max_length=1000)
    section_id = models.BigIntegerField()
    published_at = models.DateTimeField()
    lastmod = models.DateTimeField(null=True)
    author_ids = models.JSONField(default=list)
    tag_ids = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.url
