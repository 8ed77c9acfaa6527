"""``broadsheet import wxr FILE``: a WordPress export (WXR 1.0–1.2) into the newsroom.

What becomes what (docs/importers.md has the full table):

* posts → stories (saved through :func:`broadsheet.importers.identity.save_imported_story`,
  found again by the site and ``wp:post_id``, never by slug; a repeated ``wp:post_id`` is
  reported); every byline kept: Co-Authors Plus terms, else every ``dc:creator``, logins and
  e-mails matched in any case;
* pages → :class:`~broadsheet.content.newsroom.models.InfoPage` under the front page (page
  hierarchy kept), found again by slug under their parent;
* categories → sections (hierarchy kept, :func:`broadsheet.content.newsroom.tree.ensure_section`);
  tags → tags; authors → :class:`~broadsheet.content.newsroom.models.Author`; excerpts →
  standfirsts;
* comments → :class:`~broadsheet.content.discussion.models.Comment`, keyed
  ``wxr:<site>:<comment id>``,
  approved / held / spam / removed kept; our replies are one level deep, so a reply to a reply
  hangs under its top-level ancestor (order kept by date);
* attachments → Wagtail images, only from the local ``--media-dir`` (never fetched);
* drafts, scheduled, pending, private and password-protected posts are saved, not published;
  sticky posts get the tag "Sticky";
* each published item's old permalink (``<link>``, and ``?p=<id>`` guids) becomes a permanent
  Wagtail redirect to its new page.

Broken input is reported per item (file:line) and the rest goes on: see
:mod:`broadsheet.importers.xmlinput` for bytes and markup.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html as html_lib
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.content.newsroom.hooks import reserved_slugs
from broadsheet.content.newsroom.models import (
    Author,
    CommentsState,
    InfoPage,
    StoryPage,
    fit_slug,
)
from broadsheet.content.newsroom.tree import ensure_front_page, ensure_section
from broadsheet.site.listings import deferred

from .bulk import BulkWriter
from .htmlbody import blocks_to_rich_text, html_to_blocks, plain_text
from .identity import fingerprint, save_imported_story
from .report import ImportReport
from .storyfiles import StoryFile, import_image
from .xmlinput import parse_xml

STICKY_TAG = "Sticky"
DEFAULT_SECTION = "Uncategorized"
IMAGE_SUFFIXES = {".gif", ".jpg", ".jpeg", ".png", ".webp"}
TAG_MAX = 100  # taggit's Tag.name
Progress = Callable[[Iterable[Any]], Iterable[Any]]


# -- reading --------------------------------------------------------------------------------


def qualified(tag: Any) -> str:
    """``{namespace}local`` to ``wp:local`` / ``content:…`` / ``excerpt:…`` / ``dc:…`` whatever
    WXR version (1.0, 1.1, 1.2; http or https) the namespace names."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    ns, local = tag[1:].split("}", 1)
    if re.search(r"wordpress\.org/export/[\d.]+/excerpt/?$", ns):
        return f"excerpt:{local}"
    if re.search(r"wordpress\.org/export/[\d.]+/?$", ns):
        return f"wp:{local}"
    if "purl.org/rss/1.0/modules/content" in ns:
        return f"content:{local}"
    if "purl.org/dc/elements" in ns:
        return f"dc:{local}"
    return local


def _text(el: Any) -> str:
    return "".join(el.itertext()) if el is not None else ""


class Node:
    """Direct children of an element by qualified name (``node["wp:post_id"]``)."""

    def __init__(self, el: Any) -> None:
        self.el = el
        self.children: dict[str, list[Any]] = {}
        for child in el:
            self.children.setdefault(qualified(child.tag), []).append(child)

    def __getitem__(self, name: str) -> str:
        found = self.children.get(name)
        return _text(found[0]).strip() if found else ""

    def raw(self, name: str) -> str:
        found = self.children.get(name)
        return _text(found[0]) if found else ""

    def has(self, name: str) -> bool:
        return name in self.children

    def all(self, name: str) -> list[Any]:
        return self.children.get(name, [])

    @property
    def line(self) -> int:
        return self.el.sourceline or 0


class MediaFolder:
    """Local copies of a site's uploads: finds the file for an upload URL by the longest
    matching tail of its path (``2008/06/a.jpg``, then ``a.jpg``), then without WordPress's
    size suffix (``a-300x200.jpg`` → ``a.jpg``). Nothing is fetched."""

    def __init__(self, root: Path | str | None) -> None:
        self.root = Path(root) if root else None
        self.by_rel: dict[str, Path] = {}
        self.by_name: dict[str, Path] = {}
        if self.root and self.root.is_dir():
            for p in sorted(self.root.rglob("*")):
                if p.is_file():
                    self.by_rel[p.relative_to(self.root).as_posix().lower()] = p
                    self.by_name.setdefault(p.name.lower(), p)

    def find(self, url: str) -> Path | None:
        """The local file for ``url`` or ``None``."""
        if not self.by_rel or not url:
            return None
        parts = [p for p in unquote(urlparse(url).path).lower().split("/") if p]
        if not parts:
            return None
        for name_variant in (parts[-1], re.sub(r"-\d+x\d+(\.\w+)$", r"\1", parts[-1])):
            tail = [*parts[:-1], name_variant]
            for i in range(len(tail)):
                hit = self.by_rel.get("/".join(tail[i:]))
                if hit:
                    return hit
            if name_variant in self.by_name:
                return self.by_name[name_variant]
        return None


# -- values ---------------------------------------------------------------------------------


def parse_wp_date(gmt: str, local: str, rfc822: str = "") -> tuple[dt.datetime | None, str]:
    """An item's date: ``wp:post_date_gmt`` (UTC), else ``wp:post_date`` (newsroom time),
    else the RSS ``pubDate`` (RFC 822). Returns ``(aware datetime or None, problem)``; the
    problem is ``""`` or a sentence for the report (no date, ``0000-00-00``, before 1970)."""
    problem = ""
    for value, tz in ((gmt, dt.UTC), (local, None)):
        value = value.strip()
        if not value or value.startswith("0000-00-00"):
            if value:
                problem = f"date {value!r} is empty"
            continue
        try:
            parsed = dt.datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            problem = f"date {value!r} is not a date"
            continue
        if timezone.is_naive(parsed):
            parsed = (
                parsed.replace(tzinfo=tz)
                if tz
                else timezone.make_aware(parsed, timezone.get_current_timezone())
            )
        return parsed, _old_date(parsed)
    if rfc822.strip():
        try:
            parsed = email.utils.parsedate_to_datetime(rfc822.strip())
            if timezone.is_naive(parsed):
                parsed = parsed.replace(tzinfo=dt.UTC)
            return parsed, _old_date(parsed)
        except (TypeError, ValueError, IndexError):
            problem = problem or f"date {rfc822.strip()!r} is not a date"
    return None, problem or "no date"


def _old_date(value: dt.datetime) -> str:
    if value.year < 1970:
        return f"date {value.isoformat()} is before 1970 (kept as it is: check it)"
    return ""


def wp_slug(post_name: str, title: str, fallback: str) -> str:
    """A page slug from WordPress's ``post_name`` (percent-encoded UTF-8), else the title,
    else ``fallback``; at most ``MAX_SLUG_BYTES`` bytes, Unicode kept."""
    for candidate in (unquote(post_name), title):
        slug = fit_slug(candidate)
        if slug:
            return slug
    return fallback


def _clean_name(value: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(value)).strip()


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _valid_url(value: str) -> str:
    value = value.strip()[:500]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


# -- the importer ---------------------------------------------------------------------------


@dataclass
class _Category:
    nicename: str
    name: str
    parent: str
    line: int


@dataclass
class WxrImport:
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

    def place(self, line: int) -> str:
        return f"{self.path}:{line}"

    # -- channel ----------------------------------------------------------------------------
    def read_channel(self, channel: Node) -> None:
        link = channel["wp:base_blog_url"] or channel["link"] or channel["wp:base_site_url"]
        self.site_key = urlparse(link).netloc or self.path.stem
        site = urlparse(link)
        self.source = (
            f"wxr:{site.netloc.lower()}{site.path.rstrip('/')}"
            if site.netloc
            else f"wxr:{self.path.resolve()}"
        )
        for el in channel.all("wp:author"):
            a = Node(el)
            login = a["wp:author_login"]
            name = _clean_name(a["wp:author_display_name"]) or login
            if not login and not name:
                self.report.warn(self.place(a.line), "author without login or name: skipped")
                continue
            key = (login or name).casefold()
            if key in self.authors:
                self.report.warn(
                    self.place(a.line),
                    f"author login {login!r} repeats another in a different case: one author",
                )
                continue
            self.authors[key] = name
            self.author_emails[key] = _valid_email(a["wp:author_email"])
        for el in channel.all("wp:category"):
            c = Node(el)
            self.add_category(
                c["wp:category_nicename"], c["wp:cat_name"], c["wp:category_parent"], c.line
            )
        for el in channel.all("wp:tag"):
            t = Node(el)
            self.add_tag(t["wp:tag_name"], t.line, declared=True)
        for el in channel.all("wp:term"):
            t = Node(el)
            taxonomy = t["wp:term_taxonomy"]
            if taxonomy == "category":
                self.add_category(t["wp:term_slug"], t["wp:term_name"], t["wp:term_parent"], t.line)
            elif taxonomy == "post_tag":
                self.add_tag(t["wp:term_name"], t.line, declared=True)

    def add_category(self, nicename: str, name: str, parent: str, line: int) -> str:
        name = _clean_name(name)
        nicename = unquote(nicename.strip()) or slugify(name, allow_unicode=True)
        if not name and not nicename:
            self.report.warn(self.place(line), "category without name or slug: skipped")
            return ""
        if nicename in self.categories:
            known = self.categories[nicename]
            if name and known.name != name and known.line != line:
                self.report.warn(
                    self.place(line),
                    f"duplicate category slug {nicename!r} (first at line {known.line}): "
                    "merged with the first",
                )
            return nicename
        self.categories[nicename] = _Category(
            nicename, name or nicename, unquote(parent.strip()), line
        )
        return nicename

    def add_tag(self, name: str, line: int, declared: bool = False) -> str:
        name = _clean_name(name)
        if not name:
            self.report.warn(self.place(line), "empty tag name: skipped")
            return ""
        if len(name) > TAG_MAX:
            self.report.warn(self.place(line), f"tag name longer than {TAG_MAX}: cut")
            name = name[:TAG_MAX].strip()
        key = name.casefold()
        if key in self.tag_names:
            if declared:
                self.report.warn(
                    self.place(line), f"duplicate tag {name!r}: merged with {self.tag_names[key]!r}"
                )
            return self.tag_names[key]
        self.tag_names[key] = name
        return name

    def section_path(self, nicename: str) -> list[str]:
        path: list[str] = []
        seen: set[str] = set()
        while nicename and nicename in self.categories and nicename not in seen:
            seen.add(nicename)
            cat = self.categories[nicename]
            path.insert(0, cat.name)
            nicename = cat.parent
        return path

    def save_categories(self) -> None:
        """Sections for the categories, counted as ``categories`` (in the file), ``sections
        created``, ``sections existing`` (already on the site) and ``categories merged`` (their
        section is another category's of this file: same title path)."""
        from broadsheet.content.newsroom.models import SectionPage

        existing = set(SectionPage.objects.values_list("id", flat=True))
        used: dict[int, str] = {}
        for cat in sorted(
            self.categories.values(), key=lambda c: len(self.section_path(c.nicename))
        ):
            try:
                path = self.section_path(cat.nicename)
                with transaction.atomic():
                    section = ensure_section(path)
                self.report.count("categories")
                if section.id in used:
                    self.report.count("categories merged")
                    self.report.warn(
                        self.place(cat.line),
                        f"category {cat.nicename!r} merged into the section of "
                        f"{used[section.id]!r} ({' / '.join(path)})",
                    )
                else:
                    self.report.count(
                        "sections existing" if section.id in existing else "sections created"
                    )
                    used[section.id] = cat.nicename
                wanted = section.slug.removesuffix("-section")
                if len(path) == 1 and wanted in reserved_slugs():
                    self.report.warn(
                        self.place(cat.line),
                        f"section {cat.name!r} is at /{section.slug}/: /{wanted}/ is a path "
                        "the site answers itself",
                    )
            except Exception as exc:  # reported, the rest goes on
                self.report.fail(self.place(cat.line), f"category {cat.name!r}: {exc}", item=False)

    def save_tags(self) -> None:
        from taggit.models import Tag

        for name in self.tag_names.values():
            try:
                with transaction.atomic():
                    if not Tag.objects.filter(name=name).exists():
                        Tag.objects.create(name=name)
                self.report.count("tags")
            except Exception as exc:
                self.report.fail(str(self.path), f"tag {name!r}: {exc}", item=False)

    def save_authors(self) -> None:
        """One :class:`Author` per login (any case): matched to an existing author by e-mail
        (any case), else by name (any case), else created."""
        done: dict[str, str] = {}
        for key, name in self.authors.items():
            email = self.author_emails.get(key, "")
            if email.casefold() in done:
                self.authors[key] = done[email.casefold()]
                continue
            author = None
            if email:
                author = Author.objects.filter(email__iexact=email).first()
            author = author or Author.objects.filter(name__iexact=name).first()
            if not self.dry_run or author is not None:
                with transaction.atomic():
                    author = author or Author(name=name)
                    if not author.email and email:
                        author.email = email
                    author.save()
            self.authors[key] = author.name if author else name
            if email:
                done[email.casefold()] = self.authors[key]
            self.report.count("authors")

    def byline(self, item: Node) -> list[str]:
        """The post's authors in byline order: Co-Authors Plus terms (``<category
        domain="author" nicename="cap-login">``) when there are any, else every
        ``dc:creator``; logins matched in any case."""
        names: list[str] = []
        for el in item.all("category"):
            if el.get("domain") != "author":
                continue
            login = unquote(el.get("nicename") or "").removeprefix("cap-")
            names.append(
                self.authors.get(login.casefold())
                or self.authors.get(_clean_name(_text(el)).casefold())
                or _clean_name(_text(el))
                or login
            )
        if not names:
            for el in item.all("dc:creator"):
                login = _clean_name(_text(el))
                if login:
                    names.append(self.authors.get(login.casefold(), login))
        return [n for n in dict.fromkeys(names) if n]

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
                with transaction.atomic():
                    getattr(self, f"save_{kind}")(item)
            except Exception as exc:  # reported per item, the rest goes on
                self.report.fail(self.place(item.line), f"{kind} {item['wp:post_id']}: {exc}")
        for item in others:
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

    def save_attachment(self, item: Node) -> None:
        url = item["wp:attachment_url"] or item["guid"]
        path = self.media.find(url)
        if path is None or path.suffix.lower() not in IMAGE_SUFFIXES:
            self.missing_media += path is None
            self.report.skipped += 1
            self.report.count("attachments without a local image")
            return
        self.attachments[item["wp:post_id"]] = path
        self.attachment_urls[url] = path
        self.report.count("images")
        if self.dry_run:
            self.report.created += 1
            return
        from wagtail.images import get_image_model

        digest = hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - content id
        existed = get_image_model().objects.filter(file_hash=digest).exists()
        import_image(path, _clean_name(item["title"]) or path.stem)
        self.report.saved(not existed)

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
        if item["wp:is_sticky"] == "1":
            tags.append(STICKY_TAG)
            self.report.count("sticky posts")
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
            section=section or [DEFAULT_SECTION],
            published=published,
            standfirst=standfirst,
            authors=authors,
            tags=tags,
            comments=(
                CommentsState.CLOSED
                if item["wp:comment_status"] == "closed"
                else CommentsState.OPEN
            ),
            live=live,
            lead_image=lead,
            body=body,
        )
        identity = f"post:{pid}" if pid else (item["guid"] or item["link"] or f"line:{item.line}")
        digest = fingerprint(sf)
        if identity in self.identities:
            line, first_digest = self.identities[identity]
            if first_digest == digest:
                self.report.skipped += 1
                self.report.warn(place, f"wp:post_id {pid} repeats line {line} unchanged: skipped")
            else:
                self.report.fail(
                    place, f"wp:post_id {pid} repeats the post at line {line}: not imported"
                )
            return
        self.identities[identity] = (item.line, digest)
        self.report.count("posts")
        if live:
            self.report.count("published posts")

        def written(story: StoryPage) -> None:
            """Redirects and comments, once the story is written (at once, or when the bulk
            writer flushes: a failure then is this item's, the story stays)."""
            try:
                with transaction.atomic():
                    if live:
                        self.redirects(item, story)
                    self.save_comments(item, story)
            except Exception as exc:
                self.report.fail(place, f"post {pid}: redirects or comments: {exc}", item=False)

        saved = save_imported_story(
            sf, self.source, identity, self.report, place, self.dry_run, self.bulk, written
        )
        if self.dry_run:
            self.count_comments(item, on_page=False)
        elif saved.action == "unchanged" and saved.story is not None:
            self.save_comments(item, saved.story)

    def save_page(self, item: Node) -> None:
        place = self.place(item.line)
        pid = item["wp:post_id"]
        if item["wp:status"] == "trash":
            self.report.skipped += 1
            self.report.warn(place, f"page {pid} is in the trash: skipped")
            return
        headline = self.headline(item, "page")
        slug = wp_slug(item["wp:post_name"], _clean_name(item["title"]), f"page-{pid or item.line}")
        live, problem = self.status(item)
        if problem:
            self.report.warn(place, problem)
        parent = self.pages.get(item["wp:post_parent"]) or ensure_front_page()
        body, _ = html_to_blocks(item.raw("content:encoded"), wordpress=True)
        self.report.count("pages")
        if live:
            self.report.count("published pages")
        self.count_comments(item, on_page=True)
        page = InfoPage.objects.child_of(parent).filter(slug=slug).first()
        if page is None and parent.get_children().filter(slug=slug).exists():
            new = f"{slug}-{pid or item.line}"
            self.report.warn(place, f"slug {slug!r} is taken by a section: renamed to {new!r}")
            slug = new
            page = InfoPage.objects.child_of(parent).filter(slug=slug).first()
        created = page is None
        self.report.saved(created)
        if self.dry_run:
            self.pages[pid] = page or parent
            return
        if self.bulk is not None:
            self.bulk.flush()
        if created:
            page = InfoPage(title=headline, slug=slug, live=False)
            parent.add_child(instance=page)
        page.title = headline
        page.body = blocks_to_rich_text(body)
        revision = page.save_revision()
        if live:
            revision.publish()
            self.redirects(item, page)
        elif page.live:
            page.unpublish()
        self.pages[pid] = page

    # -- redirects and comments -------------------------------------------------------------
    def redirects(self, item: Node, page: Any) -> None:
        from wagtail.contrib.redirects.models import Redirect

        page.refresh_from_db()
        new_path = Redirect.normalise_path(page.get_url() or "")
        old = item["link"]
        if old:
            path = Redirect.normalise_path(old)
            if path.startswith("/?") or path in ("", "/") or path == new_path:
                # "/?p=123" (plain permalinks) would be answered by the front page: Wagtail
                # redirects only paths that have no page.
                return
            if len(path) > 255:
                self.report.warn(self.place(item.line), f"old path too long for a redirect: {old}")
                return
            Redirect.objects.update_or_create(
                old_path=path,
                site=None,
                defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
            )
            self.report.count("redirects")

    COMMENT_STATUS = {"1": "approved", "0": "held", "spam": "spam", "trash": "removed"}

    def comment_status(self, value: str) -> str:
        return self.COMMENT_STATUS.get(value.strip(), "held")

    def count_comments(self, item: Node, on_page: bool) -> None:
        comments = item.all("wp:comment")
        if not comments:
            return
        if on_page:
            self.report.warn(
                self.place(item.line),
                f"{len(comments)} comment(s) on a page not imported: comments are taken on "
                "stories only",
            )
            self.report.count("comments on pages skipped", len(comments))
            return
        for el in comments:
            self.report.count("comments")
            self.report.count(f"{self.comment_status(Node(el)['wp:comment_approved'])} comments")

    def save_comments(self, item: Node, story: StoryPage) -> None:
        from broadsheet.content.discussion.models import Comment

        nodes = [Node(el) for el in item.all("wp:comment")]
        if not nodes:
            return
        by_id = {n["wp:comment_id"]: n for n in nodes if n["wp:comment_id"]}

        def top(n: Node) -> str:
            """The top-level ancestor's id ("" for a top-level comment)."""
            seen: set[str] = set()
            cur = n
            while True:
                pid = cur["wp:comment_parent"]
                if not pid or pid == "0" or pid not in by_id or pid in seen:
                    return "" if cur is n else cur["wp:comment_id"]
                seen.add(pid)
                cur = by_id[pid]

        saved: dict[str, Any] = {}
        # Top-level comments first, so that replies find their parent.
        for n in sorted(nodes, key=lambda n: bool(top(n))):
            place = self.place(n.line)
            cid = n["wp:comment_id"]
            parent_id = n["wp:comment_parent"]
            if parent_id not in ("", "0") and parent_id not in by_id:
                self.report.warn(place, f"comment {cid}: parent {parent_id} not in the file")
            text = plain_text(n.raw("wp:comment_content"))
            status = self.comment_status(n["wp:comment_approved"])
            if n["wp:comment_approved"].strip() not in self.COMMENT_STATUS:
                self.report.warn(
                    place, f"comment {cid}: approval {n['wp:comment_approved']!r} held"
                )
            if not text:
                self.report.warn(place, f"comment {cid}: empty text, skipped")
                self.report.count("empty comments skipped")
                continue
            created_at, _ = parse_wp_date(n["wp:comment_date_gmt"], n["wp:comment_date"])
            key = f"wxr:{self.site_key}:{cid or item['wp:post_id'] + '-' + str(n.line)}"
            comment = Comment.objects.filter(source_key=key).first() or Comment(source_key=key)
            comment.story = story
            comment.parent = saved.get(top(n))
            comment.name = (_clean_name(n["wp:comment_author"]) or "Anonymous")[:100]
            comment.email = _valid_email(n["wp:comment_author_email"])
            comment.url = _valid_url(n["wp:comment_author_url"])
            comment.text = text
            comment.status = status
            comment.created_at = created_at or story.published_at or timezone.now()
            comment.ip_address = _valid_ip(n["wp:comment_author_IP"])
            comment.save()
            saved[cid] = comment
            self.report.count("comments")
            self.report.count(f"{status} comments")


def import_wxr(
    path: Path | str,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    bulk: bool = True,
) -> ImportReport:
    """Import a WordPress export file. Idempotent: posts are found again by slug, pages by
    slug under their parent, comments by ``source_key``, redirects by old path, images by
    content hash. ``dry_run`` does everything in a transaction that is rolled back (and
    imports no image file). New published posts are written in batches (:mod:`.bulk`);
    ``bulk=False`` saves each through Wagtail one by one (the same result, slower). Returns
    the report; never raises for bad input."""
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
            transaction.set_rollback(True)
    else:
        run.bulk = BulkWriter(report=report) if bulk else None
        with deferred():  # the listings are re-indexed once, at the end
            run.read_channel(Node(channel_el))
            run.run(items, progress)
            if run.bulk is not None:
                run.bulk.flush()
    return report
