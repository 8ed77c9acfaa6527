"""What ``broadsheet demo`` needs of static publishing: bake the site, run a task worker that
re-bakes on every publish, and serve the baked files (falling back to the live views)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import TextIO

from django.conf import settings

from .engine import default_output, full_bake

MIDDLEWARE = "broadsheet.baking.middleware.BakedSiteMiddleware"


def bake_site(stdout: TextIO, base_url: str | None = None) -> None:
    """Bake every page into ``BROADSHEET_BAKE_DIR`` (var/site/) for ``base_url`` and say so."""
    run = full_bake(default_output(), base_url=base_url, progress=True)
    stdout.write(
        f"Baked {run.pages_rendered} pages into {run.output} in {run.duration:.1f} s "
        f"({run.pages_written} written).\n"
    )


def _die_with_parent() -> None:
    """In the worker process (Linux): get SIGTERM when the demo process ends."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_publishing(stdout: TextIO) -> Callable[[], None]:
    """Start the task worker (``db_worker`` in a subprocess) and serve the baked files; returns
    a function that stops the worker."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    worker = subprocess.Popen(
        [sys.executable, "-m", "broadsheet", "db_worker", "--interval", "0.5", "--no-reload"],
        env=dict(os.environ),
        preexec_fn=_die_with_parent,
    )
    stdout.write(
        f"Publishing worker running (pid {worker.pid}): publishes re-bake in the background.\n"
    )

    def stop() -> None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()

    return stop
