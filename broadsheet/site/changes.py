"""Changes: what happened to the content, in the terms page kinds declare they read.

A :class:`Change` has a ``topic`` — one of :data:`TOPICS` — and the facts a page kind needs to
say which of its pages the change touches. Publishing turns model signals into changes
(:func:`changes_for`) and asks each page kind whose ``reads`` include the topic.

A story change carries the story's state as last baked (``before``) and now (``after``), each
a :class:`StoryState` or ``None`` (not public).

Why our own code: these are the newsroom's rules for what a change means to its pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: Change topics. ``story``: a story published, updated, moved, unpublished or deleted;
#: ``comments``: a story's shown comments changed (its page and the listings showing its count);
#: ``author``: an author's name, slug, bio or photo; ``page``: an information page;
#: ``guestbook``: shown guestbook entries; ``mirrors``: the site's other addresses (the
#: mirrors page and ``mirrors.json``); ``redirect``: an editor's redirect; ``retired``: a
#: retired (410) path; ``sections``, ``site``, ``tips``, ``discussion-settings``: things every
#: page shows (navigation, masthead, sidebar, comment forms): such a change re-bakes everything.
TOPICS = frozenset(
    {
        "story",
        "comments",
        "author",
        "page",
        "guestbook",
        "mirrors",
        "redirect",
        "retired",
        "sections",
        "site",
        "tips",
        "discussion-settings",
    }
)
#: Topics that every HTML page reads (masthead, navigation, sidebar).
SITE_WIDE = frozenset({"sections", "site", "tips"})


@dataclass(frozen=True, slots=True)
class StoryState:
    """Where a public story is: URL path, section id, publication and last-modified dates
    (UTC), authors' ids (byline order) and tags' ids (sorted)."""

    story_id: int
    url: str
    section_id: int
    published_at: dt.datetime
    lastmod: dt.datetime
    author_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]

    @property
    def key(self) -> tuple[dt.datetime, int]:
        """The story's place in listing order."""
        return (self.published_at, self.story_id)


@dataclass(frozen=True)
class Change:
    """One change. ``topic`` (see :data:`TOPICS`); ``object_id`` the story, author, page…;
    ``before``/``after`` story states (topic ``story``/``comments``); ``data`` facts captured at
    the change (an author's ``old_slug``, a page's ``url_path_before``, a redirect's
    ``old_path``)."""

    topic: str
    object_id: int | None = None
    before: StoryState | None = None
    after: StoryState | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.topic not in TOPICS:
            raise ValueError(f"unknown change topic {self.topic!r}")

    @property
    def site_wide(self) -> bool:
        return self.topic in SITE_WIDE or self.topic == "discussion-settings"


# -- from model events ---------------------------------------------------------------------------
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "live_revision",
        "locked",
        "locked_at",
        "locked_by",
        "draft",
    }
)


def changes_for(instance: Any, event: str, **facts: Any) -> list[tuple[str, int | None, dict]]:
    """The changes a model event means, as ``(topic, object_id, data)`` triples (states are
    filled in at bake time). ``event``: ``saved``, ``deleted``, ``published``,
    ``unpublished``, ``moved``; ``facts``: ``update_fields``, ``url_path_before``,
    ``old_slug``. Models that readers never see give ``[]``."""
    from wagtail.contrib.redirects.models import Redirect

    from broadsheet.content.discussion.models import (
        Comment,
        DiscussionSettings,
        GuestbookEntry,
    )
    from broadsheet.content.newsroom.models import (
        Author,
        AuthorName,
        EditionSettings,
        FrontPage,
        InfoPage,
        Mirror,
        NewsroomSettings,
        RetiredPath,
        SectionPage,
        StoryPage,
        Tip,
    )

    specific = getattr(instance, "specific", instance) if event != "deleted" else instance
    if isinstance(specific, StoryPage):
        fields = facts.get("update_fields")
        if event == "saved" and (
            not specific.live or (fields and set(fields) <= BOOKKEEPING_FIELDS)
        ):
            return []
        if event == "deleted" and specific.translation_key:
            # gone from the database: its translations (whose pages link to it) are found by key
            return [("story", specific.id, {"translation_key": str(specific.translation_key)})]
        return [("story", specific.id, {})]
    if isinstance(specific, SectionPage | FrontPage):
        fields = facts.get("update_fields")
        if event == "saved" and (fields and set(fields) <= BOOKKEEPING_FIELDS):
            return []
        if event == "saved" and not specific.live:
            return []
        return [("sections", specific.id, {})]
    if isinstance(specific, InfoPage):
        fields = facts.get("update_fields")
        if event == "saved" and (
            not specific.live or (fields and set(fields) <= BOOKKEEPING_FIELDS)
        ):
            return []
        data = {}
        if facts.get("url_path_before"):
            data["url_path_before"] = facts["url_path_before"]
        if event == "deleted" or event == "unpublished":
            data["url_path_before"] = data.get("url_path_before") or specific.url_path
        return [("page", specific.id, data)]
    if isinstance(instance, Author):
        return [("author", instance.id, {"old_slug": facts.get("old_slug") or instance.slug})]
    if isinstance(instance, AuthorName):  # the author's name in one edition: their pages
        author = Author.objects.filter(id=instance.author_id).first()
        return [("author", instance.author_id, {"old_slug": author.slug})] if author else []
    if isinstance(instance, EditionSettings):  # an edition's masthead and notice
        return [("site", instance.site_id, {})]
    if isinstance(instance, Tip):
        return [("tips", instance.id, {})]
    if isinstance(instance, Mirror):
        return [("mirrors", instance.id, {})]
    if isinstance(instance, NewsroomSettings):
        return [] if facts.get("created") else [("site", instance.id, {})]
    if isinstance(instance, DiscussionSettings):
        return [] if facts.get("created") else [("discussion-settings", instance.id, {})]
    if isinstance(instance, Comment):
        return [("comments", instance.story_id, {})] if instance.shown_changed() else []
    if isinstance(instance, GuestbookEntry):
        return [("guestbook", None, {})] if instance.shown_changed() else []
    if isinstance(instance, Redirect):
        return [("redirect", instance.id, {"old_path": instance.old_path})]
    if isinstance(instance, RetiredPath):
        return [("retired", instance.id, {"path": instance.path})]
    return []
