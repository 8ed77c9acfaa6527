"""Posting in the forums: signed-in readers only, Django's CSRF token, new members' first
posts held, quoting, reports; what is refused comes back with the text and the reason
(locked topic, empty text, ban, rate limits); permissions."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.content.forums.bans import ban_account, ban_address
from broadsheet.content.forums.models import Post, Report, Topic

from .factories import PASSWORD, ReaderUserFactory, TopicFactory, post


@pytest.fixture
def member():
    """A reader whose earlier post was approved: their posts are published at once."""
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    return reader


def reply(client, topic, text="My reply, kept as written.", ip="198.51.100.50"):
    return client.post(f"/forums/post/{topic.pk}/", {"text": text}, REMOTE_ADDR=ip)


def test_a_new_members_first_post_is_held_then_published(client):
    reader = ReaderUserFactory()
    topic = TopicFactory(opened=True)
    client.force_login(reader)
    answer = reply(client, topic, "My very first post")
    assert answer.status_code == 303 and answer["Location"].endswith("?held=1#post-held")
    first = Post.objects.get(author=reader)
    assert first.status == "held"
    held_page = client.get(answer["Location"]).content.decode()
    assert "Your post is awaiting moderation." in held_page
    own = held_page[held_page.index(f'id="post-{first.pk}"') :]
    assert "My very first post" in own and "only you see this post" in own
    assert f"/forums/edit/{first.pk}/" in own and f"/forums/delete/{first.pk}/" in own
    assert f"/forums/report/{first.pk}/" not in own  # not shown to anyone to report
    assert "My very first post" not in Client().get(answer["Location"]).content.decode()
    first.status = "approved"
    first.save()
    second = reply(client, topic, "My second post")
    assert second.status_code == 303 and "#post-" in second["Location"]
    assert Post.objects.get(text="My second post").status == "approved"
    assert "My second post" in client.get(second["Location"]).content.decode()


def test_signed_out_readers_are_sent_to_sign_in(client):
    topic = TopicFactory(opened=True)
    answer = reply(client, topic)
    assert answer.status_code == 303 and answer["Location"].startswith("/accounts/login/?next=")
    assert not Post.objects.filter(text="My reply, kept as written.").exists()


def test_an_editor_is_not_a_reader_here(client):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("ed", "ed@newsroom.example", PASSWORD)
    client.force_login(editor)
    assert reply(client, TopicFactory(opened=True)).status_code == 303
    assert not Post.objects.filter(text="My reply, kept as written.").exists()


def test_posting_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    topic = TopicFactory(opened=True)
    assert reply(client, topic).status_code == 403
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        f"/forums/post/{topic.pk}/", {"text": "with the token", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 303
    assert Post.objects.filter(text="with the token").exists()


def test_a_locked_topic_takes_no_post_and_the_text_comes_back(client, member):
    topic = TopicFactory(opened=True, locked=True)
    client.force_login(member)
    answer = reply(client, topic, "Text <b>kept</b> for the reader")
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "This topic is locked" in html
    assert "Text &lt;b&gt;kept&lt;/b&gt; for the reader</textarea>" in html
    assert not Post.objects.filter(topic=topic, author=member).exists()


def test_empty_text_is_refused_with_the_reason(client, member):
    client.force_login(member)
    answer = reply(client, TopicFactory(opened=True), " \u200b ")
    assert answer.status_code == 400 and "Please write your post." in answer.content.decode()


def test_a_hidden_topic_takes_no_post_and_is_not_seen(client, member):
    topic = TopicFactory(opened=True, hidden=True)
    client.force_login(member)
    assert reply(client, topic).status_code == 404
    assert client.get(f"/forums/{topic.board.slug}/{topic.pk}/").status_code == 404


def test_a_hidden_post_is_not_seen_nor_quotable_nor_reportable(client, member):
    topic = TopicFactory(opened=True)
    removed = post(topic, text="removed words", status="removed")
    client.force_login(member)
    assert (
        "removed words"
        not in client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    )
    assert client.get(f"/forums/quote/{removed.pk}/").status_code == 404
    assert client.get(f"/forums/report/{removed.pk}/").status_code == 404


def test_quoting_puts_the_post_in_the_reply_box(client, member):
    author = ReaderUserFactory(reader__display_name="Ali")
    topic = TopicFactory(opened=True)
    quoted = post(topic, author, text="Line one\nLine two")
    client.force_login(member)
    html = client.get(f"/forums/quote/{quoted.pk}/").content.decode()
    assert "&gt; Ali:\n&gt; Line one\n&gt; Line two\n\n</textarea>" in html


def test_report_this_post_goes_into_the_queue(client, member):
    topic = TopicFactory(opened=True)
    reported = post(topic, text="a rude post")
    client.force_login(member)
    refused = client.post(f"/forums/report/{reported.pk}/", {"reason": " "})
    assert refused.status_code == 400
    answer = client.post(f"/forums/report/{reported.pk}/", {"reason": "It insults people"})
    assert answer.status_code == 303
    report = Report.objects.get(post=reported)
    assert (report.reporter, report.reason, report.resolved) == (member, "It insults people", False)
    thanked = client.get(answer["Location"])
    assert "your report has reached the moderators" in thanked.content.decode()
    assert (
        "your report has reached"
        not in client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    )
    # a second report by the same reader keeps the first reason and reopens a resolved report
    Report.objects.filter(pk=report.pk).update(resolved=True)
    client.post(f"/forums/report/{reported.pk}/", {"reason": "And it is spam"})
    report = Report.objects.get(post=reported)
    assert (report.reason, report.resolved) == ("It insults people\nAnd it is spam", False)


def test_a_ban_by_account_applies_on_the_next_request(client, member):
    topic = TopicFactory(opened=True)
    client.force_login(member)
    assert reply(client, topic, "before the ban").status_code == 303
    ban_account(member, "spam")
    answer = reply(client, topic, "after the ban")
    assert answer.status_code == 403 and "after the ban</textarea>" in answer.content.decode()
    assert not Post.objects.filter(text="after the ban").exists()


def test_an_ipv6_ban_covers_the_whole_64(client, member):
    topic = TopicFactory(opened=True)
    client.force_login(member)
    ban_address("2001:db8:1:2::99")
    assert reply(client, topic, ip="2001:db8:1:2:abcd::1").status_code == 403
    assert reply(client, topic, "from elsewhere", ip="2001:db8:1:3::1").status_code == 303


def test_a_reader_cannot_edit_or_delete_anothers_post(client, member):
    """There is no edit or delete for readers at all: no such URL answers a change."""
    other = post(TopicFactory(opened=True), ReaderUserFactory(), text="someone else's words")
    client.force_login(member)
    for path in (
        f"/forums/post/{other.pk}/edit/",
        f"/forums/post/{other.pk}/delete/",
        f"/admin/snippets/forums/post/edit/{other.pk}/",
    ):
        answer = client.post(path, {"text": "changed"})
        assert answer.status_code in (403, 404, 405), path
    other.refresh_from_db()
    assert other.text == "someone else's words"


def test_deleting_an_account_keeps_posts_under_former_member(client, member):
    topic = TopicFactory(opened=True)
    post(topic, member, text="words that stay")
    client.force_login(member)
    client.post("/accounts/delete/", {"posts": "keep", "password": PASSWORD})
    html = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert "words that stay" in html and "former member" in html


def test_deleting_an_account_with_its_posts(client, member):
    topic = TopicFactory(opened=True)
    post(topic, member, text="words that go")
    post(topic, ReaderUserFactory(), text="someone else's stay")
    client.force_login(member)
    client.post("/accounts/delete/", {"posts": "delete", "password": PASSWORD})
    assert not Post.objects.filter(text="words that go").exists()
    topic.refresh_from_db()
    assert topic.posts_count == 2  # its first post and someone else's
    assert Topic.objects.filter(pk=topic.pk).exists()
