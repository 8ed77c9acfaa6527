"""Live reader views: each one asks the shared :class:`~.rendering.Renderer` for its page.

The Wagtail pages (front page, sections, stories) are routed by Wagtail and call
:func:`serve_page`; archives, "Latest articles", authors and tags are plain Django views.
Unknown URLs get the 404 page, URLs of pages that were unpublished or deleted the 410 page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from .models import FrontPage, InfoPage, RetiredPath, SectionPage, StoryPage
from .rendering import NotFound, Rendered, Renderer


def respond(rendered: Rendered) -> HttpResponse:
    return HttpResponse(
        rendered.html, status=rendered.status, content_type="text/html; charset=utf-8"
    )


def serve_page(
    request: HttpRequest, page: Any, number: int | None = None, preview: bool = False
) -> HttpResponse:
    """Serve a Wagtail page of ours through the renderer (``preview``: an unsaved revision)."""
    renderer = Renderer()
    try:
        specific = page.specific if hasattr(page, "specific") else page
        if isinstance(specific, StoryPage):
            rendered = renderer.story(specific, preview=preview)
        elif isinstance(specific, SectionPage):
            rendered = renderer.section_front(specific.id, number)
        elif isinstance(specific, FrontPage):
            rendered = renderer.front_page()
        elif isinstance(specific, InfoPage):
            rendered = renderer.info_page(specific)
        else:
            raise NotFound(f"no reader view for {type(specific).__name__}")
    except NotFound:
        return not_found(request)
    return respond(rendered)


def _render_or_404(request: HttpRequest, method: str, *args: Any) -> HttpResponse:
    try:
        return respond(getattr(Renderer(), method)(*args))
    except NotFound:
        return not_found(request)


def latest(request: HttpRequest) -> HttpResponse:
    return _render_or_404(request, "latest")


def archive_index(request: HttpRequest) -> HttpResponse:
    return _render_or_404(request, "archive_index")


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    return _render_or_404(request, "archive_year", year)


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return _render_or_404(request, "archive_month", year, month)


def archive_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    return _render_or_404(request, "archive_day", year, month, day)


def authors_index(request: HttpRequest) -> HttpResponse:
    return _render_or_404(request, "authors_index")


def author(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    return _render_or_404(request, "author", slug, number)


def tags_index(request: HttpRequest) -> HttpResponse:
    return _render_or_404(request, "tags_index")


def tag(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    return _render_or_404(request, "tag", slug, number)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page, or 410 for a path whose page was unpublished or deleted."""
    status = 410 if RetiredPath.objects.filter(path=request.path).exists() else 404
    try:
        return respond(Renderer().error(status, request.path))
    except LookupError:  # no site configured yet
        return HttpResponse("Not found", status=status, content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"
        "<p>The newsroom has been told. Please try again later.</p>",
        status=500,
    )
