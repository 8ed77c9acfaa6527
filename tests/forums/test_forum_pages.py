"""The forums' pages: boards, topics numbered from the oldest post, latest posts, search,
unread markers, "Discuss this story", the navigation link, caching headers."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.forums.services import recount

from .factories import BoardFactory, ReaderUserFactory, TopicFactory, post


def test_forums_index_lists_the_editions_boards_in_order(client):
    BoardFactory(title="Second", position=2)
    BoardFactory(title="First", position=1, description="About <the> news")
    BoardFactory(title="Persian only", language="fa")
    html = client.get("/forums/").content.decode()
    assert html.index("First") < html.index("Second")
    assert "About &lt;the&gt; news" in html
    assert "Persian only" not in html


def test_forums_is_in_the_navigation(client):
    html = client.get("/").content.decode()
    assert '<a href="/forums/" data-live>Forums</a>' in html  # a live page (relative.py)


def test_topic_pages_are_numbered_from_the_oldest_post(client, settings):
    settings.BROADSHEET_FORUM_POSTS_PER_PAGE = 3
    topic = TopicFactory()
    start = timezone.now() - dt.timedelta(hours=1)
    for n in range(7):
        post(topic, text=f"post number {n}", created_at=start + dt.timedelta(minutes=n))
    base = f"/forums/{topic.board.slug}/{topic.pk}/"
    first = client.get(base).content.decode()
    assert "post number 0" in first and "post number 2" in first and "number 3" not in first
    last = client.get(base + "page/3/").content.decode()
    assert "post number 6" in last and "post number 5" not in last
    assert client.get(base + "page/4/").status_code == 404
    # a new post changes only the last page
    post(topic, text="post number 7", created_at=start + dt.timedelta(minutes=9))
    assert client.get(base).content.decode().count("post number") == first.count("post number")
    assert "post number 7" in client.get(base + "page/3/").content.decode()


def test_held_and_hidden_are_not_shown(client):
    topic = TopicFactory()
    post(topic, text="visible text")
    post(topic, text="held text", status="held")
    hidden = TopicFactory(board=topic.board, hidden=True, title="Hidden topic")
    post(hidden, text="in a hidden topic")
    board = client.get(f"/forums/{topic.board.slug}/").content.decode()
    assert topic.title in board and "Hidden topic" not in board
    page = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert "visible text" in page and "held text" not in page
    assert client.get(f"/forums/{topic.board.slug}/{hidden.pk}/").status_code == 404
    assert "in a hidden topic" not in client.get("/forums/latest/").content.decode()


def test_counts_follow_moderation(client):
    topic = TopicFactory()
    held = post(topic, status="held")
    post(topic)
    topic.refresh_from_db()
    assert topic.posts_count == 1
    held.status = "approved"
    held.save()
    topic.refresh_from_db()
    topic.board.refresh_from_db()
    assert (topic.posts_count, topic.board.posts_count) == (2, 2)
    held.delete()
    topic.refresh_from_db()
    assert topic.posts_count == 1
    Topic.objects.filter(pk=topic.pk).update(posts_count=99)
    recount()
    topic.refresh_from_db()
    assert topic.posts_count == 1


def test_board_pages_put_pinned_first_then_newest(client, settings):
    settings.BROADSHEET_FORUM_TOPICS_PER_PAGE = 2
    board = BoardFactory()
    old = timezone.now() - dt.timedelta(days=3)
    pinned = TopicFactory(
        board=board, title="Pinned rules", pinned=True, opened=True, opened__created_at=old
    )
    TopicFactory(board=board, title="Newest talk", opened=True)
    TopicFactory(board=board, title="Older talk", opened=True, opened__created_at=old)
    first = client.get(f"/forums/{board.slug}/").content.decode()
    assert first.index(pinned.title) < first.index("Newest talk")
    assert "Older talk" not in first
    assert "Older talk" in client.get(f"/forums/{board.slug}/page/2/").content.decode()


def test_markdown_subset_is_rendered_and_sanitised(client):
    topic = TopicFactory()
    post(
        topic,
        text="**strong** and *em* <script>alert(1)</script> [bad](javascript:alert(1)) "
        "[good](https://example.org/)\n\n> quoted",
    )
    html = client.get(f"/forums/{topic.board.slug}/{topic.pk}/").content.decode()
    assert "<strong>strong</strong>" in html and "<em>em</em>" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html.lower()  # left as text, never a link
    assert '<a href="https://example.org/" rel="nofollow ugc noopener">good</a>' in html
    assert "<blockquote>" in html


def test_latest_posts_newest_first(client):
    topic = TopicFactory()
    post(topic, text="the older one", created_at=timezone.now() - dt.timedelta(hours=2))
    post(topic, text="the newer one")
    html = client.get("/forums/latest/").content.decode()
    assert html.index("the newer one") < html.index("the older one")


def test_search_folds_persian_letters(client):
    topic = TopicFactory()
    post(topic, text="درباره كتاب تازه")  # Arabic kaf
    post(topic, text="something else")
    html = client.get("/forums/search/", {"q": "کتاب"}).content.decode()  # Persian keheh
    assert "درباره" in html and "something else" not in html
    assert "No post matches." in client.get("/forums/search/", {"q": "nothing"}).content.decode()


def test_unread_markers_for_a_signed_in_reader(client):
    reader = ReaderUserFactory()
    topic = TopicFactory()
    post(topic, text="first")
    client.force_login(reader)
    board_url = f"/forums/{topic.board.slug}/"
    assert "unread-marker" in client.get(board_url).content.decode()
    client.get(f"{board_url}{topic.pk}/")
    assert "unread-marker" not in client.get(board_url).content.decode()
    later = timezone.now() + dt.timedelta(minutes=1)
    post(topic, text="second", created_at=later)
    assert "unread-marker" in client.get(board_url).content.decode()
    assert "unread-marker" not in Client().get(board_url).content.decode()


def test_caching_headers(client):
    topic = TopicFactory()
    post(topic)
    path = f"/forums/{topic.board.slug}/{topic.pk}/"
    anonymous = client.get(path)
    assert anonymous["Cache-Control"] == "public, max-age=60" and anonymous["Vary"] == "Cookie"
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()
    client.force_login(ReaderUserFactory())
    signed_in = client.get(path)
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "csrfmiddlewaretoken" in signed_in.content.decode()


def test_discuss_this_story_opens_then_finds_its_topic(client):
    from tests.content.factories import StoryFactory

    story = StoryFactory(title="A story to discuss")
    board = BoardFactory(for_stories=True)
    BoardFactory(position=-1)  # first in order, but not the stories' board
    page = client.get(story.url).content.decode()
    link = f"/forums/discuss/{story.pk}/"
    assert f'href="{link}"' in page and "Discuss this story" in page
    reader = ReaderUserFactory()
    post(TopicFactory(board=board), reader)  # no longer a new member: posts are approved
    client.force_login(reader)
    opened = client.get(link)
    assert opened["Location"] == f"/forums/{board.slug}/new/?story={story.pk}"
    form = client.get(opened["Location"]).content.decode()
    assert 'value="A story to discuss"' in form
    client.post(
        f"/forums/{board.slug}/new/",
        {"title": "A story to discuss", "text": "What do you think?", "story": story.pk},
    )
    topic = Topic.objects.get(story=story)
    assert client.get(link)["Location"] == f"/forums/{board.slug}/{topic.pk}/"
    assert Post.objects.filter(topic=topic).count() == 1


def test_persian_edition_has_its_boards(client):
    from tests.editions.factories import persian_front

    persian_front()
    BoardFactory(title="تالار فارسی", language="fa")
    BoardFactory(title="English board", language="en")
    html = client.get("/fa/forums/").content.decode()
    assert "تالار فارسی" in html and "English board" not in html
    assert '<html lang="fa" dir="rtl">' in html
