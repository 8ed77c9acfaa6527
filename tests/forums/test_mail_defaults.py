"""A reader's default for mail about the topics they take part in (the profile's
``forum_mail``: at once, a daily digest, or none): used when they reply to or open a topic,
and first offered on a topic's Follow form; and mails the server refused, tried again by the
worker a bounded number of times, then logged."""

from __future__ import annotations

import re

import pytest
from django_tasks import default_task_backend

from broadsheet.content.discussion.tasks import RETRY_DELAYS
from broadsheet.content.forums import subscriptions
from broadsheet.content.forums.models import Subscription
from broadsheet.content.readers.models import Reader
from broadsheet.discussion.forums.mail import notify_subscribers
from broadsheet.settings.envurls import email_settings
from tests.discussion import smtp

from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture
def member():
    """A reader whose earlier post was approved: their posts are published at once."""
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    return reader


def set_default(reader, mode: str) -> None:
    Reader.objects.filter(user=reader).update(forum_mail=mode)


def reply(client, topic, **extra):
    data = {"text": "A reply worth a mail.", **extra}
    return client.post(f"/forums/post/{topic.pk}/", data, REMOTE_ADDR="198.51.100.62")


def test_the_profile_saves_the_default(client, member):
    client.force_login(member)
    html = client.get("/accounts/profile/").content.decode()
    assert 'name="forum_mail"' in html and '<option value="digest">' in html
    answer = client.post(
        "/accounts/profile/",
        {"display_name": "Sara", "bio": "", "language": "en", "forum_mail": "digest"},
    )
    assert answer.status_code == 302
    assert Reader.objects.get(user=member).forum_mail == "digest"


def test_a_digest_default_makes_a_reply_follow_by_digest(client, member):
    set_default(member, "digest")
    topic = TopicFactory(opened=True)
    client.force_login(member)
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert re.search(r'<option value="digest" selected>', page)  # the Follow form's choice
    assert 'name="subscribe" value="1" checked' in page
    assert reply(client, topic, subscribe_offered="1", subscribe="1").status_code == 303
    assert Subscription.objects.get(user=member, topic=topic).mode == "digest"


def test_a_no_mail_default_leaves_the_box_unticked_and_follows_nothing(client, member):
    set_default(member, "none")
    topic = TopicFactory(opened=True)
    client.force_login(member)
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert 'name="subscribe" value="1">' in page  # not checked
    reply(client, topic, subscribe_offered="1")  # the box as the form sends it: unticked
    reply(client, topic)  # a form without the box (an older page): the default decides
    assert not Subscription.objects.filter(user=member).exists()
    reply(client, topic, subscribe_offered="1", subscribe="1")  # ticked on purpose
    assert Subscription.objects.get(user=member, topic=topic).mode == "immediate"


def test_the_default_leaves_an_existing_subscription_alone(client, member):
    topic = TopicFactory(opened=True)
    Subscription.objects.create(user=member, topic=topic, mode="immediate")
    set_default(member, "digest")
    client.force_login(member)
    reply(client, topic, subscribe_offered="1", subscribe="1")
    assert Subscription.objects.get(user=member, topic=topic).mode == "immediate"


@pytest.fixture
def mailbox(settings):
    """A local SMTP server (aiosmtpd), and the dummy task backend (it keeps what is queued)."""
    box = smtp.Mailbox()
    controller = smtp.start(box)
    for name, value in email_settings(f"smtp://127.0.0.1:{controller.port}?tls=0").items():
        setattr(settings, name, value)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield box
    controller.stop()


def queued() -> list:
    return [r for r in default_task_backend.results if r.task.name == "notify_subscribers"]


def test_a_refused_notice_is_tried_again_for_the_refused_readers_only(mailbox):
    topic = TopicFactory(opened=True)
    follower = ReaderUserFactory()
    subscriptions.subscribe(follower, topic)
    shown = post(topic, ReaderUserFactory(), text="Worth a mail.")
    default_task_backend.clear()  # the post's own notice, queued on publishing
    mailbox.answer = "451 4.3.0 try again later"
    assert notify_subscribers.call(shown.pk) == 0
    (retry,) = queued()
    assert retry.args == [shown.pk, [follower.pk]] and retry.kwargs == {"attempt": 2}
    assert retry.task.run_after is not None
    late = ReaderUserFactory()
    subscriptions.subscribe(late, topic)  # subscribed after the post: not mailed on the retry
    mailbox.answer = "250 OK"
    assert notify_subscribers.call(*retry.args, **retry.kwargs) == 1
    assert [to for _from, to in mailbox.envelopes] == [[follower.email]]


def test_after_the_last_try_a_refused_notice_is_logged_and_dropped(mailbox, caplog):
    topic = TopicFactory(opened=True)
    subscriptions.subscribe(ReaderUserFactory(), topic)
    shown = post(topic, ReaderUserFactory(), text="Worth a mail.")
    default_task_backend.clear()
    mailbox.answer = "554 5.7.1 refused"
    last = len(RETRY_DELAYS) + 1
    assert notify_subscribers.call(shown.pk, None, attempt=last) == 0
    assert queued() == []
    assert "gave up" in caplog.text
