"""Live views of feeds, sitemaps and robots.txt (the baker renders the same views, see
:mod:`.baking`)."""

from __future__ import annotations

from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from broadsheet.newsroom.catalogue import LiveSource

from . import sitemaps
from .feeds import FEEDS
from .text import absolute

SITEMAP_TEMPLATE = "syndication/sitemap.xml"
NEWS_TEMPLATE = "syndication/sitemap_news.xml"
XML = "application/xml"


def feed(request: HttpRequest, fmt: str, kind: str, key: str | None = None) -> HttpResponse:
    """RSS 2.0 (``fmt`` ``rss``) or Atom 1.0 (``atom``) feed of the site, a section, an author
    or a tag (``kind``); 404 for an unknown section, author or tag."""
    return FEEDS[fmt](request, kind=kind, key=key)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the sitemap index (sitemaps.org 0.9)."""
    items = [
        SitemapIndexItem(absolute(e.path), e.lastmod) for e in sitemaps.index_entries(LiveSource())
    ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type=XML)


def sitemap_file(request: HttpRequest, name: str) -> HttpResponse:
    """``/sitemaps/<name>.xml``: one child sitemap (``pages``, ``stories-2007``…)."""
    site = sitemaps.sitemap_for(LiveSource(), name)
    if site is None:
        raise Http404(f"no sitemap {name}")
    return sitemap(request, {name: site}, section=name, template_name=SITEMAP_TEMPLATE)


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """``/sitemap-news.xml``: the Google News sitemap (stories of the last two days)."""
    site = sitemaps.BaseSitemap(sitemaps.news_entries(LiveSource()))
    return sitemap(request, {"news": site}, section="news", template_name=NEWS_TEMPLATE)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: everything but the admin may be crawled; names the sitemap index."""
    text = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {absolute(sitemaps.INDEX_PATH)}\n"
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
