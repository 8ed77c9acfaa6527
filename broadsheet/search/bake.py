"""The baker's producer for the static search page (docs/baking.md "Producers", docs/search.md).

``/search/`` is baked without server results; its script answers ``?q=`` from the Pagefind
bundle at ``/pagefind/``, which :func:`broadsheet.search.static_index.build_static_index`
writes after a full bake and, batched, after incremental ones (Pagefind has no incremental
update: each run re-reads the whole folder).
"""

from __future__ import annotations

from collections.abc import Iterable

from broadsheet.baking.changes import ALL, AllPaths, Change
from broadsheet.baking.producers import BakeContext, Output

from .views import SEARCH_PATH, render_search


class SearchPage:
    """``/search/`` for the baked site."""

    name = "search"

    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        return [SEARCH_PATH]

    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str] | AllPaths:
        # The page lists sections and authors in its filters and carries the masthead.
        if change.kind in ("section", "site", "all", "tip", "author"):
            return ALL
        return []

    def render(self, ctx: BakeContext, path: str) -> Output | None:
        if path != SEARCH_PATH:
            return None
        return Output(render_search(ctx.renderer, live=False).html.encode())
