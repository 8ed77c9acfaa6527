"""What a change touches among the feeds and sitemaps (the feature's :class:`Rule` functions).

Each function returns page keys (``(kind, tuple(sorted(params.items())))``, see
:func:`broadsheet.site.registry.page_key`) or :data:`~broadsheet.site.registry.ALL`. A superset
is fine: a page that no longer exists is removed by the bake.

* **story** (published, updated, moved, unpublished, deleted) — before and after: the site
  feeds; the feeds of its section and of every section above it; its authors' and tags' feeds;
  the month sitemap of its publication month (newsroom time zone); ``/sitemaps/pages.xml``
  (lastmods of its sections, authors, tags and archive pages); the index; the news sitemap.
  Found from the two :class:`~broadsheet.site.changes.StoryState` and a few indexed reads
  (sections, author and tag refs by id): the cost does not grow with the archive.
* **author** (name, slug, bio, photo) — the author's feeds under the old and the new slug,
  ``pages.xml`` and the index; and every other feed (site, sections, tags, co-authors) whose
  items show one of the author's stories (the byline is in ``dc:creator`` / ``<author>``).
  That last part reads the author's stories (in batches), like the reader pages' rule does:
  it grows with the author's own stories, never with the rest of the archive.
* **page** (an information page) — ``pages.xml`` and the index.
* **sections**, **site** — everything (section URLs and the site's name are in every file).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from broadsheet.site.build import Build
from broadsheet.site.changes import Change, StoryState
from broadsheet.site.data import ALL as ALL_STORIES
from broadsheet.site.data import Scope, SectionRef
from broadsheet.site.dates import local
from broadsheet.site.registry import ALL, AllPages, PageKey, page_key

from .feeds import FEED_FORMATS, feed_count, section_param

BATCH = 500


def _feeds(kind: str, **params: Any) -> Iterator[PageKey]:
    for fmt in FEED_FORMATS:
        yield page_key(kind, {**params, "fmt": fmt})


def section_chain(build: Build, section_id: int) -> list[SectionRef]:
    """The section ``section_id`` and every section above it (innermost first); empty if the
    section is not live."""
    sections = build.read.sections()
    chain: list[SectionRef] = []
    current = sections.get(section_id)
    while current is not None:
        chain.append(current)
        current = sections.get(current.parent_id) if current.parent_id else None
    return chain


def _sitewide(build: Build) -> set[PageKey]:
    return {
        *_feeds("feed"),
        page_key("sitemap-pages"),
        page_key("sitemap-index"),
        page_key("sitemap-news"),
    }


def state_pages(build: Build, state: StoryState) -> set[PageKey]:
    """The feeds and the month sitemap that list a story in ``state`` (not the site-wide files)."""
    pages: set[PageKey] = set()
    for section in section_chain(build, state.section_id):
        pages.update(_feeds("section-feed", path=section_param(section)))
    for author in build.read.author_refs(state.author_ids).values():
        pages.update(_feeds("author-feed", slug=author.slug))
    for tag in build.read.tag_refs(state.tag_ids).values():
        pages.update(_feeds("tag-feed", slug=tag.slug))
    month = local(state.published_at)
    pages.add(page_key("sitemap-month", {"year": month.year, "month": month.month}))
    return pages


def on_story(build: Build, change: Change) -> set[PageKey]:
    """A story published, updated, moved, unpublished or deleted (see the module docstring)."""
    states = [s for s in (change.before, change.after) if s is not None]
    if not states:
        return set()
    pages = _sitewide(build)
    for state in states:
        pages |= state_pages(build, state)
    return pages


def _in_feed(build: Build, scope: Scope, key: tuple[Any, int]) -> bool:
    """Whether the story at ``key`` (``(published_at, id)``) is among the newest
    :func:`feed_count` stories of ``scope``: two indexed reads."""
    return build.read.count(scope) - build.read.position(scope, key) <= feed_count()


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def on_author(build: Build, change: Change) -> set[PageKey]:
    """An author's name, slug, bio or photo changed (see the module docstring)."""
    author_id = change.object_id
    pages: set[PageKey] = {page_key("sitemap-pages"), page_key("sitemap-index")}
    slugs = {change.data.get("old_slug")}
    if author_id is None:
        return pages
    ref = build.read.author_refs([author_id]).get(author_id)
    if ref is not None:
        slugs.add(ref.slug)
    for slug in filter(None, slugs):
        pages.update(_feeds("author-feed", slug=slug))
    # the newest story of the author in each other listing that may show their byline
    newest: dict[str, tuple[Scope, tuple[Any, int], str, dict[str, Any]]] = {}

    def note(scope: Scope, key: tuple[Any, int], kind: str, params: dict[str, Any]) -> None:
        known = newest.get(scope.key)
        if known is None or known[1] < key:
            newest[scope.key] = (scope, key, kind, params)

    ids = build.read.story_ids(Scope("author", author_id))
    for batch in _batches(ids):
        for card in build.read.cards(batch):
            key = (card.published_at, card.id)
            note(ALL_STORIES, key, "feed", {})
            for section in section_chain(build, card.section.id):
                note(Scope.section(section), key, "section-feed", {"path": section_param(section)})
            for tag in card.tags:
                note(Scope.tag(tag), key, "tag-feed", {"slug": tag.slug})
            for other in card.authors:  # co-authors' feeds show the whole byline
                if other.id != author_id:
                    note(Scope.author(other), key, "author-feed", {"slug": other.slug})
    for scope, key, kind, params in newest.values():
        if _in_feed(build, scope, key):
            pages.update(_feeds(kind, **params))
    return pages


def on_page(build: Build, change: Change) -> set[PageKey]:
    """An information page published, changed, moved or removed: ``pages.xml`` and the index."""
    return {page_key("sitemap-pages"), page_key("sitemap-index")}


def on_site_wide(build: Build, change: Change) -> AllPages:
    """Sections or the site's settings: every feed and sitemap shows them."""
    return ALL
