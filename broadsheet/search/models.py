"""The story search index: one row per live story, kept by :mod:`.index`.

Why our own table next to Wagtail's index: Wagtail's database backend orders its index by
insertion and has no publication date, so a word found in most stories can only be ranked by
scoring every match. Here each row's primary key is a *recency key* (:func:`.index.recency_key`:
publication second × 2²⁰ + story id bits), so both engines can read the newest matches first
and stop after the few hundred that can make the page:

- SQLite: an FTS5 table (external content: this table) whose ``rowid`` is the key; its columns
  ``headline``, ``body`` and ``scope`` are this table's columns; ``bm25()`` weights the
  headline ×2. Created and kept in step by triggers (migration 0001).
- PostgreSQL: a stored, generated ``document`` tsvector (headline weight A, body B) and a
  ``scope_vector`` of the filter tokens, under one two-column GIN index, next to the primary
  key's B-tree; rows are kept narrow (``toast_tuple_target = 128``) so bitmap scans touch few
  pages (migration 0001).

``headline`` and ``body`` hold normalised, stemmed terms (:func:`~.text.index_terms`: Persian
and Arabic letters and digits folded), so the engines compare plain tokens. ``scope`` holds the
filter tokens: ``p<tree path>`` for each ancestor page (site root, section, parent sections),
``a<author id>`` for each author and ``m<YYYYMM>`` for the month of publication. ``story_id``
is not a foreign key, so the search app does not depend on the newsroom's migrations; rows are
removed by signals and :func:`.index.rebuild`.
"""

from __future__ import annotations

from django.db import models


class StoryIndexEntry(models.Model):
    """A live story's searchable text and filter tokens (see the module docstring)."""

    key = models.BigIntegerField(primary_key=True)
    story_id = models.BigIntegerField(unique=True)
    published_at = models.DateTimeField()
    headline = models.TextField()
    body = models.TextField()
    scope = models.TextField()

    class Meta:
        verbose_name = "story index entry"
        verbose_name_plural = "story index entries"

    def __str__(self) -> str:
        return f"story {self.story_id}"
