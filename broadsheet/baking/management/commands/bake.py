"""``broadsheet bake``: bake the reader site to files (docs/baking.md).

broadsheet bake [--output DIR] [--base-url URL] [--jobs N]   every page
broadsheet bake --pending [--output DIR]                     the queued changes, once
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.baking.engine import default_output, full_bake, process_pending
from broadsheet.baking.models import BakeRun


class Command(BaseCommand):
    help = "Bake the reader site to static files (or, with --pending, the queued changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="default: var/site/")
        parser.add_argument("--base-url", default=None, help="public base URL for canonical links")
        parser.add_argument("--jobs", type=int, default=1, help="processes rendering pages")
        parser.add_argument("--pending", action="store_true", help="bake the queue once")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        output = (options["output"] or default_output()).resolve()
        progress = not options["no_progress"] and options["verbosity"] > 0
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        if options["pending"]:
            run = process_pending(output, progress=progress)
            if run is None:
                self.stdout.write("Nothing queued.")
                return
        else:
            run = full_bake(output, options["base_url"], options["jobs"], progress=progress)
        self.report(run)
        if run.status != BakeRun.Status.DONE:
            raise CommandError(
                f"bake {run.status}: {run.error.splitlines()[0] if run.error else ''}"
            )

    def report(self, run: BakeRun) -> None:
        rate = run.pages_rendered / run.duration if run.duration else 0
        self.stdout.write(
            f"{run.get_kind_display()} into {run.output}: {run.pages_rendered} pages rendered, "
            f"{run.pages_written} written, {run.pages_removed} removed, "
            f"{run.pages_failed} failed in {run.duration:.2f} s ({rate:.0f} pages/s)"
        )
        if run.kind == BakeRun.Kind.INCREMENTAL and self.verbosity > 0:
            for path in run.written:
                self.stdout.write(f"  written {path}")
            for path in run.removed:
                self.stdout.write(f"  removed {path}")
