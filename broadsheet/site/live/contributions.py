"""Readers' contributions for :class:`~broadsheet.site.live.LiveSource`: the discussion settings,
approved comments (threaded) and the guestbook."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count

from broadsheet.content.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    GuestbookEntry,
)

from ..context import SiteContext
from ..data import (
    CommentRef,
    DiscussionInfo,
    GuestbookRef,
)
from ..facts import Snapshot
from ..urls import Urls


class Contributions:
    """Comments and the guestbook as the reader pages show them."""

    ctx: SiteContext
    facts: Snapshot | None
    urls: Urls
    _discussion: DiscussionInfo | None

    # -- readers' contributions --------------------------------------------------------------
    def discussion_info(self) -> DiscussionInfo:
        if self._discussion is None:
            self._discussion = self.fact("discussion", self._load_discussion)
        return self._discussion

    def _load_discussion(self) -> DiscussionInfo:
        s = DiscussionSettings.objects.filter(site_id=self.ctx.site_id).first()
        s = s or DiscussionSettings()
        if self.site_info().frozen:  # archive mode: every reader form closed
            return DiscussionInfo(False, s.close_after_days, False, frozen=True)
        return DiscussionInfo(s.comments_enabled, s.close_after_days, s.guestbook_enabled)

    def approved_comments(self, story_id: int) -> tuple[CommentRef, ...]:
        return approved_comments_of([story_id]).get(story_id, ())

    def guestbook_count(self) -> int:
        return GuestbookEntry.objects.filter(status=CommentStatus.APPROVED).count()

    def guestbook_entries(self, start: int, stop: int, newest: bool) -> list[GuestbookRef]:
        qs = GuestbookEntry.objects.filter(status=CommentStatus.APPROVED)
        order = ("-created_at", "-id") if newest else ("created_at", "id")
        rows = list(
            qs.order_by(*order).values("id", "name", "place", "text", "created_at")[start:stop]
        )
        if not newest:
            rows.reverse()
        return [GuestbookRef(**r) for r in rows]


def comment_counts(story_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Approved comments per story (of ``story_ids``, or of every story): one query. Stories
    whose comments are hidden count 0."""
    qs = Comment.objects.filter(status=CommentStatus.APPROVED).exclude(story__comments="hidden")
    if story_ids is not None:
        if not story_ids:
            return {}
        qs = qs.filter(story_id__in=story_ids)
    rows = qs.values("story_id").annotate(n=Count("id")).order_by()
    return {r["story_id"]: r["n"] for r in rows}


def approved_comments_of(story_ids: Sequence[int]) -> dict[int, tuple[CommentRef, ...]]:
    """Every story's approved comments, threaded, oldest first (stories without any are left
    out): one query for all of them."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Comment.objects.filter(story_id__in=list(story_ids), status=CommentStatus.APPROVED)
        .order_by("created_at", "id")
        .values("story_id", "id", "parent_id", "name", "url", "text", "created_at")
    ):
        rows[row.pop("story_id")].append(row)
    return {story_id: thread(story_rows) for story_id, story_rows in rows.items()}


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("http://", "https://")) else ""


def thread(rows: Sequence[dict[str, Any]]) -> tuple[CommentRef, ...]:
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
