"""Benchmark: render and hand N digests (default 10,000) to a local SMTP server.

    .venv/bin/python bench/newsletter.py [--n 10000] [--repeat 3] [--batch 100]

Sets up an in-memory SQLite newsroom (test settings) with 10 stories published today and a
list of N confirmed subscribers, starts aiosmtpd in its own process (``aiosmtpd.handlers.Sink``:
accepts and drops; plain SMTP on 127.0.0.1), then ``--repeat`` times makes a digest issue and
sends it to every subscriber through the real sending path (``sending.send_batch``: one SMTP
connection per batch, a delivery row per recipient in the send's transaction, per-recipient
unsubscribe token and headers). Prints for each run the wall and CPU time of this process (the
SMTP server's CPU is not counted), messages per second, and the peak of Python's allocations
(tracemalloc) during the send; then min/median/max over the runs, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.test")

import django

django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the SMTP server did not start")


def spread(values: list[float]) -> str:
    return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from broadsheet.content.distribution import sending
    from broadsheet.content.distribution.models import (
        Issue,
        NewsletterList,
        Subscriber,
        Subscription,
    )
    from broadsheet.content.newsroom.tree import ensure_front_page
    from broadsheet.distribution import issues
    from broadsheet.settings.envurls import email_settings
    from tests.content.factories import StoryFactory

    setup_test_environment()
    call_command("migrate", verbosity=0)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"],
    )  # fmt: skip
    try:
        wait_for(port)
        for name, value in email_settings(f"smtp://127.0.0.1:{port}?tls=0").items():
            setattr(settings, name, value)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.DEFAULT_FROM_EMAIL = "Newsroom <news@newsroom.example>"
        settings.BROADSHEET_NEWSLETTERS = {"RATE_PER_MINUTE": 0, "BATCH_SIZE": args.batch}

        ensure_front_page("Bench Newsroom")
        for i in range(10):
            StoryFactory(
                title=f"Story {i} of the day, with a headline of ordinary length",
                standfirst="What happened, in one or two sentences, as the deck says it. " * 2,
                published_at=timezone.now() - timezone.timedelta(hours=i + 1),
            )
        newsletter = NewsletterList.objects.create(language="en", name="Bench Newsroom")
        Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{i}@example.org") for i in range(args.n)
        )
        confirmed = timezone.now() - timezone.timedelta(days=1)
        Subscription.objects.bulk_create(
            (
                Subscription(
                    subscriber=s,
                    list=newsletter,
                    status=Subscription.Status.CONFIRMED,
                    confirmed_at=confirmed,
                )
                for s in Subscriber.objects.all()
            ),
            batch_size=2000,
        )
        walls, cpus, peaks = [], [], []
        for run in range(args.repeat):
            tracemalloc.start()
            wall, cpu = time.perf_counter(), time.process_time()
            issue = issues.make_digest(newsletter, timezone.now() + timezone.timedelta(days=run))
            if issue is None:  # the day's digest exists: make the issue of another day
                raise RuntimeError("no digest made")
            while True:
                result = sending.send_batch(issue, args.batch)
                if not result.more:
                    break
                if result.connection_error:
                    raise RuntimeError(result.connection_error)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            sent = issue.deliveries.filter(status="sent").count()
            issue.refresh_from_db()
            assert sent == args.n and issue.status == Issue.Status.DONE, (sent, issue.status)
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak)
            print(
                f"run {run + 1}: {args.n} digests in {wall:.2f} s wall, {cpu:.2f} s CPU, "
                f"{args.n / wall:.0f} messages/s, peak Python allocations {peak:.1f} MiB"
            )
            # the next run's digest needs a story after this one's window
            StoryFactory(published_at=timezone.now() + timezone.timedelta(days=run, hours=1))
        print(f"wall s: {spread(walls)}")
        print(f"CPU s:  {spread(cpus)}")
        print(f"peak Python allocations MiB: {spread(peaks)}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process: {rss:.0f} MiB")
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, SQLite in memory, batch {args.batch}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
