"""An in-memory source for the renderer: every live story's card loaded once, indexed.

:class:`MemorySource` answers the same methods as :class:`~broadsheet.newsroom.catalogue.LiveSource`
(the renderer does not care which it gets), but from lists built with a handful of bulk queries:
all cards oldest first, and per scope (a section with its subsections, an author, a tag) the
cards of that scope in the same order. A full bake of 100,000 stories then costs a few queries
plus one query per batch of story bodies (:meth:`MemorySource.load_bodies`), instead of several
queries per page.

Why our own code: the renderer's data classes are ours, and no library indexes them. Orderings
match the database's exactly: cards are ordered by ``(published_at, id)``; authors and tags
listings (whose order depends on the database collation) are asked of the database.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.utils import timezone

from broadsheet.discussion.catalogue import DiscussionSource, all_comment_counts
from broadsheet.newsroom.catalogue import (
    CARD_FIELDS,
    CARD_IMAGE_SPEC,
    MORE_COUNT,
    MORE_NEWER,
    STORY_FIELDS,
    AuthorRef,
    LiveSource,
    Scope,
    SectionRef,
    SiteInfo,
    Story,
    StoryCard,
    TagRef,
    TipRef,
    _Prefetch,
    author_url,
    image_refs,
    story_from_row,
    tag_url,
)
from broadsheet.newsroom.models import StoryAuthor, StoryPage, StoryTag

ScopeKey = tuple[str, Any]
BATCH = 500
ALL_STORIES = Scope()


def scope_key(scope: Scope) -> ScopeKey:
    """A hashable key for a scope: ``("all", None)``, ``("section", id)``, ``("author", id)``
    or ``("tag", slug)``."""
    if scope.kind == "section" and scope.section:
        return ("section", scope.section.id)
    if scope.kind == "author" and scope.author:
        return ("author", scope.author.id)
    if scope.kind == "tag" and scope.tag:
        return ("tag", scope.tag.slug)
    return ("all", None)


def sort_key(card: StoryCard) -> tuple[dt.datetime, int]:
    """The listing order of stories, oldest first: ``(published_at, id)``."""
    return (card.published_at, card.id)


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class MemorySource(DiscussionSource):
    """Every live story's :class:`StoryCard`, loaded once and indexed by scope.

    ``live`` is the :class:`LiveSource` used for the few things asked of the database (authors,
    tips, sections, site settings). ``base_url`` overrides the site's public base URL (``bake
    --base-url``). Memory: about 1 KB per story (cards only; story bodies are loaded per batch
    with :meth:`load_bodies` and dropped with :meth:`drop_bodies`).
    """

    def __init__(self, live: LiveSource | None = None, base_url: str | None = None) -> None:
        self.live = live or LiveSource()
        self.site = self.live.site
        self.root_url_path = self.live.root_url_path
        self.root_path = self.live.root_path
        info = self.live.site_info()
        if base_url is not None:
            info = replace(info, base_url=base_url.rstrip("/"))
        self._site_info = info
        self._sections = self.live.sections()
        self._tips: dict[int | None, list[TipRef]] = {}
        self._authors_by_slug: dict[str, AuthorRef | None] = {}
        self._bodies: dict[int, dict[str, Any]] = {}
        self._body_prefetch = _Prefetch()
        self._load_cards()

    # -- loading ---------------------------------------------------------------------------
    def _load_cards(self) -> None:
        stories = self.live.stories()
        pre = _Prefetch()
        author_refs: dict[int, AuthorRef] = {}
        for row in (
            StoryAuthor.objects.filter(story__in=stories)
            .order_by("story_id", "sort_order", "id")
            .values_list("story_id", "author_id", "author__name", "author__slug")
        ):
            story_id, author_id, name, slug = row
            ref = author_refs.get(author_id)
            if ref is None:
                ref = author_refs[author_id] = AuthorRef(author_id, name, slug, author_url(slug))
            pre.authors[story_id].append(ref)
        tag_refs: dict[str, TagRef] = {}
        for story_id, name, slug in (
            StoryTag.objects.filter(content_object__in=stories)
            .order_by("content_object_id", "tag__name")
            .values_list("content_object_id", "tag__name", "tag__slug")
        ):
            ref = tag_refs.get(slug)
            if ref is None:
                ref = tag_refs[slug] = TagRef(name, slug, tag_url(slug))
            pre.tags[story_id].append(ref)
        self._tag_refs = tag_refs
        pre.comment_counts = all_comment_counts()
        rows = list(stories.order_by("published_at", "id").values(*CARD_FIELDS))
        image_ids = sorted({r["lead_image_id"] for r in rows if r["lead_image_id"]})
        images = {}
        for chunk in _chunks(image_ids):
            images.update(image_refs(chunk, CARD_IMAGE_SPEC))
        section_by_path = {s.path: s for s in self._sections.values()}
        steplen = StoryPage.steplen
        cards: list[StoryCard] = []
        for row in rows:
            if row["path"][:-steplen] not in section_by_path:
                continue  # a story whose section is not live is not public
            cards.append(self.live._card(row, pre, images))
        self.cards_oldest_first = cards
        self.by_id = {c.id: c for c in cards}
        self._dates = [c.published_at for c in cards]
        scopes: dict[ScopeKey, list[StoryCard]] = defaultdict(list)
        for card in cards:
            section: SectionRef | None = card.section
            while section is not None:
                scopes[("section", section.id)].append(card)
                section = self._sections.get(section.parent_id) if section.parent_id else None
            for a in card.authors:
                scopes[("author", a.id)].append(card)
            for t in card.tags:
                scopes[("tag", t.slug)].append(card)
        scopes[("all", None)] = cards
        self.scopes = dict(scopes)
        self._positions: dict[ScopeKey, dict[int, int]] = {}

    def load_bodies(self, ids: Sequence[int]) -> None:
        """Load the full rows (body, dateline…) of stories ``ids`` for :meth:`story`, in batches
        of 500: one query per batch plus the body images' renditions."""
        self._bodies = {}
        for chunk in _chunks(list(ids)):
            for row in StoryPage.objects.filter(id__in=chunk).values(*STORY_FIELDS):
                self._bodies[row["id"]] = row

    def drop_bodies(self) -> None:
        """Forget the rows loaded by :meth:`load_bodies` (to bound memory)."""
        self._bodies = {}

    # -- the LiveSource interface ------------------------------------------------------------
    def site_info(self) -> SiteInfo:
        return self._site_info

    def sections(self) -> dict[int, SectionRef]:
        return self._sections

    def section_for_path(self, story_path: str) -> SectionRef:
        return self.live.section_for_path(story_path)

    def top_sections(self) -> list[SectionRef]:
        return self.live.top_sections()

    def top_stories(self) -> list[StoryCard]:
        """The front page's editor's picks (one query), from the loaded cards."""
        from broadsheet.newsroom.models import FrontPageTopStory

        ids = (
            FrontPageTopStory.objects.filter(front_page_id=self.site.root_page_id)
            .order_by("sort_order", "id")
            .values_list("story_id", flat=True)
        )
        return [self.by_id[i] for i in ids if i in self.by_id]

    def tips(self, section: SectionRef | None = None) -> list[TipRef]:
        key = section.id if section else None
        if key not in self._tips:
            self._tips[key] = self.live.tips(section)
        return self._tips[key]

    def scope_cards(self, scope: Scope) -> list[StoryCard]:
        """The cards of ``scope``, oldest first (an empty list for an unknown scope)."""
        return self.scopes.get(scope_key(scope), [])

    def latest(
        self, limit: int, scope: Scope = ALL_STORIES, exclude: int | None = None
    ) -> list[StoryCard]:
        cards = self.scope_cards(scope)
        out: list[StoryCard] = []
        for card in reversed(cards):
            if len(out) >= limit:
                break
            if card.id != exclude:
                out.append(card)
        return out

    def count(self, scope: Scope = ALL_STORIES) -> int:
        return len(self.scope_cards(scope))

    def position(self, scope: Scope, story_id: int) -> int | None:
        """The 0-based index of a story in ``scope`` counted from the oldest, or None."""
        key = scope_key(scope)
        if key not in self._positions:
            self._positions[key] = {c.id: i for i, c in enumerate(self.scopes.get(key, []))}
        return self._positions[key].get(story_id)

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        cards = self.scope_cards(scope)
        pos = self.position(scope, card.id)
        if pos is None:
            pos = bisect.bisect_left([sort_key(c) for c in cards], sort_key(card))
            after = cards[pos : pos + newer]
        else:
            after = cards[pos + 1 : pos + 1 + newer]
        before_end = pos
        before = cards[max(0, before_end - (limit - len(after))) : before_end]
        return [*reversed(after), *reversed(before)]

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        return list(reversed(self.scope_cards(scope)[start:stop]))

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        lo = bisect.bisect_left(self._dates, start)
        hi = bisect.bisect_left(self._dates, end)
        return list(reversed(self.cards_oldest_first[lo:hi]))

    def month_counts(self) -> list[tuple[int, int, int]]:
        counts: Counter[tuple[int, int]] = Counter()
        for when in self._dates:
            local = timezone.localtime(when)
            counts[(local.year, local.month)] += 1
        return [(y, m, n) for (y, m), n in sorted(counts.items(), reverse=True)]

    def days(self) -> list[dt.date]:
        """Every day (newsroom time zone) with at least one story, oldest first."""
        return sorted({timezone.localtime(d).date() for d in self._dates})

    def authors(self) -> list[AuthorRef]:
        if not hasattr(self, "_authors"):
            self._authors = self.live.authors()
        return self._authors

    def author(self, slug: str) -> AuthorRef | None:
        if slug not in self._authors_by_slug:
            self._authors_by_slug[slug] = self.live.author(slug)
        return self._authors_by_slug[slug]

    def tag(self, slug: str) -> TagRef | None:
        return self._tag_refs.get(slug)

    def tags(self) -> list[tuple[TagRef, int]]:
        if not hasattr(self, "_tags"):
            self._tags = self.live.tags()
        return self._tags

    def by_url(self, path: str) -> int | None:
        """The id of the public story at URL ``path``, or None."""
        if not hasattr(self, "_by_url"):
            self._by_url = {c.url: c.id for c in self.cards_oldest_first}
        return self._by_url.get(path)

    def stories(self) -> Any:
        return self.live.stories()

    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        return [self.by_id[i] for i in ids if i in self.by_id]

    def story(self, page: Any, preview: bool = False) -> Story:
        """The whole story for ``page`` (anything with an ``id``): from the rows loaded by
        :meth:`load_bodies`, else asked of the database. Raises ``LookupError`` for a story
        that is not public."""
        row = self._bodies.get(page.id)
        card = self.by_id.get(page.id)
        if preview or row is None or card is None:
            return self.live.story(page, preview=preview)
        return story_from_row(card, row)
