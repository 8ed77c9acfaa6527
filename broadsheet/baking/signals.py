"""Queue a re-bake when published content changes.

Stories: published (scheduled publishing too: Wagtail's ``publish_scheduled`` publishes the
revision and sends ``page_published``), unpublished, moved, deleted. Authors, tips, the site
settings, sections, information pages and redirects: saved or deleted. Drafts are not public and
queue nothing. ``BROADSHEET_BAKE_ON_CHANGE = False`` turns this off (the test settings do).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.signals import page_published, page_unpublished, post_page_move

from broadsheet.newsroom.models import (
    Author,
    FrontPage,
    InfoPage,
    NewsroomSettings,
    SectionPage,
    StoryPage,
    Tip,
)


def enabled() -> bool:
    return getattr(settings, "BROADSHEET_BAKE_ON_CHANGE", True)


def _queue(kind: str, object_id: int | None = None, **data: Any) -> None:
    if enabled():
        from .engine import request_bake

        request_bake(kind, object_id, **data)


def _page_changed(instance: Any, **data: Any) -> None:
    specific = getattr(instance, "specific", instance)
    if isinstance(specific, StoryPage):
        _queue("story", specific.id)
    elif isinstance(specific, (SectionPage, FrontPage)):
        _queue("section", specific.id)
    elif isinstance(specific, InfoPage):
        _queue("page", specific.id, **data)


@receiver(page_published)
def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    _page_changed(instance)


@receiver(page_unpublished)
def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    _page_changed(instance)


@receiver(post_page_move)
def on_moved(sender: Any, instance: Any, url_path_before: str = "", **kwargs: Any) -> None:
    if getattr(instance, "live", False):
        _page_changed(instance, url_path_before=url_path_before)


@receiver(post_delete, sender=StoryPage)
def on_story_deleted(sender: Any, instance: StoryPage, **kwargs: Any) -> None:
    _queue("story", instance.id)


@receiver(post_delete, sender=InfoPage)
@receiver(post_delete, sender=SectionPage)
def on_page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _queue("section", instance.id)


@receiver(pre_save, sender=Author)
def remember_author_slug(sender: Any, instance: Author, **kwargs: Any) -> None:
    if instance.pk:
        instance._baking_old_slug = (
            Author.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def on_author(sender: Any, instance: Author, **kwargs: Any) -> None:
    old = getattr(instance, "_baking_old_slug", None) or instance.slug
    _queue("author", instance.id, old_slug=old)


@receiver(post_save, sender=Tip)
@receiver(post_delete, sender=Tip)
def on_tip(sender: Any, instance: Tip, **kwargs: Any) -> None:
    _queue("tip", instance.id)


@receiver(post_save, sender=NewsroomSettings)
def on_settings(
    sender: Any, instance: NewsroomSettings, created: bool = False, **kwargs: Any
) -> None:
    # ``for_site`` creates the row with the defaults the pages already show: nothing changed
    if not created:
        _queue("site", instance.id)


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def on_redirect(sender: Any, instance: Redirect, **kwargs: Any) -> None:
    _queue("redirect", instance.id, old_path=instance.old_path)


# -- readers' contributions (broadsheet.discussion) -----------------------------------------
from broadsheet.discussion.models import DiscussionSettings  # noqa: E402
from broadsheet.discussion.signals import comments_changed, guestbook_changed  # noqa: E402


@receiver(comments_changed)
def on_comments_changed(sender: Any, story_id: int, **kwargs: Any) -> None:
    """An approved comment appeared or went: the story page and the listings that show its
    comment count (a story change that moves nothing re-bakes exactly those)."""
    _queue("story", story_id)


@receiver(guestbook_changed)
def on_guestbook_changed(sender: Any, **kwargs: Any) -> None:
    _queue("guestbook")


@receiver(post_save, sender=DiscussionSettings)
def on_discussion_settings(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """The site-wide comment switch and closing rule change every story page's form."""
    if not created:
        _queue("site")
