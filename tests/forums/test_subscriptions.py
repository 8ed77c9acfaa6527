"""Topic subscriptions: following a topic, mail on new visible posts (once per subscriber, not
to the author, not for held posts, sent on approval), the daily digest, RFC 8058 headers and
the signed one-click unsubscribe link, mail in the reader's language, a deleted account's
subscriptions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from broadsheet.content.forums import subscriptions
from broadsheet.content.forums.models import Post, Subscription
from broadsheet.content.forums.moderation import moderate_posts
from broadsheet.content.readers.services import delete_account
from broadsheet.discussion.forums.mail import make_digests

from .conftest import link_in
from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture(autouse=True)
def newsroom_name(front_page):
    """The newsroom's name in its settings: what the mails are from and titled with."""
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    settings = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_name = "The Exile Gazette"
    settings.save()
    return settings.site_name


@pytest.fixture
def member():
    """A reader whose earlier post was approved: their posts are published at once."""
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    return reader


def reply(client, topic, text="A reply worth a mail.", **extra):
    return client.post(
        f"/forums/post/{topic.pk}/", {"text": text, **extra}, REMOTE_ADDR="198.51.100.61"
    )


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_follow_change_mode_and_stop_on_the_topic_page(client):
    reader = ReaderUserFactory()
    topic = TopicFactory(opened=True)
    post(topic, text="Something to follow.")
    client.force_login(reader)
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert f'action="/forums/follow/{topic.pk}/"' in page and "Follow this topic" in page
    answer = client.post(f"/forums/follow/{topic.pk}/", {"action": "follow", "mode": "digest"})
    assert answer.status_code == 303
    assert Subscription.objects.get(user=reader, topic=topic).mode == "digest"
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert "You follow this topic by e-mail." in page and "Stop following" in page
    client.post(f"/forums/follow/{topic.pk}/", {"action": "follow", "mode": "immediate"})
    assert Subscription.objects.get(user=reader, topic=topic).mode == "immediate"
    client.post(f"/forums/follow/{topic.pk}/", {"action": "unfollow"})
    assert not Subscription.objects.filter(user=reader).exists()


def test_following_needs_a_readers_account(client):
    topic = TopicFactory(opened=True)
    answer = client.post(f"/forums/follow/{topic.pk}/", {"action": "follow"})
    assert answer.status_code == 303 and answer["Location"].startswith("/accounts/login/")
    assert not Subscription.objects.exists()


def test_replying_subscribes_unless_the_box_is_unticked(client, member):
    topic, other = TopicFactory(opened=True), TopicFactory(opened=True)
    client.force_login(member)
    form = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert 'name="subscribe" value="1" checked' in form
    reply(client, topic, subscribe_offered="1", subscribe="1")
    reply(client, other, "Not for me, thanks.", subscribe_offered="1")
    assert list(Subscription.objects.filter(user=member).values_list("topic_id", flat=True)) == [
        topic.pk
    ]


def test_a_visible_post_mails_each_subscriber_once_but_not_its_author(
    client, member, django_capture_on_commit_callbacks
):
    topic = TopicFactory(opened=True, title="Exile politics")
    first, second = ReaderUserFactory(), ReaderUserFactory()
    for reader in (first, second, member):
        subscriptions.subscribe(reader, topic)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert reply(client, topic, "A new **view** on it.").status_code == 303
    assert len(mails_to(first.email)) == 1 and len(mails_to(second.email)) == 1
    assert mails_to(member.email) == []
    message = mails_to(first.email)[0]
    assert "Exile politics" in message.subject and "[The Exile Gazette]" in message.subject
    assert "A new **view** on it." in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "<strong>view</strong>" in message.alternatives[0][0]
    # saving the post again, or moderating it back and forth, mails nobody twice
    saved = Post.objects.get(text="A new **view** on it.")
    with django_capture_on_commit_callbacks(execute=True):
        moderate_posts([saved], "removed")
        moderate_posts([saved], "approved")
    assert len(mails_to(first.email)) == 1


def test_held_posts_mail_nobody_until_approved(client, django_capture_on_commit_callbacks):
    topic = TopicFactory(opened=True)
    follower, newcomer = ReaderUserFactory(), ReaderUserFactory()
    subscriptions.subscribe(follower, topic)
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic, "My first post, held.")
    held = Post.objects.get(author=newcomer)
    assert held.status == "held" and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        moderate_posts([held], "approved")
    assert len(mails_to(follower.email)) == 1
    assert "My first post, held." in mails_to(follower.email)[0].body


def test_mail_headers_sender_and_one_click_unsubscribe(
    client, member, django_capture_on_commit_callbacks
):
    topic = TopicFactory(opened=True)
    follower = ReaderUserFactory()
    subscriptions.subscribe(follower, topic)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic)
    message = mails_to(follower.email)[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and "/forums/unsubscribe/?t=" in header
    assert message.from_email == "The Exile Gazette <newsroom@localhost>"
    assert "127.0.0.1" not in message.from_email
    path = link_in(message.body, "/forums/unsubscribe/")
    assert path == header[header.index("/forums/") : -1].split(">")[0]
    client.logout()
    # GET: a page with a button, nothing changed (a link scanner unsubscribes nobody)
    page = client.get(path)
    assert page.status_code == 200 and "<button" in page.content.decode()
    assert Subscription.objects.filter(user=follower).exists()
    # RFC 8058: the mail client's POST, no login, no CSRF cookie
    token = path.split("?t=")[1]
    done = client.post(
        "/forums/unsubscribe/?t=" + token,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert not Subscription.objects.filter(user=follower).exists()
    assert Subscription.objects.filter(user=member).exists()  # the replier's own stays


def test_a_tampered_token_is_refused(client):
    topic = TopicFactory(opened=True)
    follower, other = ReaderUserFactory(), ReaderUserFactory()
    subscriptions.subscribe(follower, topic)
    subscriptions.subscribe(other, topic)
    token = subscriptions.unsubscribe_token(follower.pk, topic.pk)
    forged = subscriptions.unsubscribe_token(other.pk, topic.pk)[:-3] + token[-3:]
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "", "x:y"):
        answer = client.post("/forums/unsubscribe/", {"t": bad})
        assert answer.status_code == 400, bad
        assert "Nothing was changed" in answer.content.decode()
    assert Subscription.objects.count() == 2
    assert client.post("/forums/unsubscribe/", {"t": token}).status_code == 200
    assert list(Subscription.objects.values_list("user_id", flat=True)) == [other.pk]


def test_mail_in_the_readers_language(client, member, django_capture_on_commit_callbacks):
    from tests.editions.factories import persian_front

    persian_front()
    topic = TopicFactory(opened=True, title="A topic")
    persian = ReaderUserFactory(reader__language="fa")
    subscriptions.subscribe(persian, topic)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic)
    message = mails_to(persian.email)[0]
    html = message.alternatives[0][0]
    assert '<html lang="fa" dir="rtl">' in html
    assert "دنبال" in message.body  # "you follow this topic", in Persian
    assert "/fa/forums/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_daily_digest_groups_the_days_posts_per_reader():
    first, second = TopicFactory(title="First topic"), TopicFactory(title="Second topic")
    reader, writer = ReaderUserFactory(), ReaderUserFactory()
    subscriptions.subscribe(reader, first, "digest")
    subscriptions.subscribe(reader, second, "digest")
    subscriptions.subscribe(writer, first, "digest")
    Subscription.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    post(first, writer, text="Writer on the first topic.")
    post(second, writer, text="Writer on the second topic.")
    post(first, reader, text="The reader's own post.")
    post(first, writer, text="Held, not in any digest.", status="held")
    assert make_digests() == 2  # one mail per reader, whatever the number of topics
    (message,) = mails_to(reader.email)
    assert "2 new posts" in message.subject
    assert "First topic" in message.body and "Second topic" in message.body
    assert "Writer on the first topic." in message.body
    assert "Writer on the second topic." in message.body
    assert "own post" not in message.body and "Held" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (theirs,) = mails_to(writer.email)
    assert "1 new post " in theirs.subject and "The reader's own post." in theirs.body
    assert "Writer on" not in theirs.body
    # the next run has nothing new
    mail.outbox.clear()
    assert make_digests() == 0 and mail.outbox == []


def test_digest_readers_get_no_immediate_mail(client, member, django_capture_on_commit_callbacks):
    topic = TopicFactory(opened=True)
    reader = ReaderUserFactory()
    subscriptions.subscribe(reader, topic, "digest")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic)
    assert mails_to(reader.email) == []


def test_a_deleted_accounts_subscriptions_go():
    topic = TopicFactory(opened=True)
    reader, other = ReaderUserFactory(), ReaderUserFactory()
    subscriptions.subscribe(reader, topic)
    subscriptions.subscribe(other, topic)
    delete_account(reader, delete_posts=False)
    assert list(Subscription.objects.values_list("user_id", flat=True)) == [other.pk]


def test_the_digest_command_sends_the_digests():
    from io import StringIO

    from django.core.management import call_command

    topic = TopicFactory(opened=True)
    reader = ReaderUserFactory()
    subscriptions.subscribe(reader, topic, "digest")
    post(topic, ReaderUserFactory(), text="For the command's digest.")
    out = StringIO()
    call_command("forums", "digest", stdout=out)
    assert out.getvalue().strip() == "1 digest(s) sent"
    assert "For the command's digest." in mails_to(reader.email)[0].body
