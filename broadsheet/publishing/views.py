"""The bake status page in the Wagtail admin: the queue, the last bakes, failures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from .models import BakeRequest, BakeRun

RECENT = 25


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """GET: the status page. POST: queue a full bake ("Bake everything"); only for those who
    may queue bakes (``baking.add_bakerequest``: webmasters, administrators), else 403."""
    if request.method == "POST":
        if not request.user.has_perm("baking.add_bakerequest"):
            raise PermissionDenied("Only a webmaster or an administrator may re-bake the site.")
        from .queue import request_bake

        request_bake("all")
        messages.success(request, "A full bake is queued.")
        return redirect("baking_status")
    tasks = []
    try:
        from django_tasks_db.models import DBTaskResult

        tasks = list(
            DBTaskResult.objects.filter(task_path__startswith="broadsheet.")
            .exclude(status__in=["SUCCESSFUL", "FAILED"])
            .order_by("enqueued_at")[:50]
        )
    except Exception:  # noqa: S110 - no database task backend: nothing to show
        pass
    context = {
        "queue": list(BakeRequest.objects.order_by("id")[:100]),
        "queue_count": BakeRequest.objects.count(),
        "tasks": tasks,
        "runs": list(BakeRun.objects.order_by("-started_at", "-id")[:RECENT]),
        "failures": list(
            BakeRun.objects.filter(status=BakeRun.Status.FAILED).order_by("-started_at")[:10]
        ),
    }
    return TemplateResponse(request, "baking/status.html", context)
