"""The live endpoints: bad input gets a clear page and loses nothing; links confirmed twice,
expired, forged, or for an address not there change nothing else."""

from __future__ import annotations

import pytest

from broadsheet.content import mailing
from broadsheet.content.distribution import subscribers
from broadsheet.content.distribution.models import Subscriber, Subscription

from .factories import NewsletterListFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_bad_address_comes_back_in_the_form(front_page, client):
    response = client.post("/newsletter/subscribe/", {"email": "not an <address>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not an &lt;address&gt;"' in html and 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists()


def test_the_honeypot_refuses_and_keeps_the_address(front_page, client):
    response = client.post(
        "/newsletter/subscribe/", {"email": "a@example.org", "website": "http://spam.example"}
    )
    assert response.status_code == 400 and 'value="a@example.org"' in response.content.decode()
    assert not Subscriber.objects.exists()


def test_subscribing_is_rate_limited_per_address(front_page, client, settings, mailoutbox):
    settings.BROADSHEET_NEWSLETTERS = {"RATE_PER_ADDRESS_HOUR": 2}
    for n in range(2):
        ok = client.post("/newsletter/subscribe/", {"email": f"r{n}@example.org"})
        assert ok.status_code == 200
    refused = client.post("/newsletter/subscribe/", {"email": "r9@example.org"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert 'value="r9@example.org"' in refused.content.decode()
    other = client.post(
        "/newsletter/subscribe/", {"email": "x@example.org"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    assert not Subscriber.objects.filter(email="r9@example.org").exists()


def test_one_confirmation_mail_per_address_and_interval(
    front_page, client, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post("/newsletter/subscribe/", {"email": "a@example.org"})
        assert answer.status_code == 200
    assert len(mailoutbox) == 1
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_known_address_gets_the_same_answer(front_page, client):
    sub = SubscriptionFactory(list=subscribers.edition_list("en"))
    new = client.post("/newsletter/subscribe/", {"email": "new@example.org"})
    known = client.post("/newsletter/subscribe/", {"email": sub.subscriber.email})
    assert new.content == known.content
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.CONFIRMED


def pending(email="p@example.org"):
    return subscribers.subscribe(email, [NewsletterListFactory()])


def test_confirming_twice_changes_nothing_the_second_time(front_page, client):
    (sub,) = pending()
    token = subscribers.confirm_token([sub])
    first = client.post("/newsletter/confirm/", {"t": token})
    assert "You are subscribed" in first.content.decode()
    sub.refresh_from_db()
    confirmed_at = sub.confirmed_at
    second = client.post("/newsletter/confirm/", {"t": token})
    assert second.status_code == 200 and "Already confirmed" in second.content.decode()
    sub.refresh_from_db()
    assert sub.confirmed_at == confirmed_at


def test_an_expired_confirmation_link(front_page, client, time_machine):
    time_machine.move_to("2026-01-01 12:00Z", tick=False)
    (sub,) = pending()
    token = subscribers.confirm_token([sub])
    time_machine.move_to("2026-01-09 12:00Z", tick=False)
    for response in (
        client.get("/newsletter/confirm/", {"t": token}),
        client.post("/newsletter/confirm/", {"t": token}),
    ):
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.PENDING


def test_forged_links_change_nothing(front_page, client):
    (sub,) = pending()
    other = SubscriptionFactory()  # someone else's, confirmed
    token = subscribers.confirm_token([sub])
    # an edited token, a token for another purpose, nothing, noise
    unsubscribe_other = mailing.sign(subscribers.UNSUBSCRIBE, {"s": other.pk, "e": "p@x.org"})
    for bad in [token[:-3] + "abc", unsubscribe_other, "", "x" * 50]:
        response = client.post("/newsletter/confirm/", {"t": bad})
        assert response.status_code == 400 and "not valid" in response.content.decode()
    for bad in [token, subscribers.unsubscribe_token(other)[:-2], "", "x" * 50]:
        response = client.post(f"/newsletter/unsubscribe/?t={bad}")
        assert response.status_code == 400 and "not valid" in response.content.decode()
    mixed = mailing.sign(subscribers.UNSUBSCRIBE, {"s": other.pk, "e": "p@example.org"})
    response = client.post(f"/newsletter/unsubscribe/?t={mixed}")
    assert "Not subscribed" in response.content.decode()  # the address does not match
    other.refresh_from_db()
    sub.refresh_from_db()
    assert other.status == Subscription.Status.CONFIRMED
    assert sub.status == Subscription.Status.PENDING


def test_unsubscribing_an_address_that_is_not_there(front_page, client):
    sub = SubscriptionFactory()
    keep = SubscriptionFactory(list=sub.list)
    token = subscribers.unsubscribe_token(sub)
    sub.subscriber.delete()
    response = client.post(f"/newsletter/unsubscribe/?t={token}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "is not on this list" in response.content.decode()
    keep.refresh_from_db()
    assert keep.status == Subscription.Status.CONFIRMED


def test_unsubscribe_get_asks_post_does_it_and_twice_is_harmless(front_page, client):
    sub = SubscriptionFactory()
    token = subscribers.unsubscribe_token(sub)
    asked = client.get("/newsletter/unsubscribe/", {"t": token})
    assert asked.status_code == 200 and 'method="post"' in asked.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.CONFIRMED
    client.post(f"/newsletter/unsubscribe/?t={token}", {"List-Unsubscribe": "One-Click"})
    again = client.post(f"/newsletter/unsubscribe/?t={token}", {"List-Unsubscribe": "One-Click"})
    assert "Already unsubscribed" in again.content.decode()
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.UNSUBSCRIBED


def test_every_page_has_the_subscribe_block(front_page, client):
    html = client.get("/").content.decode()
    assert 'class="newsletter-signup"' in html and 'action="/newsletter/subscribe/"' in html


def test_the_persian_edition_subscribes_to_its_own_list(front_page, client, settings):
    from tests.editions.factories import persian_front

    persian_front()
    page = client.get("/fa/newsletter/")
    assert page.status_code == 200
    assert 'action="/fa/newsletter/subscribe/"' in page.content.decode()
    client.post("/fa/newsletter/subscribe/", {"email": "f@example.org"})
    assert Subscription.objects.get().list.language == "fa"


def test_a_frozen_site_takes_no_subscription(front_page, client):
    from broadsheet.publishing import archive

    archive.set_frozen("Closed.")
    assert 'class="newsletter-signup"' not in client.get("/").content.decode()
    assert client.get("/newsletter/").status_code == 404
    refused = client.post("/newsletter/subscribe/", {"email": "a@example.org"})
    assert refused.status_code == 403 and not Subscriber.objects.exists()
    archive.unfreeze()
    assert 'class="newsletter-signup"' in client.get("/").content.decode()
