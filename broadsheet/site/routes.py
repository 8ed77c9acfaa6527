"""The reader site's URL patterns, made from the registry."""

from __future__ import annotations

from typing import Any


def urlpatterns() -> list[Any]:
    """Django URL patterns of every registered endpoint and page kind, the tree route last.
    Call it from the project's URLconf (imported after every feature has declared its pages).
    The editions other than the default one get the same patterns under their prefix."""
    from django.urls import include, path

    from .editions import prefixes
    from .registry import registry
    from .views import node_view, page_view

    patterns = registry.urlpatterns(page_view, node_view)
    # every other edition answers the same routes under its prefix (/fa/…); the views find the
    # edition from the request's path
    others = registry.urlpatterns(page_view, node_view, default_edition=False)
    editions = [
        path(f"{prefix}/", include((others, "edition"), namespace=f"edition-{prefix}"))
        for prefix in sorted(prefixes())
    ]
    return editions + patterns
