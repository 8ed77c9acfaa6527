"""One-click edit: "Edit this story" on the live and the baked page, for signed-in editors only,
without a cookie read by the page and without breaking the static cache.

Every reader page (but those of a frozen site) loads one first-party script,
``broadsheet/edit-link.js`` (no inline script: the strict CSP stays). It does nothing unless
this browser has signed in to the admin — the admin's own script,
``broadsheet/admin-editor.js``, sets the ``broadsheet-editor`` flag in localStorage on every
admin page and clears it on sign-out — so an anonymous reader's browser asks nothing. With the
flag, it asks :func:`edit_link` (the live app, same origin, with credentials) about the page's
path and, if answered with an address, shows the link.

The endpoint answers ``200 {"url": …}`` only to a signed-in user who may edit the page the path
names (Wagtail's page permissions: a writer of another section gets nothing), ``204`` to
anyone else, ``400`` to a malformed path; always ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from broadsheet.site.context import NoSite
from broadsheet.site.editions import for_path, local_path
from broadsheet.site.views import live_build

SCRIPT = "broadsheet/edit-link.js"


@require_GET
def edit_link(request: HttpRequest) -> HttpResponse:
    """``GET /edit-link/?path=/iran/story/`` → the admin address that edits that page, for a
    user who may edit it (JSON ``{"url": "/admin/pages/12/edit/"}``), else 204."""
    response = _answer(request)
    response["Cache-Control"] = "private, no-store"
    return response


def _answer(request: HttpRequest) -> HttpResponse:
    path = request.GET.get("path", "")
    if not path.startswith("/") or len(path) > 2000 or "\x00" in path:
        return HttpResponse("A path of this site is needed.", status=400)
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return HttpResponse(status=204)
    try:
        build = live_build(request, for_path(path))
    except NoSite:
        return HttpResponse(status=204)
    node = build.read.node(local_path(path))
    if node is None:
        return HttpResponse(status=204)
    from wagtail.models import Page

    page = Page.objects.filter(id=node.id).first()
    if page is None or not page.permissions_for_user(user).can_edit():
        return HttpResponse(status=204)
    label = "Edit this story" if node.kind == "story" else "Edit this page"
    return JsonResponse({"url": reverse("wagtailadmin_pages:edit", args=[page.id]), "label": label})


def script_tag(build, context):
    """The ``head`` slot: the page's edit-link script, told where the live endpoint is; none on
    the pages of a frozen site (``broadsheet freeze``): an archive calls no live endpoint, and
    its editors edit in the admin. A relative folder (``bake --relative``) gets the endpoint on
    the live site's address (publishing/relative.py)."""
    from markupsafe import Markup

    if build.read.site_info().frozen:
        return Markup("")
    endpoint = build.ctx.live_url + build.url("edit-link") if build.ctx.live_url else ""
    endpoint = endpoint or "/edit-link/"
    return Markup('<script src="%s" data-endpoint="%s" defer></script>') % (
        context["static"](SCRIPT),
        endpoint,
    )
