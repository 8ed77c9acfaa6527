"""The read model: everything a page reads, declared once.

:class:`ReadModel` is the interface every page kind, feed and sitemap reads through. Two
implementations answer it with the same results:

* :class:`~.live.LiveSource` — the database, a bounded number of indexed queries per page
  (listings from the listing index kept up to date on write, :mod:`.listings`): live requests
  and incremental bakes;
* :class:`~.memory.MemorySource` — every public story's card loaded once and indexed in
  memory: full bakes.

Listing order is ``(published_at, id)``; listings are returned newest first unless a method
says otherwise. Counting positions "from the oldest" is what keeps numbered listing pages from
renumbering when a story is published (docs/baking.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from .context import SiteContext
from .data import (
    AuthorRef,
    CommentRef,
    CorrectionRef,
    DiscussionInfo,
    GuestbookRef,
    InfoRef,
    MirrorRef,
    MonthStat,
    Node,
    RedirectRef,
    Scope,
    ScopeStat,
    SectionRef,
    SiteInfo,
    Story,
    StoryCard,
    TagRef,
    TipRef,
)

MORE_COUNT = 5  # stories in a story page's "More from <section>" box
MORE_NEWER = 2  # of which at most this many are newer than the story


@runtime_checkable
class ReadModel(Protocol):
    """What pages read (see the module docstring). Methods raise nothing for a missing object:
    they answer ``None`` or an empty list; ``story`` raises ``LookupError``."""

    ctx: SiteContext
    #: True when every public story is loaded (a full bake): a producer may then answer from
    #: whole-archive tables; False (live pages, incremental bakes): read only what a page needs.
    preloaded: bool

    # -- the site ----------------------------------------------------------------------------
    def site_info(self) -> SiteInfo:
        """Masthead and site-wide notice."""

    def sections(self) -> dict[int, SectionRef]:
        """Every live section under the site root, by page id, in tree order."""

    def top_sections(self) -> list[SectionRef]:
        """Sections directly under the front page (navigation)."""

    def tips(self, section: SectionRef | None = None) -> list[TipRef]:
        """Live tips shown everywhere plus those of ``section`` and its parent sections."""

    def all_tips(self) -> list[TipRef]:
        """Every live tip, site-wide and of every section, in the editors' order (the tips
        archive)."""

    def mirrors(self) -> list[MirrorRef]:
        """The site's other addresses the newsroom lists (live ones, in its order)."""

    def node(self, path: str) -> Node | None:
        """What the public tree path (``/iran/story/``) names, if it is public."""

    def info_pages(self) -> list[InfoRef]:
        """Every live information page, in tree order."""

    def info_page(self, page_id: int) -> InfoRef | None:
        """One live information page."""

    def redirects(self) -> list[RedirectRef]:
        """The editors' redirects of this site, by old path."""

    def retired_paths(self) -> list[str]:
        """Paths of pages that are gone for good (410), sorted."""

    # -- stories and listings ----------------------------------------------------------------
    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        """Cards for ``ids`` in the order given; ids that are not public are skipped."""

    def story(self, story_id: int) -> Story:
        """The whole public story (``LookupError`` if it is not public)."""

    def stories(self, ids: Sequence[int]) -> list[Story]:
        """Whole stories for ``ids`` (in order, non-public skipped), bodies loaded in bulk."""

    def top_stories(self) -> list[StoryCard]:
        """The editors' picks for the front page, in their order."""

    def latest(self, limit: int, scope: Scope = ..., exclude: int | None = None) -> list[StoryCard]:
        """The ``limit`` newest stories of ``scope``."""

    def count(self, scope: Scope = ...) -> int:
        """How many stories ``scope`` lists."""

    def position(self, scope: Scope, key: tuple[dt.datetime, int]) -> int:
        """How many stories of ``scope`` come before ``key`` (``(published_at, id)``) in
        listing order: the 0-based place counted from the oldest a story with that key has or
        would have."""

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        """Stories ``start``..``stop`` (0-based, end exclusive) counted from the oldest,
        returned newest first: one numbered listing page."""

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        """Stories of ``scope`` next to ``card`` in listing order, newest first: up to ``newer``
        just after it, the rest (``limit`` in all) just before it."""

    def window(
        self, scope: Scope, key: tuple[dt.datetime, int], before: int, after: int
    ) -> list[int]:
        """Ids of up to ``before`` stories just before and ``after`` just after ``key`` in
        ``scope``, oldest first (the story at ``key`` itself left out)."""

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        """Stories published in ``[start, end)``, newest first."""

    def since(self, start: dt.datetime, end: dt.datetime, limit: int) -> list[StoryCard]:
        """At most ``limit`` stories published in ``[start, end]``, newest first."""

    def months(self) -> list[MonthStat]:
        """Every month with stories (newsroom time zone), newest first."""

    def month_entries(self, year: int, month: int) -> list[tuple[str, dt.datetime]]:
        """``(url, lastmod)`` of the month's stories, oldest first (a sitemap file)."""

    def days(self, year: int | None = None, month: int | None = None) -> list[dt.date]:
        """Days with stories (newsroom time zone), oldest first; of one month if given."""

    def stat(self, scope: Scope) -> ScopeStat:
        """Size and dates of a listing."""

    def story_ids(self, scope: Scope) -> list[int]:
        """Ids of every story of ``scope``, oldest first."""

    def authors(self) -> list[AuthorRef]:
        """Authors with at least one public story, by name."""

    def author_refs(self, ids: Sequence[int]) -> dict[int, AuthorRef]:
        """Authors by id (without bio or photo), whether or not they have stories."""

    def tag_refs(self, ids: Sequence[int]) -> dict[int, TagRef]:
        """Tags by id, whether or not they are on a public story."""

    def author(self, slug: str) -> AuthorRef | None:
        """An author with bio and photo (even without stories), by slug."""

    def author_stats(self) -> list[tuple[AuthorRef, ScopeStat]]:
        """Every author with public stories and their listing's stat, by slug."""

    def tags(self) -> list[tuple[TagRef, int]]:
        """Every tag on a public story with its story count, by name."""

    def tag(self, slug: str) -> TagRef | None:
        """A tag on at least one public story, by slug."""

    def tag_stats(self) -> list[tuple[TagRef, ScopeStat]]:
        """Every tag on a public story and its listing's stat, by slug."""

    def corrections(self, limit: int) -> list[tuple[CorrectionRef, StoryCard]]:
        """The newest ``limit`` correction and update notes on public stories, with their
        stories' cards, newest first."""

    # -- readers' contributions --------------------------------------------------------------
    def discussion_info(self) -> DiscussionInfo:
        """The site's discussion settings."""

    def approved_comments(self, story_id: int) -> tuple[CommentRef, ...]:
        """A story's approved comments, threaded, oldest first."""

    def guestbook_count(self) -> int:
        """Approved guestbook entries."""

    def guestbook_entries(self, start: int, stop: int, newest: bool) -> list[GuestbookRef]:
        """Approved entries ``start``..``stop`` counted from the newest (``newest``) or the
        oldest, returned newest first."""

    def state(self, story_id: int) -> Any:
        """The story's :class:`~.changes.StoryState` now, or None if it is not public."""
