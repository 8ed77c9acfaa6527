"""``broadsheet freeze``: close the site and freeze it into a lasting archive (docs/archive.md).

broadsheet freeze [--output DIR] [--notice TEXT --notice-url URL] [--base-url URL] [--jobs N]
broadsheet freeze --verify DIR      re-check a frozen folder's links, checksums and WARC
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.content.newsroom.models import CLOSING_NOTICE_MAX
from broadsheet.publishing import archive


class Command(BaseCommand):
    help = "Freeze the site into a self-contained archive folder, or --verify one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", default=None, help="the archive folder (default: <var>/archive)"
        )
        parser.add_argument(
            "--notice",
            default=None,
            help=f"the closing notice on every page (at most {CLOSING_NOTICE_MAX} characters)",
        )
        parser.add_argument(
            "--notice-url",
            default=None,
            help="where the notice links to: an absolute http:// or https:// address",
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="the site's public address, written into the WARC, og:url and the live links "
            "(default: the address the site was last baked for, else BROADSHEET_BASE_URL, else "
            "the Wagtail site's hostname and port)",
        )
        parser.add_argument("--jobs", type=int, default=1, help="processes rendering pages")
        parser.add_argument("--verify", metavar="DIR", default=None, help="check a frozen folder")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            report = archive.verify(options["verify"], options["base_url"])
            for line in report.lines():
                self.stdout.write(line)
            if not report.ok:
                raise CommandError(f"{len(report.problems)} problem(s) in {options['verify']}")
            return
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        output = Path(options["output"] or settings.VAR_DIR / "archive")
        if str(output).startswith("s3:"):
            raise CommandError("--output must be a local folder")
        progress = not options["no_progress"] and options["verbosity"] > 0
        try:
            result = archive.freeze(
                output,
                options["notice"],
                options["notice_url"],
                options["base_url"],
                options["jobs"],
                progress,
            )
        except archive.FreezeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Frozen into {result.folder}: {result.files} files, "
            f"{result.run.pages_rendered} pages; {result.warc.name} and {result.sums.name} written."
        )
        self.stdout.write(
            f"Base URL: {result.base_url} (in the WARC, og:url and the live links; "
            "--base-url to change it)."
        )
        self.stdout.write(
            "The live site is in archive mode (reader forms closed); "
            "`broadsheet unfreeze` reopens it."
        )
