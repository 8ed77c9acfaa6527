"""A topic whose first post is held (issue 13): shown to no one but its author, nor counted,
until a moderator approves the post; then listed and counted once."""

from __future__ import annotations

from django.test import Client

from broadsheet.content.forums.models import Board, Post, Topic
from broadsheet.content.forums.moderation import moderate_posts

from .factories import BoardFactory, ReaderUserFactory


def test_a_held_topic_is_shown_only_to_its_author_until_approved(client):
    board = BoardFactory()
    newbie = ReaderUserFactory()
    author = Client()
    author.force_login(newbie)
    answer = author.post(
        f"/forums/{board.slug}/new/",
        {"title": "Secret held title", "text": "My first words"},
        REMOTE_ADDR="198.51.100.70",
    )
    assert answer.status_code == 303
    topic = Topic.objects.get(title="Secret held title")
    path = f"/forums/{board.slug}/{topic.pk}/"
    assert "Secret held title" not in client.get(f"/forums/{board.slug}/").content.decode()
    assert "0 topics" in client.get("/forums/").content.decode()
    assert client.get(path).status_code == 404
    other = Client()
    other.force_login(ReaderUserFactory())
    assert other.get(path).status_code == 404
    assert other.post(f"/forums/post/{topic.pk}/", {"text": "hi there"}).status_code == 404
    assert "Secret held title" in author.get(f"/forums/{board.slug}/").content.decode()
    assert "My first words" in author.get(path).content.decode()
    assert Board.objects.get(pk=board.pk).topics_count == 0

    moderate_posts(Post.objects.filter(topic=topic), "approved")
    assert Board.objects.get(pk=board.pk).topics_count == 1
    assert "1 topic, 1 post" in client.get("/forums/").content.decode()
    assert "Secret held title" in client.get(f"/forums/{board.slug}/").content.decode()
    assert client.get(path).status_code == 200
