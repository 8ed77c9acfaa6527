"""A new user's findings in the forums' moderation admin, sixth session (issue 13): counts in
the singular or plural as the language wants."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.users.models import UserProfile

from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture
def chief(settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    return get_user_model().objects.create_superuser("chief", "chief@newsroom.example", "x" * 16)


@pytest.fixture
def moderator(chief):
    client = Client()
    client.force_login(chief)
    return client


def held_posts(n: int) -> list:
    author = ReaderUserFactory(reader__display_name="Sara Reads")
    topic = TopicFactory(opened=True)
    return [post(topic, author, text=f"held {i}", status="held") for i in range(n)]


def title(client, url: str) -> str:
    return lxml.html.fromstring(client.get(url).content).findtext(".//title").strip()


def approve_url(posts: list) -> str:
    ids = "&".join(f"id={p.pk}" for p in posts)
    return f"/admin/bulk/forums/post/approve/?{ids}"


def test_the_confirmation_counts_one_forum_post_in_the_singular(moderator):
    one = title(moderator, approve_url(held_posts(1)))
    assert "Approve — 1 forum post" in one and "1 forum posts" not in one
    two = held_posts(2)
    assert "Approve — 2 forum posts" in title(moderator, approve_url(two))


def test_the_topic_confirmation_counts_in_the_singular_too(moderator):
    topic = TopicFactory(opened=True)
    assert "— 1 forum topic" in title(
        moderator, f"/admin/bulk/forums/topic/forum-lock/?id={topic.pk}"
    )
    assert "forum topics" not in title(
        moderator, f"/admin/bulk/forums/topic/forum-lock/?id={topic.pk}"
    )


def test_the_persian_confirmation_keeps_the_noun_singular_after_a_number(moderator, chief):
    profile = UserProfile.get_for_user(chief)
    profile.preferred_language = "fa"
    profile.save()
    two = held_posts(2)
    text = title(moderator, approve_url(two))
    assert "2 نوشتهٔ تالار" in text
    assert "نوشته‌های تالار" not in text
