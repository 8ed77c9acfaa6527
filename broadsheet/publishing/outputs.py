"""Where baked files go: output backends.

An output backend stores the files of one baked site under their URL paths (``/a/b/`` is
stored as ``a/b/index.html``; any other path as the file itself) and answers:

* :meth:`~Output.write` — store a file if its bytes changed (True if it did);
* :meth:`~Output.remove` — remove a file (True if there was one);
* :meth:`~Output.pages` — the URL paths of every baked page (not the static assets, the
  search index or the bake's state);
* :meth:`~Output.lock` — one bake at a time per output;
* :meth:`~Output.read_state` / :meth:`~Output.write_state` — the bake's own records
  (``config.json``: the base URL of the last full bake).

Two backends: :class:`FolderOutput`, a local folder written atomically (``os.replace``; a reader
or a killed bake never sees half a file), and :class:`~.s3.S3Output`, S3-compatible object storage
through django-storages (:mod:`.s3`). :func:`output_for` picks one from a folder path or an
``s3://bucket/prefix`` address.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings

from .files import (
    STATE_DIR,
    TMP_PREFIX,
    UnsafePath,
    collect_static,
    file_for_path,
    is_page_folder,
    remove_file,
    static_url_function,
    write_atomic,
)


@runtime_checkable
class Output(Protocol):
    """An output backend (see the module docstring)."""

    name: str
    local_dir: Path | None

    def write(self, path: str, data: bytes, content_type: str) -> bool: ...

    def remove(self, path: str) -> bool: ...

    def read(self, path: str) -> bytes | None: ...

    def pages(self) -> set[str]: ...

    def files_under(self, prefix: str) -> list[str]: ...

    def put_file(self, path: str, source: Path, content_type: str) -> bool: ...

    def put_folder(self, path: str, source: Path) -> bool: ...

    def scratch(self) -> contextlib.AbstractContextManager[Path]: ...

    def lock(self, name: str = "bake") -> contextlib.AbstractContextManager[None]: ...

    def read_state(self, name: str) -> bytes | None: ...

    def write_state(self, name: str, data: bytes) -> None: ...

    def collect_static(self) -> Callable[[str], str]: ...

    def static_url(self) -> Callable[[str], str]: ...

    def static_key(self) -> Any: ...

    def put_tree(self, folder: Path, prefix: str) -> None: ...

    def cleanup(self) -> None: ...


def default_output() -> str | Path:
    """``BROADSHEET_BAKE_DIR`` (a folder, or ``s3://bucket/prefix``), default ``<var>/site``."""
    target = getattr(settings, "BROADSHEET_BAKE_DIR", None) or settings.VAR_DIR / "site"
    return target if str(target).startswith("s3://") else Path(target)


def output_for(target: str | Path | Output | None = None) -> Output:
    """The output backend for ``target``: an :class:`Output` as is, ``s3://bucket/prefix`` an
    :class:`~.s3.S3Output` (settings from the environment, docs/baking.md), anything else a
    local folder (default :func:`default_output`)."""
    if target is not None and not isinstance(target, str | Path):
        return target
    target = target or default_output()
    if isinstance(target, str) and target.startswith("s3://"):
        from .s3 import S3Output

        return S3Output.from_url(target)
    return FolderOutput(Path(target))


class FolderOutput:
    """A local folder, written atomically; ``.bake/`` holds the lock and the state."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self.local_dir: Path | None = self.folder
        self.name = str(self.folder)

    def __repr__(self) -> str:
        return f"FolderOutput({self.folder})"

    def file(self, path: str) -> Path:
        """The file that holds URL ``path`` (raises :class:`~.files.UnsafePath`)."""
        return file_for_path(self.folder, path)

    def write(self, path: str, data: bytes, content_type: str = "") -> bool:
        return write_atomic(self.file(path), data)

    def remove(self, path: str) -> bool:
        try:
            target = self.file(path)
        except UnsafePath:
            return False
        return remove_file(target, self.folder)

    def put_file(self, path: str, source: Path, content_type: str = "") -> bool:
        """Move the local file ``source`` (made in :meth:`scratch`, so on the same file system)
        to ``path``, atomically; True if it was written (a file of the same size and bytes
        already there is kept, and ``source`` removed)."""
        target = self.file(path)
        try:
            if target.stat().st_size == source.stat().st_size and (
                target.read_bytes() == source.read_bytes()
            ):
                source.unlink()
                return False
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(source, 0o644)
        os.replace(source, target)
        return True

    def put_folder(self, path: str, source: Path) -> bool:
        """Move the local folder ``source`` (made in :meth:`scratch`) to the folder URL
        ``path`` in one rename, if nothing is there yet; False (nothing moved) otherwise."""
        target = self.file(path).parent
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(source, 0o755)  # noqa: S103 - served to the public by the web server
        os.rename(source, target)
        return True

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A scratch folder on the output's file system (removed afterwards)."""
        import shutil
        import tempfile

        base = self.folder / STATE_DIR
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=base))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def read(self, path: str) -> bytes | None:
        try:
            return self.file(path).read_bytes()
        except (FileNotFoundError, UnsafePath, IsADirectoryError):
            return None

    def pages(self) -> set[str]:
        """Every baked page's URL path; temporary files of a killed bake are deleted on the
        way."""
        found: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(self.folder):
            rel = Path(dirpath).relative_to(self.folder)
            if len(rel.parts) < 2:
                dirnames[:] = [
                    d
                    for d in dirnames
                    if is_page_folder((*rel.parts, d)) and not (not rel.parts and d[0] == ".")
                ]
            for name in filenames:
                if name.startswith(TMP_PREFIX):
                    (Path(dirpath) / name).unlink(missing_ok=True)
                    continue
                url = "/" + ("" if rel == Path(".") else f"{rel.as_posix()}/")
                found.add(url if name == "index.html" else url + name)
        return found

    @contextlib.contextmanager
    def lock(self, name: str = "bake") -> Iterator[None]:
        """Hold the folder's lock ``name`` (blocks until the holder lets go): ``bake`` for
        bakes, ``finish`` for the finishers' delayed work."""
        state = self.folder / STATE_DIR
        state.mkdir(parents=True, exist_ok=True)
        with open(state / ("lock" if name == "bake" else f"lock-{name}"), "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def files_under(self, prefix: str) -> list[str]:
        """URL paths of every file under the folder URL ``prefix`` (``/pagefind/``)."""
        try:
            base = self.file(prefix).parent if prefix.endswith("/") else self.file(prefix)
        except UnsafePath:
            return []
        if not base.is_dir():
            return []
        out = []
        for file in base.rglob("*"):
            if file.is_file() and not file.name.startswith(TMP_PREFIX):
                out.append(prefix + file.relative_to(base).as_posix())
        return out

    def read_state(self, name: str) -> bytes | None:
        try:
            return (self.folder / STATE_DIR / name).read_bytes()
        except FileNotFoundError:
            return None

    def write_state(self, name: str, data: bytes) -> None:
        write_atomic(self.folder / STATE_DIR / name, data)

    def collect_static(self) -> Callable[[str], str]:
        return collect_static(self.folder).url

    def static_url(self) -> Callable[[str], str]:
        return static_url_function(self.folder)

    def static_key(self) -> Any:
        manifest = self.folder / "static" / "staticfiles.json"
        return (str(manifest), manifest.stat().st_mtime_ns if manifest.exists() else 0)

    def put_tree(self, folder: Path, prefix: str) -> None:
        """Nothing to do: finishers write into the folder itself."""

    def cleanup(self) -> None:
        for file in (self.folder / "static").rglob(f"{TMP_PREFIX}*"):
            file.unlink(missing_ok=True)


def read_config(output: Output) -> dict[str, Any]:
    """The settings of the output's last full bake (``base_url``), or {}."""
    raw = output.read_state("config.json")
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


def write_config(output: Output, config: dict[str, Any]) -> None:
    output.write_state("config.json", json.dumps(config).encode())
