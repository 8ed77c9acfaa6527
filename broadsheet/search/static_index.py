"""The static search index of a baked site: Pagefind (https://pagefind.app), fed from the read
model, split in shards by period, each replaced in place without ever being missing.

Why Pagefind: it is the well-kept static-search indexer (shipped on PyPI as ``pagefind[bin]``);
it splits its index into small compressed chunks so that a query loads a few kilobytes, and
stems per page language. Why shards: Pagefind holds everything it indexes in memory (about
140 KB per 700-word story, measured), so one index of 100,000 stories needs over 12 GB; a shard
of at most :data:`SHARD_MAX` stories needs well under 1 GB, and a publish re-indexes only the
shard of its month.

* **Records, not pages**: each story is sent to Pagefind's indexing service as a plain-text
  record (headline, standfirst, body text; title and date as metadata) —
  :mod:`.pagefind_service`; the baked pages are never parsed again, no file per story is
  written, and nothing needs a local copy of the site (an S3 output gets the bundles uploaded).
* **An index per edition**: each edition's stories are indexed apart, under its own prefix —
  ``/pagefind/`` for the default edition, ``/fa/pagefind/`` for the Persian one — and each
  edition's search page queries its own. Pagefind would split one bundle by language too, but
  it picks the language from the search page's ``<html lang>``, and one bundle per edition keeps
  each edition's shards, memory and publishes apart (a Persian publish re-indexes a Persian
  shard only) and lets an edition be copied alone.
* **Persian and Arabic letters folded on both sides**: the records' text goes through
  :func:`~broadsheet.content.searchtext.fold_letters` (ي/ى→ی, ك→ک, harakat, tatweel and
  joiners removed, Arabic-Indic and Persian digits → ASCII), and the search page's script
  folds the query with the same table (the page carries it), so "کتاب" finds "كِتاب" and
  "۱۴۰۳" finds "1403" and "١٤٠٣". Titles are kept as written (metadata, not searched), and
  so is the text (``meta.text``, word for word the folded text): the page's script builds each
  excerpt from the written words at the positions Pagefind matched, so readers see "كِتابـ"
  highlighted, never the folded "کتاب".
* **Shards**: a year of stories (newsroom time zone); a year with more than ``SHARD_MAX``
  stories is split by quarter, a quarter with more by month. The newest shard is the *primary*
  bundle at ``<prefix>/pagefind/`` (its ``pagefind.js`` loads the others); older shards live at
  ``<prefix>/pagefind/s/<key>/``; ``<prefix>/pagefind/shards.json`` lists them for the search
  page's script, which merges them (Pagefind's ``mergeIndex``). The manifest also keeps each
  shard's digest (``built``): a full bake re-indexes only the shards whose records changed, so
  a change that touches every page but no record (the site's settings) re-indexes nothing,
  and a full bake run instead of a publish re-indexes the publish's shard only.
* **Replaced in place, never deleted first**: a new bundle's files are content-hashed; they are
  put beside the old ones, then the entry files (``pagefind-entry.json``, ``pagefind.js``) are
  replaced atomically, and only then are the files that neither the new nor the previous
  bundle has removed. ``/pagefind/pagefind.js`` exists at every moment. Every file of a bundle
  is written whole by us before it is moved into place (:meth:`.PagefindService.write`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from broadsheet.content.searchtext import body_text, folded_words
from broadsheet.site.build import Build
from broadsheet.site.data import ALL
from broadsheet.site.listings import month_bounds

from .bundles import install

logger = logging.getLogger(__name__)

PRIMARY = "/pagefind/"  # the default edition's; see :func:`primary`
SHARD_MAX = 4000
BATCH = 500
REFRESH = "-"  # a shard key no shard has: only the manifest and stale bundles are redone


class StaticIndexError(RuntimeError):
    """Pagefind failed (its message is included) or is not installed."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind-bin`` wheel; raises
    :class:`StaticIndexError` if it is missing."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise StaticIndexError("pagefind[bin] is not installed") from exc
    try:
        return get_executable()
    except FileNotFoundError as exc:  # pragma: no cover
        raise StaticIndexError(str(exc)) from exc


def primary(build: Build) -> str:
    """Where the build's edition keeps its index: ``/pagefind/``, ``/fa/pagefind/``."""
    return f"{build.ctx.prefix}{PRIMARY}"


def _pending_name(prefix: str) -> str:
    return "search-pending" + (f"-{prefix.strip('/')}" if prefix else "") + ".json"


def enabled() -> bool:
    """``BROADSHEET_STATIC_SEARCH`` (default true)."""
    return getattr(settings, "BROADSHEET_STATIC_SEARCH", True)


# -- shards ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Shard:
    """A period of the archive indexed together: ``key`` (``2007``, ``2007-q2``,
    ``2007-05``), ``months`` ((year, month) pairs), ``count`` stories."""

    key: str
    months: tuple[tuple[int, int], ...]
    count: int

    def covers(self, year: int, month: int) -> bool:
        """Whether a story published in that month belongs here (a month with no story now
        still belongs to its year's or quarter's shard)."""
        if self.key == str(year):
            return True
        if self.key.startswith(f"{year}-q"):
            q = int(self.key[-1])
            return (q - 1) * 3 < month <= q * 3
        return self.key == f"{year}-{month:02d}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        start, _ = month_bounds(*self.months[0])
        _, end = month_bounds(*self.months[-1])
        return start, end


def plan(build: Build) -> list[Shard]:
    """The shards of the site's archive now, oldest first (from the months' counts)."""
    counts: dict[int, dict[int, int]] = {}
    for m in build.read.months():
        counts.setdefault(m.year, {})[m.month] = m.count
    shards: list[Shard] = []
    for year in sorted(counts):
        months = counts[year]
        if sum(months.values()) <= SHARD_MAX:
            shards.append(_shard(str(year), year, sorted(months), months))
            continue
        for q in range(4):
            quarter = [m for m in sorted(months) if q * 3 < m <= q * 3 + 3]
            if not quarter:
                continue
            if sum(months[m] for m in quarter) <= SHARD_MAX:
                shards.append(_shard(f"{year}-q{q + 1}", year, quarter, months))
            else:
                shards += [_shard(f"{year}-{m:02d}", year, [m], months) for m in quarter]
    return shards


def _shard(key: str, year: int, months: Sequence[int], counts: dict[int, int]) -> Shard:
    return Shard(key, tuple((year, m) for m in months), sum(counts[m] for m in months))


def bundle_path(shard: Shard, shards: Sequence[Shard], base: str = PRIMARY) -> str:
    """Where a shard's bundle is served: the newest at ``base`` (``/pagefind/``), the others
    under ``<base>s/<key>/``."""
    return base if shard.key == shards[-1].key else f"{base}s/{shard.key}/"


def shards_for(shards: Sequence[Shard], dates: Iterable[dt.datetime]) -> set[str]:
    """Keys of the shards holding stories published at ``dates``; :data:`REFRESH` for a date
    no shard covers any more (its period emptied: its bundle must go)."""
    from django.utils import timezone

    wanted = set()
    for when in dates:
        local = timezone.localtime(when)
        found = [s.key for s in shards if s.covers(local.year, local.month)]
        wanted.update(found or [REFRESH])
    return wanted


# -- records -----------------------------------------------------------------------------------
def record(build: Build, story: Any) -> dict[str, Any]:
    """A story as a Pagefind record: its URL within its edition (``/farhang/x/`` for
    ``/fa/farhang/x/``: Pagefind's script puts the bundle's parent folder, ``/fa/``, before
    it, so a copy of the site served under a sub-path still links right), its text (headline,
    standfirst, body; pull quotes left out: they repeat the body) with its letters folded
    (:func:`fold_letters`), its edition's language, and its title and text (as written) and
    date as metadata. The written text (``meta.text``) has the same words as the folded one
    (:func:`folded_words`), so the page's script shows the written words at the positions
    Pagefind matched in the folded ones: an excerpt shows "كِتابـ", never "کتاب". It is left
    out when folding changed nothing (most English stories): Pagefind keeps each record's
    content in its fragment for excerpts, and a second copy of the text doubled the fragments,
    the indexer's memory and its CPU time (docs/performance.md, 2026-12-03)."""
    card = story.card
    text = body_text([{"type": b["type"], "value": _block_value(b)} for b in story.body])
    content = "\n\n".join(part for part in (card.headline, card.standfirst, text) if part)
    folded, written = folded_words(content)
    meta = {"title": card.headline, "date": card.published_at.isoformat(timespec="seconds")}
    if written != folded:  # else Pagefind's own excerpt is the written text already
        meta["text"] = written
    return {
        "url": build.ctx.local(card.url),
        "content": folded,
        "language": build.ctx.language.split("-")[0],
        "meta": meta,
    }


def _block_value(block: dict[str, Any]) -> Any:
    kind = block["type"]
    if kind == "paragraph":
        return str(block["html"])
    if kind == "fact_box":
        return {"title": block.get("title", ""), "body": str(block.get("html", ""))}
    if kind in ("pull_quote", "image"):
        return ""  # pull quotes repeat the body; images have no text to find
    if kind == "subheading":
        return block.get("text", "")
    return {"text": block.get("text", ""), "attribution": block.get("attribution", "")}


def records(build: Build, shard: Shard) -> Iterable[dict[str, Any]]:
    """The shard's stories as records, bodies loaded 500 at a time."""
    start, end = shard.bounds()
    ids = [c.id for c in build.read.between(start, end)]
    for i in range(0, len(ids), BATCH):
        for story in build.read.stories(ids[i : i + BATCH]):
            yield record(build, story)


def run_pagefind(
    build: Build,
    shard: Shard,
    bundle: Path,
    ordered: bool = False,
    batch: Iterable[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Index the shard's records (``batch`` if given, else read now) with Pagefind's service
    and write its bundle to the folder ``bundle``. Returns ``{"pages", "seconds"}``; raises
    :class:`StaticIndexError`."""
    from .pagefind_service import PagefindService, ServiceError

    started = time.perf_counter()
    try:
        with PagefindService(pagefind_executable()) as service:
            pages = service.add(records(build, shard) if batch is None else batch, ordered=ordered)
            service.write(bundle)
    except (ServiceError, OSError) as exc:
        raise StaticIndexError(f"pagefind failed: {exc}") from exc
    if not (bundle / "pagefind.js").is_file():
        raise StaticIndexError("pagefind wrote no bundle")
    return {"pages": pages, "seconds": time.perf_counter() - started}


def _manifest(output: Any, shards: Sequence[Shard], base: str) -> None:
    others = [bundle_path(s, shards, base) for s in reversed(shards[:-1])]
    data = json.dumps({"primary": base, "shards": others}, indent=1).encode()
    output.write(base + "shards.json", data, "application/json")


def build_shards(build: Build, output: Any, keys: set[str] | None = None) -> dict[str, Any]:
    """Bring the build's edition's shards in ``output`` (under :func:`primary`) up to date,
    one at a time, then the manifest; remove the bundles of shards that no longer exist.

    ``keys``: the shards a change touched (a publish: its story's); every other shard whose
    bundle is in place is left alone without reading its stories. A shard that has no bundle
    where it is served now (new, re-planned — a year split in quarters —, or the newest period
    moving under ``s/``) is built too. ``keys`` None (a full bake): every shard is checked, and
    rebuilt only if its records changed: each shard's digest (of its records, where it is
    served, the ordering and Pagefind's version) is kept in the manifest (``built``), so a full
    bake after a change that leaves the stories' text and URLs alone (the site's settings, a
    tip) re-indexes nothing. Returns ``{"shards": rebuilt, "pages": n, "seconds": s}``."""
    base = primary(build)
    manifest = base + "shards.json"
    shards_dir = base + "s/"
    shards = plan(build)
    started = time.perf_counter()
    pages = 0
    built = 0
    if not shards:
        return {"shards": 0, "pages": 0, "seconds": 0.0}
    previous = _read_manifest(output, manifest)
    installed = _installed(previous, base)
    ordered = getattr(output, "relative", False)
    for shard in shards:
        at = bundle_path(shard, shards, base)
        in_place = installed.get(shard.key, {}).get("at") == at
        if keys is not None and shard.key not in keys and in_place:
            continue
        batch = list(records(build, shard))  # at most SHARD_MAX small records
        digest = _digest(batch, at, ordered)
        if in_place and installed[shard.key].get("digest") == digest:
            continue
        with output.scratch() as scratch:
            bundle = scratch / "bundle"
            # a relative copy (mirror, frozen archive) must come out the same bytes each time
            result = run_pagefind(build, shard, bundle, ordered, batch)
            install(output, bundle, at)
        installed[shard.key] = {"at": at, "digest": digest}
        pages += result["pages"]
        built += 1
    _manifest(output, shards, base)
    data = json.loads(output.read(manifest))
    data["primary_key"] = shards[-1].key
    data["built"] = {s.key: installed[s.key] for s in shards if s.key in installed}
    output.write(manifest, json.dumps(data, indent=1).encode(), "application/json")
    live = {bundle_path(s, shards, base) for s in shards}
    for path in sorted(output.files_under(shards_dir)):
        key = path[len(shards_dir) :].split("/", 1)[0]
        if f"{shards_dir}{key}/" not in live:
            output.remove(path)
    return {"shards": built, "pages": pages, "seconds": time.perf_counter() - started}


def _installed(previous: dict[str, Any], base: str) -> dict[str, dict[str, str]]:
    """``{shard key: {"at": bundle path, "digest": …}}`` of the bundles in place, from the
    manifest; a manifest written before digests were kept gives the paths alone (digest
    unknown: a full bake rebuilds those shards once, a publish leaves them be)."""
    if isinstance(previous.get("built"), dict):
        return {k: dict(v) for k, v in previous["built"].items() if isinstance(v, dict)}
    out: dict[str, dict[str, str]] = {}
    if previous.get("primary_key"):
        out[previous["primary_key"]] = {"at": previous.get("primary", base)}
    prefix = base + "s/"
    for path in previous.get("shards", []):
        if isinstance(path, str) and path.startswith(prefix):
            out[path[len(prefix) :].strip("/")] = {"at": path}
    return out


def _digest(batch: Sequence[dict[str, Any]], at: str, ordered: bool) -> str:
    """What a shard's bundle is made of: its records, where it is served, whether they were
    fed in order, and Pagefind's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pagefind = version("pagefind_bin")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        pagefind = "?"
    h = hashlib.sha256(f"{pagefind}\n{at}\n{ordered}\n".encode())
    for rec in batch:
        h.update(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _read_manifest(output: Any, manifest: str) -> dict[str, Any]:
    raw = output.read(manifest)
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


class StaticSearch:
    """The bake finisher that keeps the static indexes up to date, one per edition (the engine
    runs it with each edition's build): every shard after a full bake; after an incremental
    one, the shards of the changed stories' months, a little later and batched
    (``BROADSHEET_STATIC_SEARCH_DELAY`` seconds, default 5)."""

    name = "static-search"

    @property
    def delay(self) -> float:
        return float(getattr(settings, "BROADSHEET_STATIC_SEARCH_DELAY", 5))

    def run(self, build: Build, output: Any, full: bool, changes: Sequence[Any] = ()) -> None:
        """Rebuild now (full bakes), or note the shards to rebuild for :meth:`flush`."""
        if not enabled() or not build.read.count(ALL):
            return
        name = _pending_name(build.ctx.prefix)
        if full:
            build_shards(build, output)
            if getattr(output, "relative", False):  # a folder that may open from file://
                write_fallback(build, output)
            output.write_state(name, b"{}")
            return
        dates = [s.published_at for c in changes for s in (c.before, c.after) if s is not None]
        keys = shards_for(plan(build), dates)
        if not keys:
            return
        state = _pending(output, name)
        state["keys"] = sorted(set(state.get("keys", [])) | keys)
        output.write_state(name, json.dumps(state).encode())

    def pending(self, output: Any) -> bool:
        """Whether any edition has shards waiting for :meth:`flush`."""
        from broadsheet.site.editions import editions

        return any(_pending(output, _pending_name(e.path_prefix)).get("keys") for e in editions())

    def flush(self, build: Build, output: Any) -> dict[str, Any] | None:
        """Rebuild the shards of the build's edition noted by :meth:`run`."""
        name = _pending_name(build.ctx.prefix)
        keys = set(_pending(output, name).get("keys", []))
        if not keys or not enabled():
            return None
        output.write_state(name, b"{}")
        return build_shards(build, output, keys)


FALLBACK = "fallback.js"  # in the edition's bundle folder: /pagefind/, /fa/pagefind/


def write_fallback(build: Build, output: Any) -> int:
    """Write the plain-script search index of a relative folder (``bake --relative``,
    ``freeze``) as :data:`FALLBACK` in the edition's bundle folder: a classic script that sets
    ``window.BROADSHEET_SEARCH_RECORDS`` to ``[[url, title, date, text], …]`` (every story,
    oldest first; the text as written, which the script folds to match). Why: a page opened
    from ``file://`` cannot load Pagefind (an ES module fetching its index: browsers refuse
    both from ``file://``, Pagefind issues #202 and #241), but it can run a classic
    ``<script src>``; search.js then searches these records itself. Returns the number of
    records."""
    rows = []
    for shard in plan(build):
        for rec in records(build, shard):
            url = build.ctx.prefix + rec["url"]  # the site's path: the records are per edition
            meta = rec["meta"]
            rows.append([url, meta["title"], meta["date"], meta.get("text", rec["content"])])
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    script = (
        "/* Broadsheet: the search records of this archive, for search.js from file:// */\n"
        f"window.BROADSHEET_SEARCH_RECORDS = {data};\n"
    )
    output.write(
        primary(build) + FALLBACK, script.encode("utf-8"), "text/javascript; charset=utf-8"
    )
    return len(rows)


def _pending(output: Any, name: str) -> dict[str, Any]:
    raw = output.read_state(name)
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}
