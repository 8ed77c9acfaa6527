"""``broadsheet import KIND …``: bring stories in.

Kinds: ``stories PATH…`` (story files, docs/story-files.md). Every importer is idempotent,
has ``--dry-run``, shows a progress bar and ends with a report; a broken item is reported with
its place and the rest goes on. Exit status 1 when anything failed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from broadsheet.importers.report import ImportReport


class Command(BaseCommand):
    help = "Import stories: `import stories PATH…` (story files)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        stories = sub.add_parser("stories", help="story files (Markdown + YAML front matter)")
        stories.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        stories.add_argument("--dry-run", action="store_true", help="check, change nothing")
        stories.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == "stories":
            from broadsheet.importers.storyfiles import import_story_files

            def progress(files: list) -> Any:
                return tqdm(
                    files,
                    desc="stories",
                    unit="file",
                    disable=options["quiet"] or None,
                    file=sys.stderr,
                )

            report = import_story_files(
                options["paths"], dry_run=options["dry_run"], progress=progress
            )
        else:  # pragma: no cover - argparse rejects unknown kinds
            raise CommandError(f"unknown kind {kind}")
        self.print_report(report, dry_run=options["dry_run"])
        if report.failed:
            raise CommandError(f"{report.failed} item(s) failed", returncode=1)

    def print_report(self, report: ImportReport, dry_run: bool) -> None:
        for failure in report.failures:
            self.stderr.write(str(failure))
        prefix = "dry run: would have " if dry_run else ""
        self.stdout.write(prefix + report.summary())
