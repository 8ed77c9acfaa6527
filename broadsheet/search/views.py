"""The ``/search/`` page: live results from the server, or — in a baked copy of the site with no
server behind it — the same page whose script searches the Pagefind index (static/broadsheet/
search.js). Both are rendered by the shared :class:`~broadsheet.newsroom.rendering.Renderer`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from broadsheet.newsroom.models import Author
from broadsheet.newsroom.rendering import Rendered, Renderer
from broadsheet.newsroom.views import respond

from . import cache
from .query import SearchOutcome, SearchRequest, StorySearch

SEARCH_PATH = "/search/"


def render_search(
    renderer: Renderer | None = None, request: SearchRequest | None = None, live: bool = True
) -> Rendered:
    """Render ``/search/`` for ``request`` (an empty request gives the bare search page).

    ``live=False`` renders the page for baking: no server results, and the page's script then
    answers ``?q=…`` from the Pagefind index at ``/pagefind/``. The baker writes
    ``render_search(renderer, live=False)`` to ``search/index.html``."""
    renderer = renderer or Renderer()
    request = request or SearchRequest()
    outcome = StorySearch(renderer.source).run(request) if live else SearchOutcome(request=request)

    def page_url(number: int) -> str:
        return SEARCH_PATH + "?" + urlencode(request.params(page=number))

    return renderer.render(
        "search.html",
        SEARCH_PATH,
        search=outcome,
        live=live,
        page_url=page_url,
        all_sections=list(renderer.source.sections().values()),
        all_authors=list(Author.objects.order_by("name").values_list("slug", "name")),
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """``GET /search/?q=…&section=…&author=…&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&page=n``.

    Pages are cached briefly in the shared cache (:mod:`.cache`); a hit runs no query."""
    search_request = SearchRequest.from_params(request.GET)
    html, key = cache.get_page(search_request.params())
    if html is None:
        rendered = render_search(request=search_request)
        if rendered.status == 200:
            cache.set_page(key, rendered.html)
        response = respond(rendered)
    else:
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
