"""A permanent refusal (5xx) of a mail is not tried again; a temporary one (4xx) is, on the
retry schedule — one rule (``content.mailing.outcome_of``) for the forums' notices, the
letters to the editor and the newsletters (a new user's check, sixth session: a 5xx refusal
of a subscriber notice was retried like a 4xx one)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

import pytest
from django_tasks import default_task_backend

from broadsheet.content import mailing
from broadsheet.content.discussion import tasks as discussion_tasks
from broadsheet.content.forums import subscriptions
from broadsheet.discussion.forums.mail import notify_subscribers
from broadsheet.settings.envurls import email_settings
from tests.discussion import smtp

from .factories import ReaderUserFactory, TopicFactory, post


@dataclass
class PickyMailbox(smtp.Mailbox):
    """A mailbox whose server answers ``RCPT TO`` per address (``rcpt``: address → answer)."""

    rcpt: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        answer = self.rcpt.get(address, "250 OK")
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer


@pytest.fixture
def mailbox(settings):
    box = PickyMailbox()
    controller = smtp.start(box)
    for name, value in email_settings(f"smtp://127.0.0.1:{controller.port}?tls=0").items():
        setattr(settings, name, value)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MANAGERS = [("Editor", "editor@newsroom.example")]
    default_task_backend.clear()
    yield box
    controller.stop()


def queued(name: str) -> list:
    return [r for r in default_task_backend.results if r.task.name == name]


def test_a_notice_refused_for_good_is_not_tried_again_one_refused_for_now_is(mailbox, caplog):
    topic = TopicFactory(opened=True)
    gone, busy, fine = ReaderUserFactory(), ReaderUserFactory(), ReaderUserFactory()
    for reader in (gone, busy, fine):
        subscriptions.subscribe(reader, topic)
    mailbox.rcpt = {gone.email: "550 5.1.1 no such user", busy.email: "452 4.2.2 mailbox full"}
    shown = post(topic, ReaderUserFactory(), text="Worth a mail.")
    default_task_backend.clear()  # the post's own notice, queued on publishing
    assert notify_subscribers.call(shown.pk) == 1
    (retry,) = queued("notify_subscribers")
    assert retry.args == [shown.pk, [busy.pk]]  # the 4xx only: the 5xx reader is not retried
    assert "refused for good" in caplog.text and "550 5.1.1 no such user" in caplog.text


def test_a_notice_whose_message_is_refused_for_good_is_dropped_at_the_first_try(mailbox, caplog):
    topic = TopicFactory(opened=True)
    subscriptions.subscribe(ReaderUserFactory(), topic)
    shown = post(topic, ReaderUserFactory(), text="Worth a mail.")
    default_task_backend.clear()
    mailbox.answer = "554 5.7.1 message refused"
    assert notify_subscribers.call(shown.pk) == 0  # attempt 1 of 6
    assert queued("notify_subscribers") == []
    assert "refused for good" in caplog.text


def test_a_letter_refused_for_good_is_kept_unmailed_and_not_tried_again(mailbox, caplog):
    from broadsheet.content.discussion.models import Letter

    letter = Letter.objects.create(name="Ana", email="ana@example.org", subject="S", text="T")
    mailbox.answer = "554 5.7.1 refused"
    assert discussion_tasks.deliver_letter.call(letter.pk) is False
    assert queued("deliver_letter") == []
    assert Letter.objects.filter(pk=letter.pk, mailed=False).exists()
    assert "gave up" in caplog.text
    mailbox.answer = "451 4.3.0 try again later"  # for now: tried again, as before
    assert discussion_tasks.deliver_letter.call(letter.pk) is False
    assert len(queued("deliver_letter")) == 1


def test_a_newsletter_confirmation_refused_for_good_is_not_tried_again(mailbox, caplog):
    from broadsheet.content.distribution.models import Subscription
    from broadsheet.content.distribution.tasks import send_confirmation
    from tests.distribution.factories import SubscriptionFactory

    pending = SubscriptionFactory(status=Subscription.Status.PENDING, confirmed_at=None)
    mailbox.rcpt = {pending.subscriber.email: "550 5.1.1 no such user"}
    assert send_confirmation.call([pending.pk], "https://news.example/confirm/") is False
    assert queued("send_confirmation") == []
    mailbox.rcpt = {pending.subscriber.email: "450 4.2.1 try later"}
    assert send_confirmation.call([pending.pk], "https://news.example/confirm/") is False
    assert len(queued("send_confirmation")) == 1


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no such user")}), "refused"),
        (smtplib.SMTPRecipientsRefused({"a@x.example": (452, b"mailbox full")}), "later"),
        (
            smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no"), "b@x.example": (451, b"")}),
            "later",
        ),
        (smtplib.SMTPDataError(554, b"message refused"), "refused"),
        (smtplib.SMTPDataError(451, b"try later"), "later"),
        # our own sender or login refused: the newsroom's set-up, not the reader's address
        (smtplib.SMTPSenderRefused(553, b"sender refused", "news@x.example"), "later"),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), "later"),
        (ConnectionRefusedError(111, "refused"), "later"),
    ],
)
def test_one_rule_reads_the_servers_answer(error, outcome):
    assert mailing.outcome_of(error)[0].value == outcome
