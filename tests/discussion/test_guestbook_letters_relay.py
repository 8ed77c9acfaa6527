"""Guestbook, letters to the editor (and publishing one as a story), e-mail to authors."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from broadsheet.content.discussion.models import AuthorMessage, GuestbookEntry, Letter, LetterStatus
from broadsheet.content.discussion.moderation import publish_letter
from broadsheet.content.newsroom.models import SectionPage
from tests.content.factories import AuthorFactory, StoryFactory

from .factories import GuestbookEntryFactory, LetterFactory

pytestmark = pytest.mark.django_db


def smtp_down(monkeypatch):
    def down(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)


# -- guestbook ---------------------------------------------------------------------------


def test_guestbook_entry_is_held_then_shown_after_approval(client_ok, front_page, post_form):
    response = post_form("guestbook", name="Mina", place="Shiraz", text="Hello <3 from Shiraz")
    assert response.status_code == 303
    assert response["Location"].endswith("/guestbook/#entry-held")
    entry = GuestbookEntry.objects.get()
    assert entry.status == "held"
    assert "Hello" not in client_ok.get_html("/guestbook/")
    entry.status = "approved"
    entry.save()
    html = client_ok.get_html("/guestbook/")
    assert "Hello &lt;3 from Shiraz" in html
    assert "Shiraz</bdi></span>" in html
    assert 'action="/discussion/guestbook/"' in html


def test_guestbook_pages_count_from_the_oldest(client_ok, front_page, settings):
    settings.BROADSHEET_DISCUSSION = {"GUESTBOOK_PAGE_SIZE": 3}
    entries = GuestbookEntryFactory.create_batch(7)
    front = client_ok.get_html("/guestbook/")
    assert entries[-1].text in front and entries[3].text not in front
    page1 = client_ok.get_html("/guestbook/page/1/")
    assert all(e.text in page1 for e in entries[:3])
    assert entries[3].text not in page1
    assert 'href="/guestbook/page/2/"' in page1
    client_ok.get_html("/guestbook/page/4/", status=404)


def test_closed_guestbook_refuses(front_page, post_form, site_settings):
    site_settings.guestbook_enabled = False
    site_settings.save()
    response = post_form("guestbook", name="Mina", text="Let me in")
    assert response.status_code == 403
    assert "Let me in" in response.content.decode()


# -- letters -----------------------------------------------------------------------------


def test_letter_is_stored_and_mailed_to_the_editors(front_page, post_form):
    response = post_form(
        "letter", name="Reza", email="reza@example.org", subject="Your report", text="Thanks."
    )
    assert response.status_code == 303
    assert response["Location"].endswith("/contact/#letter-sent")
    letter = Letter.objects.get()
    assert letter.mailed
    (message,) = mail.outbox
    assert message.to == ["editor@newsroom.example"]
    assert message.reply_to == ["reza@example.org"]
    assert "Thanks." in message.body


def test_letter_is_kept_when_mail_is_down(front_page, post_form, monkeypatch):
    smtp_down(monkeypatch)
    response = post_form("letter", name="R", email="r@example.org", subject="S", text="Kept")
    assert response.status_code == 303
    letter = Letter.objects.get()
    assert letter.text == "Kept" and not letter.mailed


def test_letter_needs_a_valid_address(front_page, post_form):
    response = post_form("letter", name="R", email="not an address", subject="S", text="Hello")
    assert response.status_code == 400
    assert "valid e-mail address" in response.content.decode()
    assert "Hello" in response.content.decode()


def test_contact_page_has_the_letter_form(client_ok, front_page):
    html = client_ok.get_html("/contact/")
    assert 'action="/discussion/letters/"' in html and 'name="subject"' in html


def test_letter_becomes_a_story_in_the_letters_section(client_ok, front_page):
    letter = LetterFactory(name="Leila", email="leila@example.org", subject="<On> freedom")
    story = publish_letter(letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PUBLISHED and letter.story_id == story.id
    assert story.live and story.get_parent().specific.title == "Letters"
    assert isinstance(story.get_parent().specific, SectionPage)
    html = client_ok.get_html(story.url)
    assert "&lt;On&gt; freedom" in html
    assert "Leila" in html and "leila@example.org" not in html
    assert "Your report was fair.<br/>Thank you." in html or "Your report was fair.<br>" in html
    assert publish_letter(letter).id == story.id  # once only


# -- e-mail to authors -------------------------------------------------------------------


def test_author_page_has_the_relay_form_but_not_the_address(client_ok, front_page):
    author = AuthorFactory(email="private.writer@newsroom.example")
    StoryFactory(authors=[author])
    html = client_ok.get_html(author_url := f"/authors/{author.slug}/")
    assert f'action="/discussion/authors/{author.slug}/"' in html
    assert "private.writer" not in html
    assert author_url


def test_author_relay_never_leaks_the_address(client, front_page, post_form, monkeypatch):
    secret = "private.writer@newsroom.example"
    author = AuthorFactory(email=secret)
    story = StoryFactory(authors=[author])
    responses = [
        client.get(f"/authors/{author.slug}/"),
        client.get(story.url),
        post_form(
            "author", author.slug, age=None, name="A", email="a@x.org", subject="S", text="Hi"
        ),
        post_form("author", author.slug, age=0, name="A", email="a@x.org", subject="S", text="Hi"),
        post_form("author", author.slug, name="", email="bad", subject="", text=""),
        post_form("author", author.slug, name="A", email="a@x.org", subject="S", text="Hi"),
        post_form("author", author.slug, name="A", email="a@x.org", subject="S", text="Hi"),
        post_form(
            "author", author.slug, name="A", email="a@x.org", subject="S", text="x", website="y"
        ),
        post_form("author", "nobody", name="A", email="a@x.org", subject="S", text="Hi"),
    ]
    smtp_down(monkeypatch)
    responses.append(
        post_form("author", author.slug, name="B", email="b@x.org", subject="S", text="Down")
    )
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 200, 400, 303, 409, 400, 403, 303]
    for r in responses:
        blob = r.content.decode() + "".join(f"{k}: {v}" for k, v in r.items())
        assert secret not in blob
        assert "private.writer" not in blob
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [secret]
    assert mail.outbox[0].reply_to == ["a@x.org"]
    assert AuthorMessage.objects.filter(text="Down", mailed=False).exists()


def test_author_without_address_goes_to_the_editors(front_page, post_form):
    author = AuthorFactory(email="")
    response = post_form("author", author.slug, name="A", email="a@x.org", subject="S", text="Hi")
    assert response.status_code == 303
    assert mail.outbox[0].to == ["editor@newsroom.example"]
    assert author.name in mail.outbox[0].body
