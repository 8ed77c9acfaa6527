"""``broadsheet newsletter``: digests, "send this story now", resuming sends, CSV in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.content.distribution import subscribers
from broadsheet.content.distribution.models import NewsletterList
from broadsheet.content.distribution.tasks import resume_sends
from broadsheet.content.newsroom.models import StoryPage

from ... import issues, tasks


class Command(BaseCommand):
    help = (
        "Newsletters: 'digest' makes today's digests (for cron), 'schedule' arms the daily "
        "digest task, 'send-story ID' sends a story now to the lists that carry it, 'resume' "
        "resumes unfinished sends, 'export LIST_ID FILE' / 'import LIST_ID FILE' move "
        "subscribers as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["digest", "schedule", "send-story", "resume", "export", "import"]
        )
        parser.add_argument("args", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        action, rest = options["action"], options["args"]
        if action == "digest":
            made = issues.make_digests()
            self.stdout.write(f"{len(made)} digest(s) queued")
        elif action == "schedule":
            at = tasks.arm()
            self.stdout.write(f"next digest at {at}" if at else "the task backend cannot defer")
        elif action == "resume":
            self.stdout.write(f"{resume_sends.call()} send(s) resumed")
        elif action == "send-story":
            if len(rest) != 1 or not rest[0].isdigit():
                raise CommandError("send-story needs a story id")
            story = StoryPage.objects.filter(pk=int(rest[0])).first()
            if story is None:
                raise CommandError(f"no story {rest[0]}")
            for newsletter in NewsletterList.objects.all():
                try:
                    issue = issues.make_story_issue(newsletter, story)
                except (ValueError, LookupError):
                    continue
                self.stdout.write(f"{newsletter}: {'queued' if issue else 'sent before'}")
        else:
            if len(rest) != 2 or not rest[0].isdigit():
                raise CommandError(f"{action} needs LIST_ID FILE")
            newsletter = NewsletterList.objects.filter(pk=int(rest[0])).first()
            if newsletter is None:
                raise CommandError(f"no list {rest[0]}")
            path = Path(rest[1])
            if action == "export":
                path.write_text(subscribers.export_csv(newsletter), encoding="utf-8")
                self.stdout.write(f"wrote {path}")
                return
            try:
                report = subscribers.import_csv(newsletter, path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeError, ValueError) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{report.added} added, {report.updated} updated")
            for line, reason in report.skipped:
                self.stderr.write(f"line {line}: {reason}")
