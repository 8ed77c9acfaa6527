"""Serve the baked site from Django (the demo; a real deployment points a web server at the
folder instead).

For GET/HEAD requests outside the admin and other dynamic prefixes, the baked file for the path
is answered if there is one; anything else (the admin, previews, pages not baked yet, 404 and
410) goes on to the live views. Enabled by adding this class to MIDDLEWARE (``broadsheet demo``
does so at start-up); ``BROADSHEET_BAKE_DIR`` is the folder served. It sits inside Django's
security and CSP middleware, so baked files carry the same headers as live pages.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse

from .files import UnsafePath, file_for_path
from .outputs import default_output

DYNAMIC_PREFIXES = ("/admin/", "/documents/", "/media/", "/django-admin/")


class BakedSiteMiddleware:
    """Answer reader requests with the baked files (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.output = Path(default_output()).resolve()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and not request.GET
            and not request.path.startswith(DYNAMIC_PREFIXES)
        ):
            file = self.baked_file(request.path)
            if file is not None:
                content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if content_type.startswith("text/"):
                    content_type += "; charset=utf-8"
                response = FileResponse(file.open("rb"), content_type=content_type)
                response["X-Broadsheet-Baked"] = "1"
                return response
        return self.get_response(request)

    def baked_file(self, path: str) -> Path | None:
        """The baked file for URL ``path``, or None: not baked, a state file (``_…``), a path
        that leaves the folder (``..``, or a symlink pointing outside it), or a name the file
        system refuses (a segment over 255 bytes) — those go on to the live views (404)."""
        try:
            file = file_for_path(self.output, path)
            if not file.is_file() or file.name.startswith("_"):
                return None
            if not file.resolve().is_relative_to(self.output):
                return None
        except (UnsafePath, OSError, ValueError):
            return None
        return file
