"""Keep :class:`~broadsheet.content.newsroom.models.RetiredPath` in step with the page tree: a
page that is unpublished or deleted leaves its public URL answering 410 Gone; a page published
at a path clears it. Connected by the site's AppConfig."""

from __future__ import annotations

from typing import Any

from broadsheet.content.newsroom.models import RetiredPath

from .urls import public_path


def _public_path(page: Any) -> str | None:
    site = page.get_site()
    if site is None:
        return None
    root_url_path = site.root_page.url_path
    if not page.url_path.startswith(root_url_path):
        return None
    return public_path(page.url_path, root_url_path)


def public_paths(pages: list[Any]) -> list[str]:
    """The public paths of ``pages`` (as :func:`unretire_published` computes them, with each
    site's root looked up once): for a bulk writer that publishes many pages."""
    roots: dict[int, str | None] = {}
    paths = []
    for page in pages:
        parent = page.path[: -page.steplen]
        if parent not in roots:
            site = page.get_site()
            roots[parent] = site.root_page.url_path if site is not None else None
        root = roots[parent]
        if root is not None and page.url_path.startswith(root):
            path = public_path(page.url_path, root)
            if path:
                paths.append(path)
    return paths


def retire_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    path = _public_path(instance)
    if path:
        RetiredPath.objects.get_or_create(path=path)


def retire_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.live:
        path = _public_path(instance)
        if path:
            RetiredPath.objects.get_or_create(path=path)


def unretire_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    path = _public_path(instance)
    if path:
        RetiredPath.objects.filter(path=path).delete()
