"""``/feed/``: the page the navigation's "RSS" link opens, and the address readers guess.

It is an HTML page, the same live and baked (a static server cannot answer one path with a
redirect without rules of its own, and a feed served from ``feed/index.html`` would be sent
as HTML): it lists the site's RSS 2.0 and Atom 1.0 feeds and each top section's RSS feed,
with their addresses to copy into a feed reader, and names the site's feeds in its
``<head>`` (``<link rel="alternate">``, RSS Autodiscovery), so a feed reader given
``https://…/feed/`` subscribes to the site's RSS feed by itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from markupsafe import Markup

from broadsheet.site.build import Build
from broadsheet.site.registry import Rendered

from .feeds import FEED_FORMATS, FEED_LABELS, section_param

gettext_noop("RSS"), gettext_noop("Atom")  # FEED_LABELS, shown translated


def feeds_page(build: Build) -> Rendered:
    """``/feed/``: the site's feeds and the top sections' (addresses absolute)."""
    site_feeds = [
        (FEED_LABELS[fmt], build.absolute(build.url("feed", fmt=fmt))) for fmt in FEED_FORMATS
    ]
    sections = [
        (s.title, build.absolute(build.url("section-feed", path=section_param(s), fmt="rss")))
        for s in build.read.top_sections()
    ]
    return build.render(
        "feeds.html", build.url("feeds-page"), site_feeds=site_feeds, section_feeds=sections
    )


def nav_link(build: Build, context: object) -> Markup:
    """The navigation's feed link (slot ``nav_end``): "RSS", to ``/feed/``."""
    from django.utils.translation import gettext

    return Markup('<li><a href="%s" class="feed-link">%s</a></li>') % (
        build.url("feeds-page"),
        gettext("RSS"),
    )


def one(build: Build) -> list[dict]:
    """The paths of a page kind with exactly one page."""
    return [{}]
