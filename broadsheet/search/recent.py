"""SQLite only: a second FTS5 table over the newest stories, so that a common word's BM25
needs no pass over its whole doclist.

Why: FTS5's ``bm25()`` counts the rows that contain each query word (its IDF) by reading the
word's entire doclist once per query. For a word found in 85,000 of 100,000 stories that pass
is most of the query's cost, even when only the newest 501 matches are scored. This table
(``newsroom_search_storyfts_recent``, external content like the main one) indexes only the
stories whose key is at least ``boundary`` (one row in ``newsroom_search_recent``): between
``BROADSHEET_SEARCH_RECENT_ROWS`` (default 10,000) and twice as many of the newest. A query
asks it first; if at least ``limit + 1`` stories match there, those are the newest matches of
the whole index and are scored there (BM25's statistics then come from the newest stories).
Otherwise — a rarer word, whose doclist is short anyway — the main table answers.

Triggers (migration 0003) copy inserts, updates and deletes of rows at or above the boundary;
:func:`trim` moves the boundary up when the table has grown to twice its size, and fills the
table after a rebuild. A site with fewer stories has them all in it (boundary: the lowest key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .models import StoryIndexEntry

RECENT = "newsroom_search_storyfts_recent"
BOUNDARY_TABLE = "newsroom_search_recent"
NONE = 2**63 - 1  # boundary of an empty table: no key is that large
ALL = -(2**63)  # boundary when every story fits


def rows_wanted() -> int:
    """How many of the newest stories the table holds at least."""
    return int(getattr(settings, "BROADSHEET_SEARCH_RECENT_ROWS", 10_000))


_present: set[str] = set()  # database aliases where the table was seen


def available() -> bool:
    """True on SQLite once migration 0003 has made the table."""
    if connection.vendor != "sqlite":
        return False
    if connection.alias not in _present:
        if RECENT not in connection.introspection.table_names():
            return False
        _present.add(connection.alias)
    return True


def boundary() -> int:
    """The smallest key in the table (:data:`NONE` if it is empty or absent, :data:`ALL` if it
    holds every story)."""
    if not available():
        return NONE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT boundary FROM {BOUNDARY_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else NONE


def clear() -> None:
    """Empty the table (before a rebuild of the index)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {BOUNDARY_TABLE} SET boundary = %s", [NONE])  # noqa: S608
        cursor.execute(f"INSERT INTO {RECENT}({RECENT}) VALUES ('delete-all')")  # noqa: S608


def trim(force: bool = False) -> bool:
    """Keep the newest :func:`rows_wanted` stories in the table: fill it if it is empty, move
    the boundary up once it holds twice as many. Returns whether anything changed."""
    if not available():
        return False
    size = rows_wanted()
    entry = connection.ops.quote_name(StoryIndexEntry._meta.db_table)
    current = boundary()
    with connection.cursor() as cursor:
        if current not in (NONE, ALL) and not force:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {entry} WHERE key >= %s LIMIT %s)",  # noqa: S608
                [current, 2 * size + 1],
            )
            if cursor.fetchone()[0] <= 2 * size:
                return False
        cursor.execute(
            f"SELECT key FROM {entry} ORDER BY key DESC LIMIT 1 OFFSET %s",  # noqa: S608
            [size - 1],
        )
        row = cursor.fetchone()
        new = int(row[0]) if row else ALL
        if new == current:
            return False
        columns = "headline, body, scope"
        if current == NONE or new < current:  # fill from the new boundary up to the old one
            cursor.execute(
                f"INSERT INTO {RECENT}(rowid, {columns}) SELECT key, {columns} "  # noqa: S608
                f"FROM {entry} WHERE key >= %s AND key < %s",
                [new, current],
            )
        else:  # drop the rows now below the boundary
            cursor.execute(
                f"INSERT INTO {RECENT}({RECENT}, rowid, {columns}) "  # noqa: S608
                f"SELECT 'delete', key, {columns} FROM {entry} WHERE key >= %s AND key < %s",
                [current, new],
            )
        cursor.execute(f"UPDATE {BOUNDARY_TABLE} SET boundary = %s", [new])  # noqa: S608
    return True
