"""Keeping the listing index (:mod:`.models`) up to date on every write, and rebuilding it.

Every way a story's place can change — a publish, an unpublish, a move, a delete, its tags or
bylines saved, its section published or moved — reaches :func:`mark` through a model signal
(connected in :mod:`.apps`), in the writer's transaction: the index then holds, for each public
story, exactly the entries :func:`memberships` computes from the content. A bulk path that writes
without signals (the benchmarks' import) calls :func:`rebuild`.

:func:`reindex` applies the difference between the stored and the wanted entries and adjusts
the listings' stats by arithmetic (a count plus or minus one; a newest date raised); a stat is
recounted from its entries only when a story leaves it or a date moves back. A publish therefore
costs a few indexed statements however large the archive is.

Why our own code: this is the newsroom's read model; no library knows its listings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    FrontPage,
    SectionPage,
    StoryAuthor,
    StoryPage,
    StoryTag,
)

from .models import ListingEntry, ListingIndexState, ListingStat

logger = logging.getLogger(__name__)
STEP = StoryPage.steplen
BATCH = 500
VERSION = 2  # 2: the front page's lists (front, front-section:<id>)


@dataclass(frozen=True, slots=True)
class Membership:
    """Where a public story belongs: its site root, dates and the listings that show it."""

    root_id: int
    published_at: dt.datetime
    lastmod: dt.datetime
    scopes: tuple[str, ...]

    @property
    def month(self) -> str:
        return month_key(self.published_at)


def month_key(when: dt.datetime) -> str:
    """``month:YYYY-MM`` of ``when`` in the newsroom's time zone."""
    local = timezone.localtime(when)
    return f"month:{local.year:04d}-{local.month:02d}"


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a month in the newsroom's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _structure() -> tuple[dict[str, int], dict[str, int]]:
    roots = dict(FrontPage.objects.values_list("path", "id"))
    sections = dict(SectionPage.objects.live().values_list("path", "id"))
    return roots, sections


def memberships(story_ids: Sequence[int]) -> dict[int, Membership]:
    """The membership of each public story among ``story_ids`` (the others are left out): a
    story is public when it is live, dated, and its parent is a live section under a front
    page. A few queries per 500 stories."""
    if not story_ids:
        return {}
    roots, sections = _structure()
    result: dict[int, Membership] = {}
    for start in range(0, len(story_ids), BATCH):
        chunk = list(story_ids[start : start + BATCH])
        rows = StoryPage.objects.filter(
            id__in=chunk, live=True, published_at__isnull=False
        ).values_list("id", "path", "published_at", "updated_at", "hide_from_front")
        authors: dict[int, list[int]] = defaultdict(list)
        for story_id, author_id in StoryAuthor.objects.filter(story_id__in=chunk).values_list(
            "story_id", "author_id"
        ):
            authors[story_id].append(author_id)
        tags: dict[int, list[int]] = defaultdict(list)
        for story_id, tag_id in StoryTag.objects.filter(content_object_id__in=chunk).values_list(
            "content_object_id", "tag_id"
        ):
            tags[story_id].append(tag_id)
        for story_id, path, published, updated, hidden in rows:
            member = _membership(roots, sections, path, published, updated)
            if member is None:
                continue
            scopes = [*member]
            if not hidden:  # the front page's lists (Scope.front, Scope.front_section)
                scopes += ["front", *(f"front-{s}" for s in member if s.startswith("section:"))]
            scopes += [f"author:{a}" for a in sorted(set(authors.get(story_id, ())))]
            scopes += [f"tag:{t}" for t in sorted(set(tags.get(story_id, ())))]
            root_id = roots[path[: 2 * STEP]]
            lastmod = max(published, updated) if updated else published
            result[story_id] = Membership(root_id, published, lastmod, tuple(scopes))
    return result


def _membership(
    roots: dict[str, int],
    sections: dict[str, int],
    path: str,
    published: dt.datetime,
    updated: dt.datetime | None,
) -> list[str] | None:
    if path[: 2 * STEP] not in roots or path[:-STEP] not in sections:
        return None
    scopes = ["all"]
    parent = path[:-STEP]
    while parent in sections:
        scopes.append(f"section:{sections[parent]}")
        parent = parent[:-STEP]
    return scopes


# -- applying ------------------------------------------------------------------------------------
Key = tuple[int, str]
Dates = tuple[dt.datetime, dt.datetime]


def _stored(ids: Sequence[int]) -> dict[int, dict[Key, Dates]]:
    stored: dict[int, dict[Key, Dates]] = defaultdict(dict)
    for root_id, scope, story_id, published, lastmod in ListingEntry.objects.filter(
        story_id__in=ids
    ).values_list("root_id", "scope", "story_id", "published_at", "lastmod"):
        stored[story_id][(root_id, scope)] = (published, lastmod)
        if scope == "all":  # months have no entries: the month of the stored "all" entry
            stored[story_id][(root_id, month_key(published))] = (published, lastmod)
    return stored


def reindex(story_ids: Iterable[int]) -> None:
    """Bring the index entries and stats of ``story_ids`` in line with the content."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    with transaction.atomic():
        wanted = memberships(ids)
        stored = _stored(ids)
        delta: dict[Key, int] = defaultdict(int)  # stories entering (+) a listing
        raised: dict[Key, list[Dates]] = defaultdict(list)  # dates that may raise a stat
        recount: set[Key] = set()  # stats to count again from the entries
        create: list[ListingEntry] = []
        for story_id in ids:
            member = wanted.get(story_id)
            want: dict[Key, Dates] = {}
            if member is not None:
                dates = (member.published_at, member.lastmod)
                want = {(member.root_id, s): dates for s in (*member.scopes, member.month)}
            have = stored.get(story_id, {})
            gone = [k for k in have if k not in want]
            if gone:
                ListingEntry.objects.filter(
                    story_id=story_id,
                    scope__in=[s for _, s in gone if not s.startswith("month:")],
                ).delete()
                recount.update(gone)
            for key, dates in want.items():
                old = have.get(key)
                entry = not key[1].startswith("month:")
                if old is None:
                    delta[key] += 1
                    raised[key].append(dates)
                    if entry:
                        create.append(
                            ListingEntry(
                                root_id=key[0],
                                scope=key[1],
                                story_id=story_id,
                                published_at=dates[0],
                                lastmod=dates[1],
                            )
                        )
                elif old != dates:
                    if entry:
                        ListingEntry.objects.filter(
                            root_id=key[0], scope=key[1], story_id=story_id
                        ).update(published_at=dates[0], lastmod=dates[1])
                    if dates[0] < old[0] or dates[1] < old[1]:
                        recount.add(key)
                    else:
                        raised[key].append(dates)
        ListingEntry.objects.bulk_create(create, batch_size=BATCH)
        _apply_stats(delta, raised, recount)


def _apply_stats(delta: dict[Key, int], raised: dict[Key, list[Dates]], recount: set[Key]) -> None:
    keys = sorted(set(delta) | set(raised) | recount)
    if not keys:
        return
    by_root: dict[int, list[str]] = defaultdict(list)
    for root_id, scope in keys:
        by_root[root_id].append(scope)
    current: dict[Key, ListingStat] = {}
    for root_id, scopes in by_root.items():
        rows = ListingStat.objects.select_for_update().filter(root_id=root_id, scope__in=scopes)
        for stat in rows.order_by("scope"):
            current[(stat.root_id, stat.scope)] = stat
    for key in keys:
        stat = current.get(key) or ListingStat(root_id=key[0], scope=key[1])
        if key in recount:
            _recount(stat)
        else:
            stat.count += delta.get(key, 0)
            for newest, lastmod in raised.get(key, ()):
                stat.newest = newest if stat.newest is None else max(stat.newest, newest)
                stat.lastmod = lastmod if stat.lastmod is None else max(stat.lastmod, lastmod)
        if stat.count > 0:
            stat.save()
        elif stat.pk:
            stat.delete()


def _recount(stat: ListingStat) -> None:
    if stat.scope.startswith("month:"):
        year, month = (int(x) for x in stat.scope[6:].split("-"))
        start, end = month_bounds(year, month)
        qs = ListingEntry.objects.filter(
            root_id=stat.root_id, scope="all", published_at__gte=start, published_at__lt=end
        )
    else:
        qs = ListingEntry.objects.filter(root_id=stat.root_id, scope=stat.scope)
    agg = qs.aggregate(n=Count("id"), newest=Max("published_at"), lastmod=Max("lastmod"))
    stat.count, stat.newest, stat.lastmod = agg["n"], agg["newest"], agg["lastmod"]


# -- rebuilding ----------------------------------------------------------------------------------
def rebuild() -> int:
    """Recompute the whole index from the content (an import's bulk path, a changed time zone,
    ``broadsheet bake --reindex``). Returns the number of public stories indexed."""
    ids = list(
        StoryPage.objects.filter(live=True, published_at__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )
    wanted = memberships(ids)
    stats: dict[tuple[int, str], list] = {}
    with transaction.atomic():
        ListingEntry.objects.all().delete()
        ListingStat.objects.all().delete()
        entries: list[ListingEntry] = []
        for story_id, m in wanted.items():
            for scope in (*m.scopes, m.month):
                key = (m.root_id, scope)
                s = stats.setdefault(key, [0, None, None])
                s[0] += 1
                s[1] = m.published_at if s[1] is None else max(s[1], m.published_at)
                s[2] = m.lastmod if s[2] is None else max(s[2], m.lastmod)
                if not scope.startswith("month:"):
                    entries.append(
                        ListingEntry(
                            root_id=m.root_id,
                            scope=scope,
                            story_id=story_id,
                            published_at=m.published_at,
                            lastmod=m.lastmod,
                        )
                    )
            if len(entries) >= 5000:
                ListingEntry.objects.bulk_create(entries, batch_size=BATCH)
                entries = []
        ListingEntry.objects.bulk_create(entries, batch_size=BATCH)
        ListingStat.objects.bulk_create(
            [
                ListingStat(root_id=r, scope=s, count=v[0], newest=v[1], lastmod=v[2])
                for (r, s), v in stats.items()
            ],
            batch_size=BATCH,
        )
        ListingIndexState.objects.all().delete()
        ListingIndexState.objects.create(time_zone=settings.TIME_ZONE, version=VERSION)
    return len(wanted)


def is_current() -> bool:
    """Whether the index was built for this time zone and version (one query)."""
    state = ListingIndexState.objects.order_by("-id").first()
    return state is not None and state.time_zone == settings.TIME_ZONE and state.version == VERSION


def ensure_current() -> bool:
    """Rebuild the index if it was built for another time zone or version, or never (e.g. a
    database made before the index existed). Returns whether it rebuilt."""
    if is_current():
        return False
    rebuild()
    return True


# -- collecting changes --------------------------------------------------------------------------
_deferred: list[set[int]] = []


def mark(story_ids: Iterable[int]) -> None:
    """Re-index these stories now, in the writer's transaction (a publish's signals call this a
    few times — the page, its tags, its bylines —; each pass recomputes the stories' entries
    from the content, so the last one leaves the index right, whatever happened before). Inside
    :func:`deferred`, the ids are collected and re-indexed once, at its end."""
    ids = {int(i) for i in story_ids if i}
    if not ids:
        return
    if _deferred:
        _deferred[-1].update(ids)
        return
    reindex(ids)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Collect the stories marked inside the block and re-index them together at its end, in
    batches: for a bulk writer (an import of thousands of stories) that publishes each story."""
    _deferred.append(set())
    try:
        yield
    finally:
        ids = _deferred.pop()
    if _deferred:
        _deferred[-1].update(ids)
    else:
        reindex(ids)


def mark_subtree(page_path: str) -> None:
    """Re-index every story under the page at ``page_path`` (a section or front page was
    published, unpublished or moved)."""
    mark(StoryPage.objects.filter(path__startswith=page_path).values_list("id", flat=True))
