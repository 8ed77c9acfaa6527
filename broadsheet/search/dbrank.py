"""One-query ranking over the database search backend's own index, for SQLite FTS5 and
PostgreSQL.

Why our own code: Wagtail's database backend (``modelsearch``) keeps the index we use — one
``IndexEntry`` row per story, updated on publish, with an FTS5 table on SQLite and GIN-indexed
tsvectors on PostgreSQL — but its query annotates each matching page with its score through a
correlated subquery that runs the full-text match again per row (SQLite), or matches
``title || body`` which no index covers (PostgreSQL). That costs seconds for a common word on a
large archive. Here the same index is read with one query: match, score (FTS5 ``bm25()`` with
the headline weighted ×2; PostgreSQL ``ts_rank``, headline ×2), the story filters and
``LIMIT``. Only plain terms from :func:`~.text.query_terms` (letters and digits) reach the
match expression, and they are also passed as parameters.

Every indexed story has all its normalised terms in the ``body`` column (the
``StoryPage.search_terms`` field), so matching the body alone is complete; the headline column
only adds to the score.

Other backends (OpenSearch, Elasticsearch) go through Wagtail's search API in
:mod:`.query`; :func:`supported` tells which path applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from broadsheet.content.newsroom.models import Author, StoryAuthor, StoryPage


def supported(backend: Any) -> bool:
    """True if ``backend`` is the database backend on SQLite (with FTS5) or PostgreSQL."""
    name = type(backend).__name__
    return (name == "SQLiteSearchBackend" and connection.vendor == "sqlite") or (
        name == "PostgresSearchBackend" and connection.vendor == "postgresql"
    )


@dataclass(frozen=True, slots=True)
class Filters:
    """Which stories may match: under ``path_prefix`` (the site root or a section's tree
    path), by ``author`` if set, published in ``[since, until)`` (aware datetimes) if set."""

    path_prefix: str
    author: Author | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _tables() -> dict[str, str]:
    from modelsearch.conf import get_app_config

    entry = get_app_config().get_model("IndexEntry")
    page = StoryPage._meta.get_field("page_ptr").related_model
    return {
        "entry": connection.ops.quote_name(entry._meta.db_table),
        "fts": connection.ops.quote_name(entry._meta.db_table + "_fts"),
        "page": connection.ops.quote_name(page._meta.db_table),
        "story": connection.ops.quote_name(StoryPage._meta.db_table),
        "author": connection.ops.quote_name(StoryAuthor._meta.db_table),
    }


def _where(filters: Filters) -> tuple[str, list[Any]]:
    ops = connection.ops
    sql = [
        "p.live",
        "s.published_at IS NOT NULL",
        "substr(p.path, 1, %s) = %s",
    ]
    params: list[Any] = [len(filters.path_prefix), filters.path_prefix]
    if filters.since is not None:
        sql.append("s.published_at >= %s")
        params.append(ops.adapt_datetimefield_value(filters.since))
    if filters.until is not None:
        sql.append("s.published_at < %s")
        params.append(ops.adapt_datetimefield_value(filters.until))
    if filters.author is not None:
        sql.append(
            f"EXISTS (SELECT 1 FROM {_tables()['author']} a "  # noqa: S608
            "WHERE a.story_id = p.id AND a.author_id = %s)"
        )
        params.append(filters.author.pk)
    return " AND ".join(sql), params


def _match(terms: Sequence[str]) -> tuple[str, str, str, list[Any]]:
    """FROM clause, match condition and score expression for the current database."""
    t = _tables()
    content_type = ContentType.objects.get_for_model(StoryPage).pk
    if connection.vendor == "sqlite":
        expression = " AND ".join(f'"{term}"' for term in terms)
        # CROSS JOIN fixes the join order in SQLite: the full-text match drives the query.
        source = (
            f"{t['fts']} CROSS JOIN {t['entry']} e ON e.id = {t['fts']}.rowid "
            f"CROSS JOIN {t['page']} p ON p.id = CAST(e.object_id AS INTEGER) "
            f"CROSS JOIN {t['story']} s ON s.page_ptr_id = p.id"
        )
        condition = f"{t['fts']} MATCH %s AND e.content_type_id = %s"
        # FTS5 bm25(): columns (autocomplete, body, title); lower is better.
        score = f"bm25({t['fts']}, 0.0, 1.0, 2.0)"
        return source, condition, score, [expression, content_type]
    from wagtail.search.backends import get_search_backend

    config = getattr(get_search_backend(), "config", None)
    expression = " & ".join(f"'{term}'" for term in terms)
    tsquery = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"
    # The tsquery is written out in WHERE (not only joined in) so that the planner can use the
    # GIN index on the body vector.
    source = (
        f"{t['entry']} e CROSS JOIN {tsquery} AS q(q) "
        f"JOIN {t['page']} p ON p.id = CAST(e.object_id AS INTEGER) "
        f"JOIN {t['story']} s ON s.page_ptr_id = p.id"
    )
    condition = f"e.body @@ {tsquery} AND e.content_type_id = %s"
    score = "(2 * ts_rank(e.title, q.q) + ts_rank(e.body, q.q))"
    query_params = [config, expression] if config else [expression]
    return source, condition, score, [*query_params, *query_params, content_type]


def ranked(
    terms: Sequence[str], filters: Filters, limit: int
) -> list[tuple[int, float, dt.datetime]]:
    """Up to ``limit`` matching stories, best first: ``(id, score, published_at)``. Scores are
    the engine's own: negative on SQLite (BM25, lower is better), positive on PostgreSQL."""
    if not terms:
        return []
    source, condition, score, params = _match(terms)
    where, where_params = _where(filters)
    order = "score ASC" if connection.vendor == "sqlite" else "score DESC"
    sql = (
        f"SELECT p.id, {score} AS score, s.published_at FROM {source} "  # noqa: S608
        f"WHERE {condition} AND {where} ORDER BY {order}, p.id DESC LIMIT %s"
    )
    return _fetch(sql, [*params, *where_params, limit])


def newest(
    terms: Sequence[str], filters: Filters, offset: int, limit: int
) -> list[tuple[int, float, dt.datetime]]:
    """Matching stories ``offset``..``offset + limit``, newest first (score 0)."""
    if not terms:
        return []
    source, condition, _score, params = _match(terms)
    where, where_params = _where(filters)
    sql = (
        f"SELECT p.id, 0.0, s.published_at FROM {source} "  # noqa: S608
        f"WHERE {condition} AND {where} ORDER BY s.published_at DESC, p.id DESC "
        "LIMIT %s OFFSET %s"
    )
    return _fetch(sql, [*params, *where_params, limit, offset])


def count(terms: Sequence[str], filters: Filters) -> int:
    """How many stories match."""
    if not terms:
        return 0
    source, condition, _score, params = _match(terms)
    where, where_params = _where(filters)
    sql = f"SELECT COUNT(*) FROM {source} WHERE {condition} AND {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
        return int(cursor.fetchone()[0])


def _fetch(sql: str, params: list[Any]) -> list[tuple[int, float, dt.datetime]]:
    field = StoryPage._meta.get_field("published_at")
    convert = connection.ops.get_db_converters(field.get_col(StoryPage._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = []
    for pk, score, published in rows:
        for converter in convert:
            published = converter(published, field, connection)
        out.append((int(pk), float(score), published))
    return out
