"""The baker's producer for feeds, sitemaps and robots.txt (docs/baking.md "Producers").

Paths and the paths a story change touches come from :mod:`broadsheet.syndication.baking`;
each file is rendered by the live views, so the baked feed is the feed the live site serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from broadsheet.baking.changes import ALL, AllPaths, Change, StoryState
from broadsheet.baking.producers import BakeContext, Output
from broadsheet.newsroom.catalogue import LiveSource, TagRef, tag_url
from broadsheet.newsroom.models import Author

from . import baking, sitemaps
from .feeds import FEED_FORMATS, author_feed_path


def _snapshot(source: LiveSource, state: StoryState | None) -> Any:
    """A StoryCard-like view of a baked story state, as paths_for_story_change reads it."""
    if state is None:
        return None
    section = source.sections().get(state.section_id)
    slugs = dict(Author.objects.filter(id__in=state.author_ids).values_list("id", "slug"))
    return SimpleNamespace(
        id=state.story_id,
        section=section,
        authors=[SimpleNamespace(slug=slugs[i]) for i in state.author_ids if i in slugs],
        tags=[TagRef(slug, slug, tag_url(slug)) for slug in state.tag_slugs],
        published_at=state.published_at,
    )


class SyndicationFiles:
    """Feeds (RSS 2.0, Atom 1.0), sitemaps (sitemaps.org 0.9, Google News) and robots.txt."""

    name = "syndication"

    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        return baking.all_paths(LiveSource())

    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str] | AllPaths:
        if change.kind == "story":
            source = LiveSource()
            return baking.paths_for_story_change(
                _snapshot(source, change.before), _snapshot(source, change.after), source
            )
        if change.kind == "author":
            slugs = {change.data.get("old_slug")}
            slugs |= set(Author.objects.filter(id=change.object_id).values_list("slug", flat=True))
            paths = {author_feed_path(s, f) for s in slugs if s for f in FEED_FORMATS}
            return paths | {sitemaps.chunk_path(sitemaps.PAGES_NAME), sitemaps.INDEX_PATH}
        if change.kind in ("section", "site", "all"):
            return ALL
        return []

    def render(self, ctx: BakeContext, path: str) -> Output | None:
        result = baking.render_path(path)
        if result is None:
            return None
        body, content_type = result
        return Output(body, content_type)
