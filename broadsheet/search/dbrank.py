"""Search over the story index (:mod:`.models`) on SQLite FTS5 and PostgreSQL.

Why our own code: Wagtail's database backend scores *every* match (a correlated subquery per
matching row on SQLite; ``ts_rank`` over ``title || body``, which no index covers, on
PostgreSQL), which costs most of a second for a word found in most of 100,000 stories. Here
the index is read newest first (its key is a recency key, see :mod:`.models`) and stops after
``limit`` matches; only those are scored:

- SQLite: ``SELECT … bm25(fts, 2, 1, 0) … WHERE fts MATCH '{headline body}: ("w1" AND …)
  [AND scope: (…)]' ORDER BY rowid DESC LIMIT n`` — FTS5 walks its doclists from the newest
  row and computes ``bm25()`` (headline ×2) for the rows it returns only. It asks the FTS5
  table of the newest stories (:mod:`.recent`) first, whose doclists are short, and the main
  one only when fewer than ``limit + 1`` stories match there.
- PostgreSQL: bitmap scans of the GIN indexes only (the planner is told not to use others for
  these statements: a key-ordered scan that tests each row's tsvector reads every row when a
  word is rare, and the planner cannot tell), first restricted to the newest ``10 × limit``
  keys (a B-tree range, ANDed with the GIN bitmap), then, if fewer than ``limit`` matched
  there, over the older keys. The cost follows the number of matches in the part read, not
  the archive. ``ts_rank`` (headline weight A = 1, body B = 0.5) scores the rows kept.

When fewer than ``limit`` stories match, every match is scored: the same as ranking them all.
Filters are tokens in a full-text index (``p<tree path>`` for a section — and for the site
root when there are several sites —, ``a<id>`` for an author), publication dates a key range
plus an exact check. Only plain terms from :func:`~.text.query_terms` (letters and digits)
reach a match expression, and they are passed as parameters. Other backends (OpenSearch,
Elasticsearch) go through Wagtail's search API in :mod:`.query`; :func:`supported` tells which
path applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from broadsheet.content.newsroom.models import Author

from . import recent
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
    path), by ``author`` if set, published in ``[since, until)`` (aware datetimes) if set.
    ``whole_index``: ``path_prefix`` is the root of the only site, so every indexed story is
    under it and the path needs no test."""

    path_prefix: str
    author: Author | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    whole_index: bool = False

    def tokens(self) -> list[str]:
        out = [] if self.whole_index else [path_token(self.path_prefix)]
        if self.author is not None:
            out.append(author_token(self.author.pk))
        return out


Row = tuple[int, float, dt.datetime]


def _table() -> str:
    return connection.ops.quote_name(StoryIndexEntry._meta.db_table)


def _dates(filters: Filters, key: str) -> tuple[list[str], list[Any]]:
    """Conditions on the key (a range the engine can use; a second wider on each side, since
    keys of one second may step down) and on the exact publication time."""
    ops = connection.ops
    sql: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        sql += [f"{key} >= %s", "e.published_at >= %s"]
        params += [key_bound(filters.since) - (1 << KEY_SHIFT)]
        params += [ops.adapt_datetimefield_value(filters.since)]
    if filters.until is not None:
        sql += [f"{key} < %s", "e.published_at < %s"]
        params += [key_bound(filters.until) + (2 << KEY_SHIFT)]
        params += [ops.adapt_datetimefield_value(filters.until)]
    return sql, params


def _sqlite(
    terms: Sequence[str], filters: Filters, select: str, tail: str, fts: str = FTS
) -> tuple[str, list]:
    """The SQLite query over FTS5 table ``fts`` (the main one, or that of the newest stories,
    :mod:`.recent`); ``select`` and ``tail`` name it ``FTS``."""
    expression = "{headline body} : (" + " AND ".join(f'"{t}"' for t in terms) + ")"
    scope = filters.tokens()
    if scope:
        expression += " AND scope : (" + " AND ".join(f'"{t}"' for t in scope) + ")"
    dates, params = _dates(filters, f"{FTS}.rowid")
    where = " AND ".join([f"{FTS} MATCH %s", *dates])
    # CROSS JOIN keeps the full-text table outermost, so its rowid order serves ORDER BY.
    sql = (
        f"SELECT {select} FROM {FTS} CROSS JOIN {_table()} e ON e.key = {FTS}.rowid "  # noqa: S608
        f"WHERE {where} {tail}"
    )
    if fts != FTS:
        sql = sql.replace(FTS, fts)
    return sql, [expression, *params]


def _tsquery(words: Sequence[str]) -> str:
    return " & ".join(f"'{w}'" for w in words)


def _postgres(
    terms: Sequence[str],
    filters: Filters,
    select: str,
    tail: str,
    months: Sequence[str] = (),
    before: dt.datetime | None = None,
) -> tuple[str, list]:
    """The PostgreSQL query: words and filter tokens (and ``months``, any of them) matched in
    the one GIN index, exact publication-time conditions (``before``: earlier than) on the
    heap row."""
    where = ["e.document @@ to_tsquery('simple'::regconfig, %s)"]
    params: list[Any] = [_tsquery(terms)]
    scope = _tsquery(filters.tokens())
    if months:
        either = "(" + " | ".join(f"'{m}'" for m in months) + ")"
        scope = f"{scope} & {either}" if scope else either
    if scope:
        where.append("e.scope_vector @@ to_tsquery('simple'::regconfig, %s)")
        params.append(scope)
    ops = connection.ops
    for condition, moment in (
        ("e.published_at >= %s", filters.since),
        ("e.published_at < %s", filters.until),
        ("e.published_at < %s", before),
    ):
        if moment is not None:
            where.append(condition)
            params.append(ops.adapt_datetimefield_value(moment))
    sql = f"SELECT {select} FROM {_table()} e WHERE {' AND '.join(where)} {tail}"  # noqa: S608
    return sql, params


class _BitmapScansOnly:
    """Within a transaction, let the PostgreSQL planner use bitmap scans only (see the
    module docstring); a no-op elsewhere."""

    SETTINGS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")

    def __enter__(self) -> Any:
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cursor = connection.cursor()
        self.cursor.execute(
            "SELECT " + ", ".join(f"set_config('{s}', 'off', true)" for s in self.SETTINGS)
        )
        return self.cursor

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self.cursor.execute("RESET " + "; RESET ".join(self.SETTINGS))
        finally:
            self.cursor.close()
            self.atomic.__exit__(*exc)


# Month tokens ORed in one GIN scan cost about a posting list each: past this many, read the
# matches without them (an archive small enough that its newest 5,000 stories span years).
MAX_MONTHS = 24


def _month_start(moment: dt.datetime) -> dt.datetime:
    moment = moment.astimezone(dt.UTC)
    return dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)


def _months(start: dt.datetime, end: dt.datetime) -> list[str]:
    """The month tokens from ``start``'s month to ``end``'s, both included."""
    year, month = start.astimezone(dt.UTC).year, start.astimezone(dt.UTC).month
    last = end.astimezone(dt.UTC)
    out = []
    while (year, month) <= (last.year, last.month):
        out.append(f"m{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _window(rows: int) -> tuple[dt.datetime, dt.datetime] | None:
    """The start of the month of the ``rows``-th newest indexed story and the newest story's
    time (None if there are fewer stories)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT max(key) FROM {_table()}), key FROM {_table()} "  # noqa: S608
            "ORDER BY key DESC LIMIT 1 OFFSET %s",
            [rows],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return _month_start(_published(int(row[1]))), _published(int(row[0]))


def _pg_newest(
    terms: Sequence[str],
    filters: Filters,
    select: str,
    limit: int,
    offset: int = 0,
    select_params: Sequence[Any] = (),
) -> list[tuple]:
    """``select`` (over ``c.key, c.story_id, c.published_at, c.document``) of the newest matches
    ``offset``..``offset + limit``, newest first, with bitmap scans of the GIN index only: first
    the months that hold the newest ``10 × (offset + limit)`` stories (their month tokens
    matched in the index), then, if fewer matched there, everything older. When those months
    are more than :data:`MAX_MONTHS`, all matches are read in one step."""
    wanted = offset + limit
    window = _window(10 * wanted) if wanted else None
    inner = "e.key, e.story_id, e.published_at, e.document"
    tail = "ORDER BY e.key DESC LIMIT %s"
    steps: list[dict[str, Any] | None] = [{}]
    if window is not None and len(_months(*window)) <= MAX_MONTHS:
        start, newest = window
        low = max(start, filters.since) if filters.since else start
        high = min(newest, filters.until) if filters.until else newest
        steps = [{"months": _months(low, high)} if low <= high else None, {"before": start}]
        if filters.since is not None and filters.since < start:  # a bounded span of months
            older = _months(filters.since, min(start, high))
            if len(older) <= MAX_MONTHS:
                steps[1]["months"] = older  # type: ignore[index]
    rows: list[tuple] = []
    with _BitmapScansOnly() as cursor:
        for step in steps:
            if step is None:
                continue
            sql, params = _postgres(terms, filters, inner, tail, **step)
            cursor.execute(
                f"SELECT {select} FROM ({sql}) c ORDER BY c.key DESC",  # noqa: S608
                [*select_params, *params, wanted - len(rows)],
            )
            rows += cursor.fetchall()
            if len(rows) >= wanted:
                break
    return rows[offset:]


def _published(key: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(key >> KEY_SHIFT, tz=dt.UTC)


def ranked(terms: Sequence[str], filters: Filters, limit: int) -> tuple[list[Row], bool]:
    """The newest ``limit`` matching stories, scored and ordered best first, and whether more
    stories match. Rows are ``(story id, score, published_at)`` (the time to the second);
    scores are the engine's own: negative on SQLite (BM25, lower is better), positive on
    PostgreSQL (``ts_rank``)."""
    if not terms:
        return [], False
    if connection.vendor == "sqlite":
        select = f"e.story_id, bm25({FTS}, 2.0, 1.0, 0.0), {FTS}.rowid"
        tail = f"ORDER BY {FTS}.rowid DESC LIMIT %s"
        tables = [FTS]
        first = recent.boundary()  # NONE unless on SQLite with the table
        if first != recent.NONE and (filters.until is None or key_bound(filters.until) > first):
            tables = [recent.RECENT] if first == recent.ALL else [recent.RECENT, FTS]
        with connection.cursor() as cursor:
            for fts in tables:  # the newest stories first: enough matches there end the search
                sql, params = _sqlite(terms, filters, select, tail, fts)
                cursor.execute(sql, [*params, limit + 1])
                found = cursor.fetchall()
                if len(found) > limit:
                    break
        sign = 1
    else:
        rank = "ts_rank('{0, 0, 0.5, 1}', c.document, to_tsquery('simple'::regconfig, %s))"
        select = f"c.story_id, {rank}, c.key"
        found = _pg_newest(terms, filters, select, limit + 1, select_params=[_tsquery(terms)])
        sign = -1
    more = len(found) > limit
    rows = [(int(pk), float(score), _published(int(key))) for pk, score, key in found[:limit]]
    # best first; ties: the newer story first (rows come newest first, the sort is stable)
    rows.sort(key=lambda r: sign * r[1])
    return rows, more


def newest(terms: Sequence[str], filters: Filters, offset: int, limit: int) -> list[Row]:
    """Matching stories ``offset``..``offset + limit``, newest first (score 0)."""
    if not terms:
        return []
    if connection.vendor == "sqlite":
        tail = f"ORDER BY {FTS}.rowid DESC LIMIT %s OFFSET %s"
        sql, params = _sqlite(terms, filters, f"e.story_id, {FTS}.rowid", tail)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            found = cursor.fetchall()
    else:
        found = _pg_newest(terms, filters, "c.story_id, c.key", limit, offset)
    return [(int(pk), 0.0, _published(int(key))) for pk, key in found]


def count(terms: Sequence[str], filters: Filters, limit: int | None = None) -> int:
    """How many stories match; with ``limit``, counting stops there (the answer is then at
    most ``limit``)."""
    if not terms:
        return 0
    tail = "LIMIT %s" if limit is not None else ""
    if connection.vendor == "sqlite":
        sql, params = _sqlite(terms, filters, "1", tail)
    else:
        months: list[str] = []
        if filters.since is not None:  # a bounded span: match the months in the index too
            months = _months(filters.since, filters.until or dt.datetime.now(dt.UTC))
            months = months if len(months) <= MAX_MONTHS else []
        sql, params = _postgres(terms, filters, "1", tail, months=months)
    if limit is not None:
        params.append(limit)
    sql = f"SELECT COUNT(*) FROM ({sql}) n"  # noqa: S608
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0])
    with _BitmapScansOnly() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
