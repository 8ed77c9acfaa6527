"""Building the site's URLs: public paths of tree pages and of registered page kinds, and
absolute URLs on a context's base URL.

Every public URL path in Broadsheet comes from here or from :meth:`.registry.Registry.url`:
tree pages (sections, stories, information pages) from their Wagtail URL path, everything else
from its page kind's route.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri

from .context import SiteContext
from .registry import registry


def public_path(url_path: str, root_url_path: str) -> str:
    """A Wagtail ``url_path`` (``/home/iran/story/``) as a public path (``/iran/story/``): the
    site root's own ``url_path`` is cut off. A path outside the root is returned unchanged."""
    if url_path.startswith(root_url_path):
        return "/" + url_path[len(root_url_path) :]
    return url_path


@lru_cache(maxsize=65536)
def _absolute(base_url: str, path: str) -> str:
    if urlsplit(path).scheme:
        return iri_to_uri(path)
    return iri_to_uri(base_url + path)


class Urls:
    """URL building for one context (cached per instance)."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx
        self._authors: dict[str, str] = {}
        self._tags: dict[str, str] = {}

    def page(self, url_path: str) -> str:
        """The public path of a tree page from its Wagtail ``url_path`` (with the edition's
        prefix: ``/fa/iran/story/``)."""
        return self.ctx.prefix + public_path(url_path, self.ctx.root_url_path)

    def tree(self, url: str) -> str:
        """The ``path`` param of a tree page's routes from its public URL, inside the edition:
        ``/fa/iran/x/`` → ``iran/x``."""
        return self.ctx.local(url).strip("/")

    def author(self, slug: str) -> str:
        """``/authors/<slug>/``."""
        url = self._authors.get(slug)
        if url is None:
            url = self._authors[slug] = self.url("author", slug=slug)
        return url

    def tag(self, slug: str) -> str:
        """``/tags/<slug>/``."""
        url = self._tags.get(slug)
        if url is None:
            url = self._tags[slug] = self.url("tag", slug=slug)
        return url

    def url(self, name: str, **params: Any) -> str:
        """The public path of page kind or endpoint ``name`` in the context's edition (see
        :meth:`Registry.url`): ``/fa/archives/1403/01/``."""
        return self.ctx.prefix + registry.url(name, **params)

    def absolute(self, path: str) -> str:
        """An absolute, ASCII-only URL (RFC 3986, via ``iri_to_uri``) on the context's base URL
        for a public path; a URL that has a scheme already is only encoded."""
        return _absolute(self.ctx.base_url, path)

    def live(self, name: str, **params: Any) -> str:
        """The URL of a live endpoint (forms, search) on ``ctx.live_url`` ("" = same origin)."""
        return self.ctx.live_url + self.url(name, **params)
