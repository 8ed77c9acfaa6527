"""The live search page under load: gunicorn serving a benchmark corpus, wrk against it.

Used by ``bench/search.py --wrk`` (see its docstring). Runs ``wrk -t2 -c50`` for a few seconds
to warm up, then for ``seconds`` against ``/search/?q=iran``: once with the results page cache
on and once with it off. Prints wrk's requests/s and latency percentiles, and the CPU time the
gunicorn processes used per request (from /proc, Linux only). Everything listens on and talks
to 127.0.0.1 only; each wrk run is bounded by its duration.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERY_PATH = "/search/?q=iran"


def _free_port(offset: int = 0) -> int:
    """``BENCH_PORT`` + ``offset`` when set (a shared machine's assigned range), else any free
    port."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"]) + offset
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url() -> str:
    """``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/13``) if a server answers there."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=1).ping()
    except Exception:
        return ""
    return url


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children that are still running."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _wait_ready(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _wrk(url: str, seconds: int) -> dict[str, str]:
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    result = {"requests/s": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = m.group(1) if m else "?"
    m = re.search(r"(\d+) requests in", out)
    result["requests"] = m.group(1) if m else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non-2xx"] = errors.group(1) if errors else "0"
    sock = re.search(r"Socket errors: (.*)", out)
    result["socket errors"] = sock.group(1) if sock else "none"
    return result


def run_wrk(database_url: str, var_dir: Path, seconds: int = 20, workers: int = 4) -> None:
    """Serve the corpus at ``database_url`` with gunicorn and print wrk's figures, cache on
    and off."""
    if shutil.which("wrk") is None:
        print("wrk: not installed, skipped (Debian/Ubuntu: apt-get install wrk)")
        return
    redis_url = _redis_url()
    print(
        f"wrk: gunicorn {workers} sync workers, cache "
        f"{redis_url or 'per-process memory (no Redis answered)'}"
    )
    for offset, cache_seconds in enumerate(("60", "0")):
        port = _free_port(offset)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BROADSHEET_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings.dev",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CACHE_URL": redis_url,
            "BROADSHEET_SEARCH_CACHE_SECONDS": cache_seconds,
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "broadsheet.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--timeout",
                "120",  # a cold worker's first page on a loaded machine
            ],
            cwd=REPO,
            env=env,
        )
        try:
            url = f"http://127.0.0.1:{port}{QUERY_PATH}"
            _wait_ready(url)
            _wrk(url, 3)  # warm every worker
            load = os.getloadavg()[0]
            cpu = _cpu_seconds(server.pid)
            result = _wrk(url, seconds)
            cpu = _cpu_seconds(server.pid) - cpu
            requests = int(result["requests"]) if result["requests"].isdigit() else 0
            label = "cache on" if cache_seconds != "0" else "cache off"
            print(
                f"wrk {label}: {result['requests/s']} req/s, latency p50 {result['p50']} "
                f"p75 {result['p75']} p90 {result['p90']} p99 {result['p99']}, "
                f"{result['requests']} requests, non-2xx {result['non-2xx']}, "
                f"socket errors {result['socket errors']}; server CPU "
                f"{1000 * cpu / max(1, requests):.2f} ms/request; load {load:.1f}"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
