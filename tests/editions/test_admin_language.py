"""Wagtail's admin, and our own screens in it, speak the editor's language: an editor whose
language preference is Persian gets the admin in Persian and right to left (Wagtail's
translations for its own strings, ours for the desk panel, the baking status page, the
moderation queue and the security screens); an editor with no preference gets English."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from broadsheet.publishing.models import BakeRequest, BakeRun
from tests.content.editorial.factories import StaffFactory
from tests.content.factories import SectionFactory

pytestmark = pytest.mark.django_db


def persian(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fa"
    profile.save()
    return user


def page(client, path: str) -> tuple[lxml.html.HtmlElement, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    doc = lxml.html.fromstring(response.content)
    return doc, " ".join(doc.text_content().split())


def test_a_persian_editor_gets_the_dashboard_in_persian_right_to_left(client, front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    BakeRun.objects.create(kind=BakeRun.Kind.FULL, status=BakeRun.Status.DONE, output="x")
    client.force_login(persian(StaffFactory(roles=[("editor", iran)])))
    doc, text = page(client, "/admin/")
    root = doc.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("fa", "rtl")
    assert "داشبورد" in text  # Wagtail's own translation
    # our desk panel
    assert "میز تحریریه" in text and "دیدگاه‌های در انتظار بررسی" in text
    assert "آخرین پخت‌ها" in text
    for english in ("The desk", "Comments to moderate", "Last bakes", "No story is scheduled"):
        assert english not in text


def test_a_persian_administrator_gets_our_screens_in_persian(client, front_page):
    admin = get_user_model().objects.create_superuser("sardabir", "s@example.org", "pw")
    client.force_login(persian(admin))
    BakeRequest.objects.create(kind="story", object_id=42)
    doc, text = page(client, "/admin/baking/")
    assert doc.getroottree().getroot().get("dir") == "rtl"
    assert "پختن همه‌چیز" in text and "در انتظار پخت است" in text
    assert "Bake everything" not in text and "waiting to be baked" not in text
    _, text = page(client, "/admin/security/lockouts/")
    assert "ورودهای قفل‌شده" in text and "هیچ حسابی قفل نیست." in text
    assert "No account is locked" not in text
    # the moderation queue of the guestbook: its name, its statuses, its actions
    _, text = page(client, "/admin/snippets/discussion/guestbookentry/")
    assert "نوشته‌های دفتر یادبود" in text and "در انتظار بررسی" in text
    assert "Held for moderation" not in text


def test_an_editor_without_a_preference_gets_english(client, front_page):
    admin = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(admin)
    doc, text = page(client, "/admin/baking/")
    assert doc.getroottree().getroot().get("dir") == "ltr"
    assert "Bake everything" in text and "Nothing is waiting" in text
