"""Forum moderation in the Wagtail admin: posts in the discussion's queue with the comments'
bulk actions; topics hidden, locked, pinned, moved, merged; bans; every action in Wagtail's
audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import ModelLogEntry

from broadsheet.content.forums.models import Board, Post, Report, Topic
from broadsheet.content.forums.moderation import merge_topics, move_topic

from .factories import BoardFactory, ReaderUserFactory, TopicFactory, post


@pytest.fixture
def moderator(settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.example", "x" * 16)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def bulk(client, model: str, action: str, ids, **data):
    url = f"/admin/bulk/forums/{model}/{action}/?" + "&".join(f"id={i}" for i in ids)
    return client.post(url + "&next=/admin/", data)


def test_held_posts_are_in_the_discussion_queue(moderator):
    held = post(TopicFactory(), ReaderUserFactory(), text="waiting for a moderator")
    Post.objects.filter(pk=held.pk).update(status="held")
    page = moderator.get("/admin/snippets/forums/post/?status=held").content.decode()
    assert "waiting for a moderator" in page
    menu = moderator.get("/admin/").content.decode()
    assert "/admin/snippets/forums/post/?status=held" in menu


def test_approve_from_the_queue_publishes_counts_and_logs(moderator, client):
    topic = TopicFactory()
    held = post(topic, ReaderUserFactory(), text="approve me", status="held")
    Report.objects.create(post=held, reason="check it")
    answer = bulk(moderator, "post", "approve", [held.pk])
    assert answer.status_code == 302
    held.refresh_from_db()
    topic.refresh_from_db()
    assert held.status == "approved" and topic.posts_count == 1
    assert not Report.objects.filter(resolved=False).exists()
    entry = ModelLogEntry.objects.get(action="broadsheet.forums.moderate")
    assert entry.user_id == moderator.user.pk and entry.object_id == str(held.pk)
    assert "approve me" in client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("hide", "hidden", True), ("lock", "locked", True), ("pin", "pinned", True)],
)
def test_topic_actions_are_applied_and_logged(moderator, action, field, value):
    topic = TopicFactory()
    answer = bulk(moderator, "topic", f"forum-{action}", [topic.pk])
    assert answer.status_code == 302
    topic.refresh_from_db()
    assert getattr(topic, field) is value
    assert ModelLogEntry.objects.filter(
        action=f"broadsheet.forums.{action}", object_id=str(topic.pk), user=moderator.user
    ).exists()


def test_move_keeps_both_boards_counts(moderator):
    source, target = BoardFactory(), BoardFactory()
    topic = TopicFactory(board=source)
    source.topics_count = 1
    source.save()
    post(topic)
    post(topic)
    answer = bulk(moderator, "topic", "forum-move", [topic.pk], board=target.pk)
    assert answer.status_code == 302
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.topics_count, source.posts_count) == (0, 0)
    assert (target.topics_count, target.posts_count) == (1, 2)
    assert ModelLogEntry.objects.filter(action="broadsheet.forums.move").exists()


def test_merge_moves_the_posts_into_the_oldest_topic(moderator):
    board = BoardFactory()
    first, second = TopicFactory(board=board), TopicFactory(board=board)
    post(first, text="in the first")
    post(second, text="in the second")
    answer = bulk(moderator, "topic", "forum-merge", [second.pk, first.pk])
    assert answer.status_code == 302
    assert not Topic.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    board.refresh_from_db()
    assert first.posts_count == 2 and board.topics_count == 1 and board.posts_count == 2
    assert ModelLogEntry.objects.filter(
        action="broadsheet.forums.merge", object_id=str(first.pk)
    ).exists()


def test_services_log_without_the_admin_too():
    board = BoardFactory()
    topic = TopicFactory(opened=True)
    move_topic(topic, board)
    other = TopicFactory(board=board, opened=True)
    merge_topics(topic, [other])
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"broadsheet.forums.move", "broadsheet.forums.merge"} <= actions
    assert Board.objects.get(pk=board.pk).topics_count == 1


def test_a_ban_made_in_the_admin_stops_the_next_post(moderator, client):
    reader = ReaderUserFactory()
    post(TopicFactory(), reader)
    topic = TopicFactory(opened=True)
    client.force_login(reader)
    assert client.post(f"/forums/post/{topic.pk}/", {"text": "fine"}).status_code == 303
    answer = moderator.post(
        "/admin/snippets/forums/ban/add/",
        {"user": reader.pk, "network": "", "reason": "spam", "expires_at": ""},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    refused = client.post(f"/forums/post/{topic.pk}/", {"text": "after the ban"})
    assert refused.status_code == 403
    assert ModelLogEntry.objects.filter(action="wagtail.create").exists()


def test_a_ban_by_ipv6_address_is_stored_as_its_64(moderator):
    answer = moderator.post(
        "/admin/snippets/forums/ban/add/",
        {"user": "", "network": "2001:db8:aa:bb:1:2:3:4", "reason": "", "expires_at": ""},
    )
    assert answer.status_code == 302
    from broadsheet.content.forums.models import Ban

    assert Ban.objects.get().network == "2001:db8:aa:bb::/64"
