"""The newsletter's reader pages: ``/newsletter/`` (baked, per edition: the subscribe form and
the section lists) and the subscribe block of every page's footer (slot ``footer_nav``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from broadsheet.site.build import Build
from broadsheet.site.registry import NotFound, Rendered

from .views import HONEYPOT, section_lists


def newsletter(build: Build) -> Rendered:
    """``/newsletter/``: subscribe with an e-mail address alone, to the edition's newsletter
    and, if the newsroom has made section lists, to sections. None in a frozen archive
    (``NotFound``): it takes no subscriptions."""
    if build.read.site_info().frozen:
        raise NotFound("newsletter: the site is frozen")
    return build.render(
        "newsletter.html",
        build.url("newsletter"),
        subscribe_url=build.urls.live("newsletter-subscribe"),
        lists=section_lists(build),
        honeypot=HONEYPOT,
    )


def one(build: Build) -> list[dict[str, Any]]:
    """The one page of the kind (none in a frozen archive)."""
    return [] if build.read.site_info().frozen else [{}]


def footer_block(build: Build, context: Mapping[str, Any]) -> Markup:
    """The subscribe block of every page's footer: an address field and a button (slot
    ``footer_nav``; a list item, as the footer's other entries). Nothing in a frozen
    archive."""
    if build.read.site_info().frozen:
        return Markup("")
    return build.renderer.render_string(
        "_newsletter_footer.html",
        {
            "subscribe_url": build.urls.live("newsletter-subscribe"),
            "newsletter_url": build.url("newsletter"),
            "honeypot": HONEYPOT,
        },
    )
