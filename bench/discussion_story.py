"""Benchmark: render a story page with many approved comments, and post comments.

Prints the queries and milliseconds per story render for 0, 100 and 1,000 comments (the
comments load in one query however many), and the milliseconds per accepted comment post.
Run: ``.venv/bin/python bench/discussion_story.py`` (in-memory SQLite, test settings).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from broadsheet.content.discussion.models import Comment, CommentStatus
    from broadsheet.content.newsroom.tree import ensure_front_page
    from broadsheet.discussion import guard
    from broadsheet.site.build import make_build
    from broadsheet.site.registry import registry
    from tests.content.factories import StoryFactory

    def render(story):
        return registry.kind("story").render(make_build(), path=story.url.strip("/"))

    ensure_front_page("Bench")
    story = StoryFactory()
    render(story)  # warm up: settings rows, templates
    made = 0
    for total in (0, 100, 1000):
        Comment.objects.bulk_create(
            Comment(
                story=story,
                name=f"Reader {i}",
                text=f"Comment {i} with a link https://example.org/{i}\n\nand a second paragraph.",
                status=CommentStatus.APPROVED,
            )
            for i in range(made, total)
        )
        made = total
        runs = 5
        start = time.perf_counter()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                html = render(story).html
        ms = (time.perf_counter() - start) * 1000 / runs
        print(
            f"story page, {total:5d} comments: {len(ctx.captured_queries)} queries, "
            f"{ms:7.1f} ms, {len(html) / 1024:7.1f} KiB"
        )
    client = Client()
    posts = 50
    from django.conf import settings

    settings.BROADSHEET_DISCUSSION = {
        "RATE_PER_ADDRESS_MINUTE": 10**6,
        "RATE_PER_ADDRESS_HOUR": 10**6,
        "RATE_GLOBAL_MINUTE": 10**6,
    }
    start = time.perf_counter()
    for i in range(posts):
        token = guard.issue_token("comment", story.id, int(time.time()) - 10)
        response = client.post(
            "/discussion/comments/",
            {"story": story.id, "name": "Bench", "text": f"post {i}", "form_token": token},
        )
        assert response.status_code == 303, response.status_code
    ms = (time.perf_counter() - start) * 1000 / posts
    print(f"accepted comment post (303): {ms:.1f} ms each over {posts}")


if __name__ == "__main__":
    main()
