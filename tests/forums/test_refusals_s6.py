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


# -- a moved or merged topic's old address redirects to where it is now ------------------------
def test_a_moved_topics_old_address_redirects_permanently_to_its_new_board(client):
    from broadsheet.content.forums.moderation import move_topic

    from .factories import BoardFactory

    old, new = BoardFactory(slug="iran"), BoardFactory(slug="site")
    topic = TopicFactory(board=old, opened=True)
    move_topic(topic, new)
    answer = client.get(f"/forums/iran/{topic.pk}/?from=mail")
    assert answer.status_code == 301
    assert answer["Location"] == f"/forums/site/{topic.pk}/?from=mail"
    assert client.get(answer["Location"]).status_code == 200


def test_a_moved_topics_later_page_keeps_its_number(client, settings):
    from broadsheet.content.forums.moderation import move_topic

    from .factories import BoardFactory

    settings.BROADSHEET_FORUM_POSTS_PER_PAGE = 2
    topic = TopicFactory(board=BoardFactory(slug="iran"), opened=True)
    for n in range(3):
        post(topic, text=f"Reply {n}")
    move_topic(topic, BoardFactory(slug="site"))
    answer = client.get(f"/forums/iran/{topic.pk}/page/2/")
    assert answer.status_code == 301
    assert answer["Location"] == f"/forums/site/{topic.pk}/page/2/"


def test_a_hidden_moved_topic_and_an_unknown_one_stay_not_found(client):
    from broadsheet.content.forums.moderation import flag_topics, move_topic

    from .factories import BoardFactory

    old = BoardFactory(slug="iran")
    topic = TopicFactory(board=old, opened=True)
    move_topic(topic, BoardFactory(slug="site"))
    flag_topics([topic], "hide")
    assert client.get(f"/forums/iran/{topic.pk}/").status_code == 404
    assert client.get(f"/forums/iran/{topic.pk + 1000}/").status_code == 404
    # a page past the last of a topic that is here is not found, not redirected
    shown = TopicFactory(board=old, opened=True)
    assert client.get(f"/forums/iran/{shown.pk}/page/5/").status_code == 404


def test_a_merged_away_topics_old_address_redirects_to_the_topic_it_went_into(client):
    from broadsheet.content.forums.moderation import merge_topics

    from .factories import BoardFactory

    first = TopicFactory(board=BoardFactory(slug="site"), opened=True)
    second = TopicFactory(board=BoardFactory(slug="iran"), opened=True)
    third = TopicFactory(board=second.board, opened=True)
    gone = [second.pk, third.pk]
    merge_topics(second, [third])
    merge_topics(first, [second])  # what went into the second follows it
    for pk in gone:
        answer = client.get(f"/forums/iran/{pk}/")
        assert answer.status_code == 301
        assert answer["Location"] == f"/forums/site/{first.pk}/"


def test_a_topic_moved_to_a_persian_board_redirects_into_the_persian_edition(client, persian_post):
    from broadsheet.content.forums.moderation import move_topic

    from .factories import BoardFactory

    topic = TopicFactory(board=BoardFactory(slug="iran"), opened=True)
    move_topic(topic, persian_post.topic.board)
    answer = client.get(f"/forums/iran/{topic.pk}/")
    assert answer.status_code == 301
    assert answer["Location"] == f"/fa/forums/goftogu/{topic.pk}/"


def test_a_too_wide_range_is_refused_as_the_moderator_typed_it():
    """A new user typed 127.0.0.1/0 and was told "0.0.0.0/0 is too wide…"."""
    from broadsheet.content.forums.networks import normalise_network

    with pytest.raises(ValueError, match=r"^127\.0\.0\.1/0 is too wide"):
        normalise_network(" 127.0.0.1/0 ")
    with pytest.raises(ValueError, match=r"^2001:db8::1/16 is too wide"):
        normalise_network("2001:db8::1/16")
