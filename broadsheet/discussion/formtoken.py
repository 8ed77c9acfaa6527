"""Forms in one press: a fresh form token for a baked form, fetched when the reader first sees
or touches the form.

A baked page cannot carry a per-visitor token (its bytes are the same for everyone), so its
forms carry the *stable* token of their target (:func:`.guard.issue_token` at 0) and a
``data-token-url`` pointing here. The page's first-party script
(``broadsheet/reader-forms.js``; no inline script, the strict CSP stays) asks this endpoint
for a fresh, signed, one-use token when the form is first shown on screen or first focused,
and puts it into the form. So the minimum time to fill is measured from when the reader first
saw the form, and a reader who fills it as a person does is accepted with one press.

A post still carrying the stable token (no script: Tor Browser's safest level, a text browser,
or a robot that read the baked page) is not refused: the reader gets the "check and send" page
with their text and a fresh token (:mod:`.views`) — the progressive check, only for the posts
that look like a robot's.

``GET /discussion/token/?kind=comment&target=12`` answers JSON
``{"token": "…", "min_fill": 3, "fresh": 7200}`` (seconds; ``MIN_FILL_SECONDS`` and
``FRESH_SECONDS``), ``Cache-Control: no-store``; 400 (JSON ``{"error": …}``) for an unknown
kind or a malformed target. Nothing in the database is read: a token for a target that does
not exist is useless to whoever asked for it. When the live app is on another origin than the
baked pages (``BROADSHEET_LIVE_URL``), the answer carries ``Access-Control-Allow-Origin`` for
the site's own origins (:func:`.guard.allowed_origins`), so the page may read it.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from broadsheet.content.discussion import conf
from broadsheet.site.context import NoSite
from broadsheet.site.views import live_build

from . import guard

KINDS = ("comment", "guestbook", "letter", "author")
_TARGET = {
    "comment": re.compile(r"[1-9][0-9]{0,17}"),
    "guestbook": re.compile(r""),
    "letter": re.compile(r""),
    "author": re.compile(r"[^\s/?#]{1,255}"),
}


@require_safe
def fresh_token(request: HttpRequest) -> HttpResponse:
    """``GET /discussion/token/?kind=…&target=…``: a fresh form token as JSON (see the module
    docstring); 400 for an unknown ``kind`` or a ``target`` that is not one of its shape
    (comment: a story id; author: a slug; guestbook and letter: empty)."""
    kind = request.GET.get("kind", "")
    target = request.GET.get("target", "")
    if kind not in KINDS or not _TARGET[kind].fullmatch(target):
        response: HttpResponse = JsonResponse({"error": "unknown form"}, status=400)
    else:
        response = JsonResponse(
            {
                "token": guard.issue_token(kind, target),
                "min_fill": conf.get("MIN_FILL_SECONDS"),
                "fresh": conf.get("FRESH_SECONDS"),
            }
        )
    response["Cache-Control"] = "no-store"
    origin = request.headers.get("Origin", "")
    if origin and origin.lower() != "null":
        try:
            base_url = live_build(request).ctx.base_url
        except NoSite:
            base_url = ""
        if guard.origin_allowed(request, base_url):
            response["Access-Control-Allow-Origin"] = origin
    response["Vary"] = "Origin"
    return response
