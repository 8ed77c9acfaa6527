"""Imported stories found again by where they came from, never by slug alone.

Every importer but story files (whose ``slug`` key *is* their identity) calls
:func:`save_imported_story` with the input's ``source`` and the entry's identity in it (see
:class:`broadsheet.importers.models.ImportedStory`). Re-importing updates the story linked to
that pair; a new pair makes a new story, and when its slug is taken by a story from another
source or written in the newsroom, that story is left unchanged and the new one gets a free
slug (``slug-2``…) with a warning. Our own code: the rule is the product's (no library keeps
import identities for Wagtail pages).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from broadsheet.content.newsroom.models import StoryPage

from .bulk import BulkWriter
from .keys import ENTRY_MAX, entry_key, free_slug  # noqa: F401 - this module's API too
from .models import ImportedStory
from .report import ImportReport
from .storyformat import StoryFile
from .storysave import write_story


def content_key(*parts: str) -> str:
    """An entry identity from its content, for entries with neither id nor link."""
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()  # noqa: S324
    return f"sha1:{digest}"


def fingerprint(sf: StoryFile) -> str:
    """SHA-1 (hex) of everything ``sf`` would write, so an unchanged entry is not saved again:
    its fields and the bytes of the image files it uses (body images, lead image), so that a
    picture replaced under the same name is a change. A story without images keeps the
    fingerprint of its fields alone."""
    data = dataclasses.asdict(sf)
    data.pop("path", None)
    if data.get("go_live_at") is None:  # not scheduled: the fingerprint stories had before
        data.pop("go_live_at", None)
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    fields = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - change detection
    files = media_files(sf)
    if not files:
        return fields
    digest = hashlib.sha1(fields.encode())  # noqa: S324 - change detection
    for path in files:
        digest.update(file_digest(path))
    return digest.hexdigest()


def media_files(sf: StoryFile) -> list[Path]:
    """The image files ``sf`` uses: its body's image blocks', then its lead image's (relative
    names are the story file's folder's)."""
    names = [b["value"]["file"] for b in sf.body if b["type"] == "image"]
    if sf.lead_image:
        names.append(sf.lead_image.get("file", ""))
    return [sf.path.parent / name for name in names]


def file_digest(path: Path) -> bytes:
    """SHA-1 of the file's bytes (a missing file: of its name, marked)."""
    try:
        data = path.read_bytes()
    except OSError:
        return b"missing:" + str(path).encode()
    return hashlib.sha1(data).digest()  # noqa: S324 - change detection


@dataclass
class Saved:
    """What :func:`save_imported_story` did: ``action`` is ``"created"``, ``"updated"`` or
    ``"unchanged"``; ``story`` is ``None`` in a dry run of a new entry and for a new story
    queued on the bulk path (written at the writer's next flush, which calls ``then``)."""

    action: str
    story: StoryPage | None


def _owner(story: StoryPage) -> str:
    origin = ImportedStory.objects.filter(story=story).first()
    return f"imported from {origin.source}" if origin else "written in the newsroom"


def save_imported_story(
    sf: StoryFile,
    source: str,
    entry: str,
    report: ImportReport,
    place: str,
    dry_run: bool = False,
    bulk: BulkWriter | None = None,
    then: Callable[[StoryPage], None] | None = None,
    kinds: Sequence[str] = (),
) -> Saved:
    """Create or update the story imported from ``(source, entry)`` and count it in ``report``
    (created / updated / unchanged), and in each of ``kinds`` of ``report.counts`` (such as
    ``"published posts"``) once it is saved, queued or found unchanged: a story that fails to
    write, here or with its bulk batch, is counted as failed only. A slug clash with another
    story is a warning at ``place`` and a new slug, never an update of that story. With
    ``bulk``, a new live story is queued on that writer (:mod:`.bulk`) and ``then(story)``
    runs once it is written; any other write flushes the writer first, so pages are created
    in the input's order. ``then`` is also called at once for a story saved here. Sections
    made for a story are kept out of the navigation (``in_menus=False``). Raises what
    :func:`write_story` raises."""
    entry = entry_key(entry)
    saved = _save(sf, source, entry, report, place, dry_run, bulk, then, kinds)
    if then is not None and not dry_run and saved.story is not None and saved.action != "unchanged":
        then(saved.story)
    return saved


def _save(
    sf: StoryFile,
    source: str,
    entry: str,
    report: ImportReport,
    place: str,
    dry_run: bool,
    bulk: BulkWriter | None,
    then: Callable[[StoryPage], None] | None,
    kinds: Sequence[str],
) -> Saved:
    link = None
    if bulk is None or bulk.known(source, entry):
        link = (
            ImportedStory.objects.filter(source=source, entry=entry).select_related("story").first()
        )
    if link is not None:
        story = link.story
        sf.slug = story.slug  # the editors may have changed it: keep theirs
        digest = fingerprint(sf)
        if digest == link.fingerprint:
            report.unchanged += 1
            report.counts.update(kinds)
            return Saved("unchanged", story)
        if dry_run:
            report.updated += 1
            report.counts.update(kinds)
            return Saved("updated", story)
        if bulk is not None:
            bulk.flush()
        with transaction.atomic():
            story, _ = write_story(sf, story, in_menus=False)
            link.fingerprint = digest
            link.save()
        report.updated += 1
        report.counts.update(kinds)
        return Saved("updated", story)
    wanted = sf.slug
    pending = bulk.slugs if bulk is not None else {}
    clash = None
    if bulk is None or bulk.slug_taken(wanted):
        clash = StoryPage.objects.filter(slug=wanted).first()
    if clash is not None or wanted in pending:
        sf.slug = free_slug(wanted, pending)
        owner = _owner(clash) if clash is not None else f"imported from {pending[wanted]}"
        report.warn(
            place,
            f"slug {wanted!r} belongs to another story ({owner}): that story is left "
            f"unchanged, this entry is saved as {sf.slug!r}",
        )
    if dry_run:
        report.created += 1
        report.counts.update(kinds)
        return Saved("created", None)
    digest = fingerprint(sf)  # before writing: saving adds block ids to sf.body
    if bulk is not None:
        bulk.remember(source, entry, sf.slug)
        if bulk.accepts(sf):
            # Counted now, taken back with its batch if that fails (the writer's report).
            report.created += 1
            report.counts.update(kinds)
            try:
                bulk.add(sf, source, entry, digest, then, place, kinds)
            except Exception:  # not queued: the caller reports the entry as failed
                report.created -= 1
                report.uncount(kinds)
                raise
            return Saved("created", None)
        bulk.flush()
    with transaction.atomic():
        story, _ = write_story(sf, None, in_menus=False)
        ImportedStory.objects.create(story=story, source=source, entry=entry, fingerprint=digest)
    report.created += 1
    report.counts.update(kinds)
    return Saved("created", story)
