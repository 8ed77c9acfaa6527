"""The baker's producer for the guestbook and the letters page (docs/baking.md, "Producers").

Comments live on story pages, which the reader pages' producer bakes: an approval queues a
story change (:mod:`broadsheet.discussion.signals` → the baking queue).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from broadsheet.baking.changes import ALL, AllPaths, Change
from broadsheet.baking.producers import BakeContext, Output
from broadsheet.newsroom.catalogue import LiveSource
from broadsheet.newsroom.rendering import NotFound

from . import conf

GUESTBOOK = "/guestbook/"
LETTERS = "/contact/"


class DiscussionPages:
    """``/guestbook/`` with its numbered pages, and ``/contact/`` (letters to the editor)."""

    name = "discussion"

    @staticmethod
    def guestbook_paths(extra: int = 0) -> list[str]:
        pages = math.ceil(LiveSource().guestbook_count() / conf.get("GUESTBOOK_PAGE_SIZE"))
        return [GUESTBOOK] + [f"{GUESTBOOK}page/{n}/" for n in range(1, pages + 1 + extra)]

    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        return [LETTERS, *self.guestbook_paths()]

    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str] | AllPaths:
        if change.kind == "guestbook":
            # a removal shifts the pages after it; guestbooks are small, so all of them (and
            # one past the end, which a removal may have emptied)
            return self.guestbook_paths(extra=1)
        if change.kind in ("section", "site", "all", "tip"):
            return ALL
        return []

    def render(self, ctx: BakeContext, path: str) -> Output | None:
        renderer = ctx.renderer
        try:
            if path == LETTERS:
                rendered = renderer.letters()
            elif path == GUESTBOOK:
                rendered = renderer.guestbook()
            elif path.startswith(f"{GUESTBOOK}page/"):
                rendered = renderer.guestbook(int(path.split("/")[3]))
            else:
                return None
        except (NotFound, ValueError):
            return None
        return Output(rendered.html.encode())
