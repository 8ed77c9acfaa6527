"""Sending issues through a real SMTP server: batches, a send interrupted by a killed worker,
refusals for now and for good, addresses disabled after repeated bounces."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from broadsheet.content.distribution import sending, tasks
from broadsheet.content.distribution.models import Delivery, Issue, Subscriber
from broadsheet.settings.envurls import email_settings
from tests.discussion import smtp

from .factories import NewsletterListFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@dataclass
class Server(smtp.Mailbox):
    """A mailbox that answers RCPT TO for some addresses with a refusal."""

    refuse: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def count(self, address: str) -> int:
        return sum(1 for _, rcpts in self.envelopes if address in rcpts)


@pytest.fixture
def server(settings):
    box = Server()
    controller = Controller(box, hostname="127.0.0.1", port=smtp.free_port())
    controller.start()
    for name, value in email_settings(f"smtp://127.0.0.1:{controller.port}?tls=0").items():
        setattr(settings, name, value)
    yield box
    controller.stop()


def make_issue(newsletter, key="t:1") -> Issue:
    return Issue.objects.create(
        list=newsletter,
        kind=Issue.Kind.STORY,
        key=key,
        subject="Breaking",
        text="A story.",
        html="<p>A story.</p>",
        language="en",
        unsubscribe_url="http://127.0.0.1:8000/newsletter/unsubscribe/",
    )


class Killed(BaseException):
    """What a killed worker does to the code it was running: it stops, wherever it was."""


class KilledBackend(EmailBackend):
    """Django's SMTP backend, killed while handing over message number ``kill_at``."""

    handed = 0
    kill_at = 0

    def send_messages(self, messages):
        KilledBackend.handed += 1
        if KilledBackend.handed == KilledBackend.kill_at:
            raise Killed
        return super().send_messages(messages)


def test_a_killed_send_resumes_and_nobody_gets_the_issue_twice(server, settings):
    settings.EMAIL_BACKEND = "tests.distribution.test_sending.KilledBackend"
    settings.BROADSHEET_NEWSLETTERS = {"RATE_PER_MINUTE": 0, "BATCH_SIZE": 4}
    newsletter = NewsletterListFactory()
    subs = SubscriptionFactory.create_batch(11, list=newsletter)
    issue = make_issue(newsletter)
    KilledBackend.handed, KilledBackend.kill_at = 0, 7  # in the second batch
    with pytest.raises(Killed):
        tasks.send_issue.call(issue.pk)
    assert len(server.received) == 6
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 6
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    KilledBackend.kill_at = 0
    assert tasks.resume_sends.call() == 1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DONE
    assert len(server.received) == 11
    assert all(server.count(s.subscriber.email) == 1 for s in subs)
    assert sending.progress(issue) == {"recipients": 11, "sent": 11, "deferred": 0, "failed": 0}


def test_batches_keep_to_the_rate(server, settings, monkeypatch):
    settings.BROADSHEET_NEWSLETTERS = {"RATE_PER_MINUTE": 120, "BATCH_SIZE": 100}
    newsletter = NewsletterListFactory()
    SubscriptionFactory.create_batch(5, list=newsletter)
    issue = make_issue(newsletter)
    sizes = []
    real = sending.send_batch
    monkeypatch.setattr(sending, "send_batch", lambda i, n: sizes.append(n) or real(i, 2))
    slept = []
    monkeypatch.setattr(tasks.time, "sleep", slept.append)
    tasks.send_issue.call(issue.pk)
    assert len(server.received) == 5
    assert sizes == [100, 100, 100]  # min(BATCH_SIZE, RATE_PER_MINUTE)
    assert slept == [1.0, 1.0]  # 2 messages at 120 a minute


def test_refused_for_now_is_deferred_then_sent(server):
    newsletter = NewsletterListFactory()
    later = SubscriptionFactory(list=newsletter)
    ok = SubscriptionFactory(list=newsletter)
    server.refuse[later.subscriber.email] = "451 4.2.1 mailbox busy, try later"
    issue = make_issue(newsletter)
    result = sending.send_batch(issue)
    assert (result.sent, result.deferred, result.more, result.later) == (1, 1, False, True)
    delivery = Delivery.objects.get(subscription=later)
    assert delivery.status == Delivery.Status.DEFERRED and delivery.error.startswith("451")
    assert delivery.next_try_at > timezone.now()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    # its time comes; the server takes it now
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now())
    del server.refuse[later.subscriber.email]
    result = sending.send_batch(issue)
    assert result.sent == 1
    assert server.count(later.subscriber.email) == 1 and server.count(ok.subscriber.email) == 1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DONE
    assert Subscriber.objects.get(pk=later.subscriber_id).failures == 0


def test_repeated_bounces_disable_an_address(server, settings):
    settings.BROADSHEET_NEWSLETTERS = {"BOUNCE_LIMIT": 3}
    newsletter = NewsletterListFactory()
    gone = SubscriptionFactory(list=newsletter)
    fine = SubscriptionFactory(list=newsletter)
    server.refuse[gone.subscriber.email] = "550 5.1.1 no such user"
    for n in range(3):
        issue = make_issue(newsletter, key=f"t:{n}")
        result = sending.send_batch(issue)
        assert (result.sent, result.failed) == (1, 1)
        issue.refresh_from_db()
        assert issue.status == Issue.Status.DONE  # a failure is final
    subscriber = Subscriber.objects.get(pk=gone.subscriber_id)
    assert subscriber.failures == 3 and subscriber.disabled_at is not None
    assert subscriber.disabled_reason.startswith("550")
    fourth = make_issue(newsletter, key="t:4")
    assert [s.pk for s in sending.recipients(fourth)] == [fine.pk]


def test_a_success_between_bounces_starts_the_count_again(server, settings):
    settings.BROADSHEET_NEWSLETTERS = {"BOUNCE_LIMIT": 2}
    newsletter = NewsletterListFactory()
    sub = SubscriptionFactory(list=newsletter)
    server.refuse[sub.subscriber.email] = "552 5.2.2 mailbox full"
    sending.send_batch(make_issue(newsletter, key="a"))
    del server.refuse[sub.subscriber.email]
    sending.send_batch(make_issue(newsletter, key="b"))
    server.refuse[sub.subscriber.email] = "552 5.2.2 mailbox full"
    sending.send_batch(make_issue(newsletter, key="c"))
    subscriber = Subscriber.objects.get(pk=sub.subscriber_id)
    assert subscriber.failures == 1 and subscriber.disabled_at is None


def test_a_server_that_does_not_answer_records_nothing(settings):
    for name, value in email_settings(f"smtp://127.0.0.1:{smtp.free_port()}?tls=0").items():
        setattr(settings, name, value)
    newsletter = NewsletterListFactory()
    SubscriptionFactory.create_batch(3, list=newsletter)
    issue = make_issue(newsletter)
    result = sending.send_batch(issue)
    assert result.connection_error and result.later and result.sent == 0
    assert not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


def test_who_subscribed_after_the_issue_was_made_does_not_get_it(server):
    newsletter = NewsletterListFactory()
    SubscriptionFactory(list=newsletter)
    issue = make_issue(newsletter)
    SubscriptionFactory(list=newsletter, confirmed_at=timezone.now() + timezone.timedelta(1))
    assert sending.send_batch(issue).sent == 1
