"""Keeping the story search index (:class:`~.models.StoryIndexEntry`) in step with the stories.

A story is in the index while it is live and dated; its row is written when it is saved
(:func:`index_story`, from ``post_save``: publish, unpublish and edits all save the page),
its filter tokens are refreshed when its byline changes or a page above it moves
(:func:`refresh_scopes`), and it is removed when it is deleted or unpublished.
:func:`rebuild` rewrites the whole index from the stories table in batches; ``broadsheet
update_index`` runs it after Wagtail's own index (and so does migration 0002 once).

Every change bumps the search page cache's generation (:func:`.cache.bump`), so a cached
results page never outlives a publish in a shared cache.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from broadsheet.content.newsroom.models import StoryAuthor, StoryPage
from broadsheet.content.searchtext import body_text, index_terms
from broadsheet.site.changes import BOOKKEEPING_FIELDS

from . import cache, recent
from .models import StoryIndexEntry

KEY_SHIFT = 20  # recency key: publication second × 2**KEY_SHIFT + (story id mod 2**KEY_SHIFT)
STEPLEN = 4  # treebeard's materialised path step (Wagtail pages)
ROW_FIELDS = (
    "id",
    "title",
    "standfirst",
    "body",
    "story_code",
    "byline_credit",
    "dateline_place",
    "path",
    "published_at",
)


def recency_key(published_at: dt.datetime, story_id: int) -> int:
    """The index key of a story: newer stories have larger keys; stories of the same second
    are told apart by the low 20 bits of their id. An int that fits in 63 bits for any date
    between the years 1 and 9999."""
    second = math.floor(published_at.timestamp())
    return (second << KEY_SHIFT) + (story_id & ((1 << KEY_SHIFT) - 1))


def key_bound(moment: dt.datetime) -> int:
    """The smallest key of a story published at ``moment``'s second."""
    return math.floor(moment.timestamp()) << KEY_SHIFT


def scope_tokens(path: str, author_ids: Iterable[int], published_at: dt.datetime) -> str:
    """The filter tokens of a story at tree ``path`` by ``author_ids``: ``p<path>`` of each
    ancestor below Wagtail's root (site root, sections), ``a<id>`` per author, and
    ``m<YYYYMM>``, the month of publication (UTC)."""
    prefixes = [f"p{path[:n]}" for n in range(2 * STEPLEN, len(path), STEPLEN)]
    authors = [f"a{int(a)}" for a in sorted(set(author_ids))]
    return " ".join([*prefixes, *authors, month_token(published_at)])


def month_token(moment: dt.datetime) -> str:
    """The filter token of the month (UTC) of ``moment``."""
    return f"m{moment.astimezone(dt.UTC):%Y%m}"


def path_token(path: str) -> str:
    """The filter token of the page at tree ``path`` (a site root or a section)."""
    return f"p{path}"


def author_token(author_id: int) -> str:
    """The filter token of an author."""
    return f"a{int(author_id)}"


def _raw_body(value: Any) -> list[dict]:
    if hasattr(value, "raw_data"):
        value = value.raw_data
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return list(value or [])


def document(row: Mapping[str, Any], author_ids: Iterable[int]) -> dict[str, Any]:
    """The index row for a story given as a ``ROW_FIELDS`` mapping: ``key``, ``story_id``,
    ``published_at``, ``headline`` (headline terms), ``body`` (the terms of headline,
    standfirst, body, story code, credit and dateline place, as ``StoryPage.search_terms``)
    and ``scope`` (filter tokens)."""
    parts = [
        row["title"],
        row["standfirst"],
        body_text(_raw_body(row["body"])),
        row["story_code"],
        row["byline_credit"],
        row["dateline_place"],
    ]
    return {
        "key": recency_key(row["published_at"], row["id"]),
        "story_id": row["id"],
        "published_at": row["published_at"],
        "headline": index_terms([row["title"]]),
        "body": index_terms(parts),
        "scope": scope_tokens(row["path"], author_ids, row["published_at"]),
    }


def _free_key(key: int, taken: set[int] | None = None) -> int:
    """``key``, or the next smaller key not in use (two stories of one second whose ids agree
    in their low 20 bits: practically never)."""
    while (taken is not None and key in taken) or StoryIndexEntry.objects.filter(key=key).exists():
        key -= 1
    return key


def index_story(story: StoryPage) -> None:
    """Write ``story``'s index row from the instance (its byline as the instance holds it, so
    a publish indexes the authors it is about to save), or remove it if the story is not live
    or has no publication date."""
    if story.pk is None:
        return
    if not story.live or story.published_at is None:
        remove_story(story.pk)
        return
    row = {f: getattr(story, f) for f in ROW_FIELDS if f not in ("id", "title")}
    row.update(id=story.pk, title=story.title)
    authors = [sa.author_id for sa in story.story_authors.all() if sa.author_id]
    doc = document(row, authors)
    with transaction.atomic():
        current = StoryIndexEntry.objects.filter(story_id=story.pk).first()
        if current is not None and current.key == doc["key"]:
            StoryIndexEntry.objects.filter(key=current.key).update(
                **{k: v for k, v in doc.items() if k != "key"}
            )
        else:
            if current is not None:
                current.delete()
            doc["key"] = _free_key(doc["key"])
            StoryIndexEntry.objects.create(**doc)
        recent.trim()
    cache.bump()


def index_stories(stories: Sequence[StoryPage]) -> int:
    """Index many stories at once, as :func:`index_story` does one by one, in a few queries
    whatever their number (a bulk import's batch, through the content layer's ``changed``
    signal): the rows of the live, dated ones are written from the instances, with their
    bylines as saved (one query for all), the others' rows removed. Returns how many rows
    were written."""
    stories = [s for s in stories if s.pk is not None]
    if len(stories) > 500:  # keep each query's parameters few
        return sum(index_stories(stories[i : i + 500]) for i in range(0, len(stories), 500))
    if not stories:
        return 0
    live = [s for s in stories if s.live and s.published_at is not None]
    authors = _authors_of([s.pk for s in live])
    docs = []
    for story in live:
        row = {f: getattr(story, f) for f in ROW_FIELDS if f not in ("id", "title")}
        row.update(id=story.pk, title=story.title)
        docs.append(document(row, authors.get(story.pk, ())))
    with transaction.atomic():
        StoryIndexEntry.objects.filter(story_id__in=[s.pk for s in stories]).delete()
        taken = set(
            StoryIndexEntry.objects.filter(key__in=[d["key"] for d in docs]).values_list(
                "key", flat=True
            )
        )
        for doc in docs:
            if doc["key"] in taken:
                doc["key"] = _free_key(doc["key"], taken)
            taken.add(doc["key"])
        StoryIndexEntry.objects.bulk_create([StoryIndexEntry(**d) for d in docs], batch_size=500)
        recent.trim()
    cache.bump()
    return len(docs)


def remove_story(story_id: int) -> None:
    """Remove a story from the index (nothing happens if it is not there)."""
    if StoryIndexEntry.objects.filter(story_id=story_id).delete()[0]:
        cache.bump()


def _authors_of(ids: Sequence[int]) -> dict[int, list[int]]:
    authors: dict[int, list[int]] = defaultdict(list)
    for story_id, author_id in StoryAuthor.objects.filter(story_id__in=ids).values_list(
        "story_id", "author_id"
    ):
        authors[story_id].append(author_id)
    return authors


def refresh_scopes(story_ids: Sequence[int] | None = None, path_prefix: str | None = None) -> int:
    """Recompute the filter tokens of the indexed stories ``story_ids`` and/or those under tree
    ``path_prefix`` from the database (after a byline change or a move). Returns rows changed."""
    qs = StoryPage.objects.all()
    if story_ids is not None:
        qs = qs.filter(id__in=story_ids)
    if path_prefix is not None:
        qs = qs.filter(path__startswith=path_prefix)
    rows = list(
        qs.filter(live=True, published_at__isnull=False).values_list("id", "path", "published_at")
    )
    authors = _authors_of([pk for pk, _, _ in rows])
    changed = 0
    for pk, path, published_at in rows:
        changed += StoryIndexEntry.objects.filter(story_id=pk).update(
            scope=scope_tokens(path, authors.get(pk, ()), published_at)
        )
    if changed:
        cache.bump()
    return changed


def rebuild(batch: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite the whole index from the live, dated stories, ``batch`` stories per query and
    insert, in one transaction. ``progress(n)`` is called after each batch with the stories
    indexed so far. Returns how many stories are indexed."""
    done = 0
    with transaction.atomic():
        if recent.available():
            recent.clear()
        StoryIndexEntry.objects.all().delete()
        qs = StoryPage.objects.filter(live=True, published_at__isnull=False).order_by("id")
        last = 0
        taken: set[int] = set()
        while True:
            rows = list(qs.filter(id__gt=last).values(*ROW_FIELDS)[:batch])
            if not rows:
                break
            last = rows[-1]["id"]
            authors = _authors_of([r["id"] for r in rows])
            entries = []
            for row in rows:
                doc = document(row, authors.get(row["id"], ()))
                doc["key"] = _free_key(doc["key"], taken) if doc["key"] in taken else doc["key"]
                taken.add(doc["key"])
                entries.append(StoryIndexEntry(**doc))
            StoryIndexEntry.objects.bulk_create(entries)
            done += len(entries)
            if progress is not None:
                progress(done)
        recent.trim()
    cache.bump()
    return done


# -- signal receivers (connected by signals.connect) -------------------------------------------
def on_story_saved(sender: Any, instance: StoryPage, raw: bool = False, **kwargs: Any) -> None:
    """A story was saved. A save of Wagtail's bookkeeping fields only (``Page.save_revision``,
    a draft: the instance then holds the draft's text, which readers do not see) changes
    nothing; the site model names those fields (``site.changes.BOOKKEEPING_FIELDS``)."""
    fields = kwargs.get("update_fields")
    if raw or (fields and set(fields) <= BOOKKEEPING_FIELDS):
        return
    index_story(instance)


def on_story_deleted(sender: Any, instance: StoryPage, **kwargs: Any) -> None:
    remove_story(instance.pk)


def on_byline_changed(sender: Any, instance: StoryAuthor, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.story_id:
        refresh_scopes(story_ids=[instance.story_id])


def on_page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance.refresh_from_db(fields=["path"])
    refresh_scopes(path_prefix=instance.path)
