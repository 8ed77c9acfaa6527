"""The baker's view of syndication: which files exist, which a story change touches, and their
bytes — rendered by the live views, so a baked feed or sitemap is the same as the live one.

Plain functions, so that the baker's producer registry can wrap them (see docs/syndication.md):

* :func:`all_paths` — every feed, sitemap and ``robots.txt`` path of the site;
* :func:`paths_for_story_change` — the paths whose content a story's publish, update, move or
  unpublish changes;
* :func:`render_path` — ``(bytes, content type)`` for a path, or ``None`` when that path has no
  file any more (the baker should delete it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from broadsheet.newsroom.catalogue import LiveSource

from . import sitemaps
from .feeds import FEED_FORMATS, author_feed_path, section_feed_path, site_feed_path, tag_feed_path
from .text import base_url

ROBOTS_PATH = "/robots.txt"
URL_NAMES = frozenset(
    {
        "syndication-robots",
        "syndication-sitemap-index",
        "syndication-sitemap-news",
        "syndication-sitemap",
        "syndication-feed",
        "syndication-author-feed",
        "syndication-tag-feed",
        "syndication-section-feed",
    }
)


def _both(path_for: Any) -> list[str]:
    return [path_for(fmt) for fmt in FEED_FORMATS]


def all_paths(source: LiveSource | None = None) -> list[str]:
    """Every path syndication produces: ``/robots.txt``, the sitemap index, the news sitemap,
    every child sitemap, and the RSS and Atom feeds of the site, every section, every author
    with a live story and every tag on one. A fixed number of queries."""
    source = source or LiveSource()
    paths = [ROBOTS_PATH, sitemaps.INDEX_PATH, sitemaps.NEWS_PATH]
    paths.append(sitemaps.chunk_path(sitemaps.PAGES_NAME))
    paths += [sitemaps.chunk_path(c.name) for c in sitemaps.plan(source)]
    paths += _both(site_feed_path)
    for section in source.sections().values():
        paths += _both(lambda f, s=section: section_feed_path(s.url, f))
    for author in source.authors():
        paths += _both(lambda f, a=author: author_feed_path(a.slug, f))
    for tag, _count in source.tags():
        paths += _both(lambda f, t=tag: tag_feed_path(t.slug, f))
    return paths


def _story_paths(source: LiveSource, card: Any) -> set[str]:
    paths: set[str] = set()
    sections = source.sections()
    section = getattr(card, "section", None)
    if section is not None:
        paths.update(_both(lambda f: section_feed_path(section.url, f)))
        current = sections.get(section.parent_id) if section.parent_id else None
        while current is not None:
            paths.update(_both(lambda f, c=current: section_feed_path(c.url, f)))
            current = sections.get(current.parent_id) if current.parent_id else None
    for author in getattr(card, "authors", ()) or ():
        paths.update(_both(lambda f, a=author: author_feed_path(a.slug, f)))
    for tag in getattr(card, "tags", ()) or ():
        paths.update(_both(lambda f, t=tag: tag_feed_path(t.slug, f)))
    chunk = sitemaps.chunk_for_story(source, card.id, getattr(card, "published_at", None))
    paths.add(sitemaps.chunk_path(chunk.name))
    # A story added or removed in the middle of a year with several files shifts the later
    # files of that year by one story: they change too, and a removal may empty the last one.
    group = [c for c in sitemaps.plan(source) if c.group == chunk.group]
    last = max((c.number for c in group), default=0)
    paths.update(
        sitemaps.chunk_path(sitemaps.chunk_name(chunk.group, n))
        for n in range(chunk.number + 1, last + 1)
    )
    if sum(c.count for c in group) % sitemaps.chunk_size() == 0:
        paths.add(sitemaps.chunk_path(sitemaps.chunk_name(chunk.group, last + 1)))
    return paths


def paths_for_story_change(old: Any, new: Any, source: LiveSource | None = None) -> set[str]:
    """The paths whose content changes when a story changes from ``old`` to ``new``.

    ``old`` / ``new`` are ``StoryCard``-like snapshots (``id``, ``section`` with ``url`` and
    ``parent_id``, ``authors`` and ``tags`` with ``slug``, ``published_at``) or ``None`` (a
    publish has no ``old``, an unpublish or delete no ``new``). Call it after the change is
    saved. The result: the site feeds; the feeds of the story's section and every section above
    it, of its authors and of its tags (before and after); the one story sitemap that lists it
    (plus later files of the same year if that year has several); ``/sitemaps/pages.xml`` (the
    lastmod of its sections, author and tag pages, archive month); the sitemap index; the news
    sitemap. Some of these may no longer exist: :func:`render_path` then returns ``None``.
    """
    source = source or LiveSource()
    paths: set[str] = set()
    for card in (old, new):
        if card is not None:
            paths |= _story_paths(source, card)
    if paths:
        paths.update(_both(site_feed_path))
        paths.update(
            {
                sitemaps.INDEX_PATH,
                sitemaps.NEWS_PATH,
                sitemaps.chunk_path(sitemaps.PAGES_NAME),
            }
        )
    return paths


def render_path(path: str) -> tuple[bytes, str] | None:
    """``(body, content type)`` of a syndication path as the live site serves it, or ``None``
    for a path that is not ours or has no content (404). Raises whatever the view raises
    otherwise. The request is made for the host of ``BROADSHEET_BASE_URL`` (which must be in
    ``ALLOWED_HOSTS``, as it is for the live site)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in URL_NAMES:
        return None
    parts = urlsplit(base_url())
    request = RequestFactory().get(
        path, HTTP_HOST=parts.netloc or "localhost", secure=parts.scheme == "https"
    )
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return None
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        return None
    return bytes(response.content), response["Content-Type"]
