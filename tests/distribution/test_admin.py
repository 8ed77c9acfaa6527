"""The admin's Newsletters screen: counts, progress and failures, CSV, send a story now."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from broadsheet.content.distribution.models import Delivery, Issue, Subscription
from tests.content.factories import StoryFactory

from .factories import NewsletterListFactory, SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_lists_counts_and_progress(front_page, admin_client):
    newsletter = NewsletterListFactory(name="Morning list")
    SubscriptionFactory.create_batch(3, list=newsletter)
    SubscriptionFactory(list=newsletter, status=Subscription.Status.PENDING)
    bounced = SubscriptionFactory(
        list=newsletter, subscriber=SubscriberFactory(disabled_at=timezone.now())
    )
    issue = Issue.objects.create(
        list=newsletter,
        kind="story",
        key="k",
        subject="Breaking",
        text="t",
        html="<p>t</p>",
        language="en",
        unsubscribe_url="http://x.example/u",
    )
    Delivery.objects.create(
        issue=issue,
        subscription=bounced,
        status=Delivery.Status.FAILED,
        attempts=1,
        error="550 5.1.1 no such user",
    )
    html = admin_client.get("/admin/newsletters/").content.decode()
    assert "Morning list" in html
    assert "<td>3</td><td>1</td><td>0</td>\n          <td>1</td>" in html
    assert 'value="0"></progress> 0 / 4' in html  # 3 to send + the failed one
    detail = admin_client.get(f"/admin/newsletters/issues/{issue.pk}/").content.decode()
    assert "550 5.1.1 no such user" in detail and bounced.subscriber.email in detail


def test_csv_round_trip_through_the_admin(front_page, admin_client):
    source = NewsletterListFactory()
    SubscriptionFactory.create_batch(2, list=source)
    csv_text = admin_client.get(f"/admin/newsletters/lists/{source.pk}/export/").content
    target = NewsletterListFactory(language="fa", name="fa")
    upload = SimpleUploadedFile("list.csv", csv_text, content_type="text/csv")
    response = admin_client.post(
        f"/admin/newsletters/lists/{target.pk}/import/", {"file": upload}, follow=True
    )
    assert "2 added, 0 updated, 0 skipped" in response.content.decode()
    assert target.subscriptions.filter(status="confirmed").count() == 2


def test_send_a_story_now(front_page, admin_client, mailoutbox, django_capture_on_commit_callbacks):
    story = StoryFactory(published_at=timezone.now())
    newsletter = NewsletterListFactory()
    SubscriptionFactory(list=newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/newsletters/send-story/", {"story": story.pk})
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == story.title
    again = admin_client.post("/admin/newsletters/send-story/", {"story": story.pk}, follow=True)
    assert "went to no list" in again.content.decode()
    assert len(mailoutbox) == 1


def test_an_editor_without_the_permission_sees_nothing(front_page, client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("writer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    story = StoryFactory(published_at=timezone.now())
    SubscriptionFactory(list=NewsletterListFactory())
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard
    page = client.get("/admin/newsletters/")
    assert page.status_code == 302 and page["Location"] == "/admin/"
    sent = client.post("/admin/newsletters/send-story/", {"story": story.pk})
    assert sent.status_code == 302 and not Issue.objects.exists()
