"""Running a reader's search: parse the request, ask Wagtail's search backend, re-rank with a
recency boost, and cut one page of hits with highlighted snippets.

The backend is whatever ``WAGTAILSEARCH_BACKENDS["default"]`` names (the database backend:
SQLite FTS5 or PostgreSQL full-text search; or OpenSearch/Elasticsearch). Queries are reduced to
normalised terms first (:mod:`.text`), so the backend only ever sees letters and digits.

Ranking: the backend returns up to :data:`MAX_CANDIDATES` stories in its own relevance order
(BM25 on SQLite, ``ts_rank`` on PostgreSQL, BM25 on OpenSearch) with scores; each score is taken
relative to the best one, then multiplied by ``1 + w · 2^(−age / half-life)`` (an exponential
recency decay, as in Elasticsearch's ``decay`` functions). Settings:
``BROADSHEET_SEARCH_RECENCY_WEIGHT`` (w, default 0.5), ``BROADSHEET_SEARCH_RECENCY_HALF_LIFE_DAYS``
(default 730), ``BROADSHEET_SEARCH_PAGE_SIZE`` (default 10), ``BROADSHEET_SEARCH_MAX_CANDIDATES``
(default 500), ``BROADSHEET_SEARCH_DIRECT_INDEX`` (default true: read the database backend's
index with :mod:`.dbrank`). ``sort=date`` lists every match newest first instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from markupsafe import Markup
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from broadsheet.content.newsroom.models import Author, StoryAuthor, StoryPage
from broadsheet.content.searchtext import (
    MAX_QUERY_CHARS,
    body_text,
    highlight,
    query_terms,
    snippet,
)
from broadsheet.site.data import SectionRef, StoryCard
from broadsheet.site.editions import editions
from broadsheet.site.live import LiveSource

from . import dbrank


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


MAX_CANDIDATES = 500
MAX_COUNT = 10_000


def _only_site(source: LiveSource) -> bool:
    """True if ``source``'s site is the only one and has one edition (Wagtail caches the site
    roots, and does not clear them when a root page is translated: an edition is a tree of its
    own that a search must not leave). Remembered by a live request's process
    (:meth:`~broadsheet.site.live.LiveSource.fact`: a site or front page change forgets it)."""
    return _fact(source, "search:only-site", lambda: _find_only_site(source))


def _fact(source: Any, name: str, load: Any) -> Any:
    """``source.fact(name, load)`` (the process's memo of a site-wide fact), or ``load()`` for
    a read model without one."""
    fact = getattr(source, "fact", None)
    return fact(name, load) if fact is not None else load()


def _find_only_site(source: LiveSource) -> bool:
    from wagtail.models import Page, Site

    if len(editions()) > 1:
        root = Page.objects.filter(id=source.ctx.root_id).values("translation_key")
        others = Page.objects.filter(translation_key__in=root).exclude(id=source.ctx.root_id)
        if others.exists():
            return False
    roots = Site.get_site_root_paths()
    return len(roots) == 1 and roots[0].root_path == source.ctx.root_url_path


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the reader asked for (from the query string of ``/search/``).

    ``q``: the words; ``section``: a section's public URL path (``/iran/``), its subsections
    included; ``author``: an author slug; ``since``/``until``: publication dates, both inclusive,
    in the newsroom's time zone; ``sort``: ``"relevance"`` or ``"date"``; ``page``: 1-based.
    """

    q: str = ""
    section: str = ""
    author: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchRequest:
        """Parse query-string parameters ``q, section, author, from, to, sort, page``; anything
        malformed is dropped (never an error: the page must answer any input)."""

        def text(name: str, limit: int) -> str:
            value = params.get(name) or ""
            return value.replace("\x00", "")[:limit].strip() if isinstance(value, str) else ""

        def date(name: str) -> dt.date | None:
            try:
                value = dt.date.fromisoformat(text(name, 10))
            except ValueError:
                return None
            return value if 1 <= value.year <= 9998 else None

        try:
            page = int(text("page", 6))
        except ValueError:
            page = 1
        sort = "date" if text("sort", 10) == "date" else "relevance"
        return cls(
            q=text("q", MAX_QUERY_CHARS * 4),
            section=text("section", 1000),
            author=text("author", 255),
            since=date("from"),
            until=date("to"),
            sort=sort,
            page=max(1, page),
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """Query-string parameters reproducing this request (with ``changes``), empty ones
        left out; for pager links."""
        values = {
            "q": self.q,
            "section": self.section,
            "author": self.author,
            "from": self.since.isoformat() if self.since else "",
            "to": self.until.isoformat() if self.until else "",
            "sort": "date" if self.sort == "date" else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        for key, value in changes.items():
            values[key] = "" if value is None else str(value)
        if values.get("page") == "1":
            values["page"] = ""
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: the story's card, its headline and a passage with the matches marked
    (both escaped :class:`~markupsafe.Markup`), and the ranking score (higher is better)."""

    card: StoryCard
    headline: Markup
    snippet: Markup
    score: float


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """One page of results. ``total`` counts the matching stories; when ``capped`` is true more
    stories match than the ``listed`` (:data:`MAX_CANDIDATES`) best that relevance order covers,
    and ``total`` is that number (counting every match of a common word costs as much again)."""

    request: SearchRequest
    terms: tuple[str, ...] = ()
    hits: tuple[Hit, ...] = ()
    total: int = 0
    page: int = 1
    pages: int = 0
    capped: bool = False
    listed: int = 0
    page_size: int = 10
    section: SectionRef | None = None
    author: Any = None

    @property
    def searched(self) -> bool:
        return bool(self.terms)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def recency_factor(published_at: dt.datetime | None, now: dt.datetime) -> float:
    """``1 + w · 2^(−age/half-life)``: 1 + w for a story published now, → 1 for old ones."""
    return _recency(now)(published_at)


def _recency(now: dt.datetime) -> Any:
    """:func:`recency_factor` at ``now`` as a function of the publication time (the settings
    read once, for ranking hundreds of rows)."""
    weight = float(_setting("BROADSHEET_SEARCH_RECENCY_WEIGHT", 0.5))
    half_life = float(_setting("BROADSHEET_SEARCH_RECENCY_HALF_LIFE_DAYS", 730))
    now_ts = now.timestamp()
    per_second = 1 / (86400 * half_life)

    def factor(published_at: dt.datetime | None) -> float:
        if published_at is None or weight <= 0:
            return 1.0
        age = max(0.0, now_ts - published_at.timestamp())
        return 1.0 + weight * 0.5 ** (age * per_second)

    return factor


def rerank(
    rows: list[tuple[int, float | None, dt.datetime | None]], now: dt.datetime
) -> list[tuple[int, float]]:
    """Combine backend relevance with recency. ``rows`` are ``(id, score, published_at)`` in the
    backend's order; scores may be negative (SQLite's BM25: lower is better) or positive
    (PostgreSQL, OpenSearch: higher is better) — each is divided by the best one, giving 1.0 for
    the best match. Returns ``(id, combined score)``, best first (ties: backend order)."""
    if not rows:
        return []
    best = rows[0][1]
    recency = _recency(now)
    ranked = []
    for position, (pk, score, published) in enumerate(rows):
        relevance = max(0.0, score / best) if score is not None and best else 1 / (1 + position)
        ranked.append((relevance * recency(published), -position, pk))
    ranked.sort(reverse=True)
    return [(pk, combined) for combined, _, pk in ranked]


class StorySearch:
    """Runs :class:`SearchRequest` against the search backend for the stories of ``source``'s
    site. ``backend`` defaults to Wagtail's default search backend; on the database backend
    (SQLite FTS5, PostgreSQL) its index is read by :mod:`.dbrank` in one query unless
    ``fast`` is false, otherwise Wagtail's search API is used."""

    def __init__(self, source: LiveSource, backend: Any = None, fast: bool | None = None) -> None:
        self.source = source
        self.backend = backend or get_search_backend()
        if fast is None:
            fast = bool(_setting("BROADSHEET_SEARCH_DIRECT_INDEX", True))
        self.fast = fast and dbrank.supported(self.backend)
        self.page_size = int(_setting("BROADSHEET_SEARCH_PAGE_SIZE", 10))
        self.max_candidates = int(_setting("BROADSHEET_SEARCH_MAX_CANDIDATES", MAX_CANDIDATES))
        self.max_count = int(_setting("BROADSHEET_SEARCH_MAX_COUNT", MAX_COUNT))

    def run(self, request: SearchRequest) -> SearchOutcome:
        """Search; never raises for any reader input (an empty or unsearchable query gives an
        outcome with no terms)."""
        terms = tuple(query_terms(request.q))
        section = next(
            (s for s in self.source.sections().values() if s.url == request.section), None
        )
        author = None
        if request.author:
            slug = request.author
            author = _fact(
                self.source,
                f"search:author:{slug}",
                lambda: Author.objects.filter(slug=slug).first(),
            )
        base = {"request": request, "terms": terms, "section": section, "author": author}
        if not terms:
            return SearchOutcome(**base)

        since = _day_start(request.since) if request.since else None
        until = _day_start(request.until + dt.timedelta(days=1)) if request.until else None
        size = self.page_size
        if self.fast:
            filters = dbrank.Filters(
                path_prefix=section.path if section else self.source.ctx.root_path,
                author=author,
                since=since,
                until=until,
                whole_index=section is None and _only_site(self.source),
            )
            if request.sort == "date":
                # counted up to max_count; above it "more than", and pages up to it
                total = dbrank.count(terms, filters, self.max_count + 1)
                capped = total > self.max_count
                total = min(total, self.max_count)
                pages = max(1, -(-total // size))
                page = min(request.page, pages)
                rows = dbrank.newest(terms, filters, (page - 1) * size, size)
                scored = [(pk, 0.0) for pk, _, _ in rows]
                listed = total
            else:
                # the newest max_candidates matches, scored; "more than" when more match
                rows, capped = dbrank.ranked(terms, filters, self.max_candidates)
                total = len(rows)
                ranked = rerank(rows, timezone.now())
                pages = max(1, -(-len(ranked) // size))
                page = min(request.page, pages)
                scored = ranked[(page - 1) * size : page * size]
                listed = len(ranked)
        else:
            scored, total, page, pages, capped, listed = self._run_backend(
                request, terms, section, author, since, until
            )
        return SearchOutcome(
            **base,
            hits=tuple(self.hits(scored, set(terms))),
            total=total,
            page=page,
            pages=pages if total else 0,
            capped=capped,
            listed=listed,
            page_size=size,
        )

    def _run_backend(
        self,
        request: SearchRequest,
        terms: tuple[str, ...],
        section: SectionRef | None,
        author: Author | None,
        since: dt.datetime | None,
        until: dt.datetime | None,
    ) -> tuple[list[tuple[int, float]], int, int, int, bool, int]:
        """The search through Wagtail's search API (any backend: OpenSearch, Elasticsearch…).
        Returns ``(scored page, total, page, pages, capped, listed)``."""
        qs = StoryPage.objects.live().filter(
            path__startswith=self.source.ctx.root_path, published_at__isnull=False
        )
        if section is not None:
            qs = qs.filter(path__startswith=section.path)
        if author is not None:
            ids = list(StoryAuthor.objects.filter(author=author).values_list("story_id", flat=True))
            qs = qs.filter(id__in=ids)
        if since:
            qs = qs.filter(published_at__gte=since)
        if until:
            qs = qs.filter(published_at__lt=until)
        query = PlainText(" ".join(terms), operator="and")
        size = self.page_size
        if request.sort == "date":
            results = self.backend.search(
                query, qs.order_by("-published_at", "-id"), order_by_relevance=False
            )
            total = results.count()
            pages = max(1, -(-total // size))
            page = min(request.page, pages)
            ids = [p.pk for p in results[(page - 1) * size : page * size]]
            return [(pk, 0.0) for pk in ids], total, page, pages, False, total
        results = self.backend.search(query, qs.only("id", "published_at"))
        candidates = list(results.annotate_score("_score")[: self.max_candidates])
        rows = [(p.pk, getattr(p, "_score", None), p.published_at) for p in candidates]
        capped = len(rows) >= self.max_candidates
        total = len(rows)
        ranked = rerank(rows, timezone.now())
        pages = max(1, -(-len(ranked) // size))
        page = min(request.page, pages)
        return ranked[(page - 1) * size : page * size], total, page, pages, capped, len(ranked)

    def hits(self, scored: list[tuple[int, float]], wanted: set[str]) -> list[Hit]:
        """Cards, highlighted headlines and snippets for ``(id, score)`` in that order: a fixed
        number of queries whatever the page size."""
        ids = [pk for pk, _ in scored]
        found, fields = self.source.cards_with(ids, ("body",))
        cards = {c.id: c for c in found}
        out = []
        for pk, score in scored:
            card = cards.get(pk)
            if card is None:
                continue
            raw = fields.get(pk, {}).get("body") or []
            if hasattr(raw, "raw_data"):
                raw = raw.raw_data
            if isinstance(raw, str):
                raw = json.loads(raw or "[]")
            text = body_text(raw) or card.standfirst
            out.append(
                Hit(
                    card=card,
                    headline=highlight(card.headline, wanted),
                    snippet=snippet(text, wanted),
                    score=score,
                )
            )
        return out
