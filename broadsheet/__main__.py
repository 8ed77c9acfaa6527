"""The ``broadsheet`` console command: Django's ``manage.py`` under the product's name.

``broadsheet demo`` runs the demo newsroom; every other Django or Wagtail management command
works as it would with ``manage.py`` (``broadsheet migrate``, ``broadsheet createsuperuser``…).
"""

from __future__ import annotations

import os
import sys


def demo_environment(args: list[str]) -> None:
    """``broadsheet demo``: the demo's settings, and the address it serves on as the site's
    public address (links, feeds and the forms' redirects name it; the worker inherits it) —
    set in the environment before Django reads its settings, never changed afterwards."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    known, _ = parser.parse_known_args(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.demo")
    shown = "127.0.0.1" if known.host in ("0.0.0.0", "::") else known.host  # noqa: S104
    base = f"http://[{shown}]:{known.port}" if ":" in shown else f"http://{shown}:{known.port}"
    os.environ.setdefault("BROADSHEET_BASE_URL", base)
    os.environ.setdefault("WAGTAILADMIN_BASE_URL", os.environ["BROADSHEET_BASE_URL"])
    from urllib.parse import urlsplit

    public = urlsplit(os.environ["BROADSHEET_BASE_URL"]).hostname or shown
    public = f"[{public}]" if ":" in public else public
    if known.host in ("0.0.0.0", "::"):  # noqa: S104 - every interface: this machine's names
        hosts = [*own_host_names(), public]
    else:
        hosts = [known.host, "127.0.0.1", "localhost", public]
    os.environ.setdefault("ALLOWED_HOSTS", ",".join(dict.fromkeys(hosts)))


def own_host_names() -> list[str]:
    """This machine's names and addresses (for a demo on every interface, which then answers
    these Host headers only): loopback, the host name, its fully qualified name and the
    addresses they resolve to."""
    import socket

    names = ["127.0.0.1", "localhost", "[::1]", socket.gethostname(), socket.getfqdn()]
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    for info in infos:
        address = str(info[4][0])
        names.append(f"[{address}]" if ":" in address else address)
    return list(dict.fromkeys(n for n in names if n))


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``argv`` defaults to ``sys.argv``."""
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "broadsheet"
    if len(argv) > 1 and argv[1] == "demo":
        demo_environment(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
