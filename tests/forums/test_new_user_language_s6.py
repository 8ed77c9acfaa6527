"""A new user's sixth-session findings on the forums and reader accounts (issue 13): the
language of messages, mails and pages, one Persian word for each thing, Persian digits in
Persian text, the newsroom's name in allauth's mails, a sign-out that asks first, and a refused
topic that names every fault."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from broadsheet.content.forums.models import Topic
from tests.editions.factories import persian_front

from .factories import BoardFactory, ReaderUserFactory, TopicFactory, post

PERSIAN = '<html lang="fa" dir="rtl">'


@pytest.fixture
def persian(db):
    persian_front()


def page_title(response) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1])


# -- 7. a refused new topic ---------------------------------------------------------------------
def test_a_refused_topic_is_titled_new_topic_and_names_every_fault(client):
    board = BoardFactory(title="Letters board")
    client.force_login(ReaderUserFactory())
    long_title = "T" * 201 + " rejected-title-marker"
    answer = client.post(
        f"/forums/{board.slug}/new/",
        {"title": long_title, "text": "x" * 10001},
        REMOTE_ADDR="198.51.100.70",
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "rejected-title-marker" not in page_title(answer)
    assert page_title(answer).startswith("New topic — Letters board — ")
    assert re.search(r"<h1>New topic</h1>", html)
    assert "The title is too long (at most 200 characters)." in html
    assert "Your post is too long (at most 10000 characters)." in html
    assert long_title in htmllib.unescape(html)  # the text kept
    assert not Topic.objects.exists()


def test_a_persian_refusal_writes_its_numbers_in_persian_digits(client, persian):
    board = BoardFactory(language="fa", slug="goftogoo")
    client.force_login(ReaderUserFactory(reader__language="fa"))
    answer = client.post(
        f"/fa/forums/{board.slug}/new/",
        {"title": "ت" * 201, "text": "نوشته‌ای کوتاه"},
        REMOTE_ADDR="198.51.100.71",
    )
    assert answer.status_code == 400
    alert = re.search(r'role="alert">(.*?)</', answer.content.decode(), re.S)[1]
    assert "۲۰۰" in alert and not re.search(r"[0-9]", alert)


# -- 2. foreign-direction words isolated in the forum's mails --------------------------------
FSI, PDI = "\u2068", "\u2069"


def reply_mail(reader_language: str, title: str, text: str, author_name: str):
    from broadsheet.discussion.forums.mail import post_message

    author = ReaderUserFactory(reader__display_name=author_name)
    topic = TopicFactory(title=title, opened=True)
    reply = post(topic, author, text=text)
    return post_message(reply, ReaderUserFactory(reader__language=reader_language))


def test_a_persian_topic_in_an_english_mail_is_isolated(persian):
    message = reply_mail("en", "انتخابات ۱۴۰۳", "سلام دوستان\nخط دوم", "سارا")
    assert f"{FSI}انتخابات ۱۴۰۳{PDI}" in message.subject
    assert f"{FSI}سارا{PDI} wrote in “{FSI}انتخابات ۱۴۰۳{PDI}”:" in message.body
    assert f"{FSI}سلام دوستان{PDI}\n{FSI}خط دوم{PDI}" in message.body  # each line its own
    html = message.alternatives[0][0]
    assert "<bdi>سارا</bdi> wrote in “<bdi>انتخابات ۱۴۰۳</bdi>”:" in html
    assert '<blockquote dir="auto">' in html


def test_english_words_in_an_english_mail_are_left_as_they_are(persian):
    message = reply_mail("en", "Election day", "Hello all", "Sam")
    assert FSI not in message.subject and FSI not in message.body
    assert "Sam wrote in “Election day”:" in message.body


def test_a_latin_name_and_title_in_a_persian_mail_are_isolated(persian):
    message = reply_mail("fa", "Election day", "Hello all", "Sam")
    assert f"{FSI}Election day{PDI}" in message.subject
    assert f"{FSI}Sam{PDI}" in message.body and f"{FSI}Hello all{PDI}" in message.body
