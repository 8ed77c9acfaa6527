"""Live requests: every reader URL is answered by its page kind through the registry.

:func:`page_view` serves a page kind's route, :func:`node_view` the tree route (sections,
stories, information pages), :func:`serve_page` a Wagtail page object (Wagtail's ``serve`` and
preview), :func:`not_found` unknown URLs (404) and retired ones (410 Gone), :func:`forbidden` and
:func:`csrf_failure` refusals (403) in the site's own page. Each builds a
:class:`~.build.Build` for the request's site and asks the page kind — the same call a bake
makes, so the live page and the baked file are the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.content.newsroom.models import (
    FrontPage,
    InfoPage,
    RetiredPath,
    SectionPage,
    StoryPage,
)

from . import editions, facts
from .build import Build
from .context import NoSite, for_request
from .editions import Edition
from .live import LiveSource
from .registry import NotFound, Rendered, registry
from .render import renderer_for

NODE_TYPES = {StoryPage: "story", SectionPage: "section", InfoPage: "info"}


def live_build(request: HttpRequest, edition: Edition | None = None) -> Build:
    """The build of one live request, in ``edition`` (default: the edition of the request's
    path) (raises :class:`~.context.NoSite`). Its read model takes the site-wide facts from the
    process's memo (:mod:`.facts`)."""
    memo = facts.snapshot()
    if memo is None or hasattr(request, "_wagtail_site"):
        ctx = for_request(request, edition)
    else:  # Wagtail finds the site of the host (as here) with a query per request
        edition = edition or editions.for_path(request.path_info)
        host = split_domain_port(request._get_raw_host())[0]
        key = ("context", host, request.get_port(), edition.prefix)
        ctx = memo.get(key, lambda: for_request(request, edition))
    return Build(ctx, LiveSource(ctx, memo), renderer_for(None, key=("live",)), live=True)


def respond(rendered: Rendered) -> HttpResponse:
    """An HTTP response holding a rendered page."""
    return HttpResponse(rendered.data(), status=rendered.status, content_type=rendered.content_type)


def page_view(request: HttpRequest, kind: str, **params: Any) -> HttpResponse:
    """Serve page kind ``kind`` with the route's ``params``."""
    try:
        build = live_build(request)
        with build.activated():
            return respond(registry.kind(kind).render(build, **params))
    except (NotFound, NoSite):  # NoSite: an edition whose front page is not made yet
        return not_found(request)


def node_view(request: HttpRequest, path: str) -> HttpResponse:
    """Serve the tree page at ``/<path>/`` (a section, a story, an information page)."""
    try:
        build = live_build(request)
        node = build.read.node(f"/{path}/")
        kind = registry.node_kinds().get(node.kind) if node else None
        if kind is None:
            raise NotFound(path)
        build.cache[f"node:/{path}/"] = node
        with build.activated():
            return respond(kind.render(build, path=path))
    except (NotFound, NoSite):  # NoSite: an edition whose front page is not made yet
        return not_found(request)


def serve_page(
    request: HttpRequest, page: Any, preview: bool = False, number: int | None = None
) -> HttpResponse:
    """Serve a Wagtail page object of ours (``preview``: an unsaved revision, from Wagtail's
    preview); installed as the content model's page server (``content.newsroom.hooks``)."""
    specific = getattr(page, "specific", page)
    try:
        locale = getattr(specific, "locale", None)
        edition = editions.by_language(locale.language_code) if locale else None
        build = live_build(request, edition)
        with build.activated():
            return _serve(build, specific, preview, number)
    except (NotFound, NoSite):  # NoSite: an edition whose front page is not made yet
        return not_found(request)


def _serve(build: Build, specific: Any, preview: bool, number: int | None) -> HttpResponse:
    if isinstance(specific, FrontPage):
        return respond(registry.kind("front").render(build))
    node_type = next((n for cls, n in NODE_TYPES.items() if isinstance(specific, cls)), None)
    kind = registry.node_kinds().get(node_type) if node_type else None
    if kind is None:
        raise NotFound(type(specific).__name__)
    if preview:
        preview_fn = getattr(kind.render, "preview", None)
        if preview_fn is None:
            raise NotFound(f"no preview for {node_type}")
        return respond(preview_fn(build, specific))
    path = build.urls.tree(build.urls.page(specific.url_path))
    if number is not None:
        return respond(registry.kind("section-page").render(build, path=path, number=number))
    return respond(kind.render(build, path=path))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, or 410 for a path whose page was unpublished or deleted."""
    status = 410 if RetiredPath.objects.filter(path=request.path).exists() else 404
    try:
        build = live_build(request)
        with build.activated():
            rendered = registry.kind("not-found").render(build, status=status, path=request.path)
    except NoSite:
        return HttpResponse("Not found", status=status, content_type="text/plain")
    return respond(rendered)


#: POST fields never shown back on the CSRF failure page (secrets, tokens, bookkeeping).
NOT_SHOWN = re.compile(r"password|token|csrf|^next$|^_|(^|_)id$|honeypot|website", re.I)


def forbidden(request: HttpRequest, message: Any, kept_text: str = "") -> HttpResponse:
    """A 403 page in the site's own style, in the language and direction of the edition of
    the request's path, saying ``message`` (plain text, escaped; a ``gettext_lazy`` string is
    translated into the edition's language) and showing ``kept_text`` (the
    reader's words, escaped) in a read-only box to copy. Never cached (``no-store``). Without
    a site yet, a plain-text 403."""
    try:
        build = live_build(request)
        with build.activated():
            rendered = build.render(
                "forbidden.html",
                request.path,
                403,
                heading=_("Not allowed"),
                message=str(message),
                kept_text=kept_text,
            )
        response = respond(rendered)
    except NoSite:
        response = HttpResponse(f"403: {message}", status=403, content_type="text/plain")
    response["Cache-Control"] = "private, no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's ``CSRF_FAILURE_VIEW``: a form sent without its security cookie (lost, blocked,
    expired) is refused with the site's own 403 page, which says what happened and gives the
    reader back what they wrote (every field but passwords, tokens and bookkeeping, one after
    the other) so that nothing is lost."""
    texts = [
        value.strip()
        for name in request.POST
        if not NOT_SHOWN.search(name)
        for value in request.POST.getlist(name)
        if value.strip()
    ]
    message = gettext_lazy(
        "This form could not be accepted: your browser did not send the security cookie "
        "this site sets for its forms (it may have been deleted, blocked or expired)."
    )
    return forbidden(request, message, "\n\n".join(texts))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: plain, no database, no template; in the language and direction of the
    edition of the request's path (``/fa/…``: Persian, right to left)."""
    edition = editions.for_path(request.path_info)
    language = translation.get_supported_language_variant(edition.language)
    with translation.override(language):
        body = format_html(
            '<!doctype html><html lang="{}" dir="{}"><meta charset="utf-8"><title>{}</title>'
            "<h1>{}</h1><p>{}</p></html>",
            language,
            edition.direction,
            translation.gettext("Server error"),
            translation.gettext("Something went wrong"),
            translation.gettext("The newsroom has been told. Please try again later."),
        )
    return HttpResponse(body, status=500)
