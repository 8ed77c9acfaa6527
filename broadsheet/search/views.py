"""The ``/search/`` page: live results from the server, or — in a baked copy of the site with no
server behind it — the same page whose script searches the static index
(static/broadsheet/search.js). Both are rendered through the site model's renderer."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from broadsheet.content.newsroom.models import Author
from broadsheet.content.searchtext import LETTER_FOLDS
from broadsheet.site.build import Build
from broadsheet.site.editions import for_path
from broadsheet.site.registry import Rendered
from broadsheet.site.views import live_build, respond

from . import cache
from .query import SearchOutcome, SearchRequest, StorySearch

BUNDLE = "/pagefind/"  # under the edition's prefix: /pagefind/, /fa/pagefind/
#: The static search page's letter folding of the query (the index's, from the same table).
FOLD_TABLE = json.dumps(LETTER_FOLDS, ensure_ascii=False, separators=(",", ":"))


def render_search(build: Build, request: SearchRequest | None = None) -> Rendered:
    """Render ``/search/`` for ``request`` (an empty request gives the bare search page).

    A build that is not live (a bake) renders the page without server results: its script then
    answers ``?q=…`` from its edition's static index (``/pagefind/``, ``/fa/pagefind/``), with
    the query's letters folded like the index's and its messages in the edition's language."""
    request = request or SearchRequest()
    outcome = StorySearch(build.read).run(request) if build.live else SearchOutcome(request=request)
    path = build.url("search")

    def load_authors() -> list[tuple[str, str]]:  # every author, as the edition names them
        ids = list(Author.objects.values_list("id", flat=True))
        refs = sorted(build.read.author_refs(ids).values(), key=lambda a: a.name)
        return [(a.slug, a.name) for a in refs]

    memo = getattr(build.read, "fact", None)  # a live request's: the process's memo
    all_authors = memo("search:authors", load_authors) if memo else load_authors()

    def page_url(number: int) -> str:
        return path + "?" + urlencode(request.params(page=number))

    return build.render(
        "search.html",
        path,
        search=outcome,
        live=build.live,
        page_url=page_url,
        search_action=path,
        pagefind_bundle=build.ctx.prefix + BUNDLE,
        search_fold=FOLD_TABLE,
        all_sections=list(build.read.sections().values()),
        all_authors=all_authors,
    )


def baked_search(build: Build) -> Rendered:
    """The search page as a bake writes it (no server results)."""
    return render_search(build)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """``GET /search/?q=…&section=…&author=…&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&page=n``.

    Pages are cached briefly in the shared cache (:mod:`.cache`), per host the request was made
    to and edition (the host chooses the Wagtail site, the path's prefix the edition, and so
    the page); a hit runs no query."""
    search_request = SearchRequest.from_params(request.GET)
    edition = for_path(request.path_info).prefix
    host = f"{request.get_host()}|{request.get_port()}|{edition}"
    html, key = cache.get_page(search_request.params(), host)
    if html is None:
        rendered = render_search(live_build(request), search_request)
        if rendered.status == 200:
            cache.set_page(key, rendered.html)
        response = respond(rendered)
    else:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
