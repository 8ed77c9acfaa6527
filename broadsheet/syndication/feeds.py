"""RSS 2.0 and Atom 1.0 (RFC 4287) feeds of the site, a section (with its subsections), an
author and a tag — page kinds ``feed``, ``section-feed``, ``author-feed``, ``tag-feed``.

Written by Django's feed generators (``django.utils.feedgenerator``), which already write
RFC 822 dates for RSS (``email.utils.format_datetime``: English day and month names, Gregorian,
whatever the active language) and RFC 3339 dates for Atom; the arguments are those Django's
``contrib.syndication`` ``Feed`` class would pass, built from the
:class:`~broadsheet.site.build.Build` instead of a request, so a feed served live and the baked
file are the same bytes. What we add:

* every string is cleaned of the characters XML 1.0 forbids before the generator sees it
  (:func:`~.text.xml_safe`): Django's writer raises on them, we drop them;
* the full text (RSS ``content:encoded``, Atom ``<content type="html">``) next to the summary
  (:mod:`.fulltext`, rendered once per build);
* the lead image as an RSS ``<enclosure>`` / Atom ``rel="enclosure"`` link and a Media RSS
  ``<media:content>`` element;
* a stable id per story: a ``tag:`` URI (RFC 4151) made from the site's host, a fixed date and
  the story's page id, so it survives a change of headline, slug or section.

Every URL is absolute on the build's base URL (``build.absolute``).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import feedgenerator
from markupsafe import escape

from broadsheet.site.build import Build
from broadsheet.site.data import ALL, ImageRef, Scope, SectionRef, StoryCard
from broadsheet.site.editions import local_path
from broadsheet.site.registry import NotFound, Rendered

from .fulltext import full_texts
from .text import xml_safe
from .websub import hub_url

FEED_FORMATS = ("rss", "atom")
FEED_LABELS = {"rss": "RSS", "atom": "Atom"}
MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def feed_count() -> int:
    """How many stories a feed lists (``settings.BROADSHEET_FEED_COUNT``, default 20)."""
    return int(getattr(settings, "BROADSHEET_FEED_COUNT", 20))


def tag_date() -> dt.datetime:
    """``settings.BROADSHEET_TAG_URI_DATE`` (default ``2007-01-01``), midnight UTC: a date on
    which the newsroom held its domain (:func:`story_guid`)."""
    day = dt.date.fromisoformat(getattr(settings, "BROADSHEET_TAG_URI_DATE", "2007-01-01"))
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def story_guid(host: str, story_id: int) -> str:
    """The stable id of a story in every feed: ``tag:<host>,<date>:story/<page id>`` (RFC 4151),
    ``host`` being the newsroom's own domain (``build.ctx.tag_authority``: the same in a copy
    baked for a mirror's address; a port is dropped).

    ``<date>`` is ``settings.BROADSHEET_TAG_URI_DATE`` (default ``2007-01-01``): a date on which
    the newsroom held its domain; set it once and never change it."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    date = getattr(settings, "BROADSHEET_TAG_URI_DATE", "2007-01-01")
    return f"tag:{name or 'localhost'},{date}:story/{story_id}"


# -- generators ----------------------------------------------------------------------------------
def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class _CleaningMixin:
    """Cleans every string of the feed and its items of XML-forbidden characters, and dates a
    feed without items (RSS ``lastBuildDate``, Atom ``updated``) :func:`tag_date` rather than
    now (Django's choice), so that an empty feed's bytes depend on nothing but the content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        for enclosure in kwargs.get("enclosures") or ():
            enclosure.url = xml_safe(enclosure.url)
        super().add_item(  # type: ignore[misc]
            *(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()}
        )

    def latest_post_date(self) -> dt.datetime:
        items = self.items  # type: ignore[attr-defined]
        if any(item.get("updateddate") or item.get("pubdate") for item in items):
            return super().latest_post_date()  # type: ignore[misc]
        return tag_date()


def _media_element(handler: Any, item: dict[str, Any]) -> None:
    """Media RSS ``<media:content>`` (with ``<media:description>``: the alt text) of the item's
    image; ``item["image_url"]`` is its absolute URL."""
    image: ImageRef | None = item.get("image")
    if image is None:
        return
    attrs = {
        "url": item["image_url"],
        "medium": "image",
        "width": str(image.width),
        "height": str(image.height),
    }
    mime = mimetypes.guess_type(image.url)[0]
    if mime:
        attrs["type"] = mime
    if image.alt:
        handler.startElement("media:content", attrs)
        handler.addQuickElement("media:description", xml_safe(image.alt), {"type": "plain"})
        handler.endElement("media:content")
    else:
        handler.addQuickElement("media:content", "", attrs)


class RssFeedGenerator(_CleaningMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with ``content:encoded`` (full text) and Media RSS (lead image).
    Content type ``application/rss+xml; charset=utf-8``."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = CONTENT_NS
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):  # WebSub §4, beside the rel="self" link
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _media_element(handler, item)


class AtomFeedGenerator(_CleaningMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 (RFC 4287) with ``<content type="html">`` (full text) and Media RSS (lead
    image). Content type ``application/atom+xml; charset=utf-8``."""

    def root_attributes(self) -> dict[str, str]:
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):  # WebSub §4
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _media_element(handler, item)


GENERATORS: dict[str, type[feedgenerator.SyndicationFeed]] = {
    "rss": RssFeedGenerator,
    "atom": AtomFeedGenerator,
}
CONTENT_TYPES = {fmt: cls.content_type for fmt, cls in GENERATORS.items()}


# -- what a feed is about ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeedSubject:
    """What a feed lists and how it is titled: ``scope`` (its stories), ``title``,
    ``description``, ``page_path`` (the HTML page it follows) and ``feed_path`` (its own URL
    path), both public paths."""

    scope: Scope
    title: str
    description: str
    page_path: str
    feed_path: str


def sections_by_url(build: Build) -> dict[str, SectionRef]:
    """Every live section by public URL path (``/iran/iran-opposition/``), once per build."""
    key = "syndication:sections-by-url"
    found = build.cache.get(key)
    if found is None:
        found = build.cache[key] = {s.url: s for s in build.read.sections().values()}
    return found


def site_subject(build: Build, fmt: str) -> FeedSubject:
    """The whole site's feed."""
    site = build.read.site_info()
    description = site.tagline or f"The latest stories from {site.name}"
    return FeedSubject(ALL, site.name, description, build.url("front"), build.url("feed", fmt=fmt))


def section_subject(build: Build, path: str, fmt: str) -> FeedSubject:
    """The feed of the section at ``/<path>/`` and its subsections (:class:`NotFound`)."""
    section = sections_by_url(build).get(f"{build.ctx.prefix}/{path}/")
    if section is None:
        raise NotFound(f"no section /{path}/")
    site = build.read.site_info()
    return FeedSubject(
        Scope.section(section),
        f"{section.title} — {site.name}",
        section.description or f"The latest stories in {section.title}",
        section.url,
        build.url("section-feed", path=section_param(section), fmt=fmt),
    )


def author_subject(build: Build, slug: str, fmt: str) -> FeedSubject:
    """The feed of the author ``slug`` (:class:`NotFound`)."""
    author = build.read.author(slug)
    if author is None:
        raise NotFound(f"no author {slug}")
    site = build.read.site_info()
    return FeedSubject(
        Scope.author(author),
        f"{author.name} — {site.name}",
        f"The latest stories by {author.name}",
        author.url,
        build.url("author-feed", slug=author.slug, fmt=fmt),
    )


def tag_subject(build: Build, slug: str, fmt: str) -> FeedSubject:
    """The feed of the tag ``slug`` (:class:`NotFound` unless a public story has it)."""
    tag = build.read.tag(slug)
    if tag is None:
        raise NotFound(f"no tag {slug}")
    site = build.read.site_info()
    return FeedSubject(
        Scope.tag(tag),
        f"{tag.name} — {site.name}",
        f"The latest stories on {tag.name}",
        tag.url,
        build.url("tag-feed", slug=tag.slug, fmt=fmt),
    )


def section_param(section: SectionRef) -> str:
    """The ``path`` param of a section's routes: its URL without slashes at the ends."""
    return local_path(section.url).strip("/")


# -- writing -------------------------------------------------------------------------------------
def _author_name(card: StoryCard) -> str | None:
    names = [a.name for a in card.authors]
    if card.credit:
        names.append(card.credit)
    return ", ".join(names) or None


def _add_item(
    build: Build,
    feed: feedgenerator.SyndicationFeed,
    card: StoryCard,
    html: str,
    image: ImageRef | None,
) -> None:
    """Add ``card`` to ``feed`` as Django's ``Feed`` would (title, absolute link, escaped
    standfirst as summary, ``tag:`` id, dates, byline, section and tags as categories), with the
    full text ``html`` and ``image`` (enclosure and ``media:content``)."""
    author_name = _author_name(card)
    author_link = None
    if author_name is not None and len(card.authors) == 1 and not card.credit:
        author_link = build.absolute(xml_safe(card.authors[0].url))
    image_url = build.absolute(xml_safe(image.url)) if image is not None else ""
    enclosures = []
    if image is not None:
        mime = mimetypes.guess_type(image.url)[0] or "image/jpeg"
        # The file size is unknown without reading the file; RSS Best Practices: use 0 then.
        enclosures.append(feedgenerator.Enclosure(image_url, "0", mime))
    feed.add_item(
        title=card.headline,
        link=build.absolute(xml_safe(card.url)),
        description=str(escape(card.standfirst)) if card.standfirst else None,
        unique_id=story_guid(build.ctx.tag_authority, card.id),
        unique_id_is_permalink=False,
        enclosures=enclosures,
        pubdate=card.published_at,
        updateddate=card.lastmod,
        author_name=author_name,
        author_email=None,
        author_link=author_link,
        comments=None,
        categories=[card.section.title, *(t.name for t in card.tags)],
        item_copyright=None,
        content_html=html,
        image=image,
        image_url=image_url,
    )


def write_feed(build: Build, subject: FeedSubject, fmt: str) -> bytes:
    """The feed of ``subject`` in format ``fmt`` (``rss``: RSS 2.0; ``atom``: Atom 1.0) as
    UTF-8 XML: the newest :func:`feed_count` stories of its scope, newest first."""
    site = build.read.site_info()
    feed_url = build.absolute(xml_safe(subject.feed_path))
    feed = GENERATORS[fmt](
        title=subject.title,
        subtitle=subject.description,
        link=build.absolute(xml_safe(subject.page_path)),
        description=subject.description,
        # the language of the newsroom's stories, not the language active for this request
        language=build.ctx.language,
        feed_url=feed_url,
        author_name=site.name,
        author_link=None,
        author_email=None,
        categories=None,
        feed_copyright=None,
        feed_guid=feed_url,
        ttl=None,
        stylesheets=None,
        hub=xml_safe(hub_url()) or None,
    )
    cards = build.read.latest(feed_count(), subject.scope)
    texts = full_texts(build, cards)
    for card in cards:
        text = texts.get(card.id)
        html = text.html if text is not None else ""
        lead = text.lead_image if text is not None else None
        _add_item(build, feed, card, html, lead or card.image)
    return feed.writeString("utf-8").encode("utf-8")


def _rendered(build: Build, subject: FeedSubject, fmt: str) -> Rendered:
    if fmt not in GENERATORS:
        raise NotFound(f"no feed format {fmt}")
    return Rendered(200, subject.feed_path, write_feed(build, subject, fmt), CONTENT_TYPES[fmt])


# -- page kinds ----------------------------------------------------------------------------------
def site_feed(build: Build, fmt: str) -> Rendered:
    """``/feeds/<fmt>.xml``: the site's feed."""
    return _rendered(build, site_subject(build, fmt), fmt)


def section_feed(build: Build, path: str, fmt: str) -> Rendered:
    """``/<section path>/feed/<fmt>.xml``: a section and its subsections (:class:`NotFound`)."""
    return _rendered(build, section_subject(build, path, fmt), fmt)


def author_feed(build: Build, slug: str, fmt: str) -> Rendered:
    """``/authors/<slug>/feed/<fmt>.xml``: an author's stories (:class:`NotFound`)."""
    return _rendered(build, author_subject(build, slug, fmt), fmt)


def tag_feed(build: Build, slug: str, fmt: str) -> Rendered:
    """``/tags/<slug>/feed/<fmt>.xml``: a tag's stories (:class:`NotFound`)."""
    return _rendered(build, tag_subject(build, slug, fmt), fmt)


def _formats(params: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # both formats of a subject one after the other: they share the stories' full texts
    for p in params:
        for fmt in FEED_FORMATS:
            yield {**p, "fmt": fmt}


def site_feed_paths(build: Build) -> Iterator[dict[str, Any]]:
    """Params of the site's feeds: ``{"fmt": "rss"}``, ``{"fmt": "atom"}``."""
    return _formats([{}])


def section_feed_paths(build: Build) -> Iterator[dict[str, Any]]:
    """Params of every live section's feeds (``path``, ``fmt``), in tree order."""
    return _formats({"path": section_param(s)} for s in build.read.sections().values())


def author_feed_paths(build: Build) -> Iterator[dict[str, Any]]:
    """Params of the author feeds (``slug``, ``fmt``): one for every author page, so that each
    page's ``<link rel="alternate">`` leads to a baked file — the slugs the ``author`` page kind
    enumerates if a feature declares it, else the authors with public stories."""
    page = build.registry.kinds.get("author")
    if page is not None and page.paths is not None:
        slugs = [p["slug"] for p in page.paths(build)]
    else:
        slugs = [a.slug for a in build.read.authors()]
    return _formats({"slug": s} for s in dict.fromkeys(slugs))


def tag_feed_paths(build: Build) -> Iterator[dict[str, Any]]:
    """Params of the feeds of every tag on a public story (``slug``, ``fmt``)."""
    return _formats({"slug": tag.slug} for tag, _count in build.read.tags())


def media_type(fmt: str) -> str:
    """``application/rss+xml`` / ``application/atom+xml`` (without parameters)."""
    return CONTENT_TYPES[fmt].split(";")[0]
