"""Time the WordPress importer on the theme unit test data (or a WXR file given as argument):
first import, import again (updates only) and a dry run, into a fresh SQLite database in a
temporary folder. Prints seconds and items per second; asserts nothing.

    .venv/bin/python bench/import_wxr.py [FILE]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "fixtures" / "wxr" / "themeunittestdata.wordpress.xml"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as var:
        os.environ["BROADSHEET_VAR_DIR"] = var
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings.dev"
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        from broadsheet.importers.wxr import import_wxr

        call_command("migrate", verbosity=0)
        for label, kwargs in (
            ("first import", {}),
            ("import again", {}),
            ("dry run", {"dry_run": True}),
        ):
            start = time.perf_counter()
            report = import_wxr(path, **kwargs)
            seconds = time.perf_counter() - start
            items = report.created + report.updated
            print(
                f"{label:13} {seconds:7.1f} s  {items} items saved "
                f"({items / seconds:.1f}/s)  {report.summary().splitlines()[0]}"
            )


if __name__ == "__main__":
    main()
