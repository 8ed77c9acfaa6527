"""WordPress pages for :mod:`broadsheet.importers.wxr`: each page becomes an
:class:`~broadsheet.content.newsroom.models.InfoPage` under the front page (the page hierarchy
kept), found again by its identity (:class:`~broadsheet.importers.models.ImportedPage`:
``wxr:<site>`` and ``page:<wp:post_id>``), never by slug alone, and left alone when nothing in
the file changed (no new revision: counted ``unchanged``), as posts are.

A page imported before pages had an identity is found by slug under its parent when its
title and text are still the file's, and linked to it; any other page with the slug (one
written in the newsroom, or imported from another site) is left unchanged and the imported
page gets ``<slug>-<post id>`` with a warning.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from broadsheet.content.newsroom.models import InfoPage
from broadsheet.content.newsroom.tree import ensure_front_page

from .bulk import BulkWriter
from .htmlbody import blocks_to_rich_text, html_to_blocks
from .keys import entry_key
from .models import ImportedPage
from .report import ImportReport
from .wxrinput import Node, _clean_name, wp_slug


class Pages:
    """Pages of :class:`~broadsheet.importers.wxr.WxrImport` (a mixin: the run's ``report``,
    ``source``, ``pages``, ``bulk`` and ``dry_run`` are the dataclass's; ``headline``,
    ``status``, ``count_comments``, ``comments_skipped`` and ``redirects`` its methods)."""

    report: ImportReport
    path: Path
    dry_run: bool
    source: str
    pages: dict[str, Any]
    bulk: BulkWriter | None

    def place(self, line: int) -> str:
        return f"{self.path}:{line}"

    def page_order(self, pages: list[Node]) -> list[Node]:
        """Pages with their parent pages first."""
        by_id = {p["wp:post_id"]: p for p in pages}
        done: set[str] = set()
        out: list[Node] = []

        def visit(page: Node, depth: int = 0) -> None:
            pid = page["wp:post_id"]
            if pid in done:
                return
            done.add(pid)
            parent = by_id.get(page["wp:post_parent"])
            if parent is not None and depth < 50:
                visit(parent, depth + 1)
            out.append(page)

        for page in pages:
            visit(page)
        return out

    def save_page(self, item: Node) -> None:
        place = self.place(item.line)
        pid = item["wp:post_id"]
        if item["wp:status"] == "trash":
            self.report.skipped += 1
            self.comments_skipped(item)
            self.report.warn(place, f"page {pid} is in the trash: skipped")
            return
        headline = self.headline(item, "page")
        slug = wp_slug(item["wp:post_name"], _clean_name(item["title"]), f"page-{pid or item.line}")
        live, problem = self.status(item)
        if problem:
            self.report.warn(place, problem)
        parent = self.pages.get(item["wp:post_parent"]) or ensure_front_page()
        body, _ = html_to_blocks(item.raw("content:encoded"), wordpress=True)
        text = blocks_to_rich_text(body)
        entry = entry_key(
            f"page:{pid}" if pid else (item["guid"] or item["link"] or f"line:{item.line}")
        )
        # Everything the file says of the page: a change to any of it is an update.
        wanted = [headline, slug, text, live, item["wp:post_parent"], item["link"]]
        digest = hashlib.sha1(  # noqa: S324 - change detection
            json.dumps(wanted, ensure_ascii=False).encode()
        ).hexdigest()
        origin = (
            ImportedPage.objects.filter(source=self.source, entry=entry)
            .select_related("page")
            .first()
        )
        page = origin.page if origin is not None else None
        if page is None:
            page, slug = self.page_by_slug(parent, slug, headline, text, place, pid or item.line)
            if page is not None and page.live == live:  # imported before pages had an identity
                origin = ImportedPage(
                    page=page, source=self.source, entry=entry, fingerprint=digest
                )
                if not self.dry_run:
                    origin.save()
        if origin is not None and origin.fingerprint == digest:
            self.report.unchanged += 1
            self.counted(item, live)
            self.pages[pid] = page
            return
        if self.dry_run:
            self.report.saved(page is None)
            self.counted(item, live)
            self.pages[pid] = page or parent
            return
        if self.bulk is not None:
            self.bulk.flush()
        created = page is None
        if page is None:
            page = InfoPage(title=headline, slug=slug, live=False)
            parent.add_child(instance=page)
        elif page.get_parent().id != parent.id:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        page.title = headline
        page.body = text
        revision = page.save_revision()
        if live:
            revision.publish()
            self.redirects(item, page)
        elif page.live:
            page.unpublish()
        if origin is None:
            origin = ImportedPage(page=page, source=self.source, entry=entry)
        origin.fingerprint = digest
        origin.save()
        self.report.saved(created)
        self.counted(item, live)
        self.pages[pid] = page

    def counted(self, item: Node, live: bool) -> None:
        """Count a page imported (created, updated or unchanged; a page that fails to write
        is counted as failed only) and its comments, which are not imported."""
        self.report.count("pages")
        if live:
            self.report.count("published pages")
        self.count_comments(item, on_page=True)

    def page_by_slug(
        self, parent: Any, slug: str, headline: str, text: str, place: str, number: Any
    ) -> tuple[InfoPage | None, str]:
        """``(page, slug)`` for a page with no identity yet: the unlinked page with ``slug``
        under ``parent`` whose latest title and text are the file's (imported before pages
        had an identity), else ``None`` and a slug free under ``parent`` (``<slug>-<post id>``, with
        a warning, when another page or a section has it)."""
        found = InfoPage.objects.child_of(parent).filter(slug=slug).first()
        if found is not None and not ImportedPage.objects.filter(page=found).exists():
            latest = found.get_latest_revision_as_object()  # a draft's text is in its revision
            if (latest.title, latest.body) == (headline, text):
                return found, slug
        if found is None and not parent.get_children().filter(slug=slug).exists():
            return None, slug
        new = f"{slug}-{number}"
        owner = "a section" if found is None else "another page"
        self.report.warn(
            place, f"slug {slug!r} is taken by {owner} (left unchanged): renamed to {new!r}"
        )
        return None, new
