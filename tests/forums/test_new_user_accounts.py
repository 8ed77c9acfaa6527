"""A new user's findings on the reader accounts (issue 13): allauth's pages and mails in the
reader's language all the way through, each language named in its own name, the display
name (never the username) in allauth's messages and mails, and messages that live one
redirect — shown on the page after the action, never on an account page visited later."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.editions.factories import persian_front

from .conftest import link_in, reader_login
from .factories import PASSWORD, BoardFactory, ReaderUserFactory

PERSIAN = '<html lang="fa" dir="rtl">'


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def messages_on(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'class="account-messages"[^>]*>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


@pytest.fixture
def persian(db):
    persian_front()


def test_a_persian_sign_up_stays_persian_from_the_form_to_the_confirmation(client, persian):
    form = client.get("/accounts/signup/?next=/fa/forums/")
    assert html_tag(form) == PERSIAN
    assert re.search(r'<option value="fa" selected>', form.content.decode())  # the edition's
    answer = client.post(
        "/accounts/signup/",
        {
            "email": "newbie@readers.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "سارا",
            "language": "fa",
            "next": "/fa/forums/",
        },
        REMOTE_ADDR="198.51.100.41",
    )
    notice = client.get(answer["Location"])  # "we have sent you a mail": no ?next= here
    assert html_tag(notice) == PERSIAN
    assert messages_on(notice) and "newbie@readers.example" in messages_on(notice)[0]
    (message,) = mail.outbox
    assert "سلام" in message.body and "Hello" not in message.body
    assert "کاربر سارا" in message.body  # the display name, not the username ("newbie")
    assert "newbie " not in message.body
    # the link opened in another browser (a mail app's): the account's language
    other = Client()
    confirm = link_in(message.body, "/accounts/confirm-email/")
    assert html_tag(other.get(confirm)) == PERSIAN
    login = other.get(other.post(confirm)["Location"])  # on to the sign-in page, same session
    assert html_tag(login) == PERSIAN
    assert messages_on(login) == [
        "نشانی ایمیل newbie@readers.example را تأیید کردید."  # our word, formally (s6)
    ]


def test_a_made_up_confirmation_key_tells_no_language(client, persian):
    ReaderUserFactory(reader__language="fa")
    page = client.get("/accounts/confirm-email/MQ:made-up:key/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_tag(page) == '<html lang="en" dir="ltr">'


def test_a_persian_readers_password_reset_is_persian_whatever_page_asked(client, persian):
    reader = ReaderUserFactory(reader__language="fa")
    client.post("/accounts/password/reset/", {"email": reader.email}, HTTP_ACCEPT_LANGUAGE="en")
    (message,) = mail.outbox
    assert "بازنشانی" in message.subject and "Hello" not in message.body
    other = Client()
    key_page = other.get(link_in(message.body, "/accounts/password/reset/key/"))
    form = other.get(key_page["Location"])  # allauth moves the key out of the address
    assert html_tag(form) == PERSIAN
    assert 'name="password1"' in form.content.decode()


def test_an_english_readers_mail_stays_english_from_a_persian_page(client, persian):
    reader = ReaderUserFactory(reader__language="en")
    client.post("/accounts/password/reset/?next=/fa/", {"email": reader.email})
    assert "Hello" in mail.outbox[0].body


@pytest.mark.parametrize("path", ["/accounts/signup/?next=/fa/", "/accounts/signup/?next=/"])
def test_each_language_is_named_in_its_own_name(client, persian, path):
    html = client.get(path).content.decode()
    assert '<option value="en">English</option>' in html or (
        '<option value="en" selected>English</option>' in html
    )
    assert re.search(r'<option value="fa"( selected)?>فارسی</option>', html)
    assert "Persian</option>" not in html and "انگلیسی" not in html


def test_the_profile_names_each_language_in_its_own_name(client, persian):
    client.force_login(ReaderUserFactory(reader__language="fa"))
    html = client.get("/accounts/profile/").content.decode()
    assert re.search(r'<option value="fa" selected>فارسی</option>', html)
    assert '<option value="en">English</option>' in html


def test_the_sign_in_message_names_the_reader_and_shows_on_the_forum_page_only(client, persian):
    reader = ReaderUserFactory(username="newbie", reader__display_name="Sara Reads")
    BoardFactory()
    answer = client.post(
        "/accounts/login/",
        {"login": reader.email, "password": PASSWORD, "next": "/forums/"},
        REMOTE_ADDR="198.51.100.42",
    )
    assert answer["Location"] == "/forums/"
    forums = client.get("/forums/")
    assert forums["Cache-Control"] == "private, no-store"
    assert messages_on(forums) == ["Successfully signed in as Sara Reads."]
    assert "newbie" not in forums.content.decode()
    later = client.get("/accounts/profile/")
    assert messages_on(later) == []  # consumed on the forum page


def test_a_message_the_next_page_cannot_show_does_not_wait_for_a_later_one(client, persian):
    reader = ReaderUserFactory()
    reader_login(client, reader.email, PASSWORD)
    client.get("/accounts/profile/")  # the sign-in message, shown
    answer = client.post("/accounts/logout/", {"next": "/forums/"})
    assert answer["Location"] == "/forums/"
    forums = client.get("/forums/")  # a page anyone may get from a cache: no message on it
    assert forums["Cache-Control"] == "public, max-age=60"
    assert "signed out" not in forums.content.decode()
    assert messages_on(client.get("/accounts/login/")) == []  # and not a later page either


def test_the_message_after_a_profile_change_is_still_shown_after_the_redirect(client, persian):
    client.force_login(ReaderUserFactory())
    answer = client.post(
        "/accounts/profile/", {"display_name": "Sara", "bio": "", "language": "en"}
    )
    assert answer.status_code == 302
    assert messages_on(client.get(answer["Location"])) == ["Your profile is saved."]


def test_the_persian_sign_in_message_is_ours_and_names_the_reader(client, persian):
    reader = ReaderUserFactory(reader__language="fa", reader__display_name="سارا")
    answer = reader_login(client, reader.email, PASSWORD)
    page = client.get(answer["Location"])
    assert messages_on(page) == ["با نام سارا وارد شدید."]


def test_a_persian_reader_signing_out_lands_on_the_persian_front_page(client, persian):
    client.force_login(ReaderUserFactory(reader__language="fa"))
    assert client.post("/accounts/logout/")["Location"] == "/fa/"
    client.force_login(ReaderUserFactory(reader__language="en"))
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_switching_the_profile_to_persian_says_saved_in_persian(client, persian):
    client.force_login(ReaderUserFactory(reader__language="en"))
    answer = client.post(
        "/accounts/profile/", {"display_name": "Sara", "bio": "", "language": "fa"}
    )
    page = client.get(answer["Location"])
    assert html_tag(page) == PERSIAN
    assert messages_on(page) and "Your profile is saved." not in messages_on(page)
