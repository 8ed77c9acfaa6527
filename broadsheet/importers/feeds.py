"""``broadsheet import feed FILE_OR_URL``: RSS 0.9x / 1.0 / 2.0 and Atom entries into stories.

feedparser reads every dialect (and repairs much broken XML; what it cannot read it flags as
``bozo``, which we report). Each entry becomes a published story saved through
:func:`broadsheet.importers.storyfiles.save_story`, found again by slug: the last segment of
the entry's link when it has letters in it (stable across headline corrections), else the
headline. The entry's full content is the body (sanitised like every import, see
:mod:`broadsheet.importers.htmlbody`); its summary is the standfirst when there is a separate
content. A URL is fetched by feedparser at run time; tests only read files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.db import transaction

from broadsheet.content.newsroom.models import StoryPage, fit_slug

from .htmlbody import html_to_blocks, plain_text
from .report import ImportReport
from .storyfiles import StoryFile, save_story
from .wxr import TAG_MAX, MediaFolder

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def entry_slug(entry: Any, headline: str) -> str:
    """The story slug for a feed entry: the link's last path segment (without ``.html``)
    when it contains a letter, else the headline; at most ``MAX_SLUG_BYTES`` bytes."""
    link = entry.get("link") or ""
    segments = [s for s in unquote(urlparse(link).path).split("/") if s]
    if segments:
        last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segments[-1], flags=re.I)
        slug = fit_slug(last)
        if re.search(r"[^\W\d_]", slug) and slug not in ("index", "story", "article"):
            return slug
    return fit_slug(headline)


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
) -> ImportReport:
    """Import the entries of a feed (file path or http(s) URL) as published stories in
    ``section`` (title path; default the feed's title). Returns the report; a broken entry is
    reported with its number and the rest goes on."""
    import feedparser

    report = ImportReport()
    media = MediaFolder(media_dir)
    src = str(source)
    if not re.match(r"^https?://", src):
        path = Path(src)
        try:
            data: Any = path.read_bytes()
        except OSError as exc:
            report.fail(src, exc.strerror or str(exc))
            return report
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
            report.fail(f"{src}:{line}", message)
            return report
    feed_title = re.sub(r"\s+", " ", feed.feed.get("title") or "").strip()
    section = section or [feed_title or "Feed"]
    entries = list(enumerate(feed.entries, start=1))
    seen: dict[str, int] = {}
    for number, entry in progress(entries) if progress else entries:
        place = f"{src}#entry {number}"
        try:
            with transaction.atomic():
                _save_entry(entry, place, section, media, seen, number, report, dry_run)
        except Exception as exc:  # reported per entry, the rest goes on
            report.fail(place, str(exc))
    return report


def _save_entry(
    entry: Any,
    place: str,
    section: list[str],
    media: MediaFolder,
    seen: dict[str, int],
    number: int,
    report: ImportReport,
    dry_run: bool,
) -> None:
    content = ""
    if entry.get("content"):
        content = "".join(c.get("value", "") for c in entry.content)
    summary = entry.get("summary") or ""
    body_html = content or summary
    headline = re.sub(r"\s+", " ", plain_text(entry.get("title") or "")).strip()
    if not headline:
        words = plain_text(body_html).split()
        if not words:
            report.fail(place, "entry has neither title nor text")
            return
        headline = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
        report.warn(place, f"empty title: headline set to {headline!r}")
    slug = entry_slug(entry, headline) or f"entry-{number}"
    if slug in seen:
        new = f"{slug}-{number}"
        report.warn(place, f"duplicate slug {slug!r} (entry {seen[slug]}): renamed to {new!r}")
        slug = new
    seen[slug] = number
    published = entry_date(entry)
    if published is None:
        report.warn(place, "no date")
    elif published.year < 1970:
        report.warn(place, f"date {published.date()} is before 1970: check it")
    authors = [a.get("name", "").strip() for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry.author.strip()]
    tags: list[str] = []
    for tag in entry.get("tags", []):
        name = re.sub(r"\s+", " ", tag.get("term") or tag.get("label") or "").strip()
        if not name:
            report.warn(place, "empty tag name: skipped")
            continue
        if name.casefold() not in {t.casefold() for t in tags}:
            tags.append(name[:TAG_MAX])
    body, missing = html_to_blocks(body_html, find_image=None if dry_run else media.find)
    if missing and not dry_run:
        report.warn(place, f"{len(missing)} image(s) without a local file left out")
    sf = StoryFile(
        path=Path("."),
        headline=headline[:255],
        slug=slug,
        section=section,
        published=published,
        standfirst=plain_text(summary).replace("\n\n", " ") if content else "",
        authors=authors,
        tags=tags,
        live=True,
        body=body,
    )
    if dry_run:
        report.saved(not StoryPage.objects.filter(slug=slug).exists())
        return
    _, created = save_story(sf)
    report.saved(created)
    report.count("stories")
