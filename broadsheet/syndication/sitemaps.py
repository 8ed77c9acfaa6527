"""XML sitemaps: an index, child sitemaps of stories and of the other pages, a Google News
sitemap.

Built on ``django.contrib.sitemaps``: every file is a ``Sitemap`` rendered by Django's
``sitemap`` view. What we add is the split into files that a static server can serve (no
``?p=2`` pages):

* ``/sitemap.xml`` — the sitemap index (our view, Django's ``sitemap_index.xml`` template);
* ``/sitemaps/pages.xml`` — front page, "Latest", sections, archives (years, months), authors,
  tags, information pages;
* ``/sitemaps/stories-YYYY.xml`` — the stories first published in year ``YYYY`` (newsroom time
  zone), oldest first; a year with more than ``BROADSHEET_SITEMAP_CHUNK`` stories (default
  10,000) continues in ``stories-YYYY-2.xml``, ``-3``…; live stories without a publication date
  are in ``stories-undated.xml``;
* ``/sitemap-news.xml`` — the Google News sitemap: stories of the last two days, at most 1,000.

Limits (sitemaps.org): at most 50,000 URLs and 50 MB per file. A ``<loc>`` is at most 2,048
characters (the schema's limit), so an entry is under 2.2 KB and a chunk of 10,000 stays under
22 MB; the chunk size is capped at 50,000.

``lastmod`` is a W3C datetime (``2007-06-18T12:00:00+00:00``) or absent — never empty: a story's
is its update date or else its publication date; a section's, author's, tag's or archive page's
is that of its newest story; an empty section's is the section page's last publication, if any.
Dates before 1970 are fine (no Unix timestamps are involved).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, DateTimeField, Max, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Length, Substr, TruncMonth
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from broadsheet.newsroom.catalogue import LiveSource, author_url, page_url_from_url_path, tag_url
from broadsheet.newsroom.models import InfoPage, SectionPage, StoryAuthor, StoryPage, StoryTag

from .text import base_url, xml_safe

MAX_URLS = 50_000
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_MAX = 1_000
INDEX_PATH = "/sitemap.xml"
NEWS_PATH = "/sitemap-news.xml"
PAGES_NAME = "pages"
CHUNK_NAME = re.compile(r"^stories-(?P<group>\d{4}|undated)(?:-(?P<number>[2-9]|[1-9]\d+))?$")


def chunk_size() -> int:
    """Stories per sitemap file (``settings.BROADSHEET_SITEMAP_CHUNK``, default 10,000, capped
    at 50,000)."""
    return max(1, min(MAX_URLS, int(getattr(settings, "BROADSHEET_SITEMAP_CHUNK", 10_000))))


def chunk_path(name: str) -> str:
    """The public path of a child sitemap: ``/sitemaps/<name>.xml``."""
    return f"/sitemaps/{name}.xml"


def chunk_name(group: str, number: int) -> str:
    """``stories-2007`` for the first file of a group, ``stories-2007-2`` for the next…"""
    return f"stories-{group}" if number == 1 else f"stories-{group}-{number}"


def w3c(value: dt.datetime | None) -> dt.datetime | None:
    """A lastmod value: aware, whole seconds (rendered as ``2007-06-18T12:00:00+00:00``)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.replace(microsecond=0)


def story_lastmod(published: dt.datetime | None, updated: dt.datetime | None) -> dt.datetime | None:
    """A story's lastmod: the later of its update and publication dates."""
    dates = [d for d in (published, updated) if d is not None]
    return w3c(max(dates)) if dates else None


def _newest() -> Any:
    """SQL: a story's lastmod (``updated_at`` if later, else ``published_at``)."""
    return Greatest(Coalesce("updated_at", "published_at"), "published_at")


def _newest_via(prefix: str) -> Any:
    return Greatest(
        Coalesce(f"{prefix}__updated_at", f"{prefix}__published_at"), f"{prefix}__published_at"
    )


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime | None]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz) if year < 9999 else None
    return start, end


def local_year(value: dt.datetime) -> int:
    """The year of ``value`` in the newsroom's time zone."""
    return timezone.localtime(value).year


# -- data ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Entry:
    """A URL of a sitemap: public path and lastmod (``None``: no ``<lastmod>``)."""

    path: str
    lastmod: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class NewsEntry:
    """A story of the news sitemap (``news`` False: a plain URL without news markup)."""

    path: str
    lastmod: dt.datetime | None
    news: bool = False
    publication: str = ""
    language: str = ""
    published: dt.datetime | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Chunk:
    """A child sitemap of stories: ``group`` is a year (``"2007"``) or ``"undated"``."""

    name: str
    group: str
    number: int
    lastmod: dt.datetime | None
    count: int = 0


def undated_stories(source: LiveSource) -> QuerySet[StoryPage]:
    """Live stories under the site without a publication date (no listing shows them)."""
    return StoryPage.objects.live().filter(
        path__startswith=source.root_path, published_at__isnull=True
    )


def plan(source: LiveSource) -> list[Chunk]:
    """Every story sitemap file with its lastmod, oldest year first. Two aggregate queries, plus
    one per year (or undated group) that needs more than one file."""
    size = chunk_size()
    tz = timezone.get_current_timezone()
    chunks: list[Chunk] = []
    rows = (
        source.stories()
        .annotate(y=ExtractYear("published_at", tzinfo=tz))
        .values("y")
        .annotate(n=Count("id"), last=Max(_newest()))
        .order_by("y")
    )
    for row in rows:
        group = f"{row['y']:04d}"
        if row["n"] <= size:
            chunks.append(Chunk(chunk_name(group, 1), group, 1, w3c(row["last"]), row["n"]))
            continue
        start, end = _year_bounds(row["y"])
        qs = source.stories().filter(published_at__gte=start)
        if end is not None:
            qs = qs.filter(published_at__lt=end)
        dates = list(qs.order_by("published_at", "id").values_list("published_at", "updated_at"))
        for k in range(math.ceil(len(dates) / size)):
            part = dates[k * size : (k + 1) * size]
            last = max((story_lastmod(p, u) for p, u in part), default=None)
            chunks.append(Chunk(chunk_name(group, k + 1), group, k + 1, last, len(part)))
    undated = undated_stories(source).aggregate(
        n=Count("id"), last=Max(Coalesce("updated_at", "last_published_at"))
    )
    for k in range(math.ceil(undated["n"] / size)):
        last = undated["last"] if k == 0 and undated["n"] <= size else None
        n = min(size, undated["n"] - k * size)
        chunks.append(Chunk(chunk_name("undated", k + 1), "undated", k + 1, w3c(last), n))
    return chunks


def chunk_entries(source: LiveSource, group: str, number: int) -> list[Entry]:
    """The URLs of one story sitemap file (empty if there is no such file)."""
    size = chunk_size()
    lo, hi = (number - 1) * size, number * size
    if group == "undated":
        rows = (
            undated_stories(source)
            .order_by("id")
            .values_list("url_path", "updated_at", "last_published_at")[lo:hi]
        )
        return [
            Entry(page_url_from_url_path(u, source.root_url_path), w3c(upd or last))
            for u, upd, last in rows
        ]
    start, end = _year_bounds(int(group))
    qs = source.stories().filter(published_at__gte=start)
    if end is not None:
        qs = qs.filter(published_at__lt=end)
    rows = qs.order_by("published_at", "id").values_list("url_path", "published_at", "updated_at")
    return [
        Entry(page_url_from_url_path(u, source.root_url_path), story_lastmod(p, upd))
        for u, p, upd in rows[lo:hi]
    ]


def chunk_for_story(source: LiveSource, story_id: int, published_at: dt.datetime | None) -> Chunk:
    """The story sitemap file that lists (or would list) the story, from its position among the
    stories of its year as they are now (one query). lastmod and count are not filled in."""
    size = chunk_size()
    if published_at is None:
        before = undated_stories(source).filter(id__lt=story_id).count()
        group = "undated"
    else:
        year = local_year(published_at)
        start, _ = _year_bounds(year)
        before = (
            source.stories()
            .filter(published_at__gte=start)
            .filter(
                Q(published_at__lt=published_at) | Q(published_at=published_at, id__lt=story_id)
            )
            .count()
        )
        group = f"{year:04d}"
    number = before // size + 1
    return Chunk(chunk_name(group, number), group, number, None)


def _section_dates(source: LiveSource) -> dict[int, dt.datetime | None]:
    """Each section's lastmod: its newest story (subsections included), else the section page's
    own last publication. Two queries."""
    steplen = StoryPage.steplen
    by_parent = {
        r["parent"]: r["last"]
        for r in source.stories()
        .annotate(parent=Substr("path", 1, Length("path") - steplen))
        .values("parent")
        .annotate(last=Max(_newest()))
    }
    own = dict(
        SectionPage.objects.live()
        .filter(path__startswith=source.root_path)
        .values_list("id", "last_published_at")
    )
    result = {}
    for section in source.sections().values():
        dates = [d for p, d in by_parent.items() if p.startswith(section.path) and d]
        result[section.id] = max(dates) if dates else own.get(section.id)
    return result


def _info_pages(source: LiveSource) -> list[Entry]:
    rows = (
        InfoPage.objects.live()
        .filter(path__startswith=source.root_path)
        .order_by("path")
        .values_list("url_path", "last_published_at")
    )
    return [Entry(page_url_from_url_path(u, source.root_url_path), w3c(last)) for u, last in rows]


def pages_lastmod(source: LiveSource) -> dt.datetime | None:
    """The newest lastmod of ``pages.xml`` without building it (for the index): the newest
    story, empty sections' own dates and information pages. Four queries."""
    overall = source.stories().aggregate(last=Max(_newest()))["last"]
    dates = [overall, *_section_dates(source).values()]
    dates += [e.lastmod for e in _info_pages(source)]
    return w3c(max((d for d in dates if d), default=None))


def page_entries(source: LiveSource) -> list[Entry]:
    """Front page, "Latest", sections, archives, authors, tags and information pages, each with
    the lastmod of its newest story. A fixed number of queries."""
    stories = source.stories()
    overall = w3c(stories.aggregate(last=Max(_newest()))["last"])
    entries = [Entry("/", overall), Entry("/latest/", overall)]
    dates = _section_dates(source)
    entries += [Entry(s.url, w3c(dates[s.id])) for s in source.sections().values()]

    if overall is not None:
        entries.append(Entry("/archives/", overall))
        tz = timezone.get_current_timezone()
        months = (
            stories.annotate(m=TruncMonth("published_at", tzinfo=tz))
            .values("m")
            .annotate(last=Max(_newest(), output_field=DateTimeField()))
            .order_by("m")
        )
        years: dict[int, dt.datetime] = {}
        month_entries = []
        for r in months:
            m, last = r["m"], r["last"]
            years[m.year] = max(years.get(m.year, last), last)
            month_entries.append(Entry(f"/archives/{m.year:04d}/{m.month:02d}/", w3c(last)))
        entries += [Entry(f"/archives/{y:04d}/", w3c(d)) for y, d in sorted(years.items())]
        entries += month_entries

        entries.append(Entry("/authors/", overall))
        authors = (
            StoryAuthor.objects.filter(story__in=stories)
            .values("author__slug")
            .annotate(last=Max(_newest_via("story")))
            .order_by("author__slug")
        )
        entries += [Entry(author_url(r["author__slug"]), w3c(r["last"])) for r in authors]
        entries.append(Entry("/tags/", overall))
        tags = (
            StoryTag.objects.filter(content_object__in=stories)
            .values("tag__slug")
            .annotate(last=Max(_newest_via("content_object")))
            .order_by("tag__slug")
        )
        entries += [Entry(tag_url(r["tag__slug"]), w3c(r["last"])) for r in tags]

    entries += _info_pages(source)
    return entries


def news_language(code: str) -> str:
    """The Google News ``<news:language>`` for a language tag: ISO 639 two or three letters
    (``fa-IR`` → ``fa``), ``zh-cn`` / ``zh-tw`` for Chinese, ``und`` when unknown."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in ("zh-cn", "zh-hans", "zh-sg"):
        return "zh-cn"
    if code in ("zh-tw", "zh-hant", "zh-hk"):
        return "zh-tw"
    primary = code.split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else "und"


def news_entries(source: LiveSource, now: dt.datetime | None = None) -> list[NewsEntry]:
    """Stories published in the two days before ``now`` (at most 1,000), newest first.

    With none, the front page alone (without news markup), since an empty ``<urlset>`` is not
    valid against the sitemaps.org schema."""
    now = now or timezone.now()
    ids = list(
        source.stories()
        .filter(published_at__gte=now - NEWS_WINDOW, published_at__lte=now)
        .order_by("-published_at", "-id")
        .values_list("id", flat=True)[:NEWS_MAX]
    )
    site = source.site_info()
    language = news_language(site.language)
    entries = [
        NewsEntry(
            path=card.url,
            lastmod=story_lastmod(card.published_at, card.updated_at),
            news=True,
            publication=xml_safe(site.name),
            language=language,
            published=w3c(card.published_at),
            title=xml_safe(card.headline),
        )
        for card in source.cards(ids)
    ]
    return entries or [NewsEntry("/", None)]


# -- Django sitemaps -----------------------------------------------------------------------------
class BaseSitemap(Sitemap):
    """URLs are absolute on ``BROADSHEET_BASE_URL`` (not the request's host), so a baked file is
    right wherever it is served."""

    limit = MAX_URLS

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries

    def items(self) -> list[Any]:
        return self.entries

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(base_url()).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        parts = urlsplit(base_url())
        return parts.netloc + parts.path

    def location(self, item: Entry | NewsEntry) -> str:
        return iri_to_uri(xml_safe(item.path))

    def lastmod(self, item: Entry | NewsEntry) -> dt.datetime | None:
        return item.lastmod

    def get_latest_lastmod(self) -> dt.datetime | None:
        return max((e.lastmod for e in self.entries if e.lastmod), default=None)


def sitemap_for(source: LiveSource, name: str) -> BaseSitemap | None:
    """The child sitemap ``name`` (``pages``, ``stories-2007``…), ``None`` if there is none."""
    if name == PAGES_NAME:
        return BaseSitemap(page_entries(source))
    match = CHUNK_NAME.match(name)
    if not match:
        return None
    entries = chunk_entries(source, match["group"], int(match["number"] or 1))
    return BaseSitemap(entries) if entries else None


def index_entries(source: LiveSource) -> list[Entry]:
    """The files the sitemap index lists: pages, every story chunk, the news sitemap."""
    news = news_entries(source)
    return [
        Entry(chunk_path(PAGES_NAME), pages_lastmod(source)),
        *(Entry(chunk_path(c.name), c.lastmod) for c in plan(source)),
        Entry(NEWS_PATH, max((e.lastmod for e in news if e.lastmod), default=None)),
    ]
