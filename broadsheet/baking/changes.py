"""What a change touches: the pages to re-bake when a story, author, section, tip or the site
settings change.

A story change is described by the story's state as last baked (:class:`StoryState`, stored in
:class:`~.models.BakedStory`) and its state now. Listings number their pages from the oldest
story (docs/baking.md), so a story entering or leaving a listing at position ``p`` changes the
pages from ``p // size + 1`` to the last one — for a newly published story, the newest numbered
page only — plus the listing's front; a story whose place did not change touches only its own
page of each listing. A story page's "More from <section>" box shows the stories next to it in
date order, so only stories within a few positions of the change are touched.

Why our own code: this is the product's incremental-publishing rule; no library knows our pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from broadsheet.newsroom.catalogue import MORE_COUNT, MORE_NEWER, Scope, author_url, tag_url
from broadsheet.newsroom.models import Author, StoryAuthor, StoryPage, StoryTag
from broadsheet.newsroom.rendering import page_numbers

if TYPE_CHECKING:
    from .producers import BakeContext


class AllPaths:
    """The answer "every path of this producer" (site settings, a section's title…)."""

    def __repr__(self) -> str:
        return "ALL"


ALL = AllPaths()


@dataclass(frozen=True, slots=True)
class StoryState:
    """Where a public story is: URL path, section id, publication date (UTC), authors' ids (in
    byline order) and tags' slugs (sorted)."""

    story_id: int
    url: str
    section_id: int
    published_at: dt.datetime
    author_ids: tuple[int, ...]
    tag_slugs: tuple[str, ...]

    @property
    def key(self) -> tuple[dt.datetime, int]:
        return (self.published_at, self.story_id)


@dataclass(frozen=True)
class Change:
    """One change to bake. ``kind``: ``story`` (with ``before``/``after`` states, None when not
    public), ``author``, ``section``, ``tip``, ``site`` or ``all``; ``data``: facts captured at
    the change (``old_slug`` of an author)."""

    kind: str
    object_id: int | None = None
    before: StoryState | None = None
    after: StoryState | None = None
    data: dict[str, Any] = field(default_factory=dict)


def current_state(source: Any, story_id: int) -> StoryState | None:
    """The story's state now, or None if it is not public (draft, deleted, no live section)."""
    row = (
        source.stories()
        .filter(id=story_id)
        .values("id", "url_path", "path", "published_at")
        .first()
    )
    if row is None:
        return None
    try:
        section = source.section_for_path(row["path"])
    except LookupError:
        return None
    from broadsheet.newsroom.catalogue import page_url_from_url_path

    authors = tuple(
        StoryAuthor.objects.filter(story_id=story_id)
        .order_by("sort_order", "id")
        .values_list("author_id", flat=True)
    )
    tags = tuple(
        sorted(
            StoryTag.objects.filter(content_object_id=story_id).values_list("tag__slug", flat=True)
        )
    )
    return StoryState(
        story_id=story_id,
        url=page_url_from_url_path(row["url_path"], source.root_url_path),
        section_id=section.id,
        published_at=row["published_at"],
        author_ids=authors,
        tag_slugs=tags,
    )


def archive_paths(when: dt.datetime) -> list[str]:
    """The archive pages listing a story published at ``when`` (newsroom time zone)."""
    d = timezone.localtime(when)
    return [
        "/archives/",
        f"/archives/{d.year:04d}/",
        f"/archives/{d.year:04d}/{d.month:02d}/",
        f"/archives/{d.year:04d}/{d.month:02d}/{d.day:02d}/",
    ]


def _scopes(source: Any, state: StoryState | None) -> dict[tuple[str, Any], tuple[Scope, str]]:
    """The listings a story is in: section (and parent sections), authors, tags; each with its
    scope and the listing's front URL."""
    if state is None:
        return {}
    out: dict[tuple[str, Any], tuple[Scope, str]] = {}
    sections = source.sections()
    section = sections.get(state.section_id)
    while section is not None:
        out[("section", section.id)] = (Scope("section", section=section), section.url)
        section = sections.get(section.parent_id) if section.parent_id else None
    slugs = dict(Author.objects.filter(id__in=state.author_ids).values_list("id", "slug"))
    for author_id in state.author_ids:
        if author_id in slugs:
            scope = Scope("author", author=SimpleNamespace(id=author_id))
            out[("author", author_id)] = (scope, author_url(slugs[author_id]))
    for slug in state.tag_slugs:
        scope = Scope("tag", tag=SimpleNamespace(slug=slug))
        out[("tag", slug)] = (scope, tag_url(slug))
    return out


def _before_key(when: dt.datetime, story_id: int) -> Q:
    return Q(published_at__lt=when) | Q(published_at=when, id__lt=story_id)


def story_paths(ctx: BakeContext, before: StoryState | None, after: StoryState | None) -> set[str]:
    """Every page whose content may change when a story goes from ``before`` to ``after``
    (either None: not public). Bounded for a newly published story: its page, the front,
    "Latest", its archive pages, the indexes, per listing its front and newest one or two
    numbered pages, and a few neighbour stories."""
    source, size = ctx.source, ctx.renderer.page_size
    paths = {"/", "/latest/", "/authors/", "/tags/"}
    for state in (before, after):
        if state is not None:
            paths.add(state.url)
            paths.update(archive_paths(state.published_at))
    story_id = (after or before).story_id if (after or before) else None
    if story_id is None:
        return paths
    scopes_before, scopes_after = _scopes(source, before), _scopes(source, after)
    for key in scopes_before.keys() | scopes_after.keys():
        scope, url = scopes_after.get(key) or scopes_before[key]
        paths.add(url)
        others = source.scoped(scope).exclude(id=story_id)
        n_now = source.count(scope)
        in_before, in_after = key in scopes_before, key in scopes_after
        n_before = n_now - in_after + in_before
        # positions counted from the oldest, among the other stories of the listing
        p_before = others.filter(_before_key(*before.key)).count() if in_before else None
        p_after = others.filter(_before_key(*after.key)).count() if in_after else None
        positions = [p for p in (p_before, p_after) if p is not None]
        last_before, last_after = page_numbers(n_before, size), page_numbers(n_now, size)
        if in_before and in_after:
            lo, hi = min(positions) // size + 1, max(positions) // size + 1
        else:  # entered or left the listing: later pages shift by one
            lo, hi = min(positions) // size + 1, max(last_before, last_after)
        numbers = set(range(lo, hi + 1)) | {last_before, last_after}
        paths.update(f"{url}page/{n}/" for n in numbers if n >= 1)
        if key[0] == "section":
            section_path = scope.section.path
            for p in positions:
                start = max(0, p - MORE_NEWER - 1)
                stop = p + MORE_COUNT + 1
                for url_path, path in others.order_by("published_at", "id").values_list(
                    "url_path", "path"
                )[start:stop]:
                    if path[: -StoryPage.steplen] == section_path:
                        from broadsheet.newsroom.catalogue import page_url_from_url_path

                        paths.add(page_url_from_url_path(url_path, source.root_url_path))
    return paths
