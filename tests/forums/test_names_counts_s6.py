"""Two findings of a new user's check of the forums (issue 13, sixth session).

1. Look-alike role names got through the display-name check: a kashida inside "ناظـر", the
   transliteration "آدمین", "Adm1n" and "ADMlN" (digit one, lower-case L for i), Cherokee
   letters reading "ADMIN", "lran Press Servlce" for the newsroom's name, and a reserved word
   among other words ("Moderator Team", "ناظر ارشد"). Ordinary names stay free.
2. The forum index counted hidden topics and the posts of deleted accounts, and kept a board's
   newest-post time after that post went.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from broadsheet.content.forums import moderation
from broadsheet.content.forums.models import Board
from broadsheet.content.readers.models import Reader
from broadsheet.content.readers.services import delete_account
from broadsheet.discussion.accounts.forms import check_look_alike

from .factories import BoardFactory, ReaderUserFactory, TopicFactory, post

NEWSROOM = "Iran Press Service"

ROLE_LOOK_ALIKES = [
    "ناظـر",  # kashida (U+0640) inside
    "مـدیـر",
    "ادمـین",
    "آدمین",  # "admin" as Persian also writes it
    "Adm1n",  # digit one for i
    "ADMlN",  # lower-case L for I
    "ᎪᎠᎷᏆᏁ",  # Cherokee letters
    "lran Press Servlce",  # lower-case L for I in the newsroom's name
    "Moderator Team",
    "Official Moderator",
    "ناظر ارشد",
    "The Admin",
    "Admin Smith",
    f"{NEWSROOM} Staff",
]

ORDINARY_NAMES = [
    "Olin",
    "Ali",
    "Lili",
    "Leila",
    "Ilya",
    "Irina",
    "Milad",
    "Moderato Rossi",
    "Adminton Smith",
    "Edith Stafford",
    "Iranian reader",
    "علی",
    "مریم",
    "سارا رحیمی",
    "مهران مدیری",  # a surname that begins like "manager"
    "شهرام ناظری",
    "لیلا",
]


@pytest.fixture
def newsroom_named():
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    newsroom.site_name = NEWSROOM
    newsroom.save()


@pytest.mark.parametrize("name", ROLE_LOOK_ALIKES)
def test_look_alikes_of_the_newsrooms_roles_and_name_are_refused(newsroom_named, name):
    with pytest.raises(forms.ValidationError, match="kept for the newsroom"):
        check_look_alike(name)


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_ordinary_names_stay_free(newsroom_named, name):
    check_look_alike(name)


def test_the_profile_refuses_a_kashida_role_name_and_keeps_the_text(client):
    reader = ReaderUserFactory(reader__display_name="Sara Reads")
    client.force_login(reader)
    answer = client.post("/accounts/profile/", {"display_name": "ناظـر", "language": "fa"})
    assert answer.status_code == 400
    assert "ناظـر" in answer.content.decode()
    assert Reader.objects.get(user=reader).display_name == "Sara Reads"


def test_a_kashida_is_no_way_to_copy_another_readers_name():
    ReaderUserFactory(reader__display_name="سارا")
    with pytest.raises(forms.ValidationError, match="reads the same"):
        check_look_alike("ســارا")


# -- counts --------------------------------------------------------------------------------------
def _counts(board: Board) -> tuple[int, int, dt.datetime | None]:
    board.refresh_from_db()
    return board.topics_count, board.posts_count, board.last_post_at


#: a fixed "today" for the posts' dates (a test reads it many times)
TODAY = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def _day(days_ago: int) -> dt.datetime:
    return TODAY - dt.timedelta(days=days_ago)


def test_hiding_a_topic_takes_it_out_of_its_boards_counts_and_showing_puts_it_back(client):
    board = BoardFactory()
    older = TopicFactory(board=board, opened=True, opened__created_at=_day(3))
    newer = TopicFactory(board=board, opened=True, opened__created_at=_day(1))
    assert _counts(board) == (2, 2, _day(1))
    moderation.flag_topics([newer], "hide")
    assert _counts(board) == (1, 1, _day(3))
    moderation.flag_topics([older], "hide")
    assert _counts(board) == (0, 0, None)
    index = client.get("/forums/").content.decode()
    assert "0 topics" in index and "1 topic," not in index
    moderation.flag_topics([older, newer], "show")
    assert _counts(board) == (2, 2, _day(1))


def test_a_post_approved_in_a_hidden_topic_is_not_counted_on_its_board():
    board = BoardFactory()
    TopicFactory(board=board, opened=True, opened__created_at=_day(2))
    hidden = TopicFactory(board=board, opened=True, opened__created_at=_day(4))
    moderation.flag_topics([hidden], "hide")
    held = post(hidden, ReaderUserFactory(), status="held", created_at=_day(1))
    moderation.moderate_posts([held], "approved")
    assert _counts(board) == (1, 1, _day(2))


def test_deleting_an_account_with_its_posts_recounts_the_boards_and_newest_post():
    john, maryam = ReaderUserFactory(), ReaderUserFactory()
    board = BoardFactory()
    his = TopicFactory(board=board, author=john, opened=True, opened__created_at=_day(1))
    hers = TopicFactory(board=board, author=maryam, opened=True, opened__created_at=_day(5))
    post(hers, john, created_at=_day(2))
    assert _counts(board) == (2, 3, _day(1))
    delete_account(john, delete_posts=True)
    assert _counts(board) == (1, 1, _day(5))
    his.refresh_from_db()
    hers.refresh_from_db()
    assert (his.posts_count, hers.posts_count, hers.last_post_at) == (0, 1, _day(5))


def test_a_post_moderated_away_gives_the_board_its_previous_newest_post():
    board = BoardFactory()
    topic = TopicFactory(board=board, opened=True, opened__created_at=_day(6))
    newest = post(topic, ReaderUserFactory(), created_at=_day(1))
    moderation.moderate_posts([newest], "removed")
    assert _counts(board) == (1, 1, _day(6))


def test_moving_and_merging_recount_both_boards():
    iran, site = BoardFactory(), BoardFactory()
    moved = TopicFactory(board=iran, opened=True, opened__created_at=_day(1))
    kept = TopicFactory(board=iran, opened=True, opened__created_at=_day(4))
    moderation.move_topic(moved, site)
    assert _counts(iran) == (1, 1, _day(4))
    assert _counts(site) == (1, 1, _day(1))
    other = TopicFactory(board=site, opened=True, opened__created_at=_day(2))
    moderation.flag_topics([other], "hide")
    moderation.merge_topics(kept, [moved])
    assert _counts(site) == (0, 0, None)
    assert _counts(iran) == (1, 2, _day(1))
