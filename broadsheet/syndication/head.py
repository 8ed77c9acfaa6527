"""What syndication adds to the ``<head>`` of every reader page (template slot ``head``): Open
Graph and Twitter card tags, schema.org JSON-LD (``NewsArticle`` + ``BreadcrumbList`` on
stories, ``CollectionPage`` + ``BreadcrumbList`` on section fronts, ``WebSite`` on the front
page), and the feed links (``<link rel="alternate">``, RSS 2.0 and Atom 1.0).

Built only from the page's template context (``site``, ``path``, ``template``, ``story``,
``card``, ``section``, ``parents``, ``author``, ``tag``, ``stories``, ``dateline``) and the
build's URLs: no read, no query. Every absolute URL is ``build.absolute(path)``, so a bake for
another base URL changes all of them.

JSON-LD is made safe inside ``<script>`` the way Django's ``json_script`` does it: ``<``, ``>``
and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026``, so no text can close the script element;
strings are first cleaned of XML-forbidden characters and lone surrogates (which could not be
encoded as UTF-8 at all). Dates are RFC 3339 in the newsroom's time zone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from markupsafe import Markup, escape

from broadsheet.site.build import Build
from broadsheet.site.dates import iso
from broadsheet.site.editions import alternates, front_alternates

from .feeds import FEED_FORMATS, FEED_LABELS, media_type, section_param
from .text import xml_safe

SCHEMA = "https://schema.org"
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def json_ld(data: Any) -> Markup:
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML."""
    text = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    safe = text.translate(_JSON_ESCAPES)  # no <, > or & left
    return Markup('<script type="application/ld+json">' + safe + "</script>")  # noqa: S704


def _iso(value: Any) -> str | None:
    return iso(value) or None


def _absolute(build: Build, path: str) -> str:
    return build.absolute(xml_safe(path))


def _publisher(build: Build, site: Any) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.name, "url": _absolute(build, "/")}


def breadcrumbs(build: Build, trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A schema.org ``BreadcrumbList`` from ``(name, path)`` pairs, outermost first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": _absolute(build, path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def news_article(build: Build, context: Mapping[str, Any]) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of a story page (``story``, ``card``, ``dateline``)."""
    site, story, card = context["site"], context["story"], context["card"]
    url = _absolute(build, card.url)
    authors: list[dict[str, Any]] = [
        {"@type": "Person", "name": a.name, "url": _absolute(build, a.url)} for a in card.authors
    ]
    if card.credit:
        authors.append({"@type": "Organization", "name": card.credit})
    modified = card.updated_at if card.updated_at else card.published_at
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": card.headline,
        "datePublished": _iso(card.published_at),
        "dateModified": _iso(modified),
        "author": authors or [_publisher(build, site)],
        "publisher": _publisher(build, site),
        "articleSection": card.section.title,
        "inLanguage": build.ctx.language,
        "isAccessibleForFree": True,
    }
    description = story.search_description or card.standfirst
    if description:
        data["description"] = description
    image = story.lead_image or card.image
    if image is not None:
        data["image"] = [_absolute(build, image.url)]
    dateline = (context.get("dateline") or "").removesuffix(" –").strip()
    if dateline:
        data["dateline"] = dateline
    if card.tags:
        data["keywords"] = [t.name for t in card.tags]
    if story.story_code:
        data["identifier"] = story.story_code
    return {k: v for k, v in data.items() if v is not None}


def collection_page(build: Build, context: Mapping[str, Any]) -> dict[str, Any]:
    """The schema.org ``CollectionPage`` of a section front (``section``, ``stories``)."""
    site, section = context["site"], context["section"]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": section.title,
        "url": _absolute(build, context["path"]),
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": _absolute(build, "/")},
        "inLanguage": build.ctx.language,
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": i,
                    "url": _absolute(build, c.url),
                    "name": c.headline,
                }
                for i, c in enumerate(context.get("stories") or (), start=1)
            ],
        },
    }
    if section.description:
        data["description"] = section.description
    return data


def _meta(prop: str, content: Any, attr: str = "property") -> str:
    # attr and prop are our own constants; only the content is escaped (a hot path of bakes:
    # thirteen of these on every story page)
    return f'<meta {attr}="{prop}" content="{escape(xml_safe(content))}">\n'


def social_tags(build: Build, context: Mapping[str, Any]) -> Markup:
    """Open Graph and Twitter card ``<meta>`` tags of a story page."""
    site, story, card = context["site"], context["story"], context["card"]
    description = story.search_description or card.standfirst
    image = story.lead_image or card.image
    tags = [
        _meta("og:type", "article"),
        _meta("og:site_name", site.name),
        _meta("og:title", card.headline),
        _meta("og:url", _absolute(build, card.url)),
        _meta("og:locale", build.ctx.language.replace("-", "_")),
        _meta("article:published_time", _iso(card.published_at)),
    ]
    if description:
        tags.append(_meta("og:description", description))
    if card.updated_at:
        tags.append(_meta("article:modified_time", _iso(card.updated_at)))
    tags.append(_meta("article:section", card.section.title))
    tags += [_meta("article:tag", t.name) for t in card.tags]
    if image is not None:
        tags += [
            _meta("og:image", _absolute(build, image.url)),
            _meta("og:image:width", image.width),
            _meta("og:image:height", image.height),
        ]
        if image.alt:
            tags.append(_meta("og:image:alt", image.alt))
    card_type = "summary_large_image" if image is not None else "summary"
    tags += [
        _meta("twitter:card", card_type, "name"),
        _meta("twitter:title", card.headline, "name"),
    ]
    if description:
        tags.append(_meta("twitter:description", description, "name"))
    if image is not None:
        tags.append(_meta("twitter:image", _absolute(build, image.url), "name"))
        if image.alt:
            tags.append(_meta("twitter:image:alt", image.alt, "name"))
    return Markup("".join(tags))  # noqa: S704 - every part escaped by _meta


def _trail(build: Build, context: Mapping[str, Any]) -> list[tuple[str, str]]:
    home = (gettext("Home"), build.url("front"))
    return [home, *((p.title, p.url) for p in context.get("parents") or ())]


def language_alternates(build: Build, context: Mapping[str, Any]) -> Markup:
    """``<link rel="alternate" hreflang>`` of a story or front page that exists in other
    editions: the page itself and each translation (every version lists the same set)."""
    template = context.get("template")
    if template == "story.html" and context.get("card") is not None and context["card"].id:
        own, others = context["card"].url, alternates(build, context["card"].id)
    elif template == "front.html":
        own, others = build.url("front"), front_alternates(build)
    else:
        return Markup("")
    if not others:
        return Markup("")
    links = [(build.ctx.language, own), *((a.language, a.url) for a in others)]
    return Markup("").join(
        Markup('<link rel="alternate" hreflang="{}" href="{}">\n').format(
            lang, _absolute(build, url)
        )
        for lang, url in sorted(links)
    )


def structured_head(build: Build, context: Mapping[str, Any]) -> Markup:
    """Open Graph / Twitter tags and JSON-LD for the page rendered from ``context["template"]``
    (``story.html``, ``section.html``, ``front.html``; nothing for other pages)."""
    template = context.get("template")
    if template == "story.html" and context.get("story") is not None:
        card = context["card"]
        trail = _trail(build, context)
        trail += [(card.section.title, card.section.url), (card.headline, card.url)]
        return (
            social_tags(build, context)
            + json_ld(news_article(build, context))
            + json_ld(breadcrumbs(build, trail))
        )
    if template == "section.html" and context.get("section") is not None:
        section = context["section"]
        trail = [*_trail(build, context), (section.title, section.url)]
        return json_ld(collection_page(build, context)) + json_ld(breadcrumbs(build, trail))
    if template == "front.html":
        site = context["site"]
        return json_ld(
            {
                "@context": SCHEMA,
                "@type": "WebSite",
                "name": site.name,
                "url": _absolute(build, build.url("front")),
            }
        )
    return Markup("")


def feed_links(build: Build, context: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(title, url path, media type)`` of the feeds a reader page offers: the site's, and
    those of the page's ``section``, ``author`` or ``tag`` (a story page offers its section's).
    ``context`` is the page's template context; reads nothing."""
    site = context["site"]
    links: list[tuple[str, str, str]] = []

    def add(title: str, kind: str, **params: Any) -> None:
        for fmt in FEED_FORMATS:
            path = build.url(kind, fmt=fmt, **params)
            links.append((f"{title} ({FEED_LABELS[fmt]})", path, media_type(fmt)))

    add(site.name, "feed")
    section = context.get("section")
    if section is not None:
        add(f"{section.title} — {site.name}", "section-feed", path=section_param(section))
    author = context.get("author")
    if author is not None and hasattr(author, "slug"):
        add(f"{author.name} — {site.name}", "author-feed", slug=author.slug)
    tag = context.get("tag")
    if tag is not None and hasattr(tag, "slug"):
        add(f"{tag.name} — {site.name}", "tag-feed", slug=tag.slug)
    return links


def feed_link_tags(build: Build, context: Mapping[str, Any]) -> Markup:
    """``<link rel="alternate" type=… title=… href=…>`` of the feeds the page offers, one per
    line (:func:`feed_links`)."""
    return Markup(  # noqa: S704 - every part escaped
        "\n".join(
            f'<link rel="alternate" type="{escape(kind)}" title="{escape(title)}" '
            f'href="{escape(url)}">'
            for title, url, kind in feed_links(build, context)
        )
    )


def head(build: Build, context: Mapping[str, Any]) -> Markup:
    """The ``head`` slot: :func:`structured_head`, :func:`feed_link_tags`, then
    :func:`language_alternates`."""
    return (
        structured_head(build, context)
        + feed_link_tags(build, context)
        + language_alternates(build, context)
    )
