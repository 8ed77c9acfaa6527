"""Listings for :class:`~broadsheet.site.live.LiveSource`: counts, positions, pages of a listing,
months and days, authors and tags, from the listing index (:mod:`broadsheet.site.models`), kept
up to date on write: indexed, bounded queries whatever the size of the archive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    Author,
    StoryAuthor,
    StoryPage,
    StoryTag,
)

from ..bodies import (
    AUTHOR_PHOTO_SPEC,
    image_refs,
)
from ..changes import StoryState
from ..context import SiteContext
from ..data import (
    ALL,
    AuthorRef,
    MonthStat,
    Scope,
    ScopeStat,
    StoryCard,
    TagRef,
)
from ..facts import Snapshot
from ..listings import month_bounds
from ..models import ListingEntry, ListingStat
from ..readmodel import MORE_COUNT, MORE_NEWER
from ..urls import Urls


class Listings:
    """Ordered, counted lists of stories (scopes) and what they are made of."""

    ctx: SiteContext
    facts: Snapshot | None
    urls: Urls

    # -- listings ----------------------------------------------------------------------------
    def entries(self, scope: Scope) -> QuerySet:
        """The listing index rows of ``scope`` (for ordered, bounded queries)."""
        return ListingEntry.objects.filter(root_id=self.ctx.root_id, scope=scope.key)

    def _ids(self, qs: QuerySet) -> list[int]:
        return list(qs.values_list("story_id", flat=True))

    def latest(self, limit: int, scope: Scope = ALL, exclude: int | None = None) -> list[StoryCard]:
        qs = self.entries(scope)
        if exclude is not None:
            qs = qs.exclude(story_id=exclude)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")[:limit]))

    def stat(self, scope: Scope) -> ScopeStat:
        row = (
            ListingStat.objects.filter(root_id=self.ctx.root_id, scope=scope.key)
            .values_list("count", "newest", "lastmod")
            .first()
        )
        return ScopeStat(scope.key, *row) if row else ScopeStat(scope.key, 0, None, None)

    def count(self, scope: Scope = ALL) -> int:
        return self.stat(scope).count

    @staticmethod
    def _after(key: tuple[dt.datetime, int]) -> Q:
        when, ident = key
        return Q(published_at__gt=when) | Q(published_at=when, story_id__gt=ident)

    @staticmethod
    def _before(key: tuple[dt.datetime, int]) -> Q:
        when, ident = key
        return Q(published_at__lt=when) | Q(published_at=when, story_id__lt=ident)

    def position(self, scope: Scope, key: tuple[dt.datetime, int]) -> int:
        # counted from the newer end: a new story's place costs nothing to find
        total = self.count(scope)
        at_or_after = self.entries(scope).filter(
            self._after(key) | Q(published_at=key[0], story_id=key[1])
        )
        return max(0, total - at_or_after.count())

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        total = self.count(scope)
        stop = min(stop, total)
        if start >= stop:
            return []
        if start <= total - stop:  # nearer the oldest end
            qs = self.entries(scope).order_by("published_at", "story_id")[start:stop]
            ids = self._ids(qs)
            ids.reverse()
        else:
            qs = self.entries(scope).order_by("-published_at", "-story_id")
            ids = self._ids(qs[total - stop : total - start])
        return self.cards(ids)

    def window(
        self, scope: Scope, key: tuple[dt.datetime, int], before: int, after: int
    ) -> list[int]:
        qs = self.entries(scope)
        newer = self._ids(qs.filter(self._after(key)).order_by("published_at", "story_id")[:after])
        older = self._ids(
            qs.filter(self._before(key)).order_by("-published_at", "-story_id")[:before]
        )
        return [*reversed(older), *newer]

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        key = (card.published_at, card.id)
        qs = self.entries(scope).exclude(story_id=card.id)
        after = self._ids(qs.filter(self._after(key)).order_by("published_at", "story_id")[:newer])
        before = self._ids(
            qs.filter(self._before(key)).order_by("-published_at", "-story_id")[
                : limit - len(after)
            ]
        )
        return self.cards([*reversed(after), *before])

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        qs = self.entries(ALL).filter(published_at__gte=start, published_at__lt=end)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")))

    def since(self, start: dt.datetime, end: dt.datetime, limit: int) -> list[StoryCard]:
        qs = self.entries(ALL).filter(published_at__gte=start, published_at__lte=end)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")[:limit]))

    def months(self) -> list[MonthStat]:
        rows = ListingStat.objects.filter(
            root_id=self.ctx.root_id, scope__startswith="month:", count__gt=0
        ).values_list("scope", "count", "lastmod")
        months = []
        for scope, n, lastmod in rows:
            year, month = scope[6:].split("-")
            months.append(MonthStat(int(year), int(month), n, lastmod))
        return sorted(months, key=lambda m: (m.year, m.month), reverse=True)

    def _month_rows(self, year: int, month: int) -> QuerySet:
        start, end = month_bounds(year, month)
        return (
            self.entries(ALL)
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("published_at", "story_id")
        )

    def month_entries(self, year: int, month: int) -> list[tuple[str, dt.datetime]]:
        rows = list(self._month_rows(year, month).values_list("story_id", "lastmod"))
        paths = dict(
            StoryPage.objects.filter(id__in=[i for i, _ in rows]).values_list("id", "url_path")
        )
        return [(self.urls.page(paths[i]), lastmod) for i, lastmod in rows if i in paths]

    def days(self, year: int | None = None, month: int | None = None) -> list[dt.date]:
        if year is not None and month is not None:
            dates = self._month_rows(year, month).values_list("published_at", flat=True)
        else:
            dates = self.entries(ALL).values_list("published_at", flat=True)
        return sorted({timezone.localtime(d).date() for d in dates})

    def _stats(self, prefix: str) -> dict[int, ScopeStat]:
        rows = ListingStat.objects.filter(
            root_id=self.ctx.root_id, scope__startswith=prefix, count__gt=0
        ).values_list("scope", "count", "newest", "lastmod")
        return {int(s[len(prefix) :]): ScopeStat(s, n, new, last) for s, n, new, last in rows}

    def authors(self) -> list[AuthorRef]:
        ids = self._stats("author:")
        rows = Author.objects.filter(id__in=list(ids)).order_by("name").values("id", "name", "slug")
        return [self.author_ref(r["id"], r["name"], r["slug"]) for r in rows]

    def story_ids(self, scope: Scope) -> list[int]:
        return self._ids(self.entries(scope).order_by("published_at", "story_id"))

    def author_refs(self, ids: Sequence[int]) -> dict[int, AuthorRef]:
        rows = Author.objects.filter(id__in=list(ids)).values_list("id", "name", "slug")
        return {i: self.author_ref(i, name, slug) for i, name, slug in rows}

    def tag_refs(self, ids: Sequence[int]) -> dict[int, TagRef]:
        from taggit.models import Tag

        rows = Tag.objects.filter(id__in=list(ids)).values_list("id", "name", "slug")
        return {i: self.tag_ref(i, name, slug) for i, name, slug in rows}

    def author_stats(self) -> list[tuple[AuthorRef, ScopeStat]]:
        stats = self._stats("author:")
        rows = (
            Author.objects.filter(id__in=list(stats)).order_by("slug").values("id", "name", "slug")
        )
        return [(self.author_ref(r["id"], r["name"], r["slug"]), stats[r["id"]]) for r in rows]

    def author(self, slug: str) -> AuthorRef | None:
        a = Author.objects.filter(slug=slug).first()
        if a is None:
            return None
        photo = image_refs([a.photo_id], AUTHOR_PHOTO_SPEC).get(a.photo_id) if a.photo_id else None
        name = self.author_names().get(a.id, a.name)
        return AuthorRef(a.id, name, a.slug, self.urls.author(a.slug), a.bio, photo)

    def _tag_rows(self, ids: Sequence[int], order: str) -> list[tuple[int, str, str]]:
        from taggit.models import Tag

        return list(
            Tag.objects.filter(id__in=ids).order_by(order).values_list("id", "name", "slug")
        )

    def tags(self) -> list[tuple[TagRef, int]]:
        stats = self._stats("tag:")
        return [
            (self.tag_ref(i, name, slug), stats[i].count)
            for i, name, slug in self._tag_rows(list(stats), "name")
        ]

    def tag_stats(self) -> list[tuple[TagRef, ScopeStat]]:
        stats = self._stats("tag:")
        return [
            (self.tag_ref(i, name, slug), stats[i])
            for i, name, slug in self._tag_rows(list(stats), "slug")
        ]

    def tag(self, slug: str) -> TagRef | None:
        from taggit.models import Tag

        row = Tag.objects.filter(slug=slug).values_list("id", "name", "slug").first()
        if row is None or self.count(Scope("tag", row[0])) == 0:
            return None
        return self.tag_ref(*row)

    def state(self, story_id: int) -> StoryState | None:
        row = (
            StoryPage.objects.filter(id=story_id, live=True, published_at__isnull=False)
            .filter(path__startswith=self.ctx.root_path)
            .values("url_path", "path", "published_at", "updated_at")
            .first()
        )
        section = self.section_for_path(row["path"]) if row else None
        if row is None or section is None:
            return None
        authors = tuple(
            StoryAuthor.objects.filter(story_id=story_id)
            .order_by("sort_order", "id")
            .values_list("author_id", flat=True)
        )
        tags = tuple(
            sorted(
                StoryTag.objects.filter(content_object_id=story_id).values_list("tag_id", flat=True)
            )
        )
        published, updated = row["published_at"], row["updated_at"]
        return StoryState(
            story_id=story_id,
            url=self.urls.page(row["url_path"]),
            section_id=section.id,
            published_at=published,
            lastmod=max(published, updated) if updated else published,
            author_ids=authors,
            tag_ids=tags,
        )
