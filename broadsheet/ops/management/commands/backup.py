"""``broadsheet backup DIR``: content, media and settings that matter (broadsheet.ops.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the newsroom (database content, media, settings) into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="a new (or empty) folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up into {options['dir']}: the database ({manifest['database_vendor']}) "
            f"and {manifest['media_files']} media file(s)."
        )
