"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1): letters and messages to authors
arrive with the right headers, ``mailed`` follows the server's answer, refused mail is tried
again through the task backend, and ``EMAIL_URL`` configures it all."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from broadsheet.content.discussion import tasks
from broadsheet.content.discussion.models import AuthorMessage, Letter
from broadsheet.settings.envurls import email_settings
from tests.content.factories import AuthorFactory

from . import smtp
from .factories import LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    """A local SMTP server, and the settings ``EMAIL_URL=smtp://127.0.0.1:PORT?tls=0`` gives."""
    box = smtp.Mailbox()
    controller = smtp.start(box)
    for name, value in email_settings(f"smtp://127.0.0.1:{controller.port}?tls=0").items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "Newsroom <newsroom@newsroom.example>"
    yield box
    controller.stop()


def test_letter_arrives_with_its_headers_and_is_marked_mailed(front_page, post_form, mailbox):
    response = post_form(
        "letter",
        name="Reza",
        email="reza@example.org",
        subject="Your report from Paris",
        text="Thank you for the report.",
    )
    assert response.status_code == 303
    letter = Letter.objects.get()
    assert letter.mailed
    (message,) = mailbox.received
    assert message["Subject"] == "[Letter] Your report from Paris"
    assert message["From"] == "Newsroom <newsroom@newsroom.example>"
    assert message["To"] == "editor@newsroom.example"
    assert message["Reply-To"] == "reza@example.org"
    assert message["Message-ID"] and message["Date"]
    assert "Thank you for the report." in message.get_content()
    assert mailbox.envelopes == [("newsroom@newsroom.example", ["editor@newsroom.example"])]


def test_message_to_an_author_goes_to_the_private_address(front_page, post_form, mailbox):
    author = AuthorFactory(email="private@newsroom.example")
    response = post_form(
        "author", author.slug, name="Ali", email="ali@example.org", subject="Hi", text="Hello."
    )
    assert response.status_code == 303
    assert AuthorMessage.objects.get().mailed
    (message,) = mailbox.received
    assert message["To"] == "private@newsroom.example"
    assert message["Reply-To"] == "ali@example.org"
    assert "private@newsroom.example" not in response.content.decode()


def test_refused_mail_is_not_marked_and_is_tried_again_later(front_page, mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    letter = LetterFactory()
    mailbox.answer = "451 4.3.0 try again later"
    assert tasks.deliver_letter.call(letter.pk) is False
    letter.refresh_from_db()
    assert not letter.mailed and mailbox.received == []
    (retry,) = mail_tasks()
    assert retry.task.name == "deliver_letter"
    assert retry.args == [letter.pk] and retry.kwargs == {"attempt": 2}
    assert retry.task.run_after is not None

    mailbox.answer = "250 OK"
    assert tasks.deliver_letter.call(*retry.args, **retry.kwargs) is True
    letter.refresh_from_db()
    assert letter.mailed and len(mailbox.received) == 1
    # sent once: a second run (a duplicate task) does not mail again
    assert tasks.deliver_letter.call(letter.pk) is True
    assert len(mailbox.received) == 1


def test_after_the_last_try_the_letter_stays_stored_unmailed(front_page, mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    letter = LetterFactory()
    mailbox.answer = "554 5.7.1 refused"
    last = len(tasks.RETRY_DELAYS) + 1
    assert tasks.deliver_letter.call(letter.pk, attempt=last) is False
    assert mail_tasks() == []
    assert Letter.objects.filter(pk=letter.pk, mailed=False).exists()


def test_mail_server_not_listening_keeps_the_letter(front_page, post_form, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.free_port()
    settings.EMAIL_USE_TLS = False
    response = post_form("letter", name="R", email="r@example.org", subject="S", text="Kept")
    assert response.status_code == 303
    assert Letter.objects.filter(text="Kept", mailed=False).exists()


def mail_tasks() -> list:
    """The tasks the dummy task backend holds, less Wagtail's own (reference index)."""
    return [r for r in default_task_backend.results if r.task.name.startswith("deliver_")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://news%40example.org:p%3Ass@mail.example.org:587",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "news@example.org",
                "EMAIL_HOST_PASSWORD": "p:ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtp://mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
        ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("smtp://127.0.0.1:1025?tls=0", {"EMAIL_PORT": 1025, "EMAIL_USE_TLS": False}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url(url, expected):
    parsed = email_settings(url)
    assert {k: parsed[k] for k in expected} == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://h:notaport"])
def test_bad_email_url_is_a_clear_error(url):
    with pytest.raises(ValueError, match="EMAIL_URL"):
        email_settings(url)
