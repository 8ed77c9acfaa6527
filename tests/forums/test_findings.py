"""What a new user found in the forums (the last session's findings): counts in the singular,
held forum posts on the dashboard's desk, ``/admin/forums/``, why "Discuss this story" asks
to sign in (and back after), the Persian edition's own stories' board, look-alike display
names, and the newsroom's name in the sign-up mail."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from broadsheet.content.forums.models import Board
from broadsheet.content.forums.services import recount
from broadsheet.content.readers.models import Reader

from .conftest import reader_login
from .factories import PASSWORD, BoardFactory, ReaderUserFactory, TopicFactory, post


def sign_up(client, name, email="new@readers.example"):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": name,
        "language": "en",
    }
    return client.post("/accounts/signup/", data, REMOTE_ADDR="198.51.100.90")


def test_counts_are_pluralised_in_english_and_persian(client):
    from tests.editions.factories import persian_front

    persian_front()
    one = BoardFactory(title="One of each")
    post(TopicFactory(board=one))
    many = BoardFactory(title="Several")
    for _ in range(2):
        topic = TopicFactory(board=many)
        post(topic)
        post(topic)
    persian = BoardFactory(title="تالار", language="fa")
    post(TopicFactory(board=persian))
    recount()
    html = client.get("/forums/").content.decode()
    assert "1 topic, 1 post" in html and "2 topics, 4 posts" in html
    assert "1 topics" not in html and "1 posts" not in html
    board = client.get(f"/forums/{one.slug}/").content.decode()
    assert "1 post" in board and "1 posts" not in board
    fa = client.get("/fa/forums/").content.decode()
    assert "۱ موضوع، ۱ پست" in fa


def test_held_forum_posts_are_on_the_desk_with_held_comments(client, admin_user):
    post(TopicFactory(), ReaderUserFactory(), text="Waiting for a moderator.", status="held")
    post(TopicFactory(), ReaderUserFactory(), text="Shown already.")
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "Forum posts to moderate" in html
    row = html[html.index("Forum posts to moderate") - 200 :]
    assert 'href="/admin/snippets/forums/post/?status=held"' in row[:400]
    assert "<td data-desk-count>1</td>" in row[:600]


def test_admin_forums_opens_the_forums_moderation_queue(client, admin_user):
    assert client.get("/admin/forums/").status_code == 302  # not signed in: the admin login
    client.force_login(admin_user)
    answer = client.get("/admin/forums/")
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/snippets/forums/post/?status=held"
    assert client.get(answer["Location"]).status_code == 200


def test_discuss_this_story_says_why_to_sign_in_and_comes_back(client):
    from tests.content.factories import StoryFactory

    story = StoryFactory(title="A story to talk about")
    board = BoardFactory(for_stories=True)
    reader = ReaderUserFactory()
    link = f"/forums/discuss/{story.pk}/"
    answer = client.get(link)
    assert answer.status_code == 303
    assert answer["Location"] == f"/accounts/login/?next=%2Fforums%2Fdiscuss%2F{story.pk}%2F"
    page = client.get(answer["Location"]).content.decode()
    assert "To discuss this story, please sign in" in page
    back = client.post(
        answer["Location"],
        {"login": reader.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.91",
    )
    assert back.status_code == 302 and back["Location"] == link
    assert client.get(link)["Location"] == f"/forums/{board.slug}/new/?story={story.pk}"


def test_other_forum_pages_say_why_too(client):
    topic = TopicFactory(opened=True)
    answer = client.post(f"/forums/post/{topic.pk}/", {"text": "Hello"})
    page = client.get(answer["Location"]).content.decode()
    assert "Taking part in the forums needs a reader’s account" in page
    assert "Taking part" not in client.get("/accounts/login/").content.decode()


def test_the_persian_edition_has_its_own_stories_board(client, settings, tmp_path):
    from broadsheet.demo.forums import setup_forums
    from tests.editions.factories import persian_front

    persian_front()
    settings.VAR_DIR = tmp_path
    setup_forums()
    fa = client.get("/fa/forums/").content.decode()
    assert "The news" not in fa and "خبرها" in fa
    en = client.get("/forums/").content.decode()
    assert "The news" in en and "خبرها" not in en
    stories_boards = dict(Board.objects.filter(for_stories=True).values_list("language", "slug"))
    assert set(stories_boards) == {"en", "fa"}


def test_an_older_demo_gets_the_persian_stories_board(settings, tmp_path):
    from broadsheet.demo.forums import setup_forums

    settings.VAR_DIR = tmp_path
    Board.objects.create(slug="news", title="The news", sample=True, for_stories=True)
    setup_forums()
    assert Board.objects.get(slug="news").language == "en"
    assert Board.objects.get(slug="khabar").language == "fa"


@pytest.mark.parametrize(
    "name",
    [
        "Ѕаrа",  # Cyrillic Ѕ and а
        "SARA",
        "S a r a",
        "Ｓａｒａ",  # fullwidth
    ],
)
def test_a_look_alike_of_another_readers_name_is_refused(client, name):
    ReaderUserFactory(reader__display_name="Sara")
    answer = sign_up(client, name)
    assert answer.status_code == 200  # the form again
    html = answer.content.decode()
    assert "reads the same as this one" in html
    assert not get_user_model().objects.filter(email="new@readers.example").exists()


@pytest.mark.parametrize("name", ["Moderator", "Μοderatοr", "m0derat0r", "Test Newsroom", "ADMIN"])
def test_names_of_the_newsroom_and_moderators_are_refused(client, name):
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    newsroom.site_name = "Test Newsroom"
    newsroom.save()
    answer = sign_up(client, name)
    assert "kept for the newsroom" in answer.content.decode()
    assert not get_user_model().objects.filter(email="new@readers.example").exists()


def test_a_distinct_name_is_taken_and_a_reader_keeps_their_own(client):
    ReaderUserFactory(reader__display_name="Sara")
    assert sign_up(client, "Sarah").status_code == 302
    user = get_user_model().objects.get(email="new@readers.example")
    assert user.reader.name_key == "sarah"
    reader = ReaderUserFactory(reader__display_name="Dariush")
    client.force_login(reader)
    kept = client.post("/accounts/profile/", {"display_name": "Dariush", "language": "en"})
    assert kept.status_code == 302
    taken = client.post("/accounts/profile/", {"display_name": "Ѕarah", "language": "en"})
    assert taken.status_code == 400 and "reads the same" in taken.content.decode()
    assert Reader.objects.get(user=reader).display_name == "Dariush"


def test_the_sign_up_mail_names_the_newsroom(client):
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    newsroom.site_name = "The Exile Gazette"
    newsroom.save()
    assert sign_up(client, "A new reader").status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[The Exile Gazette] ")
    assert "Hello from The Exile Gazette" in message.body
    assert "Hello from testserver" not in message.body and "127.0.0.1" not in message.body
    assert message.from_email == "The Exile Gazette <newsroom@localhost>"


def test_reader_login_still_works_with_name_keys(client):
    reader = ReaderUserFactory(reader__display_name="Омар")
    assert reader.reader.name_key  # kept by save
    assert reader_login(client, reader.email, PASSWORD).status_code == 302
