"""Plain data for the reader pages, loaded in bulk.

The renderer (:mod:`broadsheet.newsroom.rendering`) never touches a model instance: it takes the
frozen dataclasses defined here. :class:`LiveSource` loads them from the database with a fixed
number of queries per page (never one per story, link or block), so the same renderer serves a
live request and bakes thousands of pages.

Why our own code: this is the product's hot path (baking), and Wagtail's page rendering goes
through a request and a query per related object.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from broadsheet.discussion.catalogue import DiscussionSource

from .models import Author, NewsroomSettings, SectionPage, StoryAuthor, StoryPage, StoryTag, Tip

logger = logging.getLogger(__name__)

CARD_IMAGE_SPEC = "fill-480x270"
LEAD_IMAGE_SPEC = "fill-1200x675"
BODY_IMAGE_SPEC = "width-1200"
AUTHOR_PHOTO_SPEC = "fill-240x240"
MORE_COUNT = 5  # stories in a story page's "More from <section>" box
MORE_NEWER = 2  # of which at most this many are newer than the story


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A rendition ready for an ``<img>``: URL path, size in pixels, alt text."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Masthead and site-wide notice (from :class:`NewsroomSettings`)."""

    name: str
    tagline: str = ""
    notice_text: str = ""
    notice_link_url: str = ""
    notice_link_text: str = ""
    language: str = "en"
    direction: str = "ltr"
    base_url: str = ""


@dataclass(frozen=True, slots=True)
class SectionRef:
    """A section: ``path`` is the page-tree path (treebeard), ``url`` the public URL path."""

    id: int
    title: str
    slug: str
    url: str
    path: str
    depth: int
    parent_id: int | None
    description: str = ""


@dataclass(frozen=True, slots=True)
class AuthorRef:
    """An author as readers see them (no e-mail address, ever)."""

    id: int
    name: str
    slug: str
    url: str
    bio: str = ""
    photo: ImageRef | None = None


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag and its public URL path."""

    name: str
    slug: str
    url: str


@dataclass(frozen=True, slots=True)
class TipRef:
    """A sidebar tip."""

    id: int
    title: str
    text: str
    link_url: str
    link_text: str
    section_id: int | None


@dataclass(frozen=True, slots=True)
class StoryCard:
    """What a listing shows of a story. Dates are aware datetimes (UTC)."""

    id: int
    headline: str
    standfirst: str
    url: str
    section: SectionRef
    authors: tuple[AuthorRef, ...]
    credit: str
    published_at: dt.datetime
    updated_at: dt.datetime | None
    tags: tuple[TagRef, ...]
    image: ImageRef | None
    comment_count: int = 0  # approved reader comments (broadsheet.discussion)


@dataclass(frozen=True, slots=True)
class Story:
    """A whole story for its page: the card plus dateline, story code, body blocks…

    ``body`` is a list of plain dicts, one per block, with a ``type`` key: ``paragraph``
    (``html``), ``subheading`` (``text``), ``pull_quote`` / ``block_quote`` (``text``,
    ``attribution``), ``image`` (``image``: ImageRef, ``caption``, ``credit``) and ``fact_box``
    (``title``, ``html``).
    """

    card: StoryCard
    dateline_place: str
    dateline_agency: str
    story_code: str
    comments: str
    body: tuple[dict[str, Any], ...]
    lead_image: ImageRef | None
    lead_image_caption: str
    lead_image_credit: str
    search_description: str = ""
    seo_title: str = ""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which stories a listing shows: all, a section (with its subsections), an author, a tag."""

    kind: str = "all"  # "all" | "section" | "author" | "tag"
    section: SectionRef | None = None
    author: AuthorRef | None = None
    tag: TagRef | None = None


@dataclass(slots=True)
class _Prefetch:
    authors: dict[int, list[AuthorRef]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[int, list[TagRef]] = field(default_factory=lambda: defaultdict(list))
    comment_counts: dict[int, int] = field(default_factory=dict)


def page_url_from_url_path(url_path: str, root_url_path: str) -> str:
    """Turn a Wagtail ``url_path`` (``/home/iran/story/``) into a public path (``/iran/story/``).

    Single-site URLs: the site root's own url_path is cut off."""
    if url_path.startswith(root_url_path):
        return "/" + url_path[len(root_url_path) :]
    return url_path


def author_url(slug: str) -> str:
    return f"/authors/{slug}/"


def tag_url(slug: str) -> str:
    return f"/tags/{slug}/"


CARD_FIELDS = (
    "id",
    "title",
    "standfirst",
    "url_path",
    "path",
    "byline_credit",
    "published_at",
    "updated_at",
    "lead_image_id",
)
STORY_FIELDS = (
    *CARD_FIELDS,
    "dateline_place",
    "dateline_agency",
    "story_code",
    "comments",
    "body",
    "lead_image_caption",
    "lead_image_credit",
    "search_description",
    "seo_title",
)


class LiveSource(DiscussionSource):
    """Loads the reader pages' data from the database, in bulk.

    One instance per request (or per bake batch); sections, settings and the root path are
    loaded once per instance. Listing methods return :class:`StoryCard` lists newest first.
    """

    def __init__(self, site: Any = None) -> None:
        from wagtail.models import Site

        self.site = (
            site or Site.objects.select_related("root_page").filter(is_default_site=True).first()
        )
        if self.site is None:
            raise LookupError("No Wagtail site is configured; run `broadsheet demo` or migrate.")
        self.root_url_path = self.site.root_page.url_path
        self.root_path = self.site.root_page.path
        self._sections: dict[int, SectionRef] | None = None
        self._site_info: SiteInfo | None = None

    # -- site-wide -----------------------------------------------------------------------
    def site_info(self) -> SiteInfo:
        """The masthead and notice of the default site."""
        if self._site_info is None:
            s = NewsroomSettings.for_site(self.site)
            self._site_info = SiteInfo(
                name=s.site_name,
                tagline=s.tagline,
                notice_text=s.notice_text,
                notice_link_url=s.notice_link_url,
                notice_link_text=s.notice_link_text,
                base_url=django_settings.BROADSHEET_BASE_URL,
            )
        return self._site_info

    def sections(self) -> dict[int, SectionRef]:
        """Every live section under the site root, keyed by page id, in tree order."""
        if self._sections is None:
            # No path LIKE in SQL: it would read every page row (stories included); sections
            # are few, so they are read whole and filtered here.
            rows = (
                SectionPage.objects.live()
                .order_by("path")
                .values("id", "title", "slug", "url_path", "path", "depth", "description")
            )
            by_path: dict[str, int] = {}
            result: dict[int, SectionRef] = {}
            for r in rows:
                if not r["path"].startswith(self.root_path):
                    continue
                steplen = SectionPage.steplen
                parent_id = by_path.get(r["path"][:-steplen])
                result[r["id"]] = SectionRef(
                    id=r["id"],
                    title=r["title"],
                    slug=r["slug"],
                    url=page_url_from_url_path(r["url_path"], self.root_url_path),
                    path=r["path"],
                    depth=r["depth"],
                    parent_id=parent_id,
                    description=r["description"],
                )
                by_path[r["path"]] = r["id"]
            self._sections = result
        return self._sections

    def section_for_path(self, story_path: str) -> SectionRef:
        parent_path = story_path[: -StoryPage.steplen]
        for section in self.sections().values():
            if section.path == parent_path:
                return section
        raise LookupError(f"story at {story_path} has no live section")

    def top_sections(self) -> list[SectionRef]:
        """Sections directly under the front page, for the navigation bar."""
        depth = self.site.root_page.depth + 1
        return [s for s in self.sections().values() if s.depth == depth]

    def tips(self, section: SectionRef | None = None) -> list[TipRef]:
        """Live tips shown everywhere plus those of ``section`` and its parent sections."""
        section_ids: list[int] = []
        sections = self.sections()
        while section is not None:
            section_ids.append(section.id)
            section = sections.get(section.parent_id) if section.parent_id else None
        rows = Tip.objects.filter(live=True).filter(
            Q(section__isnull=True) | Q(section_id__in=section_ids)
        )
        return [TipRef(t.id, t.title, t.text, t.link_url, t.link_text, t.section_id) for t in rows]

    # -- stories -------------------------------------------------------------------------
    def stories(self) -> QuerySet[StoryPage]:
        """Live, dated stories under this site's root."""
        return StoryPage.objects.live().filter(
            path__startswith=self.root_path, published_at__isnull=False
        )

    def scoped(self, scope: Scope) -> QuerySet[StoryPage]:
        qs = self.stories()
        if scope.kind == "section" and scope.section:
            qs = qs.filter(path__startswith=scope.section.path)
        elif scope.kind == "author" and scope.author:
            qs = qs.filter(story_authors__author_id=scope.author.id)
        elif scope.kind == "tag" and scope.tag:
            qs = qs.filter(tagged_items__tag__slug=scope.tag.slug)
        return qs

    def latest(
        self, limit: int, scope: Scope = Scope(), exclude: int | None = None
    ) -> list[StoryCard]:
        """The ``limit`` newest stories in ``scope``."""
        qs = self.scoped(scope)
        if exclude is not None:
            qs = qs.exclude(id=exclude)
        ids = list(qs.order_by("-published_at", "-id").values_list("id", flat=True)[:limit])
        return self.cards(ids)

    def top_stories(self) -> list[StoryCard]:
        """The editor's picks for the front page, in their order (live stories only)."""
        from .models import FrontPageTopStory

        ids = list(
            FrontPageTopStory.objects.filter(front_page_id=self.site.root_page_id)
            .order_by("sort_order", "id")
            .values_list("story_id", flat=True)
        )
        live = set(self.stories().filter(id__in=ids).values_list("id", flat=True))
        return self.cards([i for i in ids if i in live])

    def count(self, scope: Scope = Scope()) -> int:
        return self.scoped(scope).count()

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        """The stories of ``scope`` nearest to ``card`` in publication order, newest first: up to
        ``newer`` published just after it, the rest (up to ``limit`` in all) just before it.

        Used for a story's "More from <section>" box. Being a window around the story (not the
        section's newest stories) it keeps a publish from changing every story page of the
        section: only the few stories next to the new one in date order (docs/baking.md)."""
        qs = self.scoped(scope)
        if card.id is not None:
            qs = qs.exclude(id=card.id)
        when, ident = card.published_at, card.id or 0
        after = Q(published_at__gt=when) | Q(published_at=when, id__gt=ident)
        after_ids = list(
            qs.filter(after).order_by("published_at", "id").values_list("id", flat=True)[:newer]
        )
        before_ids = list(
            qs.exclude(after)
            .order_by("-published_at", "-id")
            .values_list("id", flat=True)[: limit - len(after_ids)]
        )
        return self.cards([*reversed(after_ids), *before_ids])

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        """Stories ``start``..``stop`` (0-based, end exclusive) counted from the oldest, returned
        newest first: the content of one numbered listing page."""
        ids = list(
            self.scoped(scope)
            .order_by("published_at", "id")
            .values_list("id", flat=True)[start:stop]
        )
        ids.reverse()
        return self.cards(ids)

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        """Stories published in ``[start, end)``, newest first."""
        ids = list(
            self.stories()
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("-published_at", "-id")
            .values_list("id", flat=True)
        )
        return self.cards(ids)

    def month_counts(self) -> list[tuple[int, int, int]]:
        """``(year, month, count)`` for every month with stories, newest first, in the
        newsroom's time zone."""
        tz = timezone.get_current_timezone()
        rows = (
            self.stories()
            .annotate(month=TruncMonth("published_at", tzinfo=tz))
            .values("month")
            .annotate(n=Count("id"))
            .order_by("-month")
        )
        return [(r["month"].year, r["month"].month, r["n"]) for r in rows]

    def authors(self) -> list[AuthorRef]:
        """All authors with at least one live story, by name."""
        ids = set(
            StoryAuthor.objects.filter(story__in=self.stories()).values_list("author_id", flat=True)
        )
        return [self._author_ref(a) for a in Author.objects.filter(id__in=ids).order_by("name")]

    def author(self, slug: str) -> AuthorRef | None:
        a = Author.objects.select_related("photo").filter(slug=slug).first()
        return self._author_ref(a, with_photo=True) if a else None

    def tag(self, slug: str) -> TagRef | None:
        row = (
            StoryTag.objects.filter(tag__slug=slug, content_object__in=self.stories())
            .values("tag__name", "tag__slug")
            .first()
        )
        return (
            TagRef(row["tag__name"], row["tag__slug"], tag_url(row["tag__slug"])) if row else None
        )

    def tags(self) -> list[tuple[TagRef, int]]:
        """Every tag on a live story with its story count, by name."""
        rows = (
            StoryTag.objects.filter(content_object__in=self.stories())
            .values("tag__name", "tag__slug")
            .annotate(n=Count("id"))
            .order_by("tag__name")
        )
        return [
            (TagRef(r["tag__name"], r["tag__slug"], tag_url(r["tag__slug"])), r["n"]) for r in rows
        ]

    def _author_ref(self, a: Author, with_photo: bool = False) -> AuthorRef:
        photo = None
        if with_photo and a.photo_id:
            photo = image_refs([a.photo_id], AUTHOR_PHOTO_SPEC).get(a.photo_id)
        return AuthorRef(a.id, a.name, a.slug, author_url(a.slug), a.bio, photo)

    def _prefetch(self, ids: Sequence[int]) -> _Prefetch:
        pre = _Prefetch()
        for row in (
            StoryAuthor.objects.filter(story_id__in=ids)
            .order_by("sort_order", "id")
            .values("story_id", "author_id", "author__name", "author__slug")
        ):
            slug = row["author__slug"]
            pre.authors[row["story_id"]].append(
                AuthorRef(row["author_id"], row["author__name"], slug, author_url(slug))
            )
        for row in (
            StoryTag.objects.filter(content_object_id__in=ids)
            .order_by("tag__name")
            .values("content_object_id", "tag__name", "tag__slug")
        ):
            pre.tags[row["content_object_id"]].append(
                TagRef(row["tag__name"], row["tag__slug"], tag_url(row["tag__slug"]))
            )
        pre.comment_counts = self.comment_counts(ids)
        return pre

    def _card(self, row: dict[str, Any], pre: _Prefetch, images: dict[int, ImageRef]) -> StoryCard:
        return StoryCard(
            id=row["id"],
            headline=row["title"],
            standfirst=row["standfirst"],
            url=page_url_from_url_path(row["url_path"], self.root_url_path),
            section=self.section_for_path(row["path"]),
            authors=tuple(pre.authors.get(row["id"], ())),
            credit=row["byline_credit"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            tags=tuple(pre.tags.get(row["id"], ())),
            image=images.get(row["lead_image_id"]) if row["lead_image_id"] else None,
            comment_count=pre.comment_counts.get(row["id"], 0),
        )

    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        """Cards for ``ids``, in the order given (ids that are not live are skipped)."""
        if not ids:
            return []
        rows = {r["id"]: r for r in StoryPage.objects.filter(id__in=ids).values(*CARD_FIELDS)}
        pre = self._prefetch(ids)
        images = image_refs({r["lead_image_id"] for r in rows.values()}, CARD_IMAGE_SPEC)
        return [self._card(rows[i], pre, images) for i in ids if i in rows]

    def story(self, page: StoryPage, preview: bool = False) -> Story:
        """The whole story for ``page``. With ``preview`` the unsaved instance is used as is
        (Wagtail's preview), otherwise the stored row."""
        if preview:
            row = {f: getattr(page, f) for f in STORY_FIELDS if f != "body"}
            row["body"] = list(page.body.raw_data)
            row["url_path"] = page.url_path or ""
            row["published_at"] = page.published_at or timezone.now()
            pre = _Prefetch()
            pre.authors[page.id] = [
                AuthorRef(sa.author.id, sa.author.name, sa.author.slug, author_url(sa.author.slug))
                for sa in page.story_authors.all()
                if sa.author_id
            ]
            pre.tags[page.id] = [TagRef(t.name, t.slug, tag_url(t.slug)) for t in page.tags.all()]
        else:
            row = StoryPage.objects.filter(id=page.id).values(*STORY_FIELDS).get()
            pre = self._prefetch([page.id])
        if not preview and row["url_path"] == "":
            row["url_path"] = page.url_path
        card_images = image_refs({row["lead_image_id"]}, CARD_IMAGE_SPEC)
        if preview and page.path == "":
            parent = page.get_parent() if page.id else None
            row["path"] = (parent.path if parent else "") + "0000"
        card = self._card(row, pre, card_images) if _has_section(self, row["path"]) else None
        if card is None:
            raise LookupError(f"story {page.id} is not in a live section")
        return story_from_row(card, row)


def story_from_row(card: StoryCard, row: dict[str, Any]) -> Story:
    """The whole :class:`Story` from its card and its ``STORY_FIELDS`` row (``body`` as a
    StreamValue, JSON text or list): body blocks and the lead and body images' renditions."""
    raw_body = row["body"]
    if hasattr(raw_body, "raw_data"):  # a lazy StreamValue: read its stored JSON
        raw_body = raw_body.raw_data
    if isinstance(raw_body, str):
        raw_body = json.loads(raw_body or "[]")
    raw_body = list(raw_body or [])
    body_image_ids = {
        b["value"].get("image") for b in raw_body if b.get("type") == "image" and b.get("value")
    }
    images = image_refs(body_image_ids, BODY_IMAGE_SPEC)
    lead = image_refs({row["lead_image_id"]}, LEAD_IMAGE_SPEC)
    return Story(
        card=card,
        dateline_place=row["dateline_place"],
        dateline_agency=row["dateline_agency"],
        story_code=row["story_code"],
        comments=row["comments"],
        body=tuple(body_blocks(raw_body, images)),
        lead_image=lead.get(row["lead_image_id"]) if row["lead_image_id"] else None,
        lead_image_caption=row["lead_image_caption"],
        lead_image_credit=row["lead_image_credit"],
        search_description=row["search_description"],
        seo_title=row["seo_title"],
    )


def _has_section(source: LiveSource, path: str) -> bool:
    try:
        source.section_for_path(path)
    except LookupError:
        return False
    return True


def image_refs(ids: Iterable[int | None], spec: str) -> dict[int, ImageRef]:
    """Renditions for the image ids (``None`` ignored), keyed by image id: one query, plus
    the creation of any rendition not made yet."""
    from wagtail.images import get_image_model

    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    result = {}
    for image in get_image_model().objects.filter(id__in=wanted).prefetch_renditions(spec):
        try:
            rendition = image.get_rendition(spec)
        except Exception:  # a missing image file must not take the page down
            logger.warning("image %s has no usable rendition", image.id, exc_info=True)
            continue
        result[image.id] = ImageRef(
            rendition.url, rendition.width, rendition.height, image.default_alt_text
        )
    return result


def rich_text_html(html: str) -> str:
    """Stored rich text (Wagtail's database format) to front-end HTML. Only text that holds
    internal links or embeds needs Wagtail's rewriter (which queries); the rest is used as is."""
    if "linktype=" in html or "<embed" in html:
        from wagtail.rich_text import expand_db_html

        return expand_db_html(html)
    return html


def body_blocks(raw: Iterable[dict[str, Any]], images: dict[int, ImageRef]) -> list[dict[str, Any]]:
    """StreamField raw JSON to the renderer's plain block dicts (see :class:`Story`)."""
    out: list[dict[str, Any]] = []
    for block in raw:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            out.append({"type": kind, "html": rich_text_html(value or "")})
        elif kind == "subheading":
            out.append({"type": kind, "text": value or ""})
        elif kind in ("pull_quote", "block_quote"):
            out.append(
                {
                    "type": kind,
                    "text": value.get("text", ""),
                    "attribution": value.get("attribution", ""),
                }
            )
        elif kind == "image":
            ref = images.get(value.get("image"))
            if ref:
                out.append(
                    {
                        "type": kind,
                        "image": ref,
                        "caption": value.get("caption", ""),
                        "credit": value.get("credit", ""),
                    }
                )
        elif kind == "fact_box":
            out.append(
                {
                    "type": kind,
                    "title": value.get("title", ""),
                    "html": rich_text_html(value.get("body", "")),
                }
            )
    return out
