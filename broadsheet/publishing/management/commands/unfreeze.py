"""``broadsheet unfreeze``: reopen a frozen site (docs/archive.md). Nothing was lost by the
freeze: comments, the guestbook, stories and settings are as they were."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from broadsheet.publishing import archive


class Command(BaseCommand):
    help = "Reopen the live site after `broadsheet freeze` (reader forms open again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if archive.unfreeze():
            self.stdout.write("The site is open again; its pages are baked again by the queue.")
        else:
            self.stdout.write("The site was not frozen; nothing changed.")
