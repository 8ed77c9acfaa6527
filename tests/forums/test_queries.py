"""The forums' pages cost the same number of queries whatever the size of a topic or board
(bench/forums.py measures the time): counted on a small forum, asserted on one ten times
larger, anonymous and signed in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.forums.services import recount

from .factories import BoardFactory, ReaderUserFactory


def grow(board, topic, topics: int, posts: int, authors: list) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    opened = Topic.objects.bulk_create(
        Topic(board=board, title=f"t{i}", author=authors[i % len(authors)], last_post_at=start)
        for i in range(topics)
    )
    Post.objects.bulk_create(  # each topic's first post: a topic is shown once it has one
        Post(topic=t, author=t.author, text="first", html="<p>first</p>", status="approved")
        for t in opened
    )
    Post.objects.bulk_create(
        Post(
            topic=topic,
            author=authors[i % len(authors)],
            text=f"p{i}",
            html=f"<p>p{i}</p>",
            status="approved",
            created_at=start + dt.timedelta(seconds=i),
        )
        for i in range(posts)
    )
    recount()


@pytest.mark.parametrize("signed_in", [False, True])
def test_queries_do_not_grow_with_the_forum(signed_in, django_assert_num_queries, settings):
    settings.BROADSHEET_FORUM_POSTS_PER_PAGE = 5
    settings.BROADSHEET_FORUM_TOPICS_PER_PAGE = 5
    authors = [ReaderUserFactory() for _ in range(3)]
    board = BoardFactory(slug="b")
    topic = Topic.objects.create(board=board, title="big", last_post_at=timezone.now())
    grow(board, topic, topics=12, posts=12, authors=authors)
    client = Client()
    if signed_in:
        client.force_login(authors[0])
    pages = lambda: [  # noqa: E731
        f"/forums/b/{topic.pk}/",
        f"/forums/b/{topic.pk}/page/{(Topic.objects.get(pk=topic.pk).posts_count + 4) // 5}/",
        "/forums/b/",
        "/forums/b/page/2/",
        "/forums/",
        "/forums/latest/",
    ]
    counts = {}
    for path in pages():
        client.get(path)  # warm up (session, settings rows)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) > 0  # counted for real
        counts[path.replace(str(topic.pk), "T")] = len(queries)
    grow(board, topic, topics=120, posts=120, authors=authors)
    for path in pages():
        key = path.replace(str(topic.pk), "T")
        if "page/" in key and key.startswith("/forums/b/T/page/"):
            key = next(k for k in counts if k.startswith("/forums/b/T/page/"))
        client.get(path)
        with django_assert_num_queries(counts[key]):
            assert client.get(path).status_code == 200
