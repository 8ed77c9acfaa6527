"""Writing the baked site: URL paths to files, atomic writes, hashed static assets.

Every file is written to a temporary file in its own directory and renamed over the old one
(``os.replace``, atomic on POSIX), so a reader — or a bake killed part-way — never sees half a
file. A file whose bytes did not change is not rewritten (its mtime stays), which is what makes
"only the files a change touches changed on disk" checkable.

Static assets are collected with Django's :class:`ManifestStaticFilesStorage` (content-hashed
names, ``url()`` rewriting inside CSS) into ``<output>/static/``; the baked HTML references the
hashed names.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

TMP_PREFIX = ".tmp-bake-"
_COUNTER = itertools.count()
STATE_DIR = ".bake"  # inside the output: lock file, config, staging
#: Top-level folders of an output that are not pages.
NOT_PAGES = frozenset({STATE_DIR, "static", "pagefind", "media"})
#: Folders of an edition (``fa/pagefind``) that are not pages: its static search index.
EDITION_NOT_PAGES = frozenset({"pagefind"})
#: What ``freeze`` leaves in its folder (it removes :data:`STATE_DIR`): the WARC and the sums.
WARC_NAME = "archive.warc.gz"
SUMS_NAME = "SHA256SUMS"


class ForeignFolder(ValueError):
    """A bake or freeze was pointed at a folder that holds files of someone else's."""


def is_our_folder(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier bake (its ``.bake/config.json``, written before the
    first page) or freeze (its ``SHA256SUMS`` and WARC) of ours."""
    return (folder / STATE_DIR / "config.json").is_file() or (
        (folder / SUMS_NAME).is_file() and (folder / WARC_NAME).is_file()
    )


def foreign_files(folder: Path, limit: int = 5, dot_folders: bool = False) -> list[str]:
    """Up to ``limit`` + 1 files (POSIX paths relative to ``folder``, sorted walk) of someone
    else's in ``folder``: none if the folder does not exist, is empty, or :func:`is_our_folder`.
    Folders at the top whose name starts with a dot (``.git``) are not counted unless
    ``dot_folders``: a bake never looks into them (a freeze does: its WARC and sums cover
    every file). Stops walking early (a home folder is big)."""
    if not folder.exists() or is_our_folder(folder):
        return []
    if not folder.is_dir():
        return [folder.name]
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        here = Path(root).relative_to(folder)
        dirs[:] = sorted(d for d in dirs if dot_folders or here.parts or not d.startswith("."))
        if not names and not dirs and here.parts:  # an empty sub-folder is someone's too
            found.append(here.as_posix() + "/")
        found += [(here / name).as_posix() for name in sorted(names)]
        if len(found) > limit:
            return found[: limit + 1]
    return found


def refuse_foreign(folder: Path, what: str = "a bake", dot_folders: bool = False) -> None:
    """Raise :class:`ForeignFolder` if ``folder`` is not empty and is not one of ours
    (:func:`foreign_files`): a full bake removes every file that is not part of the site, so
    pointing it at ``/srv/www`` or a home folder would delete other people's files. The
    message names a few of them. ``dot_folders``: see :func:`foreign_files`."""
    found = foreign_files(folder, dot_folders=dot_folders)
    if not found:
        return
    if found == [folder.name] and not folder.is_dir():
        raise ForeignFolder(f"{folder} is not a folder")
    names = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
    raise ForeignFolder(
        f"{folder} is not empty and holds no earlier bake or freeze (no {STATE_DIR}/config.json, "
        f"no {SUMS_NAME} with {WARC_NAME}): {what} removes every file that is not part of the "
        f"site, and it holds {names}. Give an empty or new folder, or empty this one first."
    )


def is_page_folder(parts: tuple[str, ...] | list[str]) -> bool:
    """Whether files under the folder ``parts`` (``("fa", "pagefind")``) can be pages: not
    :data:`NOT_PAGES` at the top, nor an edition's :data:`EDITION_NOT_PAGES` (an edition's
    prefix is a reserved slug, and so is ``pagefind``: no section can take these paths)."""
    from broadsheet.site.editions import prefixes

    if parts and parts[0] in NOT_PAGES:
        return False
    return not (len(parts) > 1 and parts[0] in prefixes() and parts[1] in EDITION_NOT_PAGES)


class UnsafePath(ValueError):
    """A URL path that would escape the output folder (``..``) or is not absolute."""


def file_for_path(output: Path, path: str) -> Path:
    """The file that holds URL ``path``: ``/a/b/`` → ``<output>/a/b/index.html``; a path not
    ending in ``/`` (``/404.html``, ``/feed.xml``) is the file itself.

    Raises :class:`UnsafePath`."""
    if not path.startswith("/") or any(part in ("..", ".") for part in path.split("/")):
        raise UnsafePath(path)
    rel = path.lstrip("/")
    if path.endswith("/"):
        rel += "index.html"
    if not rel or rel.startswith(STATE_DIR):
        raise UnsafePath(path)
    return output / rel


def write_atomic(target: Path, data: bytes, only_if_changed: bool = True) -> bool:
    """Write ``data`` to ``target`` atomically (a temporary file in the same directory, then
    ``os.replace``). Returns True if the file was written, False if it already held ``data``."""
    if only_if_changed:
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except (FileNotFoundError, NotADirectoryError):
            pass
    tmp = target.parent / f"{TMP_PREFIX}{os.getpid()}-{next(_COUNTER)}-{target.name[:40]}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, flags, 0o644)
    try:
        os.fchmod(fd, 0o644)  # readable by the web server whatever the umask
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def remove_file(target: Path, output: Path) -> bool:
    """Remove a baked file and the directories it leaves empty (up to ``output``). Returns
    True if a file was removed."""
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    parent = target.parent
    while parent != output and output in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


def static_prefixes() -> tuple[str, ...]:
    """Static paths the reader pages use (only these are baked): ``BROADSHEET_BAKE_STATIC``,
    default ``("broadsheet/",)`` — the reader theme, not the admin's assets."""
    return tuple(getattr(settings, "BROADSHEET_BAKE_STATIC", ("broadsheet/",)))


def collect_static(output: Path) -> ManifestStaticFilesStorage:
    """Collect the reader's static files into ``<output>/static/`` with content-hashed names.

    Files are processed in a staging folder, then moved in one by one with ``os.replace`` and
    the manifest (``staticfiles.json``) last, so a crash never leaves a truncated asset under a
    hashed name. Returns a storage whose ``url(name)`` gives the hashed URL."""
    static_root = output / "static"
    staging = output / STATE_DIR / f"static-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    storage = ManifestStaticFilesStorage(location=str(staging), base_url=settings.STATIC_URL)
    found: dict[str, tuple[object, str]] = {}
    prefixes = static_prefixes()
    for finder in get_finders():
        for path, source in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(source, "prefix", None)
            name = os.path.join(prefix, path) if prefix else path
            if name in found or not name.startswith(prefixes):
                continue
            found[name] = (source, path)
            with source.open(path) as fh:
                storage.save(name, fh)
    for _name, _hashed, processed in storage.post_process(found, dry_run=False):
        if isinstance(processed, Exception):
            raise processed
    manifest = staging / storage.manifest_name
    for file in sorted(staging.rglob("*")):
        if file.is_file() and file != manifest:
            write_atomic(static_root / file.relative_to(staging), file.read_bytes())
    write_atomic(static_root / storage.manifest_name, manifest.read_bytes())
    shutil.rmtree(staging, ignore_errors=True)
    return baked_static_storage(output)


def baked_static_storage(output: Path) -> ManifestStaticFilesStorage:
    """The storage of an output's collected static files (reads its ``staticfiles.json``)."""
    return ManifestStaticFilesStorage(location=str(output / "static"), base_url=settings.STATIC_URL)


def static_url_function(output: Path) -> Callable[[str], str]:
    """``static(name)`` for baked pages: the hashed URL of a collected file; collects the
    static files first if the output has none yet. Hashed with ``DEBUG`` on too (Django's
    manifest storage gives the plain name then), so a bake does not depend on the settings'
    debug flag."""
    if not (output / "static" / ManifestStaticFilesStorage.manifest_name).exists():
        collect_static(output)
    storage = baked_static_storage(output)
    return functools.partial(storage.url, force=True)
