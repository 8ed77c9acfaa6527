"""The ``broadsheet`` console command: Django's ``manage.py`` under the product's name.

``broadsheet demo`` runs the demo newsroom; every other Django or Wagtail management command
works as it would with ``manage.py`` (``broadsheet migrate``, ``broadsheet createsuperuser``…).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``argv`` defaults to ``sys.argv``."""
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "broadsheet"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo shows readers the real 404/410 pages, not Django's debug pages.
        os.environ.setdefault("DEBUG", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
