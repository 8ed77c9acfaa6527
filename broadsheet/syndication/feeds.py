"""RSS 2.0 and Atom 1.0 feeds of the site, a section (with its subsections), an author, a tag.

Built on Django's syndication framework (``django.contrib.syndication.views.Feed``) and its
feed generators (``django.utils.feedgenerator``), which already write RFC 822 dates for RSS
(``email.utils.format_datetime``: English day and month names, Gregorian, whatever the locale)
and RFC 3339 dates for Atom. What we add:

* every string is cleaned of the characters XML 1.0 forbids before the generator sees it
  (:func:`~.text.xml_safe`): Django's writer raises on them, we drop them;
* the full text (RSS ``content:encoded``, Atom ``<content type="html">``) next to the summary;
* the lead image as an RSS ``<enclosure>`` / Atom ``rel="enclosure"`` link and a Media RSS
  ``<media:content>`` element;
* a stable id per story: a ``tag:`` URI (RFC 4151) made from the site's host, a fixed date and
  the story's page id, so it survives a change of headline, slug or section.

Stories come from :class:`~broadsheet.newsroom.catalogue.LiveSource` as ``StoryCard`` lists; the
bodies of all items are loaded in one query (:func:`full_texts`), never one per story.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import feedgenerator
from markupsafe import Markup, escape

from broadsheet.newsroom.catalogue import (
    BODY_IMAGE_SPEC,
    LEAD_IMAGE_SPEC,
    ImageRef,
    LiveSource,
    Scope,
    SectionRef,
    SiteInfo,
    StoryCard,
    body_blocks,
    image_refs,
)
from broadsheet.newsroom.models import StoryPage

from .text import absolute, base_url, site_host, xml_safe

FEED_FORMATS = ("rss", "atom")
MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def feed_count() -> int:
    """How many stories a feed lists (``settings.BROADSHEET_FEED_COUNT``, default 20)."""
    return int(getattr(settings, "BROADSHEET_FEED_COUNT", 20))


# -- URLs ----------------------------------------------------------------------------------------
def site_feed_path(fmt: str) -> str:
    """``/feeds/rss.xml`` or ``/feeds/atom.xml``."""
    return f"/feeds/{fmt}.xml"


def section_feed_path(section_url: str, fmt: str) -> str:
    """``/iran/iran-opposition/feed/rss.xml`` for the section at ``/iran/iran-opposition/``."""
    return f"{section_url}feed/{fmt}.xml"


def author_feed_path(slug: str, fmt: str) -> str:
    """``/authors/<slug>/feed/rss.xml``."""
    return f"/authors/{slug}/feed/{fmt}.xml"


def tag_feed_path(slug: str, fmt: str) -> str:
    """``/tags/<slug>/feed/rss.xml``."""
    return f"/tags/{slug}/feed/{fmt}.xml"


def story_guid(story_id: int) -> str:
    """The stable id of a story in every feed: ``tag:<host>,<date>:story/<page id>`` (RFC 4151).

    ``<date>`` is ``settings.BROADSHEET_TAG_URI_DATE`` (default ``2007-01-01``): a date on which
    the newsroom held its domain; set it once and never change it."""
    host = site_host().split(":")[0] or "localhost"
    date = getattr(settings, "BROADSHEET_TAG_URI_DATE", "2007-01-01")
    return f"tag:{host},{date}:story/{story_id}"


# -- generators ----------------------------------------------------------------------------------
def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class _CleaningMixin:
    """Cleans every string of the feed and its items of XML-forbidden characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        enclosures = kwargs.get("enclosures") or ()
        for enclosure in enclosures:
            enclosure.url = xml_safe(enclosure.url)
        super().add_item(  # type: ignore[misc]
            *(_clean(a) for a in args), **{k: _clean(v) for k, v in kwargs.items()}
        )


def _media_element(handler: Any, image: ImageRef | None) -> None:
    if image is None:
        return
    attrs = {
        "url": absolute(image.url),
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
    """RSS 2.0 with ``content:encoded`` (full text) and Media RSS (lead image)."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = CONTENT_NS
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _media_element(handler, item.get("image"))


class AtomFeedGenerator(_CleaningMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with ``<content type="html">`` (full text) and Media RSS (lead image)."""

    def root_attributes(self) -> dict[str, str]:
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _media_element(handler, item.get("image"))


# -- data ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeedItem:
    """One story of a feed: its card, the summary and full text as HTML, the lead image."""

    card: StoryCard
    summary_html: str
    content_html: str
    image: ImageRef | None


@dataclass(frozen=True, slots=True)
class FeedSubject:
    """What a feed is about: scope, titles and public paths (the page and the feed itself)."""

    site: SiteInfo
    scope: Scope
    title: str
    description: str
    page_path: str
    feed_path: str
    items: tuple[FeedItem, ...]


_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


def _absolutize(html: str) -> str:
    """Feed readers show the text away from the site: make root-relative links absolute."""
    return _RELATIVE_URL.sub(lambda m: m.group(1) + base_url() + "/", html)


def _raw_body(raw: Any) -> list[dict[str, Any]]:
    if hasattr(raw, "raw_data"):
        raw = raw.raw_data
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return list(raw or [])


def body_html(blocks: Sequence[dict[str, Any]]) -> str:
    """The body blocks of a story (``Story.body`` shape) as HTML for a feed reader.

    Pull quotes are left out (on the page they repeat the text for the eye only); paragraphs and
    fact boxes are the sanitised rich text as stored; everything else is escaped."""
    parts: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "paragraph":
            parts.append(str(block["html"]))
        elif kind == "subheading":
            parts.append(Markup("<h2>{}</h2>").format(block["text"]))
        elif kind == "block_quote":
            attribution = (
                Markup("<footer>{}</footer>").format(block["attribution"])
                if block.get("attribution")
                else ""
            )
            parts.append(
                Markup("<blockquote><p>{}</p>{}</blockquote>").format(block["text"], attribution)
            )
        elif kind == "image":
            parts.append(_figure(block["image"], block.get("caption", ""), block.get("credit", "")))
        elif kind == "fact_box":
            parts.append(
                Markup("<aside><h2>{}</h2>{}</aside>").format(
                    block["title"],
                    Markup(block["html"]),  # noqa: S704 — sanitised rich text
                )
            )
    return _absolutize("\n".join(parts))


def _figure(image: ImageRef, caption: str, credit: str) -> str:
    text = " ".join(x for x in (caption, credit) if x)
    return Markup('<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>').format(
        absolute(image.url),
        image.width,
        image.height,
        image.alt,
        Markup("<figcaption>{}</figcaption>").format(text) if text else "",
    )


def full_texts(cards: Sequence[StoryCard]) -> dict[int, tuple[str, ImageRef | None]]:
    """Full-text HTML (dateline, lead image, body) and lead image for each card, by story id.

    One query for the bodies and one per image size, however many cards."""
    from broadsheet.newsroom.rendering import Renderer, dateline_text

    ids = [c.id for c in cards]
    rows = {
        r["id"]: r
        for r in StoryPage.objects.filter(id__in=ids).values(
            "id",
            "body",
            "lead_image_id",
            "lead_image_caption",
            "lead_image_credit",
            "dateline_place",
            "dateline_agency",
        )
    }
    bodies = {i: _raw_body(r["body"]) for i, r in rows.items()}
    body_image_ids = {
        b["value"].get("image")
        for raw in bodies.values()
        for b in raw
        if b.get("type") == "image" and isinstance(b.get("value"), dict)
    }
    body_images = image_refs(body_image_ids, BODY_IMAGE_SPEC)
    leads = image_refs({r["lead_image_id"] for r in rows.values()}, LEAD_IMAGE_SPEC)
    result: dict[int, tuple[str, ImageRef | None]] = {}
    for card in cards:
        row = rows.get(card.id)
        if row is None:
            continue
        dateline = dateline_text(row["dateline_place"], row["dateline_agency"], card.published_at)
        blocks = Renderer.body_with_dateline(
            tuple(body_blocks(bodies[card.id], body_images)), dateline
        )
        lead = leads.get(row["lead_image_id"]) if row["lead_image_id"] else None
        html = body_html(blocks)
        if lead is not None:
            html = _figure(lead, row["lead_image_caption"], row["lead_image_credit"]) + "\n" + html
        result[card.id] = (html, lead)
    return result


def feed_items(cards: Sequence[StoryCard]) -> list[FeedItem]:
    """Feed items for the cards, in their order."""
    texts = full_texts(cards)
    items = []
    for card in cards:
        content, lead = texts.get(card.id, ("", None))
        summary = str(escape(card.standfirst)) if card.standfirst else ""
        items.append(FeedItem(card, summary, content, lead or card.image))
    return items


def subject_for(
    source: LiveSource, kind: str, fmt: str, key: str | None = None
) -> FeedSubject | None:
    """The feed ``kind`` (``site``, ``section``, ``author``, ``tag``) in format ``fmt``; ``key``
    is the section's public path without slashes at the ends, or the author's / tag's slug.
    ``None`` if there is no such section, author or tag."""
    site = source.site_info()
    if kind == "site":
        scope = Scope()
        title, page = site.name, "/"
        description = site.tagline or f"The latest stories from {site.name}"
        feed_path = site_feed_path(fmt)
    elif kind == "section":
        section = section_by_url(source.sections().values(), f"/{key}/")
        if section is None:
            return None
        scope = Scope("section", section=section)
        title, page = f"{section.title} — {site.name}", section.url
        description = section.description or f"The latest stories in {section.title}"
        feed_path = section_feed_path(section.url, fmt)
    elif kind == "author":
        author = source.author(key or "")
        if author is None:
            return None
        scope = Scope("author", author=author)
        title, page = f"{author.name} — {site.name}", author.url
        description = f"The latest stories by {author.name}"
        feed_path = author_feed_path(author.slug, fmt)
    elif kind == "tag":
        tag = source.tag(key or "")
        if tag is None:
            return None
        scope = Scope("tag", tag=tag)
        title, page = f"{tag.name} — {site.name}", tag.url
        description = f"The latest stories on {tag.name}"
        feed_path = tag_feed_path(tag.slug, fmt)
    else:
        return None
    cards = source.latest(feed_count(), scope)
    return FeedSubject(site, scope, title, description, page, feed_path, tuple(feed_items(cards)))


def section_by_url(sections: Iterable[SectionRef], url: str) -> SectionRef | None:
    """The section whose public URL path is ``url`` (``/iran/iran-opposition/``)."""
    return next((s for s in sections if s.url == url), None)


# -- the Django feeds ----------------------------------------------------------------------------
class StoryFeed(Feed):
    """A feed of stories; the URL gives ``kind`` and ``key`` (see :func:`subject_for`)."""

    feed_type: type[feedgenerator.SyndicationFeed] = RssFeedGenerator
    fmt = "rss"

    def get_object(
        self, request: HttpRequest, kind: str = "site", key: str | None = None
    ) -> FeedSubject:
        subject = subject_for(LiveSource(), kind, self.fmt, key)
        if subject is None:
            raise Http404(f"no {kind} feed {key!r}")
        return subject

    def get_feed(self, obj: FeedSubject, request: HttpRequest) -> feedgenerator.SyndicationFeed:
        feed = super().get_feed(obj, request)
        # The language of the newsroom's stories, not the language active for this request.
        feed.feed["language"] = xml_safe(obj.site.language)
        return feed

    def title(self, obj: FeedSubject) -> str:
        return obj.title

    def description(self, obj: FeedSubject) -> str:
        return obj.description

    def subtitle(self, obj: FeedSubject) -> str:
        return obj.description

    def link(self, obj: FeedSubject) -> str:
        return absolute(obj.page_path)

    def feed_url(self, obj: FeedSubject) -> str:
        return absolute(obj.feed_path)

    def feed_guid(self, obj: FeedSubject) -> str:
        return absolute(obj.feed_path)

    def author_name(self, obj: FeedSubject) -> str:
        return obj.site.name

    def items(self, obj: FeedSubject) -> tuple[FeedItem, ...]:
        return obj.items

    def item_title(self, item: FeedItem) -> str:
        return item.card.headline

    def item_description(self, item: FeedItem) -> str | None:
        return item.summary_html or None

    def item_link(self, item: FeedItem) -> str:
        return absolute(item.card.url)

    def item_guid(self, item: FeedItem) -> str:
        return story_guid(item.card.id)

    def item_guid_is_permalink(self, item: FeedItem) -> bool:
        return False

    def item_pubdate(self, item: FeedItem) -> dt.datetime:
        return item.card.published_at

    def item_updateddate(self, item: FeedItem) -> dt.datetime:
        card = item.card
        if card.updated_at and card.updated_at > card.published_at:
            return card.updated_at
        return card.published_at

    def item_author_name(self, item: FeedItem) -> str | None:
        names = [a.name for a in item.card.authors]
        if item.card.credit:
            names.append(item.card.credit)
        return ", ".join(names) or None

    def item_author_link(self, item: FeedItem) -> str | None:
        authors = item.card.authors
        return absolute(authors[0].url) if len(authors) == 1 and not item.card.credit else None

    def item_categories(self, item: FeedItem) -> list[str]:
        return [item.card.section.title, *(t.name for t in item.card.tags)]

    def item_enclosures(self, item: FeedItem) -> list[feedgenerator.Enclosure]:
        image = item.image
        if image is None:
            return []
        mime = mimetypes.guess_type(image.url)[0] or "image/jpeg"
        # The file size is unknown without reading the file; RSS Best Practices: use 0 then.
        return [feedgenerator.Enclosure(absolute(image.url), "0", mime)]

    def item_extra_kwargs(self, item: FeedItem) -> dict[str, Any]:
        return {"content_html": item.content_html, "image": item.image}


class RssStoryFeed(StoryFeed):
    """RSS 2.0 (``application/rss+xml``)."""

    feed_type = RssFeedGenerator
    fmt = "rss"


class AtomStoryFeed(StoryFeed):
    """Atom 1.0 (``application/atom+xml``)."""

    feed_type = AtomFeedGenerator
    fmt = "atom"


FEEDS: dict[str, StoryFeed] = {"rss": RssStoryFeed(), "atom": AtomStoryFeed()}
