"""Benchmark: a flood of reader posts against two app processes sharing Redis, and what a
legitimate reader sees meanwhile — measured with wrk (a standard HTTP load tool; Debian:
``apt-get install -y wrk``) and its Lua script ``bench/flood_post.lua``.

Each run starts gunicorn (2 workers, test settings, a migrated SQLite file, ``CACHE_URL`` =
``--redis`` with a fresh key prefix, ``TRUSTED_PROXIES=127.0.0.1`` so that the load tool can
name the client address in ``X-Forwarded-For`` as nginx would). Then, for ``--seconds``, one wrk
posts comments at ``--rate`` a minute (a fixed schedule, two connections) from
``--flood-addresses`` addresses in turn, while a second wrk posts one comment every
``--legit-every`` seconds, each from a new address. Every post carries its own form token (a
token is good for one post), minted beforehand with the test settings' key — what an attacker
gets by fetching an answer page per post. Prints, per scenario over ``--runs`` runs: the
flood's posts, accepted (303) and refused (429); the legitimate posts accepted, their latency
(wrk's p50, p99 and max, ms); the CPU seconds of the app processes and of wrk; min / median / max.

Run: ``.venv/bin/python bench/flood.py [--runs 3] [--seconds 60] [--scenario one|spread|busy]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "bench" / "flood_post.lua"
SECRET = "test-only-insecure-key"  # noqa: S105 - broadsheet.settings.test's, not a secret
settings.configure(SECRET_KEY=SECRET)

GUNICORN = [sys.executable, "-m", "gunicorn", "-w", "2"]
#: name: (flood posts a minute, flood addresses)
SCENARIOS = {"one": (200, 1), "spread": (200, 13), "busy": (400, 13)}


def mint_tokens(path: Path, story_id: int, count: int) -> None:
    """``count`` form tokens for the story, issued 10 s ago, each with its own nonce (as the
    live app's answer pages give them), one a line."""
    import secrets

    at = int(time.time()) - 10
    signer = signing.Signer(salt="broadsheet.discussion.form")
    with path.open("w") as out:
        for _ in range(count):
            data = {"k": "comment", "t": str(story_id), "at": at, "n": secrets.token_urlsafe(9)}
            out.write(signer.sign_object(data) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port: int, seconds: float = 600) -> None:
    """Wait until both gunicorn workers answer (a slow machine loads Django for a while)."""
    deadline = time.monotonic() + seconds
    answered = 0
    while answered < 4:
        if time.monotonic() > deadline:
            sys.exit(f"the app on port {port} did not answer in {seconds:.0f} s")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.5)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse(output: str) -> dict:
    """The STATUS / LATENCY_US lines ``flood_post.lua`` prints."""
    result: dict = {"status": {}}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["STATUS"]:
            result["status"][int(parts[1])] = int(parts[2])
        elif parts[:1] == ["LATENCY_US"]:
            result["p50"], result["p99"], result["max"] = (int(p) / 1000 for p in parts[1:4])
        elif parts[:1] == ["ERRORS"]:
            result["errors"] = line
    return result


def prepare(tmp: Path, env: dict) -> int:
    py = [sys.executable, "-m", "broadsheet"]
    subprocess.run([*py, "migrate", "-v0"], env=env, cwd=REPO, check=True)
    made = subprocess.run(
        [
            *py,
            "shell",
            "-c",
            "from broadsheet.content.newsroom.tree import ensure_front_page\n"
            "from tests.content.factories import StoryFactory\n"
            "ensure_front_page('Bench'); print(StoryFactory().id)",
        ],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(made.stdout.split()[-1])


def one_run(args: argparse.Namespace, scenario: str, tmp: Path, env: dict, story: int) -> dict:
    rate, addresses = SCENARIOS[scenario]
    run_env = {**env, "CACHE_KEY_PREFIX": f"bench-flood-{uuid.uuid4().hex}"}
    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "-b", f"127.0.0.1:{port}", "broadsheet.wsgi:application"],
        env=run_env,
        cwd=REPO,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(port)
        flood_tokens, reader_tokens = tmp / "flood.txt", tmp / "reader.txt"
        mint_tokens(flood_tokens, story, int(rate * args.seconds / 60) + 50)
        mint_tokens(reader_tokens, story, int(args.seconds / args.legit_every) + 20)
        url = f"http://127.0.0.1:{port}"
        wrk = ["wrk", "-t1", "-d", f"{args.seconds:.0f}s", "--timeout", "30s", "--latency"]
        script, legit_rate = ["-s", str(SCRIPT), url, "--"], 60 / args.legit_every
        run = uuid.uuid4().hex[:8]  # this run's texts are its own: no duplicates of the last
        before = children_cpu()
        flood = subprocess.Popen(
            [
                *wrk,
                "-c2",
                *script,
                str(flood_tokens),
                str(story),
                str(rate),
                f"flood:{addresses}",
                run,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        reader = subprocess.Popen(
            [*wrk, "-c1", *script, str(reader_tokens), str(story), str(legit_rate), "reader", run],
            stdout=subprocess.PIPE,
            text=True,
        )
        flood_out, reader_out = flood.communicate()[0], reader.communicate()[0]
        wrk_cpu = children_cpu() - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    app_cpu = children_cpu() - before - wrk_cpu
    f, r = parse(flood_out), parse(reader_out)
    if not f["status"] or not r["status"]:
        sys.exit(f"wrk got no answers:\n{flood_out}\n{reader_out}")
    return {
        "flood": sum(f["status"].values()),
        "accepted": f["status"].get(303, 0),
        "refused": f["status"].get(429, 0),
        "other": sum(n for s, n in f["status"].items() if s not in (303, 429)),
        "legit": sum(r["status"].values()),
        "legit_ok": r["status"].get(303, 0),
        "p50": r["p50"],
        "p99": r["p99"],
        "max": r["max"],
        "app_cpu": app_cpu,
        "wrk_cpu": wrk_cpu,
    }


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", choices=SCENARIOS, action="append")
    parser.add_argument("--legit-every", type=float, default=2.0, help="seconds")
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")

    tmp = Path(tempfile.mkdtemp(prefix="broadsheet-flood-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CACHE_URL": args.redis,
        "TRUSTED_PROXIES": "127.0.0.1",
        "BROADSHEET_VAR_DIR": str(tmp),
    }
    story = prepare(tmp, env)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    print(f"commit {commit}; {args.runs} runs of {args.seconds:.0f} s each; min / median / max")
    for scenario in args.scenario or list(SCENARIOS):
        rate, addresses = SCENARIOS[scenario]
        runs = [one_run(args, scenario, tmp, env, story) for _ in range(args.runs)]
        col = {key: [run[key] for run in runs] for key in runs[0]}
        print(
            f"{scenario}: flood {rate}/min from {addresses} address(es): "
            f"sent {spread(col['flood'])}, accepted {spread(col['accepted'])}, "
            f"refused 429 {spread(col['refused'])}, other {spread(col['other'])}"
        )
        print(
            f"  legitimate: sent {spread(col['legit'])}, accepted {spread(col['legit_ok'])}; "
            f"latency ms p50 {spread(col['p50'])}, p99 {spread(col['p99'])}, "
            f"max {spread(col['max'])}"
        )
        print(
            f"  CPU s: app (gunicorn, 2 workers) {spread(col['app_cpu'], '{:.1f}')}, "
            f"wrk {spread(col['wrk_cpu'], '{:.2f}')}; wall {args.seconds:.0f} s a run"
        )


if __name__ == "__main__":
    main()
