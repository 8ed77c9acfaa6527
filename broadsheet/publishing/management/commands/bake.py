"""``broadsheet bake``: bake the reader site (docs/baking.md).

broadsheet bake [--output DIR|s3://bucket/prefix] [--base-url URL] [--jobs N]   every page
broadsheet bake --pending [--output …]                                        the queued changes
broadsheet bake --reindex                                  rebuild the listing index, then bake
broadsheet bake --relative --output DIR     every page with relative links (a mirror, file://)

A bake into a folder (or bucket) other than the site's own output (``BROADSHEET_BAKE_DIR``) is a
copy: it leaves the site's queue, its record of baked stories and of runs, and the CDN alone
(``engine.is_site_output``); ``--pending`` bakes the queue into the site's own output only.
A full bake removes every file of its folder that is not part of the site, so a bake into a
folder other than the site's own that is neither empty nor an earlier bake or freeze is refused
(``files.refuse_foreign``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.publishing import schedule
from broadsheet.publishing.engine import flush, full_bake, is_site_output, process_pending
from broadsheet.publishing.files import ForeignFolder, refuse_foreign
from broadsheet.publishing.models import BakeRun
from broadsheet.publishing.outputs import default_output, output_for, read_config
from broadsheet.publishing.relative import RelativeOutput
from broadsheet.site import listings


def relative_bake(options: dict[str, Any], progress: bool) -> BakeRun:
    """A full bake with relative links into ``--output`` (a folder other than the site's own:
    it does not take part in the queue; run it again to bring it up to date)."""
    target = options["output"]
    if options["pending"]:
        raise CommandError("--relative bakes everything; it does not take --pending")
    if not target or str(target).startswith("s3://"):
        raise CommandError("--relative needs --output DIR (a local folder)")
    if Path(target).resolve() == Path(default_output()).resolve():
        raise CommandError("--relative needs a folder other than the site's own output")
    out = RelativeOutput(Path(target))
    return full_bake(out, options["base_url"], options["jobs"], progress=progress, record=False)


class Command(BaseCommand):
    help = "Bake the reader site to static files (or, with --pending, the queued changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", default=None, help="a folder or s3://bucket/prefix (default: var/site/)"
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="public base URL written into every link (default: the one this output, else "
            "the site's own output, was last baked for; else BROADSHEET_BASE_URL, else the "
            "Wagtail site's hostname and port)",
        )
        parser.add_argument("--jobs", type=int, default=1, help="processes rendering pages")
        parser.add_argument("--pending", action="store_true", help="bake the queue once")
        parser.add_argument(
            "--reindex", action="store_true", help="rebuild the listing index first"
        )
        parser.add_argument(
            "--relative",
            action="store_true",
            help="relative links (folder links end in index.html): a folder that opens from "
            "file:// and from any sub-path of any host (needs --output)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        progress = not options["no_progress"] and verbosity > 0
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        if options["reindex"]:
            n = listings.rebuild()
            self.stdout.write(f"Listing index rebuilt: {n} public stories.")
        own = is_site_output(options["output"])
        if options["pending"] and not own and not options["relative"]:
            raise CommandError(
                f"--pending bakes the site's queue into the site's own output "
                f"({default_output()}), not into {options['output']}: a copy elsewhere is a full "
                "bake (drop --pending)"
            )
        target = options["output"]
        if target and not own and not str(target).startswith("s3://") and not options["pending"]:
            try:
                refuse_foreign(Path(target).resolve())
            except ForeignFolder as exc:
                raise CommandError(str(exc)) from exc
        if options["pending"]:
            report = schedule.publish_due()  # embargoes and expiries that are due
            if verbosity > 1:
                self.stdout.write(report)
            run = process_pending(options["output"], progress=progress)
            if run is None:
                self.stdout.write("Nothing queued.")
                return
            if run.finish_later is not None:  # no worker to wait for: the static index now
                flush(options["output"])
        elif options["relative"]:
            run = relative_bake(options, progress)
        else:
            run = full_bake(
                options["output"],
                options["base_url"],
                options["jobs"],
                progress=progress,
                record=own,
            )
        self.report(run, verbosity)
        if run.kind == BakeRun.Kind.FULL and verbosity > 0:
            used = read_config(output_for(options["output"])).get("base_url")
            self.stdout.write(f"Base URL: {used} (--base-url to change it).")
        if not own and verbosity > 0:
            self.stdout.write(
                "A copy: the site's own output, queue, record of baked stories and runs and "
                "the CDN were left alone."
            )
        if run.status != BakeRun.Status.DONE:
            raise CommandError(
                f"bake {run.status}: {run.error.splitlines()[0] if run.error else ''}"
            )

    def report(self, run: BakeRun, verbosity: int) -> None:
        rate = run.pages_rendered / run.duration if run.duration else 0
        self.stdout.write(
            f"{run.get_kind_display()} into {run.output}: {run.pages_rendered} pages rendered, "
            f"{run.pages_written} written, {run.pages_removed} removed, "
            f"{run.pages_failed} failed in {run.duration:.2f} s ({rate:.0f} pages/s)"
        )
        if run.kind == BakeRun.Kind.INCREMENTAL and verbosity > 0:
            for path in run.written:
                self.stdout.write(f"  written {path}")
            for path in run.removed:
                self.stdout.write(f"  removed {path}")
