"""The read model in memory: :class:`MemorySource`, for full bakes.

Every public story's card is loaded once with a handful of bulk queries and indexed by listing
(the site, each section with its subsections, each author, each tag), oldest first; story bodies
are loaded per batch (:meth:`MemorySource.load_bodies`). It answers the same
:class:`~.readmodel.ReadModel` as :class:`~.live.LiveSource`, with the same results: orderings
follow ``(published_at, id)`` exactly, and the orders that depend on the database's collation
(authors and tags by name) are asked of the database.

Why our own code: the renderer's data classes are ours, and no library indexes them. Memory:
about 1 KB per story (cards only).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from broadsheet.content.newsroom.models import (
    Author,
    FrontPageTopStory,
    StoryAuthor,
    StoryPage,
    StoryTag,
)

from .bodies import (
    CARD_FIELDS,
    CARD_IMAGE_SPEC,
    STORY_FIELDS,
    correction_refs,
    image_refs,
    notes_by_story,
    stories_from_rows,
)
from .changes import StoryState
from .context import SiteContext
from .data import (
    ALL,
    AuthorRef,
    CommentRef,
    CorrectionRef,
    DiscussionInfo,
    GuestbookRef,
    InfoRef,
    MirrorRef,
    MonthStat,
    Node,
    RedirectRef,
    Scope,
    ScopeStat,
    SectionRef,
    SiteInfo,
    Story,
    StoryCard,
    TagRef,
    TipRef,
)
from .live import LiveSource, approved_comments_of, comment_counts
from .readmodel import MORE_COUNT, MORE_NEWER

BATCH = 500


def sort_key(card: StoryCard) -> tuple[dt.datetime, int]:
    """The listing order of stories, oldest first: ``(published_at, id)``."""
    return (card.published_at, card.id)


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class MemorySource:
    """Every public story's :class:`StoryCard`, loaded once and indexed by listing.

    ``live`` answers the few things asked of the database (settings, tips, author pages,
    collation-dependent orders); it shares this source's context.
    """

    preloaded = True  # every story loaded: whole-archive lookups are cheaper than per page

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self.live = LiveSource(ctx)
        self.urls = self.live.urls
        self._bodies: dict[int, dict[str, Any]] = {}
        self._notes: dict[int, list[CorrectionRef]] | None = None  # by story, once a build
        self._comments: dict[int, tuple[CommentRef, ...]] = {}
        self._authors_by_slug: dict[str, AuthorRef | None] = {}
        self._cache: dict[str, Any] = {}
        self._load_cards()

    # -- loading ---------------------------------------------------------------------------
    def _load_cards(self) -> None:
        live = self.live
        stories = StoryPage.objects.live().filter(
            path__startswith=self.ctx.root_path, published_at__isnull=False
        )
        authors: dict[int, list[AuthorRef]] = defaultdict(list)
        refs: dict[int, AuthorRef] = {}
        for story_id, author_id, name, slug in (
            StoryAuthor.objects.filter(story__in=stories)
            .order_by("story_id", "sort_order", "id")
            .values_list("story_id", "author_id", "author__name", "author__slug")
        ):
            ref = refs.get(author_id)
            if ref is None:
                ref = refs[author_id] = live.author_ref(author_id, name, slug)
            authors[story_id].append(ref)
        tags: dict[int, list[TagRef]] = defaultdict(list)
        tag_refs: dict[int, TagRef] = {}
        for story_id, tag_id, name, slug in (
            StoryTag.objects.filter(content_object__in=stories)
            .order_by("content_object_id", "tag__name")
            .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        ):
            ref = tag_refs.get(tag_id)
            if ref is None:
                ref = tag_refs[tag_id] = live.tag_ref(tag_id, name, slug)
            tags[story_id].append(ref)
        counts = comment_counts()
        rows = list(stories.order_by("published_at", "id").values(*CARD_FIELDS))
        image_ids = sorted({r["lead_image_id"] for r in rows if r["lead_image_id"]})
        images = {}
        for chunk in _chunks(image_ids):
            images.update(image_refs(chunk, CARD_IMAGE_SPEC))
        cards: list[StoryCard] = []
        for row in rows:
            card = live.card_from_row(row, authors, tags, images, counts)
            if card is not None:
                cards.append(card)
        self.cards_oldest_first = cards
        self.by_id = {c.id: c for c in cards}
        self.by_url = {c.url: c.id for c in cards}
        self._dates = [c.published_at for c in cards]
        sections = live.sections()
        scopes: dict[str, list[StoryCard]] = defaultdict(list)
        for card in cards:
            section: SectionRef | None = card.section
            while section is not None:
                scopes[f"section:{section.id}"].append(card)
                section = sections.get(section.parent_id) if section.parent_id else None
            for a in card.authors:
                scopes[f"author:{a.id}"].append(card)
            for t in card.tags:
                scopes[f"tag:{t.id}"].append(card)
        scopes["all"] = cards
        for key in [k for k in scopes if k.startswith("section:")]:
            scopes[f"front-{key}"] = [c for c in scopes[key] if c.on_front]
        scopes["front"] = [c for c in cards if c.on_front]
        self.scopes = dict(scopes)
        self._tag_refs = {t.slug: t for t in tag_refs.values()}
        self._author_refs = refs
        self._keys: dict[str, list[tuple[dt.datetime, int]]] = {}

    def load_bodies(self, ids: Sequence[int]) -> None:
        """Load the whole rows (body, dateline…) and the approved comments of stories ``ids``
        for :meth:`stories` and :meth:`approved_comments`: two queries per 500 stories."""
        self._bodies = {}
        self._comments = {}
        for chunk in _chunks(list(ids)):
            for row in StoryPage.objects.filter(id__in=chunk).values(*STORY_FIELDS):
                self._bodies[row["id"]] = row
            found = approved_comments_of(chunk)
            self._comments.update({i: found.get(i, ()) for i in chunk})

    def drop_bodies(self) -> None:
        """Forget the rows loaded by :meth:`load_bodies` (to bound memory)."""
        self._bodies = {}
        self._comments = {}

    def _cached(self, name: str, make: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    # -- the site ----------------------------------------------------------------------------
    def site_info(self) -> SiteInfo:
        return self.live.site_info()

    def sections(self) -> dict[int, SectionRef]:
        return self.live.sections()

    def top_sections(self) -> list[SectionRef]:
        return self.live.top_sections()

    def tips(self, section: SectionRef | None = None) -> list[TipRef]:
        return self.live.tips(section)

    def all_tips(self) -> list[TipRef]:
        return self.live.all_tips()

    def mirrors(self) -> list[MirrorRef]:
        return self._cached("mirrors", self.live.mirrors)

    def info_pages(self) -> list[InfoRef]:
        return self._cached("info", self.live.info_pages)

    def info_page(self, page_id: int) -> InfoRef | None:
        return next((p for p in self.info_pages() if p.id == page_id), None)

    def node(self, path: str) -> Node | None:
        if path == "/":
            return Node("front", self.ctx.root_id)
        path = self.ctx.prefix + path  # URLs of the edition carry its prefix
        story_id = self.by_url.get(path)
        if story_id is not None:
            return Node("story", story_id)
        nodes = self._cached(
            "nodes",
            lambda: {
                **{s.url: Node("section", s.id) for s in self.sections().values()},
                **{p.url: Node("info", p.id) for p in self.info_pages()},
            },
        )
        return nodes.get(path)

    def redirects(self) -> list[RedirectRef]:
        return self._cached("redirects", self.live.redirects)

    def retired_paths(self) -> list[str]:
        return self._cached("retired", self.live.retired_paths)

    # -- cards and stories -------------------------------------------------------------------
    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        return [self.by_id[i] for i in ids if i in self.by_id]

    def stories(self, ids: Sequence[int]) -> list[Story]:
        missing = [i for i in ids if i in self.by_id and i not in self._bodies]
        if missing:
            for chunk in _chunks(missing):
                for row in StoryPage.objects.filter(id__in=chunk).values(*STORY_FIELDS):
                    self._bodies[row["id"]] = row
        rows = [self._bodies[i] for i in ids if i in self._bodies and i in self.by_id]
        if self._notes is None:  # every note, once per build: a newsroom has few
            self._notes = notes_by_story(correction_refs())
        return stories_from_rows(self.by_id, rows, self._notes)

    def story(self, story_id: int) -> Story:
        found = self.stories([story_id])
        if not found:
            raise LookupError(f"story {story_id} is not public")
        return found[0]

    def corrections(self, limit: int) -> list[tuple[CorrectionRef, StoryCard]]:
        notes = [n for n in correction_refs(newest_first=True) if n.story_id in self.by_id]
        return [(n, self.by_id[n.story_id]) for n in notes[:limit]]

    def top_stories(self) -> list[StoryCard]:
        ids = (
            FrontPageTopStory.objects.filter(front_page_id=self.ctx.root_id)
            .order_by("sort_order", "id")
            .values_list("story_id", flat=True)
        )
        return [self.by_id[i] for i in ids if i in self.by_id]

    # -- listings ----------------------------------------------------------------------------
    def scope_cards(self, scope: Scope) -> list[StoryCard]:
        """The cards of ``scope``, oldest first (empty for an unknown scope)."""
        return self.scopes.get(scope.key, [])

    def _scope_keys(self, scope: Scope) -> list[tuple[dt.datetime, int]]:
        keys = self._keys.get(scope.key)
        if keys is None:
            keys = self._keys[scope.key] = [sort_key(c) for c in self.scope_cards(scope)]
        return keys

    def latest(self, limit: int, scope: Scope = ALL, exclude: int | None = None) -> list[StoryCard]:
        out: list[StoryCard] = []
        for card in reversed(self.scope_cards(scope)):
            if len(out) >= limit:
                break
            if card.id != exclude:
                out.append(card)
        return out

    def count(self, scope: Scope = ALL) -> int:
        return len(self.scope_cards(scope))

    def stat(self, scope: Scope) -> ScopeStat:
        cards = self.scope_cards(scope)
        if not cards:
            return ScopeStat(scope.key, 0, None, None)
        return ScopeStat(
            scope.key, len(cards), cards[-1].published_at, max(c.lastmod for c in cards)
        )

    def position(self, scope: Scope, key: tuple[dt.datetime, int]) -> int:
        return bisect.bisect_left(self._scope_keys(scope), key)

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        return list(reversed(self.scope_cards(scope)[start:stop]))

    def window(
        self, scope: Scope, key: tuple[dt.datetime, int], before: int, after: int
    ) -> list[int]:
        keys = self._scope_keys(scope)
        cards = self.scope_cards(scope)
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_right(keys, key)
        return [c.id for c in cards[max(0, lo - before) : lo]] + [
            c.id for c in cards[hi : hi + after]
        ]

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        cards = self.scope_cards(scope)
        keys = self._scope_keys(scope)
        key = sort_key(card)
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_right(keys, key)
        after = cards[hi : hi + newer]
        before = cards[max(0, lo - (limit - len(after))) : lo]
        return [*reversed(after), *reversed(before)]

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        lo = bisect.bisect_left(self._dates, start)
        hi = bisect.bisect_left(self._dates, end)
        return list(reversed(self.cards_oldest_first[lo:hi]))

    def since(self, start: dt.datetime, end: dt.datetime, limit: int) -> list[StoryCard]:
        lo = bisect.bisect_left(self._dates, start)
        hi = bisect.bisect_right(self._dates, end)
        return list(reversed(self.cards_oldest_first[max(lo, hi - limit) : hi]))

    def _by_month(self) -> dict[tuple[int, int], list[StoryCard]]:
        def make() -> dict[tuple[int, int], list[StoryCard]]:
            months: dict[tuple[int, int], list[StoryCard]] = defaultdict(list)
            for card in self.cards_oldest_first:
                local = timezone.localtime(card.published_at)
                months[(local.year, local.month)].append(card)
            return dict(months)

        return self._cached("months", make)

    def months(self) -> list[MonthStat]:
        return [
            MonthStat(y, m, len(cards), max(c.lastmod for c in cards))
            for (y, m), cards in sorted(self._by_month().items(), reverse=True)
        ]

    def month_entries(self, year: int, month: int) -> list[tuple[str, dt.datetime]]:
        return [(c.url, c.lastmod) for c in self._by_month().get((year, month), [])]

    def days(self, year: int | None = None, month: int | None = None) -> list[dt.date]:
        if year is not None and month is not None:
            cards = self._by_month().get((year, month), [])
        else:
            cards = self.cards_oldest_first
        return sorted({timezone.localtime(c.published_at).date() for c in cards})

    def _ids_with_stories(self, prefix: str) -> list[int]:
        return [int(k[len(prefix) :]) for k in self.scopes if k.startswith(prefix)]

    def authors(self) -> list[AuthorRef]:
        def make() -> list[AuthorRef]:
            ids = self._ids_with_stories("author:")
            order = Author.objects.filter(id__in=ids).order_by("name").values_list("id", flat=True)
            return [self._author_refs[i] for i in order]

        return self._cached("authors", make)

    def story_ids(self, scope: Scope) -> list[int]:
        return [c.id for c in self.scope_cards(scope)]

    def author_refs(self, ids: Sequence[int]) -> dict[int, AuthorRef]:
        return self.live.author_refs(ids)

    def tag_refs(self, ids: Sequence[int]) -> dict[int, TagRef]:
        return self.live.tag_refs(ids)

    def author_stats(self) -> list[tuple[AuthorRef, ScopeStat]]:
        ids = self._ids_with_stories("author:")
        order = Author.objects.filter(id__in=ids).order_by("slug").values_list("id", flat=True)
        return [(self._author_refs[i], self.stat(Scope("author", i))) for i in order]

    def author(self, slug: str) -> AuthorRef | None:
        if slug not in self._authors_by_slug:
            self._authors_by_slug[slug] = self.live.author(slug)
        return self._authors_by_slug[slug]

    def _tag_order(self, field: str) -> list[TagRef]:
        from taggit.models import Tag

        by_id = {t.id: t for t in self._tag_refs.values()}
        ids = self._ids_with_stories("tag:")
        return [
            by_id[i]
            for i in Tag.objects.filter(id__in=ids).order_by(field).values_list("id", flat=True)
        ]

    def tags(self) -> list[tuple[TagRef, int]]:
        return self._cached(
            "tags", lambda: [(t, self.count(Scope.tag(t))) for t in self._tag_order("name")]
        )

    def tag_stats(self) -> list[tuple[TagRef, ScopeStat]]:
        return [(t, self.stat(Scope.tag(t))) for t in self._tag_order("slug")]

    def tag(self, slug: str) -> TagRef | None:
        return self._tag_refs.get(slug)

    def state(self, story_id: int) -> StoryState | None:
        card = self.by_id.get(story_id)
        if card is None:
            return None
        return StoryState(
            story_id=card.id,
            url=card.url,
            section_id=card.section.id,
            published_at=card.published_at,
            lastmod=card.lastmod,
            author_ids=tuple(a.id for a in card.authors),
            tag_ids=tuple(sorted(t.id for t in card.tags)),
        )

    # -- readers' contributions --------------------------------------------------------------
    def discussion_info(self) -> DiscussionInfo:
        return self.live.discussion_info()

    def approved_comments(self, story_id: int) -> tuple[CommentRef, ...]:
        if story_id in self._comments:
            return self._comments[story_id]
        return self.live.approved_comments(story_id)

    def guestbook_count(self) -> int:
        return self._cached("guestbook_count", self.live.guestbook_count)

    def guestbook_entries(self, start: int, stop: int, newest: bool) -> list[GuestbookRef]:
        return self.live.guestbook_entries(start, stop, newest)
