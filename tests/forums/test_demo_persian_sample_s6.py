"""The demo's Persian sample content is by a reader with a Persian name (a new user's check
found the Persian sample topic signed "Sample reader" in Latin letters)."""

from __future__ import annotations

import unicodedata

from broadsheet.content.forums.models import Post, Topic
from broadsheet.demo.forums import setup_forums


def _persian(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all("ARABIC" in unicodedata.name(c, "") for c in letters)


def test_persian_sample_threads_are_by_a_reader_with_a_persian_name(settings, tmp_path, client):
    from tests.editions.factories import persian_front

    persian_front()
    settings.VAR_DIR = tmp_path
    setup_forums()
    persian = list(
        Post.objects.filter(topic__sample=True, topic__board__language="fa").select_related(
            "author__reader", "topic__board"
        )
    )
    assert persian
    for post in persian:
        assert _persian(post.author.reader.display_name), post.author.reader.display_name
        assert post.author.reader.language == "fa"
        assert _persian(post.topic.author.reader.display_name)
    topic = persian[0].topic
    html = client.get(f"/fa/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert persian[0].author.reader.display_name in html
    assert "Sample reader" not in html


def test_a_demo_made_before_gets_its_persian_sample_threads_renamed(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    setup_forums()
    english_sample = Post.objects.filter(author__email="sample.reader@demo.example").first().author
    Post.objects.filter(topic__board__language="fa", topic__sample=True).update(
        author=english_sample
    )
    Topic.objects.filter(board__language="fa", sample=True).update(author=english_sample)
    setup_forums()  # the next start of the demo
    authors = set(
        Post.objects.filter(topic__board__language="fa", topic__sample=True).values_list(
            "author__reader__display_name", flat=True
        )
    )
    assert authors and all(_persian(name) for name in authors)
    assert not Topic.objects.filter(board__language="fa", sample=True, author=english_sample)
