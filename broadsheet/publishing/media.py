"""The images a baked page shows travel with it: every file under ``MEDIA_URL`` that a page
written by a bake references (``src``, ``srcset``, ``og:image``…) is copied from the storage
of Wagtail's renditions (``MEDIA_ROOT`` by default) into the output at the same path
(``/media/images/x.fill-480x270.jpg``), so a baked folder, a mirror, a frozen archive or an S3
bucket shows its pictures without the live app. Only the renditions pages use are copied
(never the originals editors uploaded), and a file already in the output with the same bytes
is not written again (the output backends compare). Why our own code: this is the bake itself
(which files make the site); Django's static-files tools collect assets, not user media.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterable

from django.conf import settings

from .files import UnsafePath
from .outputs import Output

logger = logging.getLogger(__name__)

# A root-relative or absolute media URL in HTML, CSS or XML; stops at a quote, a space, a
# comma (srcset), a parenthesis (CSS url()), <, > or a query/fragment.
_SAFE = r"[A-Za-z0-9._~/%-]+"


def media_prefix() -> str:
    """``MEDIA_URL`` as a root-relative path (``/media/``)."""
    prefix = settings.MEDIA_URL or "/media/"
    if "://" in prefix:  # a media host of its own: nothing to carry
        return ""
    return "/" + prefix.strip("/") + "/"


def media_paths(data: bytes) -> set[str]:
    """The media URL paths (``/media/images/a.jpg``) that a page's bytes reference, whether
    root-relative or absolute on any host (the page's own base URL): a set of strings."""
    prefix = media_prefix()
    if not prefix or prefix.encode() not in data:
        return set()
    text = data.decode("utf-8", "replace")
    return {m for m in re.findall(re.escape(prefix) + _SAFE, text) if ".." not in m.split("/")}


def carry_media(output: Output, paths: Iterable[str]) -> list[str]:
    """Copy the media files at the URL ``paths`` from the storage that holds Wagtail's
    renditions (``MEDIA_ROOT`` by default, any Django storage otherwise) into ``output``;
    returns the paths written (a file whose bytes are there already is skipped by the output).
    A path with no file behind it (a deleted image) is skipped: the page still bakes."""
    from wagtail.images.models import get_rendition_storage

    storage = get_rendition_storage()
    prefix = media_prefix()
    written = []
    for path in sorted(set(paths)):
        name = path.removeprefix(prefix)
        try:
            if not storage.exists(name):
                continue
            with storage.open(name, "rb") as fh:
                data = fh.read()
        except Exception:  # a storage's refusal (a path outside it), an unreadable file
            logger.warning("media file %s could not be read for the bake", path, exc_info=True)
            continue
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        try:
            if output.write(path, data, ctype):
                written.append(path)
        except UnsafePath:
            continue
    return written
