"""A moderation queue's listing in the admin that its row actions come back to.

Wagtail hands the row buttons' hook (``register_snippet_listing_buttons``) the listing's path
alone, so *Approve* on a row of the held posts (``…/post/?status=held``, where
``/admin/forums/`` opens) came back to every post. :class:`QueueIndexView` gives the hook
the listing's whole address — its filters and page — through :func:`queue_url`; the listing's
results part (refreshed when a filter changes) is mapped to the listing itself.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from wagtail.snippets.views.snippets import IndexView

_queue_url: ContextVar[str] = ContextVar("broadsheet_queue_url", default="")


def queue_url() -> str:
    """The address of the queue whose rows are being drawn ("" outside a queue)."""
    return _queue_url.get()


class QueueIndexView(IndexView):
    """A snippet listing whose row actions return to it, filters and page kept."""

    def get_list_buttons(self, instance: Any) -> Any:
        query = self.request.GET.urlencode()
        token = _queue_url.set(f"{self.index_url}?{query}" if query else self.index_url)
        try:
            return super().get_list_buttons(instance)
        finally:
            _queue_url.reset(token)
