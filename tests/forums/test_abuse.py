"""Abuse of the forums: floods from one account and from one address stopped at the limits
while other readers get through; two readers posting to one topic at once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.forums.services import add_post
from broadsheet.discussion import guard

from .factories import ReaderUserFactory, TopicFactory, post

NOW = 1_900_000_020.0  # 20 s into a rate-limit minute


@pytest.fixture
def pinned_clock(monkeypatch):
    monkeypatch.setattr(guard, "clock", lambda: NOW)


def member() -> Client:
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader)  # an approved post: not a new member
    client = Client()
    client.force_login(reader)
    return client


def test_200_posts_a_minute_from_one_account_stop_at_its_limit(pinned_clock, settings):
    settings.BROADSHEET_FORUM_POSTS_PER_MINUTE = 5
    topic = TopicFactory(opened=True)
    flooder = member()
    answers = [
        flooder.post(
            f"/forums/post/{topic.pk}/",
            {"text": f"flood {i}"},
            REMOTE_ADDR=f"10.0.{i // 250}.{i % 250 + 1}",
        )
        for i in range(200)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [303] * 5 and set(statuses[5:]) == {429}
    refused = answers[5].content.decode()
    assert "Too many posts" in refused and "flood 5</textarea>" in refused
    assert answers[5]["Retry-After"] == "60"
    assert Post.objects.filter(topic=topic, text__startswith="flood").count() == 5
    # another reader is not affected
    other = member()
    assert other.post(f"/forums/post/{topic.pk}/", {"text": "fine"}).status_code == 303


def test_200_posts_a_minute_from_one_address_stop_at_its_limit(pinned_clock, settings):
    settings.BROADSHEET_FORUM_POSTS_PER_MINUTE = 10**6
    settings.BROADSHEET_FORUM_POSTS_PER_HOUR = 10**6
    limit = guard.conf.get("RATE_PER_ADDRESS_MINUTE")
    topic = TopicFactory(opened=True)
    readers = [member() for _ in range(4)]
    statuses = [
        readers[i % 4]
        .post(f"/forums/post/{topic.pk}/", {"text": f"flood {i}"}, REMOTE_ADDR="203.0.113.9")
        .status_code
        for i in range(200)
    ]
    assert statuses[:limit] == [303] * limit and set(statuses[limit:]) == {429}
    assert Post.objects.filter(topic=topic, author__isnull=False).count() == limit
    # the same readers from other addresses still get through
    answer = readers[0].post(f"/forums/post/{topic.pk}/", {"text": "ok"}, REMOTE_ADDR="192.0.2.1")
    assert answer.status_code == 303


@pytest.mark.django_db(transaction=True)
def test_two_readers_posting_at_once_are_both_kept_and_counted():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite takes one writer at a time, nothing is concurrent")
    from tests.conftest import front_page as _unused  # noqa: F401 - documentation only

    topic = TopicFactory(opened=True)
    readers = [ReaderUserFactory(), ReaderUserFactory()]
    for reader in readers:
        post(TopicFactory(opened=True, board=topic.board), reader)  # approved: not new members
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(reader):
        try:
            barrier.wait(timeout=10)
            for n in range(10):
                add_post(topic, reader, f"{reader.pk} says {n}")
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(r,)) for r in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    topic = Topic.objects.get(pk=topic.pk)
    # the 20 written at once, after the topic's opening post
    assert Post.objects.filter(topic=topic).count() == 21
    assert topic.posts_count == 21
    topic.board.refresh_from_db()
    assert topic.board.posts_count == 25  # and the two other topics' opening posts and replies
