"""What syndication adds to the ``<head>`` of every reader page: feed links
(``<link rel="alternate">``), Open Graph and Twitter card tags, and schema.org JSON-LD
(``NewsArticle`` + ``BreadcrumbList`` on stories, ``CollectionPage`` on section fronts,
``WebSite`` on the front page).

Built only from the plain data the renderer already has (``Story``, ``StoryCard``,
``SectionRef``…): no query. :func:`head_context` is called by ``Renderer.render``.

JSON-LD is made safe inside ``<script>`` the way Django's ``json_script`` does it: ``<``, ``>``
and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026``, so no text can close the script element;
strings are first cleaned of XML-forbidden characters and lone surrogates (which could not be
encoded as UTF-8 at all).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from .feeds import FEED_FORMATS, author_feed_path, section_feed_path, site_feed_path, tag_feed_path
from .text import absolute, xml_safe

FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
FEED_LABELS = {"rss": "RSS", "atom": "Atom"}
SCHEMA = "https://schema.org"
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def feed_links(context: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(title, url path, media type)`` of the feeds a page offers: the site's, and those of the
    page's section, author or tag (a story page offers its section's)."""
    site = context["site"]
    links: list[tuple[str, str, str]] = []

    def add(title: str, path_for: Any) -> None:
        for fmt in FEED_FORMATS:
            links.append((f"{title} ({FEED_LABELS[fmt]})", path_for(fmt), FEED_TYPES[fmt]))

    add(site.name, site_feed_path)
    section = context.get("section")
    if section is not None:
        add(f"{section.title} — {site.name}", lambda f: section_feed_path(section.url, f))
    author = context.get("author")
    if author is not None and hasattr(author, "slug"):
        add(f"{author.name} — {site.name}", lambda f: author_feed_path(author.slug, f))
    tag = context.get("tag")
    if tag is not None and hasattr(tag, "slug"):
        add(f"{tag.name} — {site.name}", lambda f: tag_feed_path(tag.slug, f))
    return links


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
    return Markup('<script type="application/ld+json">{}</script>').format(
        Markup(text.translate(_JSON_ESCAPES))  # noqa: S704 — no <, > or & left
    )


def _iso(value: Any) -> str | None:
    from broadsheet.newsroom.rendering import iso

    return iso(value) or None


def _publisher(site: Any) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.name, "url": absolute("/")}


def breadcrumbs(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A schema.org ``BreadcrumbList`` from ``(name, path)`` pairs, outermost first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def news_article(context: Mapping[str, Any]) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of a story page (``story``, ``card``, ``dateline``)."""
    site, story, card = context["site"], context["story"], context["card"]
    url = absolute(card.url)
    authors: list[dict[str, Any]] = [
        {"@type": "Person", "name": a.name, "url": absolute(a.url)} for a in card.authors
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
        "author": authors or [_publisher(site)],
        "publisher": _publisher(site),
        "articleSection": card.section.title,
        "inLanguage": site.language,
        "isAccessibleForFree": True,
    }
    description = story.search_description or card.standfirst
    if description:
        data["description"] = description
    image = story.lead_image or card.image
    if image is not None:
        data["image"] = [absolute(image.url)]
    dateline = (context.get("dateline") or "").removesuffix(" –").strip()
    if dateline:
        data["dateline"] = dateline
    if card.tags:
        data["keywords"] = [t.name for t in card.tags]
    if story.story_code:
        data["identifier"] = story.story_code
    return {k: v for k, v in data.items() if v is not None}


def collection_page(context: Mapping[str, Any]) -> dict[str, Any]:
    """The schema.org ``CollectionPage`` of a section front (``section``, ``stories``)."""
    site, section = context["site"], context["section"]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": section.title,
        "url": absolute(context["path"]),
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": absolute("/")},
        "inLanguage": site.language,
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": i, "url": absolute(c.url), "name": c.headline}
                for i, c in enumerate(context.get("stories") or (), start=1)
            ],
        },
    }
    if section.description:
        data["description"] = section.description
    return data


def _meta(prop: str, content: Any, attr: str = "property") -> Markup:
    return Markup('<meta {}="{}" content="{}">\n').format(attr, prop, xml_safe(content))


def social_tags(context: Mapping[str, Any]) -> Markup:
    """Open Graph and Twitter card ``<meta>`` tags of a story page."""
    site, story, card = context["site"], context["story"], context["card"]
    description = story.search_description or card.standfirst
    image = story.lead_image or card.image
    tags = [
        _meta("og:type", "article"),
        _meta("og:site_name", site.name),
        _meta("og:title", card.headline),
        _meta("og:url", absolute(card.url)),
        _meta("og:locale", site.language.replace("-", "_")),
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
            _meta("og:image", absolute(image.url)),
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
        tags.append(_meta("twitter:image", absolute(image.url), "name"))
        if image.alt:
            tags.append(_meta("twitter:image:alt", image.alt, "name"))
    return Markup("").join(tags)


def structured_head(template: str, context: Mapping[str, Any]) -> Markup:
    """Open Graph / Twitter tags and JSON-LD for the page rendered from ``template``."""
    site = context["site"]
    if template == "story.html" and context.get("story") is not None:
        card = context["card"]
        trail = [("Home", "/")]
        trail += [(p.title, p.url) for p in context.get("parents") or ()]
        trail += [(card.section.title, card.section.url), (card.headline, card.url)]
        return social_tags(context) + json_ld(news_article(context)) + json_ld(breadcrumbs(trail))
    if template == "section.html" and context.get("section") is not None:
        section = context["section"]
        trail = [("Home", "/")]
        trail += [(p.title, p.url) for p in context.get("parents") or ()]
        trail.append((section.title, section.url))
        return json_ld(collection_page(context)) + json_ld(breadcrumbs(trail))
    if template == "front.html":
        return json_ld(
            {"@context": SCHEMA, "@type": "WebSite", "name": site.name, "url": absolute("/")}
        )
    return Markup("")


def head_context(template: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """Extra template context for ``Renderer.render``: ``feeds`` (list of
    ``(title, url path, media type)``) and ``syndication_head`` (safe HTML for ``<head>``)."""
    return {
        "feeds": feed_links(context),
        "syndication_head": structured_head(template, context),
    }
