"""Whether a story takes comments: the story's own state, the site-wide switch, automatic
closing. The live endpoint and the page both use :func:`comments_state`, so the form shown and
the rule applied are the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from broadsheet.site.data import DiscussionInfo


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
        return CommentsState(shown=False, open=False, reason=_("Comments are not shown here."))
    if story_comments != "open":
        return CommentsState(True, False, _("Comments on this page are closed."))
    if not info.comments_enabled:
        return CommentsState(True, False, _("Comments on this page are closed."))
    if info.close_after_days and published_at is not None:
        closes = published_at + dt.timedelta(days=info.close_after_days)
        if (now or timezone.now()) >= closes:
            return CommentsState(True, False, _("Comments on this page are closed."))
    return CommentsState(True, True)
