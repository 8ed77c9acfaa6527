"""``broadsheet restore DIR``: restore a backup into an empty database (broadsheet.ops.backup),
then rebuild what is derived from the content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.ops.backup import DATABASE_FILE, BackupError, read_manifest, restore_media
from broadsheet.search.index import rebuild as rebuild_search
from broadsheet.site.listings import rebuild as rebuild_listings


class Command(BaseCommand):
    help = "Restore a backup made by `broadsheet backup` into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="the backup's folder")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["dir"]
        try:
            manifest = read_manifest(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        call_command("migrate", interactive=False, verbosity=0)
        if StoryPage.objects.exists() or get_user_model().objects.exists():
            raise CommandError(
                "The database already holds stories or accounts: restore into an empty "
                "database (a new one, migrated or not). Nothing was changed."
            )
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)  # the migrations' own rows
            call_command("loaddata", str(source / DATABASE_FILE), verbosity=0)
            rebuild_listings()
            rebuild_search()
        media = restore_media(source)
        for name, value in manifest["settings"].items():
            if getattr(settings, name, None) != value:
                self.stderr.write(
                    f"Note: {name} was {value!r} at the backup, is now "
                    f"{getattr(settings, name, None)!r}."
                )
        self.stdout.write(
            f"Restored {source} ({manifest['made_at']}, from {manifest['database_vendor']}): "
            f"{StoryPage.objects.count()} stories, {media} media file(s). "
            "Bake the site again: broadsheet bake"
        )
