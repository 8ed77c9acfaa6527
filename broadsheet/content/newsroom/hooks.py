"""Seams through which the layers above serve what the content model needs from them.

``content`` imports no other Broadsheet package (docs/design.md), yet two things about pages
belong to the site model: which first path segments the site's own pages take (no top-level
section may take them), and how a page is shown to a reader (Wagtail calls ``Page.serve`` and
``serve_preview``). The site layer installs both at start-up (``broadsheet.site`` AppConfig);
until then no slug is reserved and pages cannot be served.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

PageServer = Callable[..., HttpResponse]

_reserved_slugs: Callable[[], frozenset[str]] = frozenset
_page_server: PageServer | None = None


def set_reserved_slugs(provider: Callable[[], frozenset[str]]) -> None:
    """Install the function that returns the reserved first path segments."""
    global _reserved_slugs
    _reserved_slugs = provider


def reserved_slugs() -> frozenset[str]:
    """First path segments the site's own pages use (``archives``, ``tags``, ``feeds``…)."""
    return _reserved_slugs()


def set_page_server(server: PageServer) -> None:
    """Install ``server(request, page, preview=False, **route_kwargs) -> HttpResponse``."""
    global _page_server
    _page_server = server


def serve(request: HttpRequest, page: Any, **kwargs: Any) -> HttpResponse:
    """Serve ``page`` to a reader through the installed page server.

    Raises ``RuntimeError`` if the site layer is not installed."""
    if _page_server is None:
        raise RuntimeError("no page server installed: is broadsheet.site in INSTALLED_APPS?")
    return _page_server(request, page, **kwargs)
