"""The reader site's look around Django templates (allauth's, and the account pages').

allauth renders Django templates; the reader pages are Jinja2 templates of the site model's
renderer. Rather than copying the masthead and navigation into a second base template (two
copies drift apart), the reader base template is rendered once per request with two markers —
where the page title goes and where the content goes — and cut there into three parts, which
``allauth/layouts/base.html`` writes around its blocks (``{% reader_shell "head" %}`` …). The
page is thus exactly the reader site's: ``lang``/``dir`` of the edition, navigation, footer.

The edition is the one of the request's language (:mod:`.language`): the reader's profile
language when signed in, else the edition of the ``next`` address (``/fa/…``), else …
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from broadsheet.site import editions
from broadsheet.site.context import NoSite
from broadsheet.site.views import live_build

TITLE = "@@broadsheet-account-title@@"
CONTENT = "@@broadsheet-account-content@@"


def shell_parts(request: HttpRequest) -> tuple[str, str, str]:
    """The reader page around an account page: (up to the title, between the title and the
    content, after the content); made once per request."""
    cached = getattr(request, "_reader_shell", None)
    if cached is not None:
        return cached
    edition = editions.by_language(translation.get_language() or "") or None
    try:
        build = live_build(request, edition)
    except NoSite:  # that edition has no front page yet: the default edition's look
        build = live_build(request, editions.default_edition())
    with build.activated():
        html = build.render("account_shell.html", request.path).html
    head, rest = html.split(TITLE, 1)
    middle, tail = rest.split(CONTENT, 1)
    request._reader_shell = (head, middle, tail)
    return request._reader_shell
