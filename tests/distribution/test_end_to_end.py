"""Subscribe → confirm → publish → the digest arrives → one click unsubscribes, against a real
SMTP server (aiosmtpd on 127.0.0.1) and the live endpoints."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from django.utils import timezone

from broadsheet.content.distribution.models import Issue, Subscription
from broadsheet.distribution import issues
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


def link_in(text: str, path: str) -> tuple[str, str]:
    """The path and token of the first link to ``path`` in ``text``."""
    url = re.search(r"https?://\S+" + re.escape(path) + r"\?t=[^\s\"<>]+", text)[0]
    parts = urllib.parse.urlsplit(url)
    return parts.path, urllib.parse.parse_qs(parts.query)["t"][0]


def test_subscribe_confirm_digest_unsubscribe(
    front_page, client, mailbox, django_capture_on_commit_callbacks
):
    page = client.get("/newsletter/")
    assert page.status_code == 200
    assert 'action="/newsletter/subscribe/"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/newsletter/subscribe/", {"email": "Reader@Example.ORG"})
    assert answer.status_code == 200 and "Check your inbox" in answer.content.decode()
    (confirmation,) = mailbox.received
    assert confirmation["To"] == "Reader@example.org"
    plain = confirmation.get_body(("plain",)).get_content()
    path, token = link_in(plain, "/newsletter/confirm/")
    assert Subscription.objects.get().status == Subscription.Status.PENDING

    shown = client.get(path, {"t": token})  # a link scanner's GET changes nothing
    assert shown.status_code == 200 and 'name="t"' in shown.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    confirmed = client.post(path, {"t": token})
    assert "You are subscribed" in confirmed.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED

    story = StoryFactory(
        parent=SectionFactory(title="Iran", slug="iran"),
        title="Opposition meets in Paris",
        standfirst="A new alliance is announced.",
        slug="opposition-meets",
        published_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        (issue,) = issues.make_digests()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DONE
    digest = mailbox.received[-1]
    assert len(mailbox.received) == 2
    assert digest.get_content_type() == "multipart/alternative"
    plain = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    story_url = "http://127.0.0.1:8000/iran/opposition-meets/"
    for part in (plain, html):
        assert "Opposition meets in Paris" in part and "A new alliance is announced." in part
        assert story_url in part  # the story's own URL, not rewritten
    assert "<img" not in html and '<html lang="en" dir="ltr">' in html
    unsubscribe = digest["List-Unsubscribe"].strip()
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://127\.0\.0\.1:8000/newsletter/unsubscribe/\?t=\S+)>", unsubscribe)
    assert url, unsubscribe
    assert url[1] in plain  # the same link in the footer

    # the mail client's one-click POST (RFC 8058), without login or cookies
    parts = urllib.parse.urlsplit(url[1])
    client.cookies.clear()
    done = client.post(
        parts.path + "?" + parts.query,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED

    # the next story's digest goes to nobody
    StoryFactory(parent=story.get_parent(), slug="later", published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        issues.make_digest(issue.list, timezone.now() + timezone.timedelta(days=1))
    assert len(mailbox.received) == 2
