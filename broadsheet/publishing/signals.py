"""Re-bakes follow the models: every save or delete of what readers see queues a change.

Stories, sections and information pages (Wagtail's publish, unpublish, move, and any save or
delete — scheduled publishing included, since Wagtail's ``publish_scheduled`` publishes the
revision); authors, tips, mirrors, the site and discussion settings, redirects, retired paths,
comments and guestbook entries (whose shown state changed), by any path: admin forms, bulk actions,
the shell, imports, moderation services (which save each row; a content service that updates in
bulk sends ``broadsheet.content.signals.changed``). What a model event means is the site model's
rule (:func:`broadsheet.site.changes.changes_for`); drafts and held submissions queue nothing.
``BROADSHEET_BAKE_ON_CHANGE = False`` turns this off (the test settings do).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published, page_unpublished, post_page_move

from broadsheet.content.discussion.models import Comment, DiscussionSettings, GuestbookEntry
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
from broadsheet.content.signals import changed
from broadsheet.site.changes import changes_for

WATCHED = (
    StoryPage,
    AuthorName,
    EditionSettings,
    SectionPage,
    FrontPage,
    InfoPage,
    Author,
    Tip,
    Mirror,
    NewsroomSettings,
    DiscussionSettings,
    Redirect,
    RetiredPath,
    Comment,
    GuestbookEntry,
)


def enabled() -> bool:
    return getattr(settings, "BROADSHEET_BAKE_ON_CHANGE", True)


def queue(instance: Any, event: str, **facts: Any) -> None:
    """Queue the changes ``event`` on ``instance`` means (nothing when baking on change is off)."""
    if not enabled():
        return
    from .queue import request_bake

    for topic, object_id, data in changes_for(instance, event, **facts):
        request_bake(topic, object_id, **data)
    if hasattr(instance, "remember_status"):
        instance.remember_status()


def on_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    queue(instance, "saved", created=created, update_fields=kwargs.get("update_fields"))


def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue(instance, "deleted")


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue(instance, "published")


def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue(instance, "unpublished")


def on_moved(sender: Any, instance: Any, url_path_before: str = "", **kwargs: Any) -> None:
    if getattr(instance, "live", False):
        queue(instance, "moved", url_path_before=url_path_before)


def remember_author_slug(sender: Any, instance: Author, **kwargs: Any) -> None:
    if instance.pk:
        instance._baking_old_slug = (
            Author.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def on_author(sender: Any, instance: Author, **kwargs: Any) -> None:
    queue(instance, "saved", old_slug=getattr(instance, "_baking_old_slug", None))


def on_bulk_change(sender: Any, instances: Any = (), **kwargs: Any) -> None:
    for instance in instances:
        queue(instance, "saved")


def connect() -> None:
    """Connect the receivers (called by the app's ``ready``)."""
    uid = "broadsheet.publishing"
    for model in WATCHED:
        if model is Author:
            continue
        post_save.connect(on_saved, sender=model, dispatch_uid=f"{uid}.saved.{model.__name__}")
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"{uid}.del.{model.__name__}")
    pre_save.connect(remember_author_slug, sender=Author, dispatch_uid=f"{uid}.author-slug")
    post_save.connect(on_author, sender=Author, dispatch_uid=f"{uid}.author")
    post_delete.connect(on_author, sender=Author, dispatch_uid=f"{uid}.author-del")
    page_published.connect(on_published, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(on_unpublished, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(on_moved, dispatch_uid=f"{uid}.moved")
    changed.connect(on_bulk_change, dispatch_uid=f"{uid}.bulk")
    from wagtail.models import Revision

    from . import schedule

    post_save.connect(schedule.on_revision_saved, sender=Revision, dispatch_uid=f"{uid}.sched")
    for model in (StoryPage, SectionPage, InfoPage):
        post_save.connect(
            schedule.on_page_saved, sender=model, dispatch_uid=f"{uid}.expiry.{model.__name__}"
        )
