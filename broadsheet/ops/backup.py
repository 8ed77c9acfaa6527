"""Backups that survive a move of database: the content as Django fixtures (JSON, the same on
SQLite and PostgreSQL), the media files through the storage API (a folder or S3 alike), and a
manifest with the settings that matter and a SHA-256 of every file.

Not backed up, because they are rebuilt from the content on restore: the listing index, the
story search index, Wagtail's search and reference indexes, the publishing queue and the baked
site (re-baked with ``broadsheet bake``), sessions, login attempts, queued tasks. Also not:
Wagtail's page history log (its entries of deleted pages cannot be exported); revisions are.

A backup holds password hashes, second-factor keys and readers' addresses: the folder is made
mode 0700; keep it so (and encrypted when it leaves the machine).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

FORMAT = 1
DATABASE_FILE = "database.json"
MANIFEST_FILE = "manifest.json"
MEDIA_DIR = "media"
#: Derived or transient data, rebuilt (or not needed) after a restore.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_database",
    "site.listingentry",
    "site.listingstat",
    "site.listingindexstate",
    "newsroom_search",
    "wagtailsearch",
    "wagtailcore.referenceindex",
    # Wagtail keeps log entries of deleted pages (no foreign-key constraint), which natural
    # keys cannot name: the page history log is not backed up (revisions are).
    "wagtailcore.pagelogentry",
    "baking",
]
#: Settings recorded in the manifest (restore warns when they differ).
RECORDED_SETTINGS = ("TIME_ZONE", "LANGUAGE_CODE", "BROADSHEET_BASE_URL", "ALLOWED_HOSTS")


class BackupError(Exception):
    """A backup folder that cannot be written, or read back (missing file, checksum)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_files(folder: str = "") -> Iterator[str]:
    """Every file name in the default storage, recursively."""
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in dirs:
        yield from _storage_files(f"{folder}/{name}" if folder else name)


def backup(target: Path) -> dict[str, Any]:
    """Write a backup of this newsroom into the folder ``target`` (made, mode 0700; it must be
    empty or new). Returns the manifest. Raises :class:`BackupError`."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: choose a new folder for each backup")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    database = target / DATABASE_FILE
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=EXCLUDED,
        output=str(database),
        indent=None,
        verbosity=0,
    )
    media = target / MEDIA_DIR
    names = sorted(_storage_files())
    for name in names:
        out = media / name
        out.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src:
            out.write_bytes(src.read())
    files = {
        str(p.relative_to(target)): _sha256(p)
        for p in sorted(target.rglob("*"))
        if p.is_file() and p.name != MANIFEST_FILE
    }
    manifest = {
        "format": FORMAT,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database_vendor": connection.vendor,
        "settings": {name: getattr(settings, name, None) for name in RECORDED_SETTINGS},
        "media_files": len(names),
        "sha256": files,
    }
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, after checking every file's SHA-256. Raises
    :class:`BackupError` for a missing or changed file or an unknown format."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source}: no readable {MANIFEST_FILE} ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r} is not {FORMAT}")
    for name, digest in manifest["sha256"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{source}: {name} is missing or changed since the backup")
    return manifest


def restore_media(source: Path) -> int:
    """Put the backup's media files back into the default storage (replacing any of the same
    name). Returns how many."""
    media = Path(source) / MEDIA_DIR
    count = 0
    for path in sorted(media.rglob("*")) if media.is_dir() else []:
        if path.is_file():
            name = path.relative_to(media).as_posix()
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(path.read_bytes()))
            count += 1
    return count
