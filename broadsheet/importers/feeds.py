"""``broadsheet import feed FILE_OR_URL``: RSS 0.9x / 1.0 / 2.0 and Atom entries into stories.

feedparser reads every dialect (and repairs much broken XML; what it cannot read it flags as
``bozo``, which we report). A file that declares no encoding and is not UTF-8 is decoded first
(:mod:`broadsheet.importers.encoding`). Each entry becomes a published story saved through
:func:`broadsheet.importers.identity.save_imported_story`, found again by the feed (its URL or
site) and the entry's GUID, else its link, else a hash of its content — never by slug. The
slug is proposed from the link's last meaningful segment (stable across headline
corrections), else the headline; one another story has is replaced by a free one. The
entry's full content is the body (sanitised like every import, see
:mod:`broadsheet.importers.htmlbody`); its summary is the standfirst when there is a separate
content. A URL is fetched by feedparser at run time; tests only read files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.db import transaction

from broadsheet.content.newsroom.models import fit_slug
from broadsheet.site.listings import deferred

from .bulk import BulkWriter
from .encoding import detect_undeclared, looks_like_mojibake
from .htmlbody import html_to_blocks, plain_text
from .identity import content_key, fingerprint, save_imported_story
from .report import ImportReport
from .storyformat import StoryFile
from .storysave import ensure_imported_section
from .wxr import TAG_MAX, MediaFolder

Progress = Callable[[Iterable[Any]], Iterable[Any]]


GENERIC_SEGMENTS = {
    "amp",
    "article",
    "articles",
    "default",
    "detail",
    "entry",
    "full",
    "index",
    "item",
    "news",
    "output",
    "post",
    "print",
    "read",
    "story",
    "view",
}


def entry_slug(entry: Any, headline: str) -> str:
    """The story slug for a feed entry: the last path segment of its link (without ``.html``)
    that has a letter and is not a generic word (``amp``, ``index``, ``print``, ``story``…),
    else the headline; at most ``MAX_SLUG_BYTES`` bytes. Only a proposal: a slug another story
    has is replaced (:func:`broadsheet.importers.identity.save_imported_story`)."""
    link = entry.get("link") or ""
    segments = [s for s in unquote(urlparse(link).path).split("/") if s]
    for segment in reversed(segments[-3:]):
        last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segment, flags=re.I)
        slug = fit_slug(last)
        if re.search(r"[^\W\d_]", slug) and slug not in GENERIC_SEGMENTS:
            return slug
    return fit_slug(headline)


def entry_identity(entry: Any) -> str:
    """An entry's identity in its feed: the GUID / Atom ``id``, else its link, else a hash of
    its title, date and text (stable as long as the entry does not change)."""
    for key in ("id", "link"):
        value = (entry.get(key) or "").strip()
        if value:
            return value
    content = "".join(c.get("value", "") for c in entry.get("content", []))
    return content_key(
        entry.get("title") or "",
        entry.get("published") or entry.get("updated") or "",
        entry.get("summary") or "",
        content,
    )


def feed_source(given: str, feed: Any) -> str:
    """The source name of a feed: ``feed:<URL>`` for a URL given, else the feed's own
    ``rel="self"`` address, else its site link, else the file's absolute path."""
    if re.match(r"^https?://", given):
        return f"feed:{given}"
    for link in feed.feed.get("links", []):
        if link.get("rel") == "self" and link.get("href"):
            return f"feed:{link['href']}"
    site = (feed.feed.get("link") or "").strip()
    if site:
        return f"feed:{site}"
    return f"feed:{Path(given).resolve()}"


def author_name(value: str) -> str:
    """A byline name from a feed author: ``"desk@x.org (Bob Desk)"`` → ``"Bob Desk"``."""
    value = re.sub(r"\s+", " ", value).strip()
    m = re.fullmatch(r"\S+@\S+\s*\((.+)\)", value)
    return m.group(1).strip() if m else value


def entry_date(entry: Any) -> dt.datetime | None:
    """An entry's publication date (``published``, else ``updated``, else ``created``), UTC."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    return None


def import_feed(
    source: str | Path,
    section: list[str] | None = None,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    bulk: bool = True,
) -> ImportReport:
    """Import the entries of a feed (file path or http(s) URL) as published stories in
    ``section`` (title path; default the feed's title). Stories are found again by the
    feed's source and the entry's identity (:func:`entry_identity`). Returns the report; a
    broken entry is reported with its number and the rest goes on. ``bulk=False`` saves each
    new story through Wagtail one by one instead of in batches (:mod:`.bulk`): the same
    result, slower."""
    import feedparser

    report = ImportReport()
    media = MediaFolder(media_dir)
    src = str(source)
    if not re.match(r"^https?://", src):
        path = Path(src)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.fail(src, exc.strerror or str(exc), item=False)
            return report
        decoded = detect_undeclared(raw)
        if decoded.encoding:
            report.warn(src, f"no declared encoding, not UTF-8: read as {decoded.encoding}")
        data: Any = decoded.data
    else:
        data = src
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if feed.get("bozo"):
        exc = feed.get("bozo_exception")
        line = getattr(exc, "getLineNumber", lambda: 0)() if exc else 0
        message = f"feed is not well-formed: {exc}" if exc else "feed is not well-formed"
        if feed.entries:
            report.warn(f"{src}:{line}", message + " (read as far as possible)")
        else:
            report.fail(f"{src}:{line}", message, item=False)
            return report
    feed_title = re.sub(r"\s+", " ", feed.feed.get("title") or "").strip()
    section = section or [feed_title or "Feed"]
    if not dry_run and feed.entries:
        # an imported section stays out of the navigation until an editor puts it there
        ensure_imported_section(section, report, src)
    writer = BulkWriter(report=report, in_menus=False) if bulk and not dry_run else None
    run = _FeedRun(feed_source(src, feed), section, media, report, dry_run, writer)
    entries = list(enumerate(feed.entries, start=1))
    report.items["entry"] += len(entries)
    with deferred():  # the listings are re-indexed once, at the end
        for number, entry in progress(entries) if progress else entries:
            place = f"{src}#entry {number}"
            try:
                with writer.item() if writer is not None else transaction.atomic():
                    run.save_entry(entry, place, number)
            except Exception as exc:  # reported per entry, the rest goes on
                report.fail(place, str(exc))
        if writer is not None:
            writer.flush()
    return report


@dataclass
class _FeedRun:
    source: str
    section: list[str]
    media: MediaFolder
    report: ImportReport
    dry_run: bool
    bulk: BulkWriter | None = None
    seen: dict[str, tuple[int, str]] = field(default_factory=dict)  # identity → (entry, digest)

    def save_entry(self, entry: Any, place: str, number: int) -> None:
        report = self.report
        content = ""
        if entry.get("content"):
            content = "".join(c.get("value", "") for c in entry.content)
        summary = entry.get("summary") or ""
        body_html = content or summary
        headline = re.sub(r"\s+", " ", plain_text(entry.get("title") or "")).strip()
        if not headline:
            words = plain_text(body_html).split()
            if not words:
                report.skipped += 1
                report.warn(place, "entry has neither title nor text: skipped")
                return
            headline = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
            report.warn(place, f"empty title: headline set to {headline!r}")
        if looks_like_mojibake(headline):
            report.fail(
                place,
                f"headline {headline[:60]!r} looks like text read in the wrong encoding: "
                "not imported (convert the feed to UTF-8 or declare its encoding)",
            )
            return
        identity = entry_identity(entry)
        published = entry_date(entry)
        if published is None:
            report.warn(place, "no date")
        elif published.year < 1970:
            report.warn(place, f"date {published.date()} is before 1970: check it")
        authors = [author_name(a.get("name", "")) for a in entry.get("authors", [])]
        if not any(authors) and entry.get("author"):
            authors = [author_name(entry.author)]
        tags: list[str] = []
        for tag in entry.get("tags", []):
            name = re.sub(r"\s+", " ", tag.get("term") or tag.get("label") or "").strip()
            if not name:
                report.warn(place, "empty tag name: skipped")
                continue
            if name.casefold() not in {t.casefold() for t in tags}:
                tags.append(name[:TAG_MAX])
        find = None if self.dry_run else self.media.find
        body, missing = html_to_blocks(body_html, find_image=find)
        if missing and not self.dry_run:
            report.warn(place, f"{len(missing)} image(s) without a local file left out")
        sf = StoryFile(
            path=Path("."),
            headline=headline[:255],
            slug=entry_slug(entry, headline) or "story",
            section=self.section,
            published=published,
            standfirst=plain_text(summary).replace("\n\n", " ") if content else "",
            authors=[a for a in dict.fromkeys(authors) if a],
            tags=tags,
            live=True,
            body=body,
        )
        digest = fingerprint(sf)
        if identity in self.seen:
            first, first_digest = self.seen[identity]
            if first_digest == digest:
                report.skipped += 1
                report.warn(place, f"the same entry as entry {first}: skipped")
            else:
                report.fail(
                    place,
                    f"id {identity!r} repeats entry {first} with other content: not imported",
                )
            return
        self.seen[identity] = (number, digest)
        save_imported_story(
            sf,
            self.source,
            identity,
            report,
            place,
            dry_run=self.dry_run,
            bulk=self.bulk,
            kinds=("stories",),
        )
