"""The editor's panel on the Wagtail dashboard ("The desk"): what waits for someone — held
comments, guestbook entries and forum posts (one queue, one mechanism), new letters, stories
in review — what is scheduled (embargoes and expiries), and the last bakes with their status.
Each figure links to its screen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop as _
from wagtail.admin.ui.components import Component

from broadsheet.content.discussion.models import CommentStatus, LetterStatus

from .models import BakeRun

SHOWN = 5  # scheduled stories and bakes listed


def desk_figures(user: Any) -> dict[str, Any]:
    """The panel's data for ``user``: ``waiting`` (label, count, admin URL) rows the user may
    act on, ``scheduled`` (headline, when, "goes live"/"expires", edit URL), ``bakes`` (the
    last :data:`SHOWN` BakeRuns). Labels are English msgids, translated by the template in
    the editor's language."""
    from wagtail.models import Page, Revision, WorkflowState

    from broadsheet.content.discussion.models import Comment, GuestbookEntry, Letter
    from broadsheet.content.forums.models import Post

    waiting = []
    moderation = [
        (_("Comments to moderate"), Comment, {"status": CommentStatus.HELD}, "?status=held"),
        (
            _("Guestbook entries to moderate"),
            GuestbookEntry,
            {"status": CommentStatus.HELD},
            "?status=held",
        ),
        (_("Forum posts to moderate"), Post, {"status": CommentStatus.HELD}, "?status=held"),
        (_("New letters to the editor"), Letter, {"status": LetterStatus.NEW}, "?status=new"),
    ]
    for label, model, filters, query in moderation:
        app, name = model._meta.app_label, model._meta.model_name
        if user.has_perm(f"{app}.change_{name}"):
            url = reverse(f"wagtailsnippets_{app}_{name}:list") + query
            waiting.append((label, model.objects.filter(**filters).count(), url))
    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count()
    waiting.append((_("Stories in review"), in_review, reverse("wagtailadmin_reports:workflow")))

    scheduled = []
    for revision in (
        Revision.objects.filter(approved_go_live_at__isnull=False)
        .select_related("content_type")
        .order_by("approved_go_live_at")[:SHOWN]
    ):
        headline = revision.content.get("title") or revision.object_str
        url = reverse("wagtailadmin_pages:edit", args=[revision.object_id])
        scheduled.append((headline, revision.approved_go_live_at, _("goes live"), url))
    for page in Page.objects.filter(live=True, expire_at__isnull=False).order_by("expire_at")[
        :SHOWN
    ]:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        scheduled.append((page.title, page.expire_at, _("expires"), url))
    scheduled.sort(key=lambda row: row[1])
    return {
        "waiting": waiting,
        "scheduled": scheduled[:SHOWN],
        "bakes": list(BakeRun.objects.order_by("-started_at", "-id")[:SHOWN]),
        "bakes_url": reverse("baking_status"),
    }


class DeskPanel(Component):
    """The dashboard panel (first on the page)."""

    name = "newsroom_desk"
    order = 50
    template_name = "baking/desk_panel.html"

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        return desk_figures(parent_context["request"].user)
