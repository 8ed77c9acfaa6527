"""The bulk path for new imported stories: a batch of pages inserted together.

Saving one new story through Wagtail (``add_child``, ``save_revision``, ``publish``) saves the
page three times, validates it twice, allocates its tree path under a lock and fires some
twenty signal receivers (bake queue, search index, reference index, listing index, retired
paths), about 0.1 CPU second a story. :class:`BulkWriter` collects the new, live stories of a
run and writes each batch with a handful of queries: the pages' tree paths are computed from
their section's last child (treebeard's own path arithmetic), the ``Page`` and ``StoryPage``
rows, one revision per story, the byline, the tags, the log entries (``wagtail.create``,
``wagtail.publish``) and the import identities are inserted with ``bulk_create``. Since bulk
inserts send no ``post_save``, the writer then does what the receivers would have done, once
per batch: the listing index marks the stories (re-indexed once, at the end of the run:
``site.listings.deferred``), the content layer's ``changed`` signal tells the features
(search index, bake queue: one task for the run's transaction), and Wagtail's search and
reference indexes get one task per batch (:mod:`.tasks`). The result is the slow path's; a
test imports the same input both ways and compares pages, revisions, URLs, indexes and
redirects.

Each batch is written in a savepoint. When it fails (a constraint violation, a database
error), nothing of it stays, each of its entries is reported as failed with the reason (its
``created`` count taken back), and the import goes on with the next entries, so the counts
still add up to the input's items. An importer runs each input item in
:meth:`BulkWriter.item` (its own transaction): a batch that the item flushes (an update or a
draft is written one by one, after the queued stories) is written outside the item's
transaction, so an item that fails after it takes only its own writes back, never the
batch of earlier entries.

Our own code: Wagtail has no bulk page creation (its ``bulk_create`` refuses multi-table
models), and the rules (identity, slugs, reports) are the importers'.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from broadsheet.content.newsroom.models import (
    RetiredPath,
    SectionPage,
    StoryAuthor,
    StoryPage,
    StoryTag,
)
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.content.signals import changed
from broadsheet.site import listings, retired

from .models import ImportedStory
from .report import ImportReport
from .storyformat import StoryFile
from .storysave import fill_story, find_author, resolve_images, tag_names
from .tasks import index_objects_task

BATCH = 500


@dataclass
class _Pending:
    story: StoryPage
    section: SectionPage
    authors: list[Any]
    tags: list[str]
    source: str
    entry: str
    digest: str
    then: Callable[[StoryPage], None] | None
    place: str = ""
    kinds: Sequence[str] = ()


class BulkWriter:
    """Collects new live stories (:meth:`add`) and writes them ``batch`` at a time
    (:meth:`flush`, also called by the importer before any other page write so that the
    tree's order is the input's). ``slugs`` holds the slugs of stories not yet written, for
    the slug-clash rule (:func:`broadsheet.importers.identity.save_imported_story`).

    With a ``report``, a batch that fails to write is rolled back to its savepoint and each of
    its entries is reported there as failed (``created`` and its ``kinds`` counts taken back,
    the failure at the entry's ``place``); without one, the error propagates (after the
    rollback). ``in_menus``: whether a section made for a story joins the navigation (story
    files; the importers of other sites' content pass False)."""

    def __init__(
        self,
        batch: int | None = None,
        report: ImportReport | None = None,
        after: Callable[[], None] | None = None,
        in_menus: bool = True,
    ) -> None:
        self.batch = batch or BATCH
        self.report = report
        self.after = after  # called after each batch written (and its ``then`` calls)
        self.in_menus = in_menus
        self._item: Any = None  # the transaction of the item being imported (item())
        self.pending: list[_Pending] = []
        self.slugs: dict[str, str] = {}  # slug → source of the pending story
        self._tags: dict[str, Tag] = {}
        # Found or created once per run (a run's sections and authors are not deleted in it).
        self._sections: dict[tuple[str, ...], SectionPage] = {}
        self._authors: dict[str, Any] = {}
        # What the identity rule asks of every entry, read once per run and kept up to date
        # by the run's own writes (remember): a lookup per entry cost two joined queries.
        self._entries: dict[str, set[str]] = {}  # source → entries with an identity
        self._story_slugs: set[str] | None = None

    @contextmanager
    def item(self) -> Iterator[None]:
        """Run one input item's writes in a transaction of their own (as
        ``transaction.atomic()``): when the item fails, its writes are rolled back, but not a
        batch flushed while it ran (:meth:`flush` ends the item's transaction before writing
        the batch and opens a new one for the rest of the item)."""
        self._item = transaction.atomic()
        self._item.__enter__()
        try:
            yield
        except BaseException as exc:
            atomic, self._item = self._item, None
            atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        atomic, self._item = self._item, None
        atomic.__exit__(None, None, None)

    def known(self, source: str, entry: str) -> bool:
        """Whether ``(source, entry)`` may already have an imported story (``False``: it
        certainly has none, no need to look it up)."""
        entries = self._entries.get(source)
        if entries is None:
            entries = self._entries[source] = set(
                ImportedStory.objects.filter(source=source).values_list("entry", flat=True)
            )
        return entry in entries

    def slug_taken(self, slug: str) -> bool:
        """Whether a story may already have ``slug`` (``False``: certainly none has)."""
        if self._story_slugs is None:
            self._story_slugs = set(StoryPage.objects.values_list("slug", flat=True))
        return slug in self._story_slugs

    def remember(self, source: str, entry: str, slug: str) -> None:
        """Note a story this run creates (queued or written): ``(source, entry)`` and
        ``slug`` are taken from now on."""
        self._entries.setdefault(source, set()).add(entry)
        if self._story_slugs is not None:
            self._story_slugs.add(slug)

    def _forget(self, batch: list[_Pending]) -> None:
        for p in batch:
            self._entries.get(p.source, set()).discard(p.entry)
            if self._story_slugs is not None:
                self._story_slugs.discard(p.story.slug)

    @staticmethod
    def accepts(sf: StoryFile) -> bool:
        """Whether ``sf`` can take the bulk path: a live (not scheduled) story of the default
        edition."""
        return sf.live and not sf.go_live_at and not sf.language and not sf.translation_of

    def add(
        self,
        sf: StoryFile,
        source: str,
        entry: str,
        digest: str,
        then: Callable[[StoryPage], None] | None = None,
        place: str = "",
        kinds: Sequence[str] = (),
    ) -> None:
        """Queue the new story ``sf`` (its images, section and authors are found or created
        now, so a missing file fails this entry only); ``then(story)`` runs once it is
        written; ``place`` names the entry in the report if its batch fails, and ``kinds``
        the counts (``report.counts``) to take back then. Raises what
        :func:`~.storyfiles.resolve_images` raises."""
        body, lead = resolve_images(sf)
        key = tuple(sf.section)
        section = self._sections.get(key)
        if section is None:
            section = ensure_section(sf.section, in_menus=self.in_menus)
            self._sections[key] = section
        story = StoryPage(slug=sf.slug, title=sf.headline)
        fill_story(story, sf, lead)
        story.body = body
        authors = []
        for name in dict.fromkeys(sf.authors):
            if name not in self._authors:
                self._authors[name] = find_author(name)
            authors.append(self._authors[name])
        self.pending.append(
            _Pending(
                story,
                section,
                authors,
                tag_names(sf.tags),
                source,
                entry,
                digest,
                then,
                place,
                kinds,
            )
        )
        self.slugs[sf.slug] = source
        if len(self.pending) >= self.batch:
            self.flush()

    def _tag(self, name: str) -> Tag:
        tag = self._tags.get(name)
        if tag is None:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
            self._tags[name] = tag
        return tag

    def flush(self) -> list[StoryPage]:
        """Write the queued stories in one savepoint; returns them (saved, live), or ``[]``
        when the batch failed and was reported (see the class)."""
        batch, self.pending, self.slugs = self.pending, [], {}
        if not batch:
            return []
        # Inside an item (and no inner transaction of its own open): end the item's
        # transaction first, so that the item failing later does not take the batch back.
        item = self._item
        blocks = connection.atomic_blocks
        if item is not None and blocks and blocks[-1] is item:
            item.__exit__(None, None, None)
            self._item = None
        try:
            return self._flush(batch)
        finally:
            if item is not None and self._item is None:
                self._item = transaction.atomic()
                self._item.__enter__()

    def _flush(self, batch: list[_Pending]) -> list[StoryPage]:
        try:
            with transaction.atomic():  # a savepoint: a failed batch leaves nothing behind
                stories = self._write(batch)
        except Exception as exc:
            self._tags.clear()  # tags made in the rolled-back savepoint are gone
            self._forget(batch)
            if self.report is None:
                raise
            for p in batch:
                self.report.created -= 1
                self.report.uncount(p.kinds)
                self.report.fail(
                    p.place or f"{p.source} {p.entry}",
                    f"not imported: its batch of {len(batch)} new stories failed to write "
                    f"({type(exc).__name__}: {exc})",
                )
            return []
        for p in batch:
            if p.then is not None:
                p.then(p.story)
        if self.after is not None:
            self.after()
        return stories

    def _write(self, batch: list[_Pending]) -> list[StoryPage]:
        """Insert ``batch`` (inside the caller's savepoint)."""
        now = timezone.now()
        story_type = ContentType.objects.get_for_model(StoryPage)
        page_type = ContentType.objects.get_for_model(Page)
        self._place(batch)
        for p in batch:
            s = p.story
            s.content_type = story_type
            s.draft_title = s.title
            s.translation_key = uuid.uuid4()
            s.locale_id = p.section.locale_id
            s.url_path = f"{p.section.url_path}{s.slug}/"
            s.live, s.has_unpublished_changes = False, False
        rows = []
        for p in batch:  # the rows as published, but for the revisions (set below)
            row = _page_row(p.story)
            row.live, row.last_published_at, row.latest_revision_created_at = True, now, now
            row.first_published_at = p.story.first_published_at or now
            rows.append(row)
        pages = Page.objects.bulk_create(rows)
        for p, row in zip(batch, pages, strict=True):
            p.story.id = p.story.page_ptr_id = row.pk
            p.story._state.adding = False
        # The byline and tags first: the revision holds them, with their ids.
        bylines = StoryAuthor.objects.bulk_create(
            StoryAuthor(story=p.story, author=a, sort_order=i)
            for p in batch
            for i, a in enumerate(p.authors)
        )
        tagged = StoryTag.objects.bulk_create(
            StoryTag(content_object=p.story, tag=self._tag(name)) for p in batch for name in p.tags
        )
        by_story: dict[int, tuple[list[StoryAuthor], list[StoryTag]]] = {
            p.story.pk: ([], []) for p in batch
        }
        for b in bylines:
            by_story[b.story_id][0].append(b)
        for t in tagged:
            by_story[t.content_object_id][1].append(t)
        # A new page has no other child rows (Wagtail's admin comments, corrections): say so,
        # or serialising its revision asks the database for each of them, story by story.
        others = [
            r.get_accessor_name()
            for r in get_all_child_relations(StoryPage)
            if r.get_accessor_name() not in ("story_authors", "tagged_items")
        ]
        for p in batch:
            p.story.story_authors, p.story.tagged_items = by_story[p.story.pk]
            for name in others:
                setattr(p.story, name, [])
        # The revision holds the page as it was saved before publishing (a draft, as
        # Wagtail's add_child + save_revision leave it).
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=story_type,
                    base_content_type=page_type,
                    object_id=str(p.story.pk),
                    created_at=now,
                    content=p.story.serializable_data(),
                    object_str=str(p.story),
                )
                for p in batch
            ]
        )
        for p, revision in zip(batch, revisions, strict=True):
            s = p.story
            s.latest_revision = s.live_revision = revision
            s.latest_revision_created_at = now
            s.live, s.has_unpublished_changes = True, False
            s.last_published_at = now
            s.first_published_at = s.first_published_at or now
            if s.published_at is None:
                s.published_at = s.first_publication_date(now)
        # One UPDATE for the batch (a bulk_update's CASE of 500 rows costs more to build).
        revision_of = Subquery(
            Revision.objects.filter(
                base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
            )
            .order_by("-pk")
            .values("pk")[:1]
        )
        Page.objects.filter(pk__in=[p.story.pk for p in batch]).update(
            latest_revision=revision_of, live_revision=revision_of
        )
        fields = [f for f in StoryPage._meta.local_concrete_fields]
        for start in range(0, len(batch), 100):
            chunk = [p.story for p in batch[start : start + 100]]
            StoryPage._base_manager._insert(chunk, fields=fields)  # the child table's rows
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=story_type,
                label=p.story.get_admin_display_title(),
                action=action,
                timestamp=now,
                page=p.story,
                revision=revision,
                content_changed=True,
            )
            for p in batch
            for action, revision in (
                ("wagtail.create", None),
                ("wagtail.publish", p.story.live_revision),
            )
        )
        ImportedStory.objects.bulk_create(
            ImportedStory(story=p.story, source=p.source, entry=p.entry, fingerprint=p.digest)
            for p in batch
        )
        stories = [p.story for p in batch]
        self._after(stories)
        return stories

    def _place(self, batch: list[_Pending]) -> None:
        """Give each story its tree path: after its section's last child, in input order
        (treebeard's materialised path: one step of ``steplen`` characters per depth)."""
        by_section: dict[int, list[_Pending]] = {}
        for p in batch:
            by_section.setdefault(p.section.pk, []).append(p)
        for section_id, group in by_section.items():
            section = Page.objects.select_for_update().get(pk=section_id)
            last = section.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) if last else 0
            for p in group:
                step += 1
                p.story.depth = section.depth + 1
                p.story.path = Page._get_path(section.path, p.story.depth, step)
                p.story.numchild = 0
            Page.objects.filter(pk=section_id).update(numchild=F("numchild") + len(group))

    @staticmethod
    def _after(stories: list[StoryPage]) -> None:
        """What the save and publish signals' receivers do, once for the batch."""
        listings.mark([s.pk for s in stories])
        paths = retired.public_paths(stories)
        RetiredPath.objects.filter(path__in=paths).delete()  # published again: not gone
        # Wagtail's search and reference indexes: one task for the batch (.tasks).
        index_objects_task.enqueue("newsroom", "storypage", [str(s.pk) for s in stories])
        changed.send(sender=StoryPage, instances=stories)


def _page_row(story: StoryPage) -> Page:
    """The ``wagtailcore_page`` row of ``story`` (multi-table models cannot be bulk-created)."""
    return Page(**{f.attname: getattr(story, f.attname) for f in Page._meta.concrete_fields})
