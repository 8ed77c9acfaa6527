"""Brief caching of rendered search pages in Django's cache framework.

A results page is stored under a key made of the request's parameters and host, the search
settings that shape the page, and a *generation* number kept in the same cache. Every change to
the search index, every change of content a search page shows (stories, sections, authors, the
site's settings and tips, as the site model reads model events: :mod:`.signals`) and every
change to a Wagtail site bumps the generation (:func:`bump`), so no process serves a page older
than the last publish; pages also expire after ``BROADSHEET_SEARCH_CACHE_SECONDS`` (default
60; 0 turns caching off). The generation is kept in the shared cache (``CACHE_URL``), or in the
database when Django's cache is private to each process (:mod:`broadsheet.site.versions`), so
a change made by another process (the worker, ``broadsheet freeze``/``unfreeze``) reaches
every process's next search page.

Settings: ``BROADSHEET_SEARCH_CACHE`` (cache alias, default ``"default"``),
``BROADSHEET_SEARCH_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction

from broadsheet.site import versions

GENERATION_NAME = "search:generation"
PAGE_PREFIX = "broadsheet:search:page:"


def _alias() -> str:
    return getattr(settings, "BROADSHEET_SEARCH_CACHE", "default")


def _cache() -> BaseCache:
    return caches[_alias()]


def timeout() -> int:
    """Seconds a results page is kept (0: not cached)."""
    return max(0, int(getattr(settings, "BROADSHEET_SEARCH_CACHE_SECONDS", 60)))


def generation() -> int:
    """The current generation (:func:`broadsheet.site.versions.read`: in the shared cache, or
    in the database when the cache is private to each process)."""
    return versions.read(GENERATION_NAME, _alias())


def _bump_now() -> None:
    versions.bump(GENERATION_NAME, _alias())


def bump() -> None:
    """Invalidate every cached results page: now, and again when the current transaction
    commits (a page cached between the two would show the uncommitted state's predecessor)."""
    if timeout() == 0:
        return
    _bump_now()
    if not versions.in_database(_alias()):  # the database's row is seen at the commit
        transaction.on_commit(_bump_now)


def page_key(params: dict[str, str], generation_number: int, host: str = "") -> str:
    """The cache key of the results page for query-string ``params`` (as
    :meth:`~.query.SearchRequest.params` gives them) asked of ``host`` (``name:port``, which
    chooses the Wagtail site) at ``generation_number``."""
    shaping = [
        getattr(settings, name, None)
        for name in (
            "BROADSHEET_SEARCH_PAGE_SIZE",
            "BROADSHEET_SEARCH_MAX_CANDIDATES",
            "BROADSHEET_SEARCH_RECENCY_WEIGHT",
            "BROADSHEET_SEARCH_RECENCY_HALF_LIFE_DAYS",
            "BROADSHEET_SEARCH_DIRECT_INDEX",
        )
    ]
    blob = json.dumps([sorted(params.items()), host, shaping], sort_keys=True, default=str)
    digest = hashlib.sha256(blob.encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}{generation_number}:{digest}"


def get_page(params: dict[str, str], host: str = "") -> tuple[str | None, str]:
    """``(html or None, key)``: the cached page for ``params`` asked of ``host`` and the key to
    store it under."""
    if timeout() == 0:
        return None, ""
    key = page_key(params, generation(), host)
    return _cache().get(key), key


def set_page(key: str, html: str) -> None:
    """Store a rendered page under ``key`` (from :func:`get_page`) for :func:`timeout` s."""
    if key and timeout():
        _cache().set(key, html, timeout())
