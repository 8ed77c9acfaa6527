"""Purge changed URLs from a CDN after a bake, through Wagtail's frontend-cache backends
(``wagtail.contrib.frontend_cache``: Cloudflare, CloudFront, Azure, Varnish/Squid HTTP purge…).

Configured with Wagtail's own setting, ``WAGTAILFRONTENDCACHE`` (docs/deploy.md); without it
nothing is purged. A purge that fails is logged and never fails the bake: the files are already
written, and the CDN's expiry catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

from broadsheet.site.build import Build

logger = logging.getLogger(__name__)


def purge(build: Build, paths: Sequence[str]) -> list[str]:
    """Purge the absolute URLs of ``paths`` (URL paths on the build's base URL); returns the
    URLs asked for ([] when no frontend cache is configured)."""
    if not paths or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return []
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = [build.absolute(p) for p in paths]
    try:
        purge_urls_from_cache(urls)
    except Exception:
        logger.exception("purging %d URL(s) from the CDN failed", len(urls))
    return urls
