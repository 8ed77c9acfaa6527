"""The admin screens of the newsletters, the forum moderation and the mirrors speak the
editor's language: an editor whose preference is Persian gets them in Persian, right to left
(lists, counts, sends, messages; boards, topics and their bulk actions; the Mirror snippet's
form and its validation messages)."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from broadsheet.content.distribution.models import Delivery, Issue
from tests.distribution.factories import NewsletterListFactory, SubscriptionFactory
from tests.forums.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sardabir(client, settings):
    """The Django test client, signed in as a superuser whose admin language is Persian."""
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    user = get_user_model().objects.create_superuser("sardabir", "s@example.org", "x" * 16)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fa"
    profile.save()
    client.force_login(user)
    return client


def page(client, path: str) -> tuple[lxml.html.HtmlElement, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    doc = lxml.html.fromstring(response.content)
    return doc, " ".join(doc.text_content().split())


def rtl(doc: lxml.html.HtmlElement) -> bool:
    root = doc.getroottree().getroot()
    return (root.get("lang"), root.get("dir")) == ("fa", "rtl")


def test_the_newsletters_screen_in_persian(sardabir, front_page):
    subscription = SubscriptionFactory(list=NewsletterListFactory(name="Morning list"))
    issue = Issue.objects.create(
        list=subscription.list,
        kind="story",
        key="k",
        subject="Breaking",
        text="t",
        html="<p>t</p>",
        language="en",
        unsubscribe_url="http://x.example/u",
    )
    Delivery.objects.create(
        issue=issue, subscription=subscription, status=Delivery.Status.FAILED, attempts=1
    )
    doc, text = page(sardabir, "/admin/newsletters/")
    assert rtl(doc)
    assert "خبرنامه‌ها" in text and "فهرست‌ها و ارسال‌ها" in text
    assert "در انتظار تأیید" in text and "غیرفعال (برگشتی)" in text
    assert "فرستادن یک خبر همین حالا" in text and "ارسال‌ها" in text
    assert "0 نشانی پس از ردهای پیاپی" in text
    for english in (
        "Newsletters",
        "Waiting for confirmation",
        "Send a story now",
        "Sends",
        "Export",
        "refusals",
    ):
        assert english not in text, english
    doc, text = page(sardabir, f"/admin/newsletters/issues/{issue.pk}/")
    assert rtl(doc)
    assert "تحویل‌نشده" in text and "0 از 1 فرستاده شد؛ 0 برای تلاش دوباره؛ 1 ناموفق." in text
    assert "همهٔ فهرست‌ها و ارسال‌ها" in text and "پاسخ سرور" in text
    assert "Not delivered" not in text and "to try again" not in text
    # the messages of the screen's actions too
    answer = sardabir.post(
        f"/admin/newsletters/lists/{NewsletterListFactory(name='Morning list').pk}/import/",
        follow=True,
    )
    _, text = page_of(answer)
    assert "یک پروندهٔ CSV برگزینید (حداکثر ۲۰ مگابایت)." in text
    assert "Choose a CSV file" not in text


def page_of(response) -> tuple[lxml.html.HtmlElement, str]:
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    return doc, " ".join(doc.text_content().split())


def test_the_forum_moderation_in_persian(sardabir, front_page):
    topic = TopicFactory(title="Elections")
    doc, text = page(sardabir, "/admin/snippets/forums/topic/")
    assert rtl(doc)
    assert "Elections" in text
    assert "موضوع‌های تالار" in text  # the listing's title: the topics' plural name
    assert "تالار" in text and "تازه‌ترین نوشته" in text and "سنجاق‌شده" in text  # columns
    for english in ("Forum topics", "Last post at", "Posts count", "Pinned", "False"):
        assert english not in text, english
    # a bulk action's confirmation
    doc, text = page(sardabir, f"/admin/bulk/forums/topic/forum-hide/?id={topic.pk}&next=/admin/")
    assert rtl(doc)
    assert "این موضوع‌ها پنهان شوند؟" in text and "بله، پنهان شوند" in text
    assert "these topics" not in text and "Yes, hide" not in text
    answer = sardabir.post(
        f"/admin/bulk/forums/topic/forum-hide/?id={topic.pk}&next=/admin/snippets/forums/topic/",
        follow=True,
    )
    _, text = page_of(answer)
    assert "1 موضوع: پنهان." in text and "topic(s)" not in text
    # the menu: boards, topics, reports, bans
    _, text = page(sardabir, "/admin/snippets/forums/report/")
    assert "گزارش‌ها" in text and "رسیدگی‌شده" in text
    assert "Resolved" not in text and "Reports" not in text


def test_the_mirror_snippet_form_in_persian(sardabir, front_page):
    doc, text = page(sardabir, "/admin/snippets/newsroom/mirror/add/")
    assert rtl(doc)
    assert "نسخهٔ آینه‌ای" in text and "سرویس پیازی (تور)" in text
    assert "کنار نشانی به خوانندگان نشان داده می‌شود (اختیاری)." in text
    for english in ("Onion service (Tor)", "Shown to readers", "Listed on the site", "Sort order"):
        assert english not in text, english
    answer = sardabir.post(
        "/admin/snippets/newsroom/mirror/add/",
        {"url": "http://short.onion/", "kind": "onion", "note": "", "live": "on", "sort_order": 0},
    )
    assert answer.status_code == 200  # the form again, with its error
    _, text = page_of(answer)
    assert "نشانی سرویس پیازی به شکل" in text and "An onion service's address" not in text
