"""Plain data of the discussion for the renderer, loaded in bulk.

:class:`DiscussionSource` is mixed into :class:`broadsheet.newsroom.catalogue.LiveSource`: the
approved comments of a story come in one query (threaded here, replies one level deep), the
comment counts of a list of cards in one query, a page of the guestbook in one query. A bulk
baker's in-memory source answers the same methods.

:func:`comments_state` decides whether a story takes comments; the live view and the renderer
both use it, so the form shown and the rule applied are the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from .models import Comment, CommentStatus, DiscussionSettings, GuestbookEntry


@dataclass(frozen=True, slots=True)
class DiscussionInfo:
    """The site's discussion settings (see :class:`~.models.DiscussionSettings`)."""

    comments_enabled: bool = True
    close_after_days: int = 0
    guestbook_enabled: bool = True


@dataclass(frozen=True, slots=True)
class CommentRef:
    """An approved comment as readers see it: no e-mail or address, ever. ``url`` is the
    commenter's web site (http/https only, imported comments), ``replies`` its approved replies
    oldest first."""

    id: int
    name: str
    url: str
    text: str
    created_at: dt.datetime
    replies: tuple[CommentRef, ...] = ()


@dataclass(frozen=True, slots=True)
class GuestbookRef:
    """An approved guestbook entry."""

    id: int
    name: str
    place: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CommentsState:
    """Whether a story's comments are ``shown`` and ``open`` (form shown, posts accepted);
    ``reason`` says why they are closed ("" when open)."""

    shown: bool
    open: bool
    reason: str = ""


def comments_state(
    story_comments: str,
    published_at: dt.datetime | None,
    info: DiscussionInfo,
    now: dt.datetime | None = None,
) -> CommentsState:
    """Apply the story's own state (``open``/``closed``/``hidden``), the site-wide switch and
    automatic closing ``close_after_days`` after ``published_at``."""
    if story_comments == "hidden":
        return CommentsState(shown=False, open=False, reason="Comments are not shown here.")
    if story_comments != "open":
        return CommentsState(True, False, "Comments on this page are closed.")
    if not info.comments_enabled:
        return CommentsState(True, False, "Comments on this page are closed.")
    if info.close_after_days and published_at is not None:
        closes = published_at + dt.timedelta(days=info.close_after_days)
        if (now or timezone.now()) >= closes:
            return CommentsState(True, False, "Comments on this page are closed.")
    return CommentsState(True, True)


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("http://", "https://")) else ""


def thread(rows: Sequence[dict]) -> tuple[CommentRef, ...]:
    """Approved comment rows (``id, parent_id, name, url, text, created_at``; oldest first) to
    top-level :class:`CommentRef` with their replies. A reply whose parent is not shown is not
    shown either (it would answer nothing visible)."""
    replies: dict[int, list[CommentRef]] = {}
    for r in rows:
        if r["parent_id"]:
            replies.setdefault(r["parent_id"], []).append(
                CommentRef(r["id"], r["name"], _safe_url(r["url"]), r["text"], r["created_at"])
            )
    return tuple(
        CommentRef(
            r["id"],
            r["name"],
            _safe_url(r["url"]),
            r["text"],
            r["created_at"],
            tuple(replies.get(r["id"], ())),
        )
        for r in rows
        if not r["parent_id"]
    )


def all_comment_counts() -> dict[int, int]:
    """Approved comments per story id, for every story (those whose comments are hidden count
    0, as in :meth:`DiscussionSource.comment_counts`): one query, for bulk bakes."""
    rows = (
        Comment.objects.filter(status=CommentStatus.APPROVED)
        .exclude(story__comments="hidden")
        .values("story_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["story_id"]: r["n"] for r in rows}


class DiscussionSource:
    """Discussion queries of a source (mixed into ``LiveSource``, which provides ``site``)."""

    site: object
    _discussion_info: DiscussionInfo | None = None

    def discussion_info(self) -> DiscussionInfo:
        """The default site's discussion settings (one query, then cached on the source)."""
        if self._discussion_info is None:
            s = DiscussionSettings.for_site(self.site)
            self._discussion_info = DiscussionInfo(
                s.comments_enabled, s.close_after_days, s.guestbook_enabled
            )
        return self._discussion_info

    def approved_comments(self, story_id: int) -> tuple[CommentRef, ...]:
        """The story's approved comments, threaded, oldest first: one query."""
        rows = list(
            Comment.objects.filter(story_id=story_id, status=CommentStatus.APPROVED)
            .order_by("created_at", "id")
            .values("id", "parent_id", "name", "url", "text", "created_at")
        )
        return thread(rows)

    def comment_counts(self, story_ids: Sequence[int]) -> dict[int, int]:
        """Approved comments per story (stories whose comments are hidden count 0): one
        query."""
        if not story_ids:
            return {}
        rows = (
            Comment.objects.filter(story_id__in=story_ids, status=CommentStatus.APPROVED)
            .exclude(story__comments="hidden")
            .values("story_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {r["story_id"]: r["n"] for r in rows}

    def guestbook_count(self) -> int:
        return GuestbookEntry.objects.filter(status=CommentStatus.APPROVED).count()

    def guestbook_entries(self, start: int, stop: int, newest: bool) -> list[GuestbookRef]:
        """Approved entries ``start``..``stop`` counted from the newest (``newest``) or the
        oldest, returned newest first: one query."""
        qs = GuestbookEntry.objects.filter(status=CommentStatus.APPROVED)
        order = ("-created_at", "-id") if newest else ("created_at", "id")
        rows = list(
            qs.order_by(*order).values("id", "name", "place", "text", "created_at")[start:stop]
        )
        if not newest:
            rows.reverse()
        return [GuestbookRef(**r) for r in rows]
