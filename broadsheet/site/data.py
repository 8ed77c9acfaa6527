"""The plain data every reader page is rendered from: frozen dataclasses, no model instances.

A read model (:mod:`.readmodel`) answers with these; the renderer and every page kind read only
these. Dates are aware ``datetime`` values in UTC; URLs are public URL paths (``/iran/story/``),
built by the site model (:mod:`.urls`), never absolute — the context adds the base URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A rendition ready for an ``<img>``: URL path, size in pixels, alt text, and the
    ``srcset`` of the same image at other widths (``"/media/…480.jpg 480w, …"``; ``""``: none)."""

    url: str
    width: int
    height: int
    alt: str
    srcset: str = ""


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Masthead and site-wide notice (from the newsroom settings of the site). ``frozen``: the
    site is in archive mode (``broadsheet freeze``): the notice is then the closing notice."""

    name: str
    tagline: str = ""
    notice_text: str = ""
    notice_link_url: str = ""
    notice_link_text: str = ""
    frozen: bool = False


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
    last_published_at: dt.datetime | None = None
    lead_id: int | None = None  # the lead story an editor chose (shown first), if any
    in_menus: bool = True  # in the site's navigation (Wagtail's "Show in menus")


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
    """A tag (``id`` of taggit's Tag) and its public URL path."""

    id: int
    name: str
    slug: str
    url: str


@dataclass(frozen=True, slots=True)
class TipRef:
    """A sidebar tip; ``section_id`` None shows everywhere."""

    id: int
    title: str
    text: str
    link_url: str
    link_text: str
    section_id: int | None


@dataclass(frozen=True, slots=True)
class MirrorRef:
    """Another address of the site (``broadsheet.content.newsroom.Mirror``): ``url``,
    ``kind`` (``mirror``, ``onion``, ``ipfs``), a ``note`` for readers, and when the newsroom
    listed and last changed it (aware datetimes, UTC)."""

    id: int
    url: str
    kind: str
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoryCard:
    """What a listing shows of a story. Dates are aware datetimes (UTC); ``lastmod`` is the later
    of the publication and update dates (sitemaps)."""

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
    comment_count: int = 0  # approved reader comments
    on_front: bool = True  # False: hidden from the front page's lists by an editor

    @property
    def key(self) -> tuple[dt.datetime, int]:
        """The story's place in listing order."""
        return (self.published_at, self.id)

    @property
    def lastmod(self) -> dt.datetime:
        if self.updated_at is not None and self.updated_at > self.published_at:
            return self.updated_at
        return self.published_at


@dataclass(frozen=True, slots=True)
class Story:
    """A whole story for its page: the card plus dateline, story code, body blocks…

    ``body`` is a tuple of plain dicts, one per block, with a ``type`` key: ``paragraph``
    (``html``), ``subheading`` (``text``), ``pull_quote`` / ``block_quote`` (``text``,
    ``attribution``), ``image`` (``image``: ImageRef, ``caption``, ``credit``) and ``fact_box``
    (``title``, ``html``). ``comments`` is the story's own comments state (``open``,
    ``closed``, ``hidden``).
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
    corrections: tuple[CorrectionRef, ...] = ()


@dataclass(frozen=True, slots=True)
class CorrectionRef:
    """A dated correction or update note on a story: ``kind`` (``correction``, ``update``),
    ``label`` ("Correction"), ``noted_at`` (aware, UTC), ``text`` (plain text)."""

    id: int
    story_id: int
    kind: str
    label: str
    noted_at: dt.datetime
    text: str


@dataclass(frozen=True, slots=True)
class InfoRef:
    """An information page (about us, corrections policy…): title, body HTML (sanitised rich
    text), public URL path and last publication."""

    id: int
    title: str
    body_html: str
    url: str
    last_published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Scope:
    """Which stories a listing shows: all, a section (with its subsections), an author, a tag;
    or those of the front page's lists: every story, or a section's, but the stories hidden
    from the front page.

    ``key`` is the listing's name in the listing index (``all``, ``section:5``, ``author:7``,
    ``tag:12``, ``front``, ``front-section:5``)."""

    kind: str = "all"  # "all" | "section" | "author" | "tag" | "front" | "front-section"
    id: int | None = None

    @property
    def key(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    @classmethod
    def front(cls) -> Scope:
        """The front page's list of latest stories (those hidden from it left out)."""
        return cls("front")

    @classmethod
    def front_section(cls, section: SectionRef) -> Scope:
        """A section's block on the front page (its stories hidden from the front left out)."""
        return cls("front-section", section.id)

    @classmethod
    def section(cls, section: SectionRef) -> Scope:
        return cls("section", section.id)

    @classmethod
    def author(cls, author: AuthorRef) -> Scope:
        return cls("author", author.id)

    @classmethod
    def tag(cls, tag: TagRef) -> Scope:
        return cls("tag", tag.id)


ALL = Scope()


@dataclass(frozen=True, slots=True)
class ScopeStat:
    """A listing's size and dates: ``count`` stories, the newest ``published_at``, and
    ``lastmod`` (the latest publication or update of any of its stories)."""

    key: str
    count: int
    newest: dt.datetime | None
    lastmod: dt.datetime | None


@dataclass(frozen=True, slots=True)
class MonthStat:
    """A month of the archive (newsroom time zone): its stories' count and lastmod."""

    year: int
    month: int
    count: int
    lastmod: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DiscussionInfo:
    """The site's discussion settings. ``frozen``: archive mode — every reader form is closed
    (comments, guestbook, letters, messages to authors), whatever the switches say."""

    comments_enabled: bool = True
    close_after_days: int = 0
    guestbook_enabled: bool = True
    frozen: bool = False


@dataclass(frozen=True, slots=True)
class CommentRef:
    """An approved comment as readers see it: no e-mail or address, ever. ``url`` is the
    commenter's web site (http/https only, imported comments), ``replies`` its approved replies
    oldest first."""

    id: int
    name: str
    url: str
    text: str
    created_at: dt.datetime
    replies: tuple[CommentRef, ...] = ()


@dataclass(frozen=True, slots=True)
class GuestbookRef:
    """An approved guestbook entry."""

    id: int
    name: str
    place: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Node:
    """What a tree URL path (``/iran/story/``) names: ``kind`` is ``front``, ``section``,
    ``story`` or ``info``; ``id`` the page id."""

    kind: str
    id: int


@dataclass(frozen=True, slots=True)
class RedirectRef:
    """An editor's redirect: old path, target URL (absolute or a path), permanent or not."""

    old_path: str
    target: str
    permanent: bool
