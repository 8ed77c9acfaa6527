"""``broadsheet role``: give, take and list the newsroom's roles (docs/editors.md).

Examples::

    broadsheet role grant ana writer --section iran
    broadsheet role grant ben editor --section iran --section iran/opposition
    broadsheet role grant cleo publisher           # every section
    broadsheet role revoke ana writer --section iran
    broadsheet role list [ana]
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.content.editorial.roles import ROLES, get_role, grant, revoke, roles_of
from broadsheet.content.newsroom.models import SectionPage


def find_section(path: str) -> SectionPage:
    """The section at ``path`` below the front page (``iran`` or ``iran/opposition``).

    Raises ``CommandError`` when no section, or more than one (two sites), has that path."""
    clean = path.strip().strip("/")
    matches = list(SectionPage.objects.filter(url_path__endswith=f"/{clean}/", depth__gte=3))
    matches = [s for s in matches if s.url_path.strip("/").split("/", 1)[-1] == clean]
    if not matches:
        raise CommandError(f"no section at {clean!r} (give its path, e.g. iran/opposition)")
    if len(matches) > 1:
        raise CommandError(f"{len(matches)} sections at {clean!r}; give the full path")
    return matches[0]


class Command(BaseCommand):
    help = "Give a user a role (in some sections), take it away, or list who has which role."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action in ("grant", "revoke"):
            p = sub.add_parser(action, help=f"{action} a role")
            p.add_argument("username")
            p.add_argument("role", choices=list(ROLES))
            p.add_argument(
                "--section",
                action="append",
                default=[],
                help="a section's path, e.g. iran/opposition (repeatable; none: every section)",
            )
        p = sub.add_parser("list", help="list the roles of one user, or of everyone")
        p.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if options["action"] == "list":
            users = User.objects.order_by("username")
            if options["username"]:
                users = users.filter(username=options["username"])
            for user in users:
                roles = roles_of(user) or ["(no role)"]
                if user.is_superuser:
                    roles.insert(0, "superuser")
                self.stdout.write(f"{user.username}: {', '.join(roles)}")
            return
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        role = get_role(options["role"])
        sections = [find_section(p) for p in options["section"]] or [None]
        for section in sections:
            try:
                if options["action"] == "grant":
                    groups = grant(user, role.key, section)
                    self.stdout.write(f"{user.username} is now in: {', '.join(groups)}")
                else:
                    revoke(user, role.key, section)
                    self.stdout.write(f"{user.username}: {role.key} taken away")
            except ValueError as error:
                raise CommandError(str(error)) from None
