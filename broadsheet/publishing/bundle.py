"""The offline bundle: one zip of a frozen or relative folder, for USB sticks and satellite
carriage (docs/archive.md).

The zip has the folder's ``index.html`` at its root (unzip it and open ``index.html``), entries
in sorted order with a fixed date (1980-01-01, the zip format's first) and fixed permissions,
so the same folder always gives the same bytes. Files that are compressed already (gzip, WOFF2,
images, Pagefind's chunks) are stored, the rest deflated. Python's ``zipfile`` is the library:
the format is the product's need, the code only picks the entries.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .archive import files_of, page_links, sha256_of

STORED = (
    ".gz",
    ".woff2",
    ".woff",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".gif",
    ".zip",
    ".pf_fragment",
    ".pf_index",
    ".pf_meta",
    ".pagefind",
)
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class BundleError(ValueError):
    """The folder cannot be bundled: it is missing, has no ``index.html``, or is not a relative
    bake (its front page links from the site root)."""


def root_relative_links(html: bytes) -> list[str]:
    """The URLs of a page that only work at a web server's root: root-relative (``/static/…``)
    or scheme-relative (``//host/…``). A frozen or ``bake --relative`` page has none; a plain
    bake's pages are full of them, and opened from a USB stick they lead nowhere."""
    return [url for tag, _attr, url in page_links(html) if tag != "form" and url.startswith("/")]


@dataclass(frozen=True, slots=True)
class Bundle:
    """A written bundle: ``path``, ``files`` in it, ``size`` (bytes), ``sha256`` (hex)."""

    path: Path
    files: int
    size: int
    sha256: str


def write_bundle(folder: str | Path, target: str | Path) -> Bundle:
    """Zip ``folder`` (a frozen or ``bake --relative`` folder) into ``target`` (see the module
    docstring); the bake's own state (``.bake/``) is left out. Raises :class:`BundleError` for a
    folder that is missing, has no ``index.html`` or is not a relative bake (its
    ``index.html`` has a root-relative link: a plain ``bake`` folder)."""
    folder = Path(folder).resolve()
    target = Path(target).resolve()
    if not (folder / "index.html").is_file():
        raise BundleError(f"{folder} has no index.html: freeze or bake --relative into it first")
    rooted = root_relative_links((folder / "index.html").read_bytes())
    if rooted:
        raise BundleError(
            f"{folder} is not a relative bake: its index.html links from the site root "
            f"({', '.join(rooted[:3])}…), which leads nowhere from a USB stick; freeze or "
            "bake --relative into it first"
        )
    if folder in target.parents:
        raise BundleError("the bundle cannot be written inside the folder it bundles")
    names = [n for n in files_of(folder) if not n.startswith(".bake/")]
    tmp = target.with_name(target.name + ".tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr = 0o644 << 16
            stored = name.lower().endswith(STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, (folder / name).read_bytes(), compresslevel=None if stored else 9)
    os.replace(tmp, target)
    return Bundle(target, len(names), target.stat().st_size, sha256_of(target))
