"""``broadsheet bundle``: one zip of the frozen (or relative) folder, for USB sticks and
satellite carriage (docs/archive.md).

broadsheet bundle [--source DIR] [--output FILE.zip]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.publishing.bundle import BundleError, write_bundle


class Command(BaseCommand):
    help = "Zip a frozen or relative folder (index.html at the zip's root); print size, SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", default=None, help="the folder (default: <var>/archive, from freeze)"
        )
        parser.add_argument("--output", default=None, help="the zip (default: <source>.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"] or settings.VAR_DIR / "archive")
        target = Path(options["output"] or source.with_name(source.name + ".zip"))
        try:
            bundle = write_bundle(source, target)
        except BundleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{bundle.path}: {bundle.files} files, {bundle.size} bytes "
            f"({bundle.size / 1_048_576:.1f} MiB)\nsha256 {bundle.sha256}"
        )
