"""Importing story files: ``save_story_file`` (the story-file identity rule: the slug, never a
story imported from another source) and ``import_story_files`` (many files; new published
stories of the default edition through the bulk path, :mod:`.bulk`, the rest one by one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import transaction

from broadsheet.content.newsroom.models import (
    StoryPage,
)

from .bulk import BulkWriter
from .identity import fingerprint, media_files
from .keys import entry_key, free_slug
from .models import ImportedStory
from .report import ImportReport
from .storyformat import StoryFile, StoryFileError, parse_story_file
from .storysave import write_story

# -- Saving -------------------------------------------------------------------------------


STORY_FILES = "storyfile"  # the ImportedStory source of story files; the entry is the slug


def save_story_file(
    sf: StoryFile,
    report: ImportReport,
    place: str,
    dry_run: bool = False,
    bulk: BulkWriter | None = None,
) -> str:
    """Create or update the story of a story file and count it in ``report``; returns
    ``"created"``, ``"updated"`` or ``"unchanged"``. A story file's identity is its slug
    (``ImportedStory(source="storyfile", entry=slug)``): importing it again updates that story,
    or leaves it alone (no new revision) when neither the file nor its images changed since
    (:func:`story_file_fingerprint`).
    A story with the slug that is not linked to any import (written in the newsroom, or by an
    earlier story-file import) is the file's story and is linked to it; a story with the slug
    that came from another source (a feed, WordPress, archived pages) is never changed: the
    file becomes a new story with a free slug (``-2``), with a warning at ``place``. With
    ``bulk`` (a :class:`~.bulk.BulkWriter`), a new published story of the default edition is
    queued on it and written with its batch; any other write flushes it first. Raises what
    :func:`write_story` raises."""
    entry = entry_key(sf.slug)
    digest = story_file_fingerprint(sf)  # before writing: saving adds block ids to sf.body
    pending = bulk.slugs if bulk is not None else {}
    if sf.slug in pending:
        bulk.flush()  # a file of this run with this slug: written first, then found below
    link = None
    if bulk is None or bulk.known(STORY_FILES, entry):
        link = ImportedStory.objects.filter(source=STORY_FILES, entry=entry).first()
    if link is not None and digest and link.fingerprint == digest:
        report.unchanged += 1
        return "unchanged"
    story = link.story if link is not None else None
    if link is None and (bulk is None or bulk.slug_taken(sf.slug)):
        story = StoryPage.objects.filter(slug=sf.slug).first()
    origin = None
    if link is None and story is not None:
        origin = ImportedStory.objects.filter(story=story).first()
    if origin is not None:
        wanted, sf.slug = sf.slug, free_slug(sf.slug, pending)
        report.warn(
            place,
            f"slug {wanted!r} belongs to a story imported from {origin.source}: that story is "
            f"left unchanged, this file is saved as {sf.slug!r}",
        )
        story = None
    action = "created" if story is None else "updated"
    if not dry_run and bulk is not None:
        bulk.remember(STORY_FILES, entry, sf.slug)
        if story is None and bulk.accepts(sf):
            report.created += 1  # before add: a failed batch takes it back
            try:
                bulk.add(sf, STORY_FILES, entry, digest, place=place)
            except Exception:
                report.created -= 1
                raise
            return action
        bulk.flush()
    if not dry_run:
        with transaction.atomic():
            story, _ = write_story(sf, story)
            if link is None:
                link = ImportedStory(story=story, source=STORY_FILES, entry=entry)
            link.fingerprint = digest
            link.save()
    if action == "created":
        report.created += 1
    else:
        report.updated += 1
    return action


def story_file_fingerprint(sf: StoryFile) -> str:
    """SHA-1 (hex) of what the story file ``sf`` would write: its fields
    (:func:`~.identity.fingerprint`) and the bytes of the image files it names (a picture
    replaced under the same name is a change); ``""`` when an image file is missing (never
    unchanged: the write reports the missing file)."""
    files = media_files(sf)
    if not all(path.is_file() for path in files):
        return ""
    if files:
        return fingerprint(sf)  # the fields' digest and the files' bytes
    # Without images: the digest story files have always had (of the fields' digest).
    return hashlib.sha1(fingerprint(sf).encode()).hexdigest()  # noqa: S324 - change detection


def iter_story_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every ``*.md`` file under the given files and folders, sorted within each folder."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.md") if q.is_file() and q.name != "README.md")
        else:
            yield p


def import_story_files(
    paths: Iterable[Path | str],
    dry_run: bool = False,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    bulk: bool = True,
) -> ImportReport:
    """Import story files; each broken file is recorded in the report and the rest go on.
    Stories are found by the file's slug, never one imported from another source
    (:func:`save_story_file`). New published stories are written in batches (:mod:`.bulk`);
    ``bulk=False`` saves each through Wagtail one by one (the same result, slower)."""
    from broadsheet.site.listings import deferred

    report = ImportReport()
    files = list(iter_story_paths(paths))
    report.items["story file"] += len(files)
    writer = BulkWriter(report=report) if bulk and not dry_run else None
    with deferred():  # the listings are re-indexed once, at the end
        for path in progress(files) if progress else files:
            try:
                with writer.item() if writer is not None else transaction.atomic():
                    sf = parse_story_file(path)
                    save_story_file(sf, report, str(path), dry_run=dry_run, bulk=writer)
            except StoryFileError as exc:
                report.fail(f"{exc.path}:{exc.line}", exc.message)
        if writer is not None:
            writer.flush()
    return report
