"""Putting a Pagefind bundle in place in an output (a folder, S3) without a moment when it is
missing: every new file first, then the entry files, then the files neither the new nor the
previous bundle has. Used by :mod:`.static_index` for each shard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENTRY_FILES = ("pagefind-entry.json", "pagefind.js")


def _media_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript; charset=utf-8"
    if name.endswith(".json"):
        return "application/json"
    if name.endswith(".css"):
        return "text/css; charset=utf-8"
    return "application/octet-stream"


def install(output: Any, bundle: Path, at: str) -> None:
    """Put the bundle folder ``bundle`` at URL path ``at`` of ``output``: every new file first,
    then the entry files, then remove the files neither this bundle nor the one it replaces
    has (readers that loaded the previous entry can still fetch its chunks)."""
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    names = {p: p.relative_to(bundle).as_posix() for p in files}
    state_name = "search-files-" + (at.strip("/").replace("/", "-") or "root") + ".json"
    if output.put_folder(at, bundle):  # nothing there yet: the whole folder at once
        output.write_state(state_name, json.dumps(sorted(names.values())).encode())
        return
    raw = output.read_state(state_name)
    previous = set(json.loads(raw)) if raw else set()
    for path in files:
        if names[path] not in ENTRY_FILES:
            output.put_file(at + names[path], path, _media_type(names[path]))
    for name in ENTRY_FILES:
        if (bundle / name).is_file():
            output.put_file(at + name, bundle / name, _media_type(name))
    current = set(names.values())
    for path in sorted(output.files_under(at)):
        name = path[len(at) :]
        if name in current or name in previous or name.startswith("s/"):
            continue
        if name == "shards.json":
            continue
        output.remove(path)
    output.write_state(state_name, json.dumps(sorted(current)).encode())
