"""The search app follows the content model's signals: the story index (:mod:`.index`) and the
results page cache (:mod:`.cache`) change when the content does, by whatever path — the admin,
a bulk action, the shell, an import, a content service's bulk ``changed`` signal. Nothing here
depends on publishing (a feature imports only ``content`` and ``site``, docs/design.md).

What a model event means to readers is the site model's rule
(:func:`broadsheet.site.changes.changes_for`); a results page shows stories (topic ``story``),
authors and sections in its filters (``author``, ``sections``), and what every page shows
(``site``, ``tips``), so an event with any of these topics invalidates the cached pages.
Drafts and bookkeeping saves mean nothing and invalidate nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from broadsheet.content.newsroom.models import (
    Author,
    AuthorName,
    EditionSettings,
    FrontPage,
    NewsroomSettings,
    SectionPage,
    StoryAuthor,
    StoryPage,
    Tip,
)
from broadsheet.content.signals import changed
from broadsheet.site.changes import changes_for

from . import cache, index

#: The change topics a search page shows.
SHOWN = frozenset({"story", "author", "sections", "site", "tips"})


def shown(instance: Any, event: str, **facts: Any) -> bool:
    """Whether ``event`` on ``instance`` changes anything a search page shows."""
    return any(topic in SHOWN for topic, _, _ in changes_for(instance, event, **facts))


def on_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # a fixture being loaded
    if shown(instance, "saved", created=created, update_fields=kwargs.get("update_fields")):
        cache.bump()


def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if shown(instance, "deleted"):
        cache.bump()


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if shown(instance, "published"):
        cache.bump()


def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if shown(instance, "unpublished"):
        cache.bump()


def on_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    index.on_page_moved(sender, instance, **kwargs)
    if shown(instance, "moved"):
        cache.bump()


def on_site_changed(sender: Any, **kwargs: Any) -> None:
    """A Wagtail site's host, port or root page changed: cached pages are keyed by the
    request's host (:func:`.cache.page_key`)."""
    cache.bump()


def on_bulk_change(sender: Any, instances: Any = (), **kwargs: Any) -> None:
    """A content service updated rows in bulk (no ``post_save``): each instance as saved; the
    stories are indexed together (:func:`.index.index_stories`, a few queries a batch)."""
    instances = list(instances)
    stories = [i for i in instances if isinstance(i, StoryPage)]
    if stories:
        index.index_stories(stories)
    if any(shown(instance, "saved") for instance in instances):
        cache.bump()


def connect() -> None:
    """Connect the receivers (called by the app's ``ready``)."""
    uid = "broadsheet.search"
    post_save.connect(index.on_story_saved, sender=StoryPage, dispatch_uid=f"{uid}.index.save")
    post_delete.connect(index.on_story_deleted, sender=StoryPage, dispatch_uid=f"{uid}.index.del")
    for signal, name in ((post_save, "save"), (post_delete, "del")):
        signal.connect(
            index.on_byline_changed, sender=StoryAuthor, dispatch_uid=f"{uid}.index.byline-{name}"
        )
    for model in (
        StoryPage,
        SectionPage,
        FrontPage,
        Author,
        AuthorName,
        Tip,
        NewsroomSettings,
        EditionSettings,
    ):
        name = model.__name__
        post_save.connect(on_saved, sender=model, dispatch_uid=f"{uid}.cache.save.{name}")
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"{uid}.cache.del.{name}")
    for signal, name in ((post_save, "save"), (post_delete, "del")):
        signal.connect(on_site_changed, sender=Site, dispatch_uid=f"{uid}.cache.site-{name}")
    page_published.connect(on_published, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(on_unpublished, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(on_moved, dispatch_uid=f"{uid}.moved")
    changed.connect(on_bulk_change, dispatch_uid=f"{uid}.bulk")
