"""XML sitemaps (sitemaps.org protocol 0.9), the Google News sitemap and ``robots.txt`` — page
kinds ``sitemap-index``, ``sitemap-pages``, ``sitemap-month``, ``sitemap-news``, ``robots``.

Built on ``django.contrib.sitemaps``: every file is a :class:`~django.contrib.sitemaps.Sitemap`
whose URLs are rendered with Django's templates (``sitemap_index.xml``, and our
``syndication/sitemap.xml`` and ``syndication/sitemap_news.xml``) by ``render_to_string`` — no
request: the base URL is the build's, so a live file and the baked one are the same bytes.

* ``/sitemap.xml`` — the sitemap index: ``pages.xml``, one file per month, the news sitemap;
* ``/sitemaps/pages.xml`` — front page, "Latest", sections, archive index, years and months,
  authors, tags, information pages;
* ``/sitemaps/stories-YYYY-MM.xml`` — the stories first published in that month (newsroom time
  zone), oldest first: a publish changes one file, and finding it costs nothing;
* ``/sitemap-news.xml`` — Google News: stories of the last two days, at most 1,000, newest first.

Limits (sitemaps.org): at most 50,000 URLs and 50 MB per file; a ``<loc>`` is at most 2,048
characters (the schema's limit), so an entry is under 2.2 KB. A month holds far fewer stories
than 50,000 in any newsroom (that is 1,600 a day).

``lastmod`` is a W3C datetime with offset (``2007-06-18T09:30:00+00:00``, RFC 3339) or absent,
never empty: a story's is the later of its update and publication; a section's, author's,
tag's or archive page's that of its newest (``lastmod``) story; an empty section's and an
information page's their own last publication. Dates before 1970 are fine (no Unix timestamps
are involved).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from broadsheet.site.build import Build
from broadsheet.site.data import ALL, Scope
from broadsheet.site.editions import alternates_by_url
from broadsheet.site.registry import TEXT, XML, NotFound, Rendered

from .text import xml_safe

MAX_URLS = 50_000
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_MAX = 1_000
SITEMAP_TEMPLATE = "syndication/sitemap.xml"
NEWS_TEMPLATE = "syndication/sitemap_news.xml"
INDEX_TEMPLATE = "sitemap_index.xml"


def w3c(value: dt.datetime | None) -> dt.datetime | None:
    """A lastmod value: aware, whole seconds (rendered as ``2007-06-18T12:00:00+00:00``)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.replace(microsecond=0)


def _latest(dates: Iterable[dt.datetime | None]) -> dt.datetime | None:
    return max((d for d in dates if d is not None), default=None)


# -- data ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Entry:
    """A URL of a sitemap: public path and lastmod (``None``: no ``<lastmod>``)."""

    path: str
    lastmod: dt.datetime | None = None
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, public path): the same page's
    # versions in every edition, itself included


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


class EntrySitemap(Sitemap):
    """A sitemap of :class:`Entry` / :class:`NewsEntry` items; URLs are absolute on the build's
    base URL (``build.absolute``), never on a request's host."""

    limit = MAX_URLS

    def __init__(self, build: Build, entries: list[Any]) -> None:
        self.build = build
        self.entries = entries
        # build.absolute("/") is the encoded base URL plus "/"; iri_to_uri works character by
        # character, so base + iri_to_uri(path) is exactly build.absolute(path)
        self._scheme, _, self._domain = build.absolute("/")[:-1].partition("://")

    def items(self) -> list[Any]:
        return self.entries

    def get_protocol(self, protocol: str | None = None) -> str:
        return self._scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return self._domain

    def location(self, item: Entry | NewsEntry) -> str:
        return iri_to_uri(xml_safe(item.path))

    def lastmod(self, item: Entry | NewsEntry) -> dt.datetime | None:
        return item.lastmod

    def render(self, template: str = SITEMAP_TEMPLATE) -> bytes:
        """The ``<urlset>`` file (UTF-8 XML)."""
        urls = self.get_urls(page=1, site=None, protocol=None)
        for url in urls:
            alternates = getattr(url["item"], "alternates", ())
            if alternates:
                url["alternates"] = [
                    {"lang_code": lang, "location": self.build.absolute(xml_safe(path))}
                    for lang, path in alternates
                ]
        return render_to_string(template, {"urlset": urls}).encode("utf-8")


def _xml(build: Build, name: str, body: bytes, **params: Any) -> Rendered:
    return Rendered(200, build.url(name, **params), body, XML)


def _url(build: Build, kind: str, **params: Any) -> str | None:
    """The path of another feature's page kind, None if no feature declares it."""
    return build.url(kind, **params) if kind in build.registry.kinds else None


# -- pages.xml -----------------------------------------------------------------------------------
def page_entries(build: Build) -> list[Entry]:
    """The URLs of ``/sitemaps/pages.xml`` with their lastmods (see the module docstring), once
    per build: front page, "Latest", sections (tree order), archive index, years and months
    (oldest first), authors' index and authors, tags' index and tags (by slug), information
    pages. A fixed number of reads whatever the number of stories."""
    key = "syndication:page-entries"
    if key in build.cache:
        return build.cache[key]
    read = build.read
    overall = w3c(read.stat(ALL).lastmod)
    entries: list[Entry] = []
    kinds = build.registry.kinds

    def add(path: str | None, lastmod: dt.datetime | None) -> None:
        if path is not None:
            entries.append(Entry(path, w3c(lastmod)))

    add(_url(build, "front"), overall)
    add(_url(build, "latest"), overall)
    for section in read.sections().values():
        # a section without stories: its own last publication
        add(section.url, read.stat(Scope.section(section)).lastmod or section.last_published_at)
    if overall is not None:
        add(_url(build, "archive-index"), overall)
        months = sorted(read.months(), key=lambda m: (m.year, m.month))
        years: dict[int, dt.datetime | None] = {}
        for m in months:
            years[m.year] = _latest([years.get(m.year), m.lastmod])
        if "archive-year" in kinds:
            for year, lastmod in years.items():
                add(build.url("archive-year", year=year), lastmod)
        if "archive-month" in kinds:
            for m in months:
                add(build.url("archive-month", year=m.year, month=m.month), m.lastmod)
        add(_url(build, "authors"), overall)
        for author, stat in read.author_stats():
            add(author.url, stat.lastmod)
        add(_url(build, "tags"), overall)
        for tag, stat in read.tag_stats():
            add(tag.url, stat.lastmod)
    for page in read.info_pages():
        add(page.url, page.last_published_at)
    build.cache[key] = entries
    return entries


def sitemap_pages(build: Build) -> Rendered:
    """``/sitemaps/pages.xml``: every page that is not a story (see :func:`page_entries`)."""
    return _xml(build, "sitemap-pages", EntrySitemap(build, page_entries(build)).render())


# -- one file per month --------------------------------------------------------------------------
def month_entries(build: Build, year: int, month: int) -> list[Entry]:
    """The stories first published in ``year``-``month`` (newsroom time zone), oldest first,
    with their lastmods."""
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        return []
    rows = build.read.month_entries(year, month)
    linked = alternates_by_url(build, [url for url, _ in rows])
    entries = []
    for url, lastmod in rows:
        versions: tuple[tuple[str, str], ...] = ()
        if url in linked:
            pairs = [(build.ctx.language, url), *((a.language, a.url) for a in linked[url])]
            versions = tuple(sorted(pairs))
        entries.append(Entry(url, w3c(lastmod), versions))
    return entries


def sitemap_month(build: Build, year: int, month: int) -> Rendered:
    """``/sitemaps/stories-YYYY-MM.xml`` (:class:`NotFound` for a month without stories)."""
    entries = month_entries(build, year, month)
    if not entries:
        raise NotFound(f"no stories in {year:04d}-{month:02d}")
    body = EntrySitemap(build, entries).render()
    return _xml(build, "sitemap-month", body, year=year, month=month)


def month_paths(build: Build) -> Iterator[dict[str, Any]]:
    """Params (``year``, ``month``) of every month with stories, oldest first."""
    for m in sorted(build.read.months(), key=lambda m: (m.year, m.month)):
        yield {"year": m.year, "month": m.month}


# -- Google News ---------------------------------------------------------------------------------
def news_language(code: str) -> str:
    """The Google News ``<news:language>`` for a language tag: ISO 639 two or three letters
    (``fa-IR`` → ``fa``), ``zh-cn`` / ``zh-tw`` for Chinese, ``und`` when unknown (the schema's
    pattern is ``zh-cn|zh-tw|[a-z]{2,3}``)."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in ("zh-cn", "zh-hans", "zh-sg"):
        return "zh-cn"
    if code in ("zh-tw", "zh-hant", "zh-hk"):
        return "zh-tw"
    primary = code.split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else "und"


def news_entries(
    build: Build, now: dt.datetime | None = None, limit: int | None = None
) -> list[NewsEntry]:
    """Stories published in the two days before ``now`` (at most ``limit``, default
    :data:`NEWS_MAX`), newest first.

    With none, the front page alone (without news markup), since an empty ``<urlset>`` is not
    valid against the sitemaps.org schema."""
    now = now or timezone.now()
    limit = NEWS_MAX if limit is None else limit
    site = build.read.site_info()
    language = news_language(build.ctx.language)
    entries = [
        NewsEntry(
            path=card.url,
            lastmod=w3c(card.lastmod),
            news=True,
            publication=xml_safe(site.name),
            language=language,
            published=w3c(card.published_at),
            title=xml_safe(card.headline),
        )
        for card in build.read.since(now - NEWS_WINDOW, now, limit)
    ]
    return entries or [NewsEntry(_url(build, "front") or "/", None)]


def sitemap_news(build: Build) -> Rendered:
    """``/sitemap-news.xml``: the Google News sitemap (news sitemap schema 0.9)."""
    body = EntrySitemap(build, news_entries(build)).render(NEWS_TEMPLATE)
    return _xml(build, "sitemap-news", body)


# -- the index and robots.txt --------------------------------------------------------------------
def index_entries(build: Build) -> list[Entry]:
    """The files the sitemap index lists, with their lastmods: ``pages.xml``, every month file
    (oldest first), the news sitemap."""
    months = sorted(build.read.months(), key=lambda m: (m.year, m.month))
    news = news_entries(build)
    return [
        Entry(build.url("sitemap-pages"), _latest(e.lastmod for e in page_entries(build))),
        *(
            Entry(build.url("sitemap-month", year=m.year, month=m.month), w3c(m.lastmod))
            for m in months
        ),
        Entry(build.url("sitemap-news"), _latest(e.lastmod for e in news)),
    ]


def sitemap_index(build: Build) -> Rendered:
    """``/sitemap.xml``: the sitemap index (sitemaps.org 0.9), Django's template."""
    items = [SitemapIndexItem(build.absolute(e.path), e.lastmod) for e in index_entries(build)]
    body = render_to_string(INDEX_TEMPLATE, {"sitemaps": items}).encode("utf-8")
    return _xml(build, "sitemap-index", body)


def robots(build: Build) -> Rendered:
    """``/robots.txt``: everything but the admin may be crawled; names the sitemap index."""
    index = build.absolute(build.url("sitemap-index"))
    text = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {index}\n"
    return Rendered(200, build.url("robots"), text.encode("utf-8"), TEXT)


def one(build: Build) -> list[dict[str, Any]]:
    """The params of a page kind that has exactly one page."""
    return [{}]
