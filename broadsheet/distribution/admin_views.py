"""The admin's Newsletters screen: lists with their counts, each send's progress and
failures, CSV export and import, "send this story now", and resuming a stalled send.

Permissions: seeing it needs ``distribution.view_subscription``; sending, resuming and
importing need ``distribution.add_issue`` / ``distribution.change_subscription``
(superusers have them; give them to a group in Wagtail's settings).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.content.distribution import sending, subscribers
from broadsheet.content.distribution.models import (
    Delivery,
    Issue,
    NewsletterList,
    Subscriber,
    Subscription,
)
from broadsheet.content.distribution.tasks import send_issue
from broadsheet.content.newsroom.models import StoryPage

from . import issues

STALLED_AFTER = dt.timedelta(minutes=10)
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"needs {perm}")


def _stalled(issue: Issue) -> bool:
    last = issue.last_progress_at or issue.created_at
    return issue.status == Issue.Status.SENDING and timezone.now() - last > STALLED_AFTER


def index(request: HttpRequest) -> HttpResponse:
    """Lists (counts per state), the last issues with their progress."""
    _need(request, "distribution.view_subscription")
    status = Subscription.Status
    lists = NewsletterList.objects.select_related("section").annotate(
        pending=Count("subscriptions", filter=Q(subscriptions__status=status.PENDING)),
        confirmed=Count(
            "subscriptions",
            filter=Q(
                subscriptions__status=status.CONFIRMED,
                subscriptions__subscriber__disabled_at__isnull=True,
            ),
        ),
        unsubscribed=Count("subscriptions", filter=Q(subscriptions__status=status.UNSUBSCRIBED)),
        disabled=Count(
            "subscriptions", filter=Q(subscriptions__subscriber__disabled_at__isnull=False)
        ),
    )
    recent = list(Issue.objects.select_related("list")[:30])
    rows = [(i, sending.progress(i), _stalled(i)) for i in recent]
    context = {
        "lists": lists,
        "issues": rows,
        "disabled": Subscriber.objects.exclude(disabled_at=None).count(),
        "stories": StoryPage.objects.live().order_by("-published_at")[:30],
    }
    return TemplateResponse(request, "newsletters/index.html", context)


def issue_detail(request: HttpRequest, issue_id: int) -> HttpResponse:
    """One send: its progress and every recipient it failed or deferred, with the error."""
    _need(request, "distribution.view_subscription")
    issue = get_object_or_404(Issue.objects.select_related("list"), pk=issue_id)
    problems = (
        issue.deliveries.exclude(status=Delivery.Status.SENT)
        .select_related("subscription__subscriber")
        .order_by("status", "subscription__subscriber__email")[:500]
    )
    context = {
        "issue": issue,
        "progress": sending.progress(issue),
        "stalled": _stalled(issue),
        "problems": problems,
    }
    return TemplateResponse(request, "newsletters/issue.html", context)


@require_POST
def resume(request: HttpRequest, issue_id: int) -> HttpResponse:
    """Queue the send of an issue again (a worker killed mid-send): the deliveries say who
    has it already; nobody gets it twice."""
    _need(request, "distribution.add_issue")
    issue = get_object_or_404(Issue, pk=issue_id, status=Issue.Status.SENDING)
    send_issue.enqueue(issue.pk)
    messages.success(
        request, _("The send of “%(subject)s” is queued again.") % {"subject": issue.subject}
    )
    return redirect("newsletters_issue", issue_id=issue.pk)


@require_POST
def send_story(request: HttpRequest) -> HttpResponse:
    """ "Send this story now": an issue of one story to every list that carries it."""
    _need(request, "distribution.add_issue")
    story = get_object_or_404(StoryPage, pk=request.POST.get("story") or 0)
    queued = 0
    for newsletter in NewsletterList.objects.select_related("section"):
        try:
            if issues.make_story_issue(newsletter, story):
                queued += 1
        except (ValueError, LookupError):
            continue
    if queued:
        messages.success(
            request,
            ngettext(
                "“%(title)s” is being sent to %(count)d list.",
                "“%(title)s” is being sent to %(count)d lists.",
                queued,
            )
            % {"title": story.title, "count": queued},
        )
    else:
        messages.warning(
            request,
            _("“%(title)s” went to no list: sent before, or no list carries it.")
            % {"title": story.title},
        )
    return redirect("newsletters")


def export(request: HttpRequest, list_id: int) -> HttpResponse:
    """The list's subscribers as a CSV file."""
    _need(request, "distribution.view_subscription")
    newsletter = get_object_or_404(NewsletterList, pk=list_id)
    response = HttpResponse(subscribers.export_csv(newsletter), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="newsletter-{newsletter.pk}.csv"'
    return response


@require_http_methods(["POST"])
def import_(request: HttpRequest, list_id: int) -> HttpResponse:
    """Import subscribers from an uploaded CSV file (``email`` column, optional ``status``)."""
    _need(request, "distribution.change_subscription")
    newsletter = get_object_or_404(NewsletterList, pk=list_id)
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_IMPORT_BYTES:
        messages.error(request, _("Choose a CSV file (at most 20 MB)."))
        return redirect("newsletters")
    try:
        report = subscribers.import_csv(newsletter, upload.read().decode("utf-8-sig"))
    except (UnicodeError, ValueError) as error:
        messages.error(request, _("Nothing imported: %(error)s") % {"error": error})
        return redirect("newsletters")
    summary = _("%(list)s: %(added)d added, %(updated)d updated, %(skipped)d skipped") % {
        "list": newsletter,
        "added": report.added,
        "updated": report.updated,
        "skipped": len(report.skipped),
    }
    lines = _("; ").join(
        _("line %(line)s: %(reason)s") % {"line": n, "reason": why}
        for n, why in report.skipped[:20]
    )
    messages.success(request, f"{summary}. {lines}" if lines else summary)
    return redirect("newsletters")
