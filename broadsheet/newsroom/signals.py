"""Keep :class:`~.models.RetiredPath` in step with the page tree: a page that is unpublished or
deleted leaves its URL answering 410 Gone; a page published at a path clears it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import RetiredPath, StoryPage


def _public_path(page: Any) -> str | None:
    site_root = page.get_site()
    if site_root is None:
        return None
    root_url_path = site_root.root_page.url_path
    if not page.url_path.startswith(root_url_path):
        return None
    return "/" + page.url_path[len(root_url_path) :]


@receiver(page_unpublished)
def retire_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    path = _public_path(instance)
    if path:
        RetiredPath.objects.get_or_create(path=path)


@receiver(pre_delete, sender=StoryPage)
def retire_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.live:
        path = _public_path(instance)
        if path:
            RetiredPath.objects.get_or_create(path=path)


@receiver(page_published)
def unretire_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    path = _public_path(instance)
    if path:
        RetiredPath.objects.filter(path=path).delete()
