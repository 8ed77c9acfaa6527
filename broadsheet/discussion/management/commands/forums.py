"""``broadsheet forums``: the forums' daily digest of subscribed topics (docs/forums.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...forums import mail


class Command(BaseCommand):
    help = (
        "Forums: 'digest' mails today's digest to every reader who follows topics as a daily "
        "digest (for cron); 'schedule' arms the daily digest task on the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["digest", "schedule"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "digest":
            self.stdout.write(f"{mail.make_digests()} digest(s) sent")
        else:
            at = mail.arm()
            self.stdout.write(f"next digest at {at}" if at else "the task backend cannot defer")
