"""``broadsheet import wxr FILE``: a WordPress export (WXR 1.0–1.2) into the newsroom.

What becomes what (docs/importers.md has the full table):

* posts → stories (saved through :func:`broadsheet.importers.identity.save_imported_story`,
  found again by the site and ``wp:post_id``, never by slug; a repeated ``wp:post_id`` is
  reported); every byline kept: Co-Authors Plus terms, else every ``dc:creator``, logins and
  e-mails matched in any case;
* pages → :class:`~broadsheet.content.newsroom.models.InfoPage` under the front page (page
  hierarchy kept), found again by the site and ``wp:post_id`` (:mod:`.wxrpages`);
* categories → sections (hierarchy kept, :func:`broadsheet.content.newsroom.tree.ensure_section`);
  tags → tags; authors → :class:`~broadsheet.content.newsroom.models.Author`; excerpts →
  standfirsts;
* comments → :class:`~broadsheet.content.discussion.models.Comment`, keyed
  ``wxr:<site>:<comment id>``,
  approved / held / spam / removed kept; our replies are one level deep, so a reply to a reply
  hangs under its top-level ancestor (order kept by date);
* attachments → Wagtail images, only from the local ``--media-dir`` (never fetched);
* scheduled posts (``future``) are published at their date by Wagtail's scheduled publishing
  (``go_live_at``);
* drafts, pending, private and password-protected posts are saved, not published;
  sticky posts get the tag "Sticky";
* each published item's old permalink (``<link>``, and ``?p=<id>`` guids) becomes a permanent
  Wagtail redirect to its new page.

Broken input is reported per item (file:line) and the rest goes on: see
:mod:`broadsheet.importers.xmlinput` for bytes and markup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.db import transaction
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    CommentsState,
    StoryPage,
)
from broadsheet.site.listings import deferred

from .bulk import BulkWriter
from .htmlbody import html_to_blocks, plain_text
from .identity import fingerprint, save_imported_story
from .report import ImportReport
from .storyformat import StoryFile
from .storysave import ensure_imported_section, import_image
from .wxrfollow import Followups
from .wxrinput import (  # noqa: F401 - this module's API too (feeds use MediaFolder, TAG_MAX)
    DEFAULT_SECTION,
    IMAGE_SUFFIXES,
    STICKY_TAG,
    TAG_MAX,
    MediaFolder,
    Node,
    _clean_name,
    _text,
    parse_wp_date,
    qualified,
    wp_slug,
)
from .wxrpages import Pages
from .wxrterms import ChannelTerms, _Category
from .xmlinput import parse_xml

Progress = Callable[[Iterable[Any]], Iterable[Any]]


@dataclass
class WxrImport(ChannelTerms, Followups, Pages):
    """One run of the WXR importer; use :func:`import_wxr`."""

    path: Path
    media: MediaFolder
    dry_run: bool
    report: ImportReport = field(default_factory=ImportReport)
    site_key: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login → display name
    author_emails: dict[str, str] = field(default_factory=dict)
    categories: dict[str, _Category] = field(default_factory=dict)
    tag_names: dict[str, str] = field(default_factory=dict)  # casefold → first spelling
    attachments: dict[str, Path] = field(default_factory=dict)  # post id → local file
    attachment_urls: dict[str, Path] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)  # post id → InfoPage
    slugs: dict[str, str] = field(default_factory=dict)  # story slug → post id
    identities: dict[str, tuple[int, str]] = field(default_factory=dict)  # → (line, digest)
    source: str = ""
    missing_media: int = 0
    bulk: BulkWriter | None = None
    pending_posts: list[tuple[Node, StoryPage, bool]] = field(default_factory=list)
    default_section: bool = False  # the section of posts without a category is made
    comment_fates: dict[tuple[int, int], str] = field(default_factory=dict)
    comment_owners: dict[str, str] = field(default_factory=dict)

    def place(self, line: int) -> str:
        return f"{self.path}:{line}"

    # -- items ------------------------------------------------------------------------------
    def run(self, items: list[Node], progress: Progress | None) -> None:
        kinds: dict[str, list[Node]] = {}
        for item in items:
            kinds.setdefault(item["wp:post_type"] or "post", []).append(item)
            self.report.items[item["wp:post_type"] or "post"] += 1
        # Item categories and tags not declared in the channel are still sections / tags.
        for item in kinds.get("post", []):
            for el in item.all("category"):
                domain = el.get("domain") or "category"
                if domain == "author":
                    continue
                if domain == "category" and el.get("nicename") not in self.categories:
                    self.add_category(el.get("nicename") or "", _text(el), "", el.sourceline or 0)
                elif domain == "post_tag":
                    self.add_tag(_text(el), el.sourceline or 0)
        self.save_authors()
        self.save_categories()
        self.save_tags()
        ordered = [
            *kinds.pop("attachment", []),
            *self.page_order(kinds.pop("page", [])),
            *kinds.pop("post", []),
        ]
        others = [i for group in kinds.values() for i in group]
        for item in progress(ordered) if progress else ordered:
            kind = item["wp:post_type"] or "post"
            try:
                with self.bulk.item() if self.bulk is not None else transaction.atomic():
                    getattr(self, f"save_{kind}")(item)
            except Exception as exc:  # reported per item, the rest goes on
                self.comments_forgotten(item)
                self.report.fail(self.place(item.line), f"{kind} {item['wp:post_id']}: {exc}")
        for item in others:
            self.comments_skipped(item)
            self.report.skipped += 1
            self.report.count(f"skipped {item['wp:post_type']}")
        if others:
            kinds_skipped = ", ".join(sorted(kinds))
            self.report.warn(
                str(self.path),
                f"{len(others)} item(s) of types Broadsheet has no page for skipped: "
                f"{kinds_skipped}",
            )
        if self.missing_media:
            where = f"in {self.media.root}" if self.media.root else "(no --media-dir given)"
            self.report.warn(
                str(self.path), f"{self.missing_media} attachment file(s) not found {where}"
            )

    def save_attachment(self, item: Node) -> None:
        self.comments_skipped(item)  # comments belong to stories
        url = item["wp:attachment_url"] or item["guid"]
        path = self.media.find(url)
        if path is None or path.suffix.lower() not in IMAGE_SUFFIXES:
            self.missing_media += path is None
            self.report.skipped += 1
            self.report.count("attachments without a local image")
            return
        self.attachments[item["wp:post_id"]] = path
        self.attachment_urls[url] = path
        if self.dry_run:
            self.report.created += 1
            self.report.count("images")
            return
        from wagtail.images import get_image_model

        digest = hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - content id
        existed = get_image_model().objects.filter(file_hash=digest).exists()
        import_image(path, _clean_name(item["title"]) or path.stem)
        if existed:  # the same bytes are already an image: nothing written
            self.report.unchanged += 1
        else:
            self.report.created += 1
        self.report.count("images")  # once imported: a failed item is counted as failed only

    def find_image(self, src: str) -> Path | None:
        if self.dry_run:
            return None
        return self.attachment_urls.get(src) or self.media.find(src)

    def status(self, item: Node) -> tuple[bool, str]:
        """(live, problem) from wp:status and wp:post_password."""
        status = item["wp:status"]
        if not item.has("wp:status") or not status:
            return False, "no wp:status: kept as a draft"
        if status == "publish":
            if item["wp:post_password"]:
                return False, "password-protected: kept unpublished"
            return True, ""
        if status in ("draft", "pending", "future", "private", "auto-draft", "inherit"):
            return False, ""
        return False, f"unknown wp:status {status!r}: kept as a draft"

    def schedule(self, item: Node, published: Any, place: str) -> Any:
        """When a scheduled post (``wp:status`` ``future``) goes live: its date, kept as the
        story's ``go_live_at`` so that Wagtail's scheduled publishing publishes it then (at once,
        with a warning, when that time has passed). ``None`` for any other post, and for a
        scheduled one without a date or with a password (kept as a draft, with a warning)."""
        if item["wp:status"] != "future":
            return None
        if published is None:
            self.report.warn(place, "scheduled post without a date: kept as a draft")
            return None
        if item["wp:post_password"]:
            self.report.warn(place, "password-protected scheduled post: kept unpublished")
            return None
        if published <= timezone.now():
            self.report.warn(
                place, f"scheduled for {published.isoformat()}, which has passed: published"
            )
        return published

    def headline(self, item: Node, kind: str) -> str:
        title = _clean_name(item["title"])
        if title:
            return title[:255]
        fallback = unquote(item["wp:post_name"]).replace("-", " ").strip().capitalize()
        fallback = fallback or f"Untitled {kind} {item['wp:post_id']}".strip()
        self.report.warn(self.place(item.line), f"empty title: headline set to {fallback!r}")
        return fallback[:255]

    def save_post(self, item: Node) -> None:
        place = self.place(item.line)
        pid = item["wp:post_id"]
        if item["wp:status"] == "trash":
            self.report.skipped += 1
            self.comments_skipped(item)
            self.report.warn(place, f"post {pid} is in the trash: skipped")
            return
        headline = self.headline(item, "post")
        slug = wp_slug(item["wp:post_name"], _clean_name(item["title"]), f"post-{pid or item.line}")
        if slug in self.slugs and self.slugs[slug] != pid:
            new = f"{slug}-{pid or item.line}"[:255]
            self.report.warn(
                place, f"duplicate slug {slug!r} (post {self.slugs[slug]}): renamed to {new!r}"
            )
            slug = new
        self.slugs[slug] = pid
        live, problem = self.status(item)
        if problem:
            self.report.warn(place, problem)
        published, date_problem = parse_wp_date(
            item["wp:post_date_gmt"], item["wp:post_date"], item["pubDate"]
        )
        if date_problem and (live or published):
            self.report.warn(place, date_problem)
        go_live_at = self.schedule(item, published, place)
        section: list[str] = []
        tags: list[str] = []
        for el in item.all("category"):
            domain = el.get("domain") or "category"
            if domain == "category" and not section:
                section = self.section_path(el.get("nicename") or "") or (
                    [_clean_name(_text(el))] if _clean_name(_text(el)) else []
                )
            elif domain == "post_tag":
                name = self.tag_names.get(_clean_name(_text(el)).casefold())
                if name and name not in tags:
                    tags.append(name)
        kinds = ["posts"]  # counted once the post is saved (not when it fails to write)
        if live:
            kinds.append("published posts")
        elif go_live_at is not None:
            kinds.append("scheduled posts")
        if item["wp:is_sticky"] == "1":
            tags.append(STICKY_TAG)
            kinds.append("sticky posts")
        if not section:  # no category: "Uncategorized", out of the navigation like the others
            section = [DEFAULT_SECTION]
            if not self.default_section:
                ensure_imported_section(section, self.report, place)
                self.default_section = True
        authors = self.byline(item)
        body, missing = html_to_blocks(
            item.raw("content:encoded"), find_image=self.find_image, wordpress=True
        )
        if missing and not self.dry_run:
            self.report.warn(place, f"{len(missing)} image(s) without a local file left out")
        lead = None
        thumb = next(
            (
                Node(m)["wp:meta_value"]
                for m in item.all("wp:postmeta")
                if Node(m)["wp:meta_key"] == "_thumbnail_id"
            ),
            "",
        )
        if thumb in self.attachments and not self.dry_run:
            lead = {"file": str(self.attachments[thumb])}
        standfirst = plain_text(item.raw("excerpt:encoded")).replace("\n\n", " ")
        sf = StoryFile(
            path=self.path,
            headline=headline,
            slug=slug,
            section=section,
            published=published,
            standfirst=standfirst,
            authors=authors,
            tags=tags,
            comments=(
                CommentsState.CLOSED
                if item["wp:comment_status"] == "closed"
                else CommentsState.OPEN
            ),
            live=live or go_live_at is not None,
            go_live_at=go_live_at,
            lead_image=lead,
            body=body,
        )
        identity = f"post:{pid}" if pid else (item["guid"] or item["link"] or f"line:{item.line}")
        digest = fingerprint(sf)
        if identity in self.identities:
            line, first_digest = self.identities[identity]
            if first_digest == digest:
                self.report.skipped += 1
                self.comments_skipped(item)
                self.report.warn(place, f"wp:post_id {pid} repeats line {line} unchanged: skipped")
            else:
                self.report.fail(
                    place, f"wp:post_id {pid} repeats the post at line {line}: not imported"
                )
            return
        self.identities[identity] = (item.line, digest)

        def written(story: StoryPage) -> None:
            # A scheduled post's redirect is written now: it leads to the story once it is live.
            self.written(item, story, sf.live)

        saved = save_imported_story(
            sf, self.source, identity, self.report, place, self.dry_run, self.bulk, written, kinds
        )
        if saved.story is not None:  # written one by one: its redirect and comments now
            self.after_written()
        if self.dry_run and saved.story is None:  # a new post: its comments would be new
            self.count_comments(item, on_page=False)
        elif saved.action == "unchanged" or (self.dry_run and saved.story is not None):
            self.save_comments(item, saved.story, dry_run=self.dry_run)


def import_wxr(
    path: Path | str,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    bulk: bool = True,
) -> ImportReport:
    """Import a WordPress export file. Idempotent: posts and pages are found again by the
    site and ``wp:post_id`` (and left alone when unchanged), comments by ``source_key``,
    redirects by old path, images by content hash. ``dry_run`` does everything in a
    transaction that is rolled back (and imports no image file). New published posts are
    written in batches (:mod:`.bulk`); ``bulk=False`` saves each through Wagtail one by one
    (the same result, slower). Returns the report; never raises for bad input."""
    path = Path(path)
    run = WxrImport(path=path, media=MediaFolder(media_dir), dry_run=dry_run)
    report = run.report
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.fail(str(path), exc.strerror or str(exc), item=False)
        return report
    parsed = parse_xml(data)
    for problem in parsed.problems:
        if problem.repaired:
            report.warn(f"{path}:{problem.line}", problem.message)
        else:
            report.fail(f"{path}:{problem.line}", problem.message, item=False)
    if parsed.root is None:
        return report
    channel_el = parsed.root.find("channel")
    if channel_el is None:
        channel_el = parsed.root
    items = [Node(el) for el in parsed.root.iter("item")]
    if dry_run:
        with transaction.atomic():
            run.read_channel(Node(channel_el))
            run.run(items, progress)
            run.tally_comments(items)
            transaction.set_rollback(True)
    else:
        run.bulk = (
            BulkWriter(report=report, after=run.after_written, in_menus=False) if bulk else None
        )
        with deferred():  # the listings are re-indexed once, at the end
            run.read_channel(Node(channel_el))
            run.run(items, progress)
            if run.bulk is not None:
                run.bulk.flush()
        run.tally_comments(items)
    return report
