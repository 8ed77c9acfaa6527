"""Two findings of a new user's check of the forums (issue 13, sixth session).

1. Look-alike role names got through the display-name check: a kashida inside "ناظـر", the
   transliteration "آدمین", "Adm1n" and "ADMlN" (digit one, lower-case L for i), Cherokee
   letters reading "ADMIN", "lran Press Servlce" for the newsroom's name, and a reserved word
   among other words ("Moderator Team", "ناظر ارشد"). Ordinary names stay free.
2. The forum index counted hidden topics and the posts of deleted accounts, and kept a board's
   newest-post time after that post went.
"""

from __future__ import annotations

import pytest
from django import forms

from broadsheet.content.readers.models import Reader
from broadsheet.discussion.accounts.forms import check_look_alike

from .factories import ReaderUserFactory

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
