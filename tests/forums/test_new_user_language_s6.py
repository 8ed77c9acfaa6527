"""A new user's sixth-session findings on the forums and reader accounts (issue 13): the
language of messages, mails and pages, one Persian word for each thing, Persian digits in
Persian text, the newsroom's name in allauth's mails, a sign-out that asks first, and a refused
topic that names every fault."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages.storage.base import Message
from django.core import mail
from django.test import Client
from django.utils import translation

from broadsheet.content.forums.models import Topic
from broadsheet.discussion.accounts import notices
from tests.editions.factories import persian_front

from .factories import PASSWORD, BoardFactory, ReaderUserFactory, TopicFactory, post

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


# -- 1. messages in the page's language, or marked with their own ---------------------------
def notice_items(response) -> list[str]:
    block = re.search(r'class="account-messages"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return re.findall(r"<li[^>]*>.*?</li>", block[1]) if block else []


def sign_in(client, reader, next_path: str, ip: str):
    answer = client.post(
        "/accounts/login/",
        {"login": reader.email, "password": PASSWORD, "next": next_path},
        REMOTE_ADDR=ip,
    )
    assert answer["Location"] == next_path
    return client.get(next_path)


def test_an_english_reader_signing_in_on_a_persian_forum_page_is_greeted_in_persian(
    client, persian
):
    BoardFactory()
    reader = ReaderUserFactory(reader__language="en", reader__display_name="Sam")
    page = sign_in(client, reader, "/fa/forums/", "198.51.100.72")
    assert PERSIAN in page.content.decode()
    assert notice_items(page) == ["<li>با نام Sam وارد شدید.</li>"]


def test_a_persian_reader_signing_in_on_an_english_forum_page_is_greeted_in_english(
    client, persian
):
    BoardFactory()
    reader = ReaderUserFactory(reader__language="fa", reader__display_name="سارا")
    page = sign_in(client, reader, "/forums/", "198.51.100.73")
    assert '<html lang="en" dir="ltr">' in page.content.decode()
    assert notice_items(page) == ["<li>Successfully signed in as سارا.</li>"]


def test_a_message_shown_on_a_page_of_another_language_carries_its_own_lang_and_dir():
    persian_note = Message(25, "نمایه ذخیره شد.", extra_tags=notices.tagged("fa"))
    english_note = Message(25, "Saved.", extra_tags=notices.tagged("en", "extra"))
    with translation.override("en"):
        assert notices.language_attrs(persian_note) == ' lang="fa" dir="rtl"'
        assert notices.language_attrs(english_note) == ""
    with translation.override("fa"):
        assert notices.language_attrs(english_note) == ' lang="en" dir="ltr"'
        assert notices.language_attrs(persian_note) == ""
        assert notices.language_attrs(Message(25, "unmarked")) == ""


def test_an_english_message_on_a_persian_forum_page_is_marked_english(client, persian):
    """A message the next page cannot give in its own language (the profile saved in
    English, then a Persian forum page opened first) is marked with its own."""
    BoardFactory()
    client.force_login(ReaderUserFactory(reader__language="fa"))
    client.post("/accounts/profile/", {"display_name": "Sara", "bio": "", "language": "en"})
    page = client.get("/fa/forums/")
    assert PERSIAN in page.content.decode()
    assert notice_items(page) == ['<li lang="en" dir="ltr">Your profile is saved.</li>']


# -- 5. allauth's mails name the newsroom, not the host ---------------------------------------
def test_allauths_mails_name_the_newsroom_not_the_bare_host(client, persian, front_page):
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import NewsroomSettings

    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    newsroom.site_name = "The Exile Gazette"
    newsroom.save()
    client.post(
        "/accounts/signup/",
        {
            "email": "newbie@readers.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Sam",
            "language": "en",
        },
        REMOTE_ADDR="198.51.100.75",
    )
    (message,) = mail.outbox
    assert message.subject.startswith("[The Exile Gazette] ")
    assert message.body.startswith("Hello from The Exile Gazette!")
    assert "register an account on The Exile Gazette." in message.body
    assert message.body.endswith("Thank you for using The Exile Gazette!\nhttp://testserver/")
    without_links = re.sub(r"https?://\S+", "", message.body)
    assert "testserver" not in without_links


# -- 3. a confirmation link followed again ---------------------------------------------------
def confirmation_link(reader) -> str:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    address = EmailAddress.objects.get(user=reader)
    address.verified = False
    address.save()
    key = EmailConfirmationHMAC(address).key
    return f"/accounts/confirm-email/{key}/"


def test_a_used_confirmation_link_says_already_confirmed_in_the_readers_language(persian):
    reader = ReaderUserFactory(reader__language="fa")
    link = confirmation_link(reader)
    first = Client()
    assert first.post(link).status_code == 302  # confirmed
    again = Client().get(link, HTTP_ACCEPT_LANGUAGE="en")  # another browser, later
    html = again.content.decode()
    assert PERSIAN in html
    assert "expired or is invalid" not in html and "منقضی" not in html
    assert 'href="/accounts/login/"' in html
    main = re.search(r"<main.*?</main>", html, re.S)[0]
    assert "این نشانی پیش‌تر تأیید شده است" in main


def test_a_used_confirmation_link_of_an_english_reader_is_english(persian):
    reader = ReaderUserFactory(reader__language="en")
    link = confirmation_link(reader)
    Client().post(link)
    again = Client().get(link, HTTP_ACCEPT_LANGUAGE="fa")
    html = again.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "This address is already confirmed" in html


def test_a_made_up_key_is_still_expired_or_invalid(persian):
    page = Client().get("/accounts/confirm-email/MQ:made-up:key/", HTTP_ACCEPT_LANGUAGE="en")
    assert "expired or is invalid" in page.content.decode()


# -- 4. one Persian word for each thing, the formal "you", Persian digits ---------------------
REJECTED = re.compile(r"رایانامه|رمز[\s\u200c]?عبور|تایید")
NOT_OURS = re.compile(r"(?i)phone|authenticator|mark(ed)? .*verified|^verified$|confirmations?$")


def po_entries(path: Path):
    """(references, msgid) of each singular, context-free entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        refs = " ".join(line[3:] for line in lines if line.startswith("#: "))
        if any(line.startswith(("msgctxt", "msgid_plural", "#~")) for line in lines):
            continue
        msgid, inside = "", False
        for line in lines:
            if line.startswith("msgid "):
                msgid, inside = line[7:-1], True
            elif line.startswith("msgstr"):
                break
            elif inside and line.startswith('"'):
                msgid += line[1:-1]
        msgid = msgid.replace('\\"', '"').replace("\\n", "\n")
        if msgid:
            yield refs, msgid


def test_the_persian_account_pages_and_mails_use_one_word_for_each_thing():
    """Every string of allauth's account pages and mails, as a Persian reader gets it (our
    catalogue wins over allauth's, Wagtail's and Django's), says ایمیل and گذرواژه and
    تأیید — allauth's own Persian mixes رایانامه, رمز عبور and تایید with them."""
    import allauth

    catalogue = Path(allauth.__file__).parent / "locale/fa/LC_MESSAGES/django.po"
    strings = [
        msgid
        for refs, msgid in po_entries(catalogue)
        if "account/" in refs and "socialaccount" not in refs and not NOT_OURS.search(msgid)
    ]
    assert len(strings) > 100  # the catalogue was read
    with translation.override("fa"):
        mixed = {m: translation.gettext(m) for m in strings}
    assert {m: t for m, t in mixed.items() if REJECTED.search(t)} == {}


def test_our_persian_catalogue_uses_one_word_for_each_thing():
    catalogue = Path(settings.LOCALE_PATHS[0]) / "fa/LC_MESSAGES/django.po"
    translated = [
        line
        for line in catalogue.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("#", "msgid"))
    ]
    assert [line for line in translated if REJECTED.search(line)] == []


def test_the_persian_sign_up_speaks_formally_and_writes_persian_digits(client, persian):
    page = client.post(
        "/accounts/signup/",
        {
            "email": "short@readers.example",
            "password1": "kutah",
            "password2": "kutah",
            "display_name": "سارا",
            "language": "fa",
            "next": "/fa/forums/",
        },
        REMOTE_ADDR="198.51.100.74",
    )
    main = re.search(r"<main.*?</main>", page.content.decode(), re.S)[0]
    errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', main, re.S)[1]
    assert "۱۲" in errors and not re.search(r"[A-Za-z0-9]", re.sub(r"<[^>]+>", "", errors))
    help_text = re.search(r'id="id_password1_helptext">(.*?)</span>', main, re.S)[1]
    assert "۱۲" in help_text and not re.search(r"[0-9]", help_text)
    assert "یه حساب داری" not in main and "حساب دارید؟" in main
    assert not REJECTED.search(main)


# -- 6. sign-out asks first, in the reader's language -----------------------------------------
def test_signing_out_asks_first_on_a_styled_persian_page(client, persian):
    assert settings.ACCOUNT_LOGOUT_ON_GET is False
    reader = ReaderUserFactory(reader__language="fa")
    client.force_login(reader)
    page = client.get("/accounts/logout/")
    html = page.content.decode()
    assert page.status_code == 200 and PERSIAN in html
    assert re.search(r'<body[^>]*class="[^"]*account-page', html)  # the account pages' look
    main = re.search(r"<main.*?</main>", html, re.S)[0]
    assert re.search(r'<form method="post"\s+action="/accounts/logout/">', main)
    assert 'name="csrfmiddlewaretoken"' in main and "<button" in main
    assert "آیا مطمئن هستید که می‌خواهید از حساب خود خارج شوید؟" in main
    assert "مطمئنی" not in main and "شوی؟" not in main
    assert client.get("/accounts/profile/").status_code == 200  # the GET signed no one out
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302
