"""``broadsheet import KIND …``: bring stories in.

Kinds: ``stories PATH…`` (story files, docs/story-files.md); ``wxr FILE`` (a WordPress
export); ``feed FILE_OR_URL`` (RSS or Atom); ``html PATH…`` (archived article pages) — see
docs/importers.md. Every importer is idempotent, has ``--dry-run``, shows a progress bar and
ends with a report; a broken item is reported with its place and the rest goes on. Exit
status 1 when anything failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from broadsheet.importers.report import ImportReport


class Command(BaseCommand):
    help = (
        "Import stories: `import stories PATH…` (story files), `import wxr FILE` (WordPress), "
        "`import feed FILE_OR_URL` (RSS/Atom), `import html PATH…` (archived pages)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")

        def common(p: CommandParser) -> None:
            p.add_argument("--dry-run", action="store_true", help="check, change nothing")
            p.add_argument("--quiet", action="store_true", help="no progress bar")

        stories = sub.add_parser("stories", help="story files (Markdown + YAML front matter)")
        stories.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        common(stories)
        wxr = sub.add_parser("wxr", help="a WordPress export file (WXR 1.0–1.2)")
        wxr.add_argument("file", metavar="FILE")
        wxr.add_argument(
            "--media-dir", metavar="DIR", help="local copy of wp-content/uploads (never fetched)"
        )
        common(wxr)
        feed = sub.add_parser("feed", help="an RSS 0.9x/1.0/2.0 or Atom feed, file or URL")
        feed.add_argument("source", metavar="FILE_OR_URL")
        feed.add_argument("--section", help="section title path, 'A/B' (default: feed title)")
        feed.add_argument("--media-dir", metavar="DIR", help="local copies of the feed's images")
        common(feed)
        html = sub.add_parser("html", help="archived article pages (files or folders)")
        html.add_argument("paths", nargs="+", metavar="PATH")
        html.add_argument("--section", default="Archive", help="section title path, 'A/B'")
        html.add_argument("--media-dir", metavar="DIR", help="local copies of the pages' images")
        html.add_argument(
            "--base-url",
            metavar="URL",
            default="",
            help="the address of the folder given (a mirror): each file's URL is this URL "
            "joined with its path in the folder",
        )
        common(html)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]

        def progress(items: Iterable[Any]) -> Any:
            return tqdm(
                items,
                desc=kind,
                unit="item",
                disable=options["quiet"] or None,
                file=sys.stderr,
            )

        dry_run = options["dry_run"]
        if kind == "stories":
            from broadsheet.importers.storyfiles import import_story_files

            report = import_story_files(options["paths"], dry_run=dry_run, progress=progress)
        elif kind == "wxr":
            from broadsheet.importers.wxr import import_wxr

            report = import_wxr(
                options["file"],
                media_dir=options["media_dir"],
                dry_run=dry_run,
                progress=progress,
            )
        elif kind == "feed":
            from broadsheet.importers.feeds import import_feed

            report = import_feed(
                options["source"],
                section=_section(options["section"]),
                media_dir=options["media_dir"],
                dry_run=dry_run,
                progress=progress,
            )
        elif kind == "html":
            from broadsheet.importers.archived import import_html_pages

            report = import_html_pages(
                options["paths"],
                section=_section(options["section"]) or ["Archive"],
                media_dir=options["media_dir"],
                dry_run=dry_run,
                progress=progress,
                base_url=options["base_url"],
            )
        else:  # pragma: no cover - argparse rejects unknown kinds
            raise CommandError(f"unknown kind {kind}")
        self.print_report(report, dry_run=dry_run)
        if report.failed:
            raise CommandError(f"{report.failed} item(s) failed", returncode=1)

    def print_report(self, report: ImportReport, dry_run: bool) -> None:
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "dry run: would have " if dry_run else ""
        self.stdout.write(prefix + report.summary())


def _section(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [part.strip() for part in value.split("/") if part.strip()]
