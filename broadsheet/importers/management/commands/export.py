"""``broadsheet export stories DIR``: every story as a story file (docs/story-files.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Export stories: `export stories DIR`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        stories = sub.add_parser("stories", help="story files, one per story, images beside")
        stories.add_argument("directory", metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        from broadsheet.importers.storyfiles import export_stories

        count = export_stories(options["directory"])
        self.stdout.write(f"exported {count} stories to {options['directory']}")
