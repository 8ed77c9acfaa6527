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

from .archive import files_of, sha256_of

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
    """The folder cannot be bundled (it is missing, or has no ``index.html``)."""


@dataclass(frozen=True, slots=True)
class Bundle:
    """A written bundle: ``path``, ``files`` in it, ``size`` (bytes), ``sha256`` (hex)."""

    path: Path
    files: int
    size: int
    sha256: str


def write_bundle(folder: str | Path, target: str | Path) -> Bundle:
    """Zip ``folder`` (a frozen or ``bake --relative`` folder) into ``target`` (see the module
    docstring); the bake's own state (``.bake/``) is left out. Raises :class:`BundleError`."""
    folder = Path(folder).resolve()
    target = Path(target).resolve()
    if not (folder / "index.html").is_file():
        raise BundleError(f"{folder} has no index.html: freeze or bake --relative into it first")
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
