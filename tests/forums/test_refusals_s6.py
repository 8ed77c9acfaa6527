"""What the new user's check of issue 13 (session 6) found the forums let through, or got
wrong: posts of blank-looking characters, dead links to moved and merged topics, English
refusals on Persian pages."""

from __future__ import annotations

import pytest

from broadsheet.content.forums.models import Post

from .factories import ReaderUserFactory, TopicFactory, post

BLANK_LOOKING = [
    "\u2800\u2800",  # braille pattern blank
    "\u3164\u115f",  # Hangul fillers
    "\u1160\u1160",
    "\uffa0\uffa0",
    "\u180e\u180e",  # Mongolian vowel separator
    "\u17b4\u17b5",  # Khmer inherent vowels
    "\u034f\u034f",  # combining grapheme joiner
    "\ufe0f\ufe0e",  # variation selectors
    "\U000e0041\U000e0042",  # tag characters
    "\u2800 \u3164\n\u17b4",
]


@pytest.mark.parametrize("invisible", BLANK_LOOKING)
def test_a_post_of_blank_looking_characters_is_refused_with_its_text(client, invisible):
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    topic = TopicFactory(opened=True)
    client.force_login(reader)
    answer = client.post(
        f"/forums/post/{topic.pk}/", {"text": invisible}, REMOTE_ADDR="198.51.100.9"
    )
    assert answer.status_code == 400
    assert "Please write your post." in answer.content.decode()
    assert invisible.strip() in answer.content.decode()  # the text kept in the form
    assert not Post.objects.filter(topic=topic, author=reader).exists()


def test_a_blank_looking_character_beside_real_words_does_not_refuse_them(client):
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    topic = TopicFactory(opened=True)
    client.force_login(reader)
    answer = client.post(
        f"/forums/post/{topic.pk}/", {"text": "\u2800ok\u3164"}, REMOTE_ADDR="198.51.100.9"
    )
    assert answer.status_code == 303
    assert Post.objects.get(topic=topic, author=reader).text == "\u2800ok\u3164"
