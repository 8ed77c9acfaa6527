"""A reader's own posts: editing (the posting path's checks and markup, "edited" shown, a
refused edit keeps the text), deleting ("deleted by its author" in the thread, or the topic
with its only post), and the permissions: not another's post, not in a locked topic, not a
post moderators hid, moderators' rights unchanged."""

from __future__ import annotations

import pytest

from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.forums.moderation import moderate_posts

from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture
def author():
    reader = ReaderUserFactory()
    post(TopicFactory(), reader, text="An earlier approved post.")
    return reader


def topic_url(topic):
    return f"/forums/{topic.board.slug}/{topic.pk}/"


def test_a_reader_edits_their_post_through_the_same_markup(client, author):
    topic = TopicFactory()
    post(topic, text="Someone else first.")
    mine = post(topic, author, text="My first wording.")
    client.force_login(author)
    page = client.get(topic_url(topic)).content.decode()
    assert f'href="/forums/edit/{mine.pk}/"' in page
    form = client.get(f"/forums/edit/{mine.pk}/").content.decode()
    assert "My first wording." in form
    answer = client.post(
        f"/forums/edit/{mine.pk}/",
        {"text": "My **better** wording <script>x</script>"},
        REMOTE_ADDR="198.51.100.70",
    )
    assert answer.status_code == 303 and answer["Location"].endswith(f"#post-{mine.pk}")
    mine.refresh_from_db()
    assert mine.text == "My **better** wording <script>x</script>"
    assert "<strong>better</strong>" in mine.html and "<script>" not in mine.html
    assert " better " in mine.search_terms and mine.edited_at is not None
    assert mine.status == "approved"
    page = client.get(topic_url(topic)).content.decode()
    assert "<strong>better</strong>" in page and "forum-post-edited" in page


def test_a_refused_edit_comes_back_with_the_text_and_the_reason(client, author):
    mine = post(TopicFactory(), author, text="Kept as it was.")
    client.force_login(author)
    answer = client.post(f"/forums/edit/{mine.pk}/", {"text": "x"}, REMOTE_ADDR="198.51.100.71")
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Please write your post." in html and "Your change was not saved" in html
    long = "My long text, not lost. " * 500
    answer = client.post(f"/forums/edit/{mine.pk}/", {"text": long}, REMOTE_ADDR="198.51.100.71")
    assert answer.status_code == 400 and "My long text, not lost." in answer.content.decode()
    mine.refresh_from_db()
    assert mine.text == "Kept as it was." and mine.edited_at is None


def test_a_reader_cannot_edit_or_delete_anothers_post(client, author):
    other = post(TopicFactory(), ReaderUserFactory(), text="Not yours.")
    client.force_login(author)
    page = client.get(topic_url(other.topic)).content.decode()
    assert f"/forums/edit/{other.pk}/" not in page
    for url in (f"/forums/edit/{other.pk}/", f"/forums/delete/{other.pk}/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "Taken over."}).status_code == 403
    other.refresh_from_db()
    assert other.text == "Not yours." and other.deleted_at is None


def test_signed_out_readers_are_sent_to_sign_in(client, author):
    mine = post(TopicFactory(), author, text="Mine.")
    answer = client.post(f"/forums/edit/{mine.pk}/", {"text": "Changed by nobody."})
    assert answer.status_code == 303 and answer["Location"].startswith("/accounts/login/")
    assert client.post(f"/forums/delete/{mine.pk}/").status_code == 303
    mine.refresh_from_db()
    assert mine.text == "Mine." and mine.deleted_at is None


def test_no_edit_or_delete_in_a_locked_topic(client, author):
    topic = TopicFactory(locked=True)
    post(topic, text="Before the lock.")
    mine = post(topic, author, text="Said before the lock.")
    client.force_login(author)
    assert f"/forums/edit/{mine.pk}/" not in client.get(topic_url(topic)).content.decode()
    answer = client.post(f"/forums/edit/{mine.pk}/", {"text": "Changed after the lock."})
    assert answer.status_code == 403
    assert "Changed after the lock." in answer.content.decode()  # the text comes back
    assert client.post(f"/forums/delete/{mine.pk}/").status_code == 403
    mine.refresh_from_db()
    assert mine.text == "Said before the lock." and mine.deleted_at is None


@pytest.mark.parametrize("status", ["removed", "spam"])
def test_a_hidden_post_cannot_be_edited_back_into_view(client, author, status):
    mine = post(TopicFactory(), author, text="Moderated away.")
    moderate_posts([mine], status)
    client.force_login(author)
    answer = client.post(f"/forums/edit/{mine.pk}/", {"text": "Back again, edited."})
    assert answer.status_code == 404
    assert client.post(f"/forums/delete/{mine.pk}/").status_code == 404
    mine.refresh_from_db()
    assert mine.status == status and mine.text == "Moderated away."


def test_editing_a_held_post_keeps_it_held(client):
    newcomer = ReaderUserFactory()
    held = post(TopicFactory(), newcomer, text="Waiting.", status="held")
    client.force_login(newcomer)
    answer = client.post(f"/forums/edit/{held.pk}/", {"text": "Still waiting, reworded."})
    assert answer.status_code == 303 and "held=1" in answer["Location"]
    held.refresh_from_db()
    assert held.status == "held" and held.text == "Still waiting, reworded."


def test_deleting_keeps_the_numbering_and_marks_the_post(client, author):
    topic = TopicFactory()
    post(topic, text="First.")
    mine = post(topic, author, text="Second, mine.")
    post(topic, text="> Second, mine.\n\nThird, quoting it.")
    client.force_login(author)
    assert "Others may have read" in client.get(f"/forums/delete/{mine.pk}/").content.decode()
    answer = client.post(f"/forums/delete/{mine.pk}/")
    assert answer.status_code == 303
    mine.refresh_from_db()
    assert mine.deleted_at is not None and mine.text == "" and mine.html == ""
    topic.refresh_from_db()
    assert topic.posts_count == 3
    page = client.get(topic_url(topic)).content.decode()
    assert "Deleted by its author." in page and "#3" in page
    assert page.count("Second, mine.") == 1  # only in the later post's quote
    assert f"/forums/quote/{mine.pk}/" not in page
    assert client.get(f"/forums/quote/{mine.pk}/").status_code == 404
    assert client.post(f"/forums/edit/{mine.pk}/", {"text": "Undeleted?"}).status_code == 404


def test_deleting_the_only_post_of_ones_topic_removes_the_topic(client, author):
    topic = TopicFactory(author=author)
    mine = post(topic, author, text="Opening post, alone.")
    board = topic.board
    board.refresh_from_db()
    from broadsheet.content.forums.services import recount

    recount()
    board.refresh_from_db()
    topics_before = board.topics_count
    client.force_login(author)
    answer = client.post(f"/forums/delete/{mine.pk}/")
    assert answer.status_code == 303 and answer["Location"] == f"/forums/{board.slug}/"
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert not Post.objects.filter(pk=mine.pk).exists()
    board.refresh_from_db()
    assert board.topics_count == topics_before - 1


def test_moderators_rights_are_unchanged(client, author, admin_user):
    mine = post(TopicFactory(), author, text="A moderator may act on this.")
    client.force_login(admin_user)
    edit = client.get(f"/admin/snippets/forums/post/edit/{mine.pk}/")
    assert edit.status_code == 200
    moderate_posts([mine], "removed", user=admin_user)
    mine.refresh_from_db()
    assert mine.status == "removed"
    # an editor's account is not a reader's: the reader's edit page sends it to sign in
    assert client.get(f"/forums/edit/{mine.pk}/").status_code == 404
