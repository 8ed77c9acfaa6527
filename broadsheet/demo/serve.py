"""What ``broadsheet demo`` needs to publish: bake the site, run a task worker that re-bakes on
every publish, and the address the demo serves on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import TextIO

from broadsheet.publishing.engine import full_bake


def base_url_for(host: str, port: int) -> str:
    """The public address of the demo served on ``host``:``port`` (every interface: 127.0.0.1)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def bake_site(stdout: TextIO, base_url: str | None = None) -> None:
    """Bake every page into the default output (var/site/) for ``base_url`` and say so."""
    run = full_bake(None, base_url=base_url, progress=True)
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


def start_worker(stdout: TextIO) -> Callable[[], None]:
    """Start the task worker (``db_worker`` in a subprocess, same environment); returns a
    function that stops it."""
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
