"""The reader site's URL patterns, made from the registry."""

from __future__ import annotations

from typing import Any


def urlpatterns() -> list[Any]:
    """Django URL patterns of every registered endpoint and page kind, the tree route last.
    Call it from the project's URLconf (imported after every feature has declared its pages)."""
    from .registry import registry
    from .views import node_view, page_view

    return registry.urlpatterns(page_view, node_view)
