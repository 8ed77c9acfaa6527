"""What a change touches among the newsroom's reader pages.

A story change is the story's state as last baked (``before``) and now (``after``), either None
when the story is not public. Listings number their pages from the oldest story, so a story
entering or leaving a listing at position ``p`` changes the pages from ``p // size + 1`` to the
last one — for a newly published story the newest numbered page only — plus the listing's
front; a story whose place did not change touches only its own page of each listing. A story
page's "More from <section>" box shows the stories next to it in date order, so only stories
within a few places of the change are touched. Every count and place comes from the read model
in indexed lookups: the cost does not grow with the archive.

Why our own code: this is the product's incremental-publishing rule; no library knows our pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from broadsheet.site.build import Build
from broadsheet.site.changes import Change, StoryState
from broadsheet.site.data import Scope
from broadsheet.site.dates import archive_date
from broadsheet.site.readmodel import MORE_COUNT, MORE_NEWER
from broadsheet.site.registry import ALL, AllPages

from .pages import month_neighbours, page_numbers, tree_path

Page = tuple[str, dict[str, Any]]


def archive_pages(state: StoryState, calendar: str = "gregorian") -> list[Page]:
    """The archive pages listing a story (newsroom time zone, the edition's ``calendar``)."""
    year, month, day = archive_date(calendar, state.published_at)
    return [
        ("archive-index", {}),
        ("archive-year", {"year": year}),
        ("archive-month", {"year": year, "month": month}),
        ("archive-day", {"year": year, "month": month, "day": day}),
    ]


def _listings(build: Build, state: StoryState | None) -> dict[str, tuple[Scope, str, dict]]:
    """The listings a story is in — its section and those above, its authors, its tags — each
    with its scope, numbered page kind and the params of its pages."""
    if state is None:
        return {}
    read = build.read
    out: dict[str, tuple[Scope, str, dict]] = {}
    sections = read.sections()
    section = sections.get(state.section_id)
    while section is not None:
        scope = Scope.section(section)
        out[scope.key] = (scope, "section-page", {"path": tree_path(section.url)})
        section = sections.get(section.parent_id) if section.parent_id else None
    for ref in read.author_refs(state.author_ids).values():
        scope = Scope.author(ref)
        out[scope.key] = (scope, "author-page", {"slug": ref.slug})
    for ref in read.tag_refs(state.tag_ids).values():
        scope = Scope.tag(ref)
        out[scope.key] = (scope, "tag-page", {"slug": ref.slug})
    return out


def _front_of(kind: str, params: dict) -> Page:
    if kind == "section-page":
        return ("section", params)
    return (kind.removesuffix("-page"), params)


def story_pages(build: Build, before: StoryState | None, after: StoryState | None) -> set[tuple]:
    """Every reader page whose content may change when a story goes from ``before`` to
    ``after`` (see the module docstring)."""
    read, size = build.read, build.ctx.page_size
    pages: list[Page] = [("front", {}), ("latest", {}), ("authors", {}), ("tags", {})]
    story_id = (after or before).story_id if (after or before) else None
    if story_id is None:
        return set()
    for state in (before, after):
        if state is not None:
            pages.append(("story", {"path": tree_path(state.url)}))
            pages += archive_pages(state, build.ctx.calendar)
            # the months around it link to it (previous/next): a month that gains its first
            # story or loses its last changes their links
            year, month, _day = archive_date(build.ctx.calendar, state.published_at)
            for ym in month_neighbours(build, year, month):
                if ym is not None:
                    pages.append(("archive-month", {"year": ym[0], "month": ym[1]}))
    listings_before, listings_after = _listings(build, before), _listings(build, after)
    for key in listings_before.keys() | listings_after.keys():
        scope, page_kind, params = listings_after.get(key) or listings_before[key]
        pages.append(_front_of(page_kind, params))
        in_before, in_after = key in listings_before, key in listings_after
        n_now = read.count(scope)
        n_before = n_now - in_after + in_before
        positions = []
        if in_before:
            p = read.position(scope, before.key)
            # the story itself, if it is in the listing now at an earlier place
            if in_after and after.key < before.key:
                p -= 1
            positions.append(p)
        if in_after:
            positions.append(read.position(scope, after.key))
        last_before, last_after = page_numbers(n_before, size), page_numbers(n_now, size)
        if in_before and in_after:
            lo, hi = min(positions) // size + 1, max(positions) // size + 1
        else:  # entered or left the listing: later pages shift by one
            lo, hi = min(positions) // size + 1, max(last_before, last_after)
        for n in set(range(lo, hi + 1)) | {last_before, last_after}:
            if n >= 1:
                pages.append((page_kind, {**params, "number": n}))
        if scope.kind == "section":
            pages += _neighbours(build, scope, [s for s in (before, after) if s], story_id)
    return {(kind, tuple(sorted(params.items()))) for kind, params in pages}


def _neighbours(build: Build, scope: Scope, states: list[StoryState], story_id: int) -> list[Page]:
    """Story pages of the section ``scope`` (directly in it) whose "More from" box may show the
    story: up to ``MORE_NEWER + 1`` older and ``MORE_COUNT + 1`` newer around each place."""
    ids: list[int] = []
    for state in states:
        ids += build.read.window(scope, state.key, MORE_NEWER + 1, MORE_COUNT + 1)
    cards = build.read.cards([i for i in dict.fromkeys(ids) if i != story_id])
    return [("story", {"path": tree_path(c.url)}) for c in cards if c.section.id == scope.id]


def on_story(build: Build, change: Change) -> Iterable[tuple] | AllPages:
    """A story published, updated, moved, unpublished or deleted; or its comments changed."""
    return story_pages(build, change.before, change.after)


def on_author(build: Build, change: Change) -> Iterable[tuple]:
    """An author's name, slug, bio or photo changed: their pages (under the old slug too), the
    authors' index, and every page showing one of their stories' bylines."""
    read, size = build.read, build.ctx.page_size
    pages: list[Page] = [("authors", {})]
    slugs = {change.data.get("old_slug")}
    ref = read.author_refs([change.object_id]).get(change.object_id)
    if ref is not None:
        slugs.add(ref.slug)
    count = read.count(Scope("author", change.object_id))
    for slug in filter(None, slugs):
        pages.append(("author", {"slug": slug}))
        # pages under the old slug may be more than there are now
        for n in range(1, page_numbers(count, size) + 2):
            pages.append(("author-page", {"slug": slug, "number": n}))
    out = {(k, tuple(sorted(p.items()))) for k, p in pages}
    for story_id in read.story_ids(Scope("author", change.object_id)):
        state = read.state(story_id)
        if state is not None:
            out |= story_pages(build, state, state)
    return out


def on_page(build: Build, change: Change) -> Iterable[tuple]:
    """An information page: its own path, before and after."""
    out = set()
    page = build.read.info_page(change.object_id) if change.object_id else None
    if page is not None:
        out.add(("info", (("path", tree_path(page.url)),)))
    before = change.data.get("url_path_before")
    if before:
        out.add(("info", (("path", tree_path(build.urls.page(before))),)))
    return out


def on_retired(build: Build, change: Change) -> Iterable[tuple]:
    """A path retired or restored: only the server rules (publishing) change; nothing here."""
    return ()


def on_site_wide(build: Build, change: Change) -> AllPages:
    """Sections, tips, the masthead, the discussion settings: every page shows them."""
    return ALL
