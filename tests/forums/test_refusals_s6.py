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


# -- the refusals speak the page's (edition's) language, whatever the reader's own ------------
NOT_YOURS_FA = "این پست شما نیست."


@pytest.fixture
def persian_post(db):
    from tests.editions.factories import persian_front

    from .factories import BoardFactory

    persian_front()
    topic = TopicFactory(board=BoardFactory(language="fa", slug="goftogu"), opened=True)
    return post(topic, ReaderUserFactory(reader__language="fa"), text="نوشتهٔ یک خواننده")


@pytest.mark.parametrize("action", ["edit", "delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_readers_post_is_refused_in_persian_on_a_persian_page(
    client, persian_post, action, method
):
    client.force_login(ReaderUserFactory(reader__language="en"))
    answer = getattr(client, method)(
        f"/fa/forums/{action}/{persian_post.pk}/", REMOTE_ADDR="198.51.100.80"
    )
    assert answer.status_code == 403
    html = answer.content.decode()
    assert NOT_YOURS_FA in html
    assert "This is not your post." not in html


# the locked-topic and ban refusals were already right (worded inside the build): guards
def test_a_locked_topics_refusal_is_persian_for_an_english_reader(client, persian_post):
    reader = ReaderUserFactory(reader__language="en")
    own = post(persian_post.topic, reader, text="پاسخی کوتاه")
    persian_post.topic.locked = True
    persian_post.topic.save(update_fields=["locked"])
    client.force_login(reader)
    for answer, said in (
        (client.get(f"/fa/forums/edit/{own.pk}/"), "این موضوع قفل است"),
        (
            client.post(f"/fa/forums/post/{persian_post.topic_id}/", {"text": "باز هم پاسخ"}),
            "این موضوع بسته است",
        ),
    ):
        assert answer.status_code == 403
        assert said in answer.content.decode()
        assert "This topic is locked" not in answer.content.decode()


def test_a_bans_refusal_is_persian_for_an_english_reader(client, persian_post):
    from broadsheet.content.forums.models import Ban

    reader = ReaderUserFactory(reader__language="en")
    Ban.objects.create(user=reader, reason="spam")
    client.force_login(reader)
    answer = client.post(f"/fa/forums/post/{persian_post.topic_id}/", {"text": "باز هم پاسخ"})
    assert answer.status_code == 403
    assert "حساب یا نشانی شما اجازهٔ نوشتن" in answer.content.decode()
    assert "may not post" not in answer.content.decode()
