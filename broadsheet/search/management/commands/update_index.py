"""``broadsheet update_index``: Wagtail's command (rebuild every search backend's index), then
the story search index (broadsheet/search/index.py). This app comes before ``wagtail.search``
in ``INSTALLED_APPS``, so this command takes the name."""

from __future__ import annotations

from typing import Any

from wagtail.search.management.commands.update_index import Command as WagtailCommand

from broadsheet.search.index import rebuild


class Command(WagtailCommand):
    help = "Rebuild Wagtail's search index(es) and the story search index."

    def handle(self, **options: Any) -> None:
        super().handle(**options)
        if options.get("schema_only"):
            return
        self.verbosity = options["verbosity"]
        self.write("Story search index: ", ending="")
        count = rebuild(progress=lambda n: self.write(".", ending="") if n % 10000 == 0 else None)
        self.write(f" {count} stories indexed")
