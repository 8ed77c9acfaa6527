"""Search over the story index (:mod:`.models`) in one SQL query, on SQLite FTS5 and PostgreSQL.

Why our own code: Wagtail's database backend scores *every* match (a correlated subquery per
matching row on SQLite; ``ts_rank`` over ``title || body``, which no index covers, on
PostgreSQL), which costs most of a second for a word found in most of 100,000 stories. Here
the index is read newest first (its key is a recency key, see :mod:`.models`) and the engine
stops after ``limit`` matches; only those are scored:

- SQLite: ``SELECT … bm25(fts, 2, 1, 0) … WHERE fts MATCH '{headline body}: "w1" AND …
  AND scope: "p…"' ORDER BY rowid DESC LIMIT n`` — FTS5 walks its doclists from the newest
  row and computes ``bm25()`` (headline ×2) for the rows it returns only.
- PostgreSQL: the newest ``limit`` rows whose stored ``document`` matches the tsquery (the
  planner picks the GIN index for rare words, the key's B-tree for common ones), then
  ``ts_rank`` (headline weight A = 1, body B = 0.5, filter tokens D = 0) over those rows.

When fewer than ``limit`` stories match, every match is scored: the same as ranking them all.
Filters are tokens in the same full-text index (``p<tree path>`` for the site and section,
``a<id>`` for an author), publication dates a key range plus an exact check. Only plain terms
from :func:`~.text.query_terms` (letters and digits) reach a match expression, and they are
passed as parameters. Other backends (OpenSearch, Elasticsearch) go through Wagtail's search
API in :mod:`.query`; :func:`supported` tells which path applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from broadsheet.newsroom.models import Author

from .index import KEY_SHIFT, author_token, key_bound, path_token
from .models import StoryIndexEntry

FTS = "newsroom_search_storyfts"


def supported(backend: Any) -> bool:
    """True if ``backend`` is Wagtail's database backend on SQLite or PostgreSQL (the story
    index then answers searches)."""
    name = type(backend).__name__
    return (name == "SQLiteSearchBackend" and connection.vendor == "sqlite") or (
        name == "PostgresSearchBackend" and connection.vendor == "postgresql"
    )


@dataclass(frozen=True, slots=True)
class Filters:
    """Which stories may match: under ``path_prefix`` (the site root's or a section's tree
    path), by ``author`` if set, published in ``[since, until)`` (aware datetimes) if set."""

    path_prefix: str
    author: Author | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def tokens(self) -> list[str]:
        out = [path_token(self.path_prefix)]
        if self.author is not None:
            out.append(author_token(self.author.pk))
        return out


def _table() -> str:
    return connection.ops.quote_name(StoryIndexEntry._meta.db_table)


def _dates(filters: Filters, key: str, published: str) -> tuple[list[str], list[Any]]:
    """Conditions on the key (a range the engine can use; one second wider on each side) and
    the exact publication time."""
    ops = connection.ops
    sql: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        sql += [f"{key} >= %s", f"{published} >= %s"]
        params += [key_bound(filters.since) - (1 << KEY_SHIFT)]
        params += [ops.adapt_datetimefield_value(filters.since)]
    if filters.until is not None:
        sql += [f"{key} < %s", f"{published} < %s"]
        params += [key_bound(filters.until) + (2 << KEY_SHIFT)]
        params += [ops.adapt_datetimefield_value(filters.until)]
    return sql, params


def _sqlite(terms: Sequence[str], filters: Filters, select: str, tail: str) -> tuple[str, list]:
    text = " AND ".join(f'"{t}"' for t in terms)
    scope = " AND ".join(f'"{t}"' for t in filters.tokens())
    expression = f"{{headline body}} : ({text}) AND scope : ({scope})"
    dates, params = _dates(filters, f"{FTS}.rowid", "e.published_at")
    where = " AND ".join([f"{FTS} MATCH %s", *dates])
    # CROSS JOIN keeps the full-text table outermost, so its rowid order serves ORDER BY.
    sql = (
        f"SELECT {select} FROM {FTS} CROSS JOIN {_table()} e ON e.key = {FTS}.rowid "  # noqa: S608
        f"WHERE {where} {tail}"
    )
    return sql, [expression, *params]


def _tsquery(words: Sequence[str], weights: str) -> str:
    return " & ".join(f"'{w}':{weights}" for w in words)


def _postgres(terms: Sequence[str], filters: Filters, select: str, tail: str) -> tuple[str, list]:
    match = f"{_tsquery(terms, 'AB')} & {_tsquery(filters.tokens(), 'D')}"
    dates, params = _dates(filters, "e.key", "e.published_at")
    where = " AND ".join(["e.document @@ to_tsquery('simple'::regconfig, %s)", *dates])
    sql = f"SELECT {select} FROM {_table()} e WHERE {where} {tail}"  # noqa: S608
    return sql, [match, *params]


def ranked(
    terms: Sequence[str], filters: Filters, limit: int
) -> tuple[list[tuple[int, float, dt.datetime]], bool]:
    """The newest ``limit`` matching stories, scored and ordered best first, and whether more
    stories match. Rows are ``(story id, score, published_at)``; scores are the engine's own:
    negative on SQLite (BM25, lower is better), positive on PostgreSQL (``ts_rank``)."""
    if not terms:
        return [], False
    if connection.vendor == "sqlite":
        sql, params = _sqlite(
            terms,
            filters,
            f"e.story_id, bm25({FTS}, 2.0, 1.0, 0.0), e.published_at",
            f"ORDER BY {FTS}.rowid DESC LIMIT %s",
        )
    else:
        inner, params = _postgres(
            terms, filters, "e.story_id, e.published_at, e.document", "ORDER BY e.key DESC LIMIT %s"
        )
        sql = (
            "SELECT c.story_id, ts_rank('{0, 0, 0.5, 1}', c.document, "  # noqa: S608
            f"to_tsquery('simple'::regconfig, %s)), c.published_at FROM ({inner}) c"
        )
        params = [_tsquery(terms, "AB"), *params]
    rows = _fetch(sql, [*params, limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    sign = 1 if connection.vendor == "sqlite" else -1
    # best first; ties: the newer story first (rows come newest first, sort is stable)
    rows.sort(key=lambda r: sign * r[1])
    return rows, more


def newest(
    terms: Sequence[str], filters: Filters, offset: int, limit: int
) -> list[tuple[int, float, dt.datetime]]:
    """Matching stories ``offset``..``offset + limit``, newest first (score 0)."""
    if not terms:
        return []
    build = _sqlite if connection.vendor == "sqlite" else _postgres
    order = f"{FTS}.rowid" if connection.vendor == "sqlite" else "e.key"
    tail = f"ORDER BY {order} DESC LIMIT %s OFFSET %s"
    sql, params = build(terms, filters, "e.story_id, 0.0, e.published_at", tail)
    return _fetch(sql, [*params, limit, offset])


def count(terms: Sequence[str], filters: Filters, limit: int | None = None) -> int:
    """How many stories match; with ``limit``, counting stops there (the answer is then at
    most ``limit``)."""
    if not terms:
        return 0
    build = _sqlite if connection.vendor == "sqlite" else _postgres
    sql, params = build(terms, filters, "1", "LIMIT %s" if limit is not None else "")
    if limit is not None:
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) n", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _fetch(sql: str, params: list[Any]) -> list[tuple[int, float, dt.datetime]]:
    field = StoryIndexEntry._meta.get_field("published_at")
    convert = connection.ops.get_db_converters(field.get_col(StoryIndexEntry._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for pk, score, published in rows:
        for converter in convert:
            published = converter(published, field, connection)
        out.append((int(pk), float(score), published))
    return out
