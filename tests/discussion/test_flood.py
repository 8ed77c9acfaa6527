"""Rate limits: a flood from one address is stopped with HTTP 429; others still get through."""

from __future__ import annotations

import pytest

from broadsheet.content.discussion.models import Comment
from broadsheet.discussion import guard
from tests.content.factories import StoryFactory

pytestmark = pytest.mark.django_db

NOW = 1_900_000_020.0  # a fixed instant, 20 s into a rate-limit minute


@pytest.fixture
def pinned_clock(monkeypatch):
    """Every post of the test falls in the same minute."""
    monkeypatch.setattr(guard, "clock", lambda: NOW)
    return NOW


def test_flood_of_200_from_one_address_stops_at_the_limit(front_page, post_form, pinned_clock):
    story = StoryFactory()
    statuses = [
        post_form("comment", story.id, ip="203.0.113.9", name="Flood", text=f"spam {i}")
        for i in range(200)
    ]
    limit = guard.conf.get("RATE_PER_ADDRESS_MINUTE")
    assert [r.status_code for r in statuses[:limit]] == [303] * limit
    refused = statuses[limit:]
    assert [r.status_code for r in refused] == [429] * (200 - limit)
    assert refused[0]["Retry-After"] == "60"
    assert "Too many messages" in refused[0].content.decode()
    assert "spam 10" in refused[0].content.decode()  # the text is kept
    assert Comment.objects.filter(name="Flood").count() == limit
    # legitimate readers elsewhere are not shut out
    for n in range(5):
        response = post_form("comment", story.id, ip=f"192.0.2.{n + 1}", name="Ok", text=f"ok {n}")
        assert response.status_code == 303
    assert Comment.objects.filter(name="Ok").count() == 5


def test_a_handful_of_addresses_cannot_shut_discussion_for_everyone(
    front_page, post_form, pinned_clock
):
    """13 addresses × 10 posts fill the global minute (120); they are refused from then on,
    and every other reader's first post still gets through."""
    story = StoryFactory()
    flooders = [f"203.0.113.{n}" for n in range(1, 14)]
    codes = [
        post_form("comment", story.id, ip=ip, name="Flood", text=f"{ip} {i}").status_code
        for i in range(10)
        for ip in flooders
    ]
    assert codes.count(303) == 120  # the global limit held
    assert codes[120:] == [429] * 10
    for n in range(20):
        reader = post_form("comment", story.id, ip=f"192.0.2.{n + 1}", name="Ok", text=f"ok {n}")
        assert reader.status_code == 303
    # while the site is busy each address has one post a minute
    again = post_form("comment", story.id, ip="192.0.2.1", name="Ok", text="a second one")
    assert again.status_code == 429


def test_ipv6_readers_of_one_64_share_a_limit(front_page, post_form, pinned_clock, settings):
    settings.BROADSHEET_DISCUSSION = {"RATE_PER_ADDRESS_MINUTE": 3}
    story = StoryFactory()
    codes = [
        post_form(
            "comment", story.id, ip=f"2001:db8:5:6::{n + 1:x}", name="V6", text=f"v6 {n}"
        ).status_code
        for n in range(5)
    ]
    assert codes == [303, 303, 303, 429, 429]
    other = post_form("comment", story.id, ip="2001:db8:5:7::1", name="V6", text="next door")
    assert other.status_code == 303


def test_hard_global_limit_stops_a_flood_from_very_many_addresses(
    front_page, post_form, pinned_clock, settings
):
    settings.BROADSHEET_DISCUSSION = {"RATE_GLOBAL_MINUTE": 2, "RATE_GLOBAL_MINUTE_HARD": 4}
    story = StoryFactory()
    codes = [
        post_form("comment", story.id, ip=f"192.0.2.{n + 1}", name="N", text=f"t {n}").status_code
        for n in range(6)
    ]
    assert codes == [303, 303, 303, 303, 429, 429]


def test_limits_reset_in_the_next_window(front_page, post_form, monkeypatch, settings):
    settings.BROADSHEET_DISCUSSION = {"RATE_PER_ADDRESS_MINUTE": 1}
    story = StoryFactory()
    monkeypatch.setattr(guard, "clock", lambda: NOW)
    assert post_form("comment", story.id, name="A", text="one").status_code == 303
    assert post_form("comment", story.id, name="A", text="two").status_code == 429
    monkeypatch.setattr(guard, "clock", lambda: NOW + 60)
    assert post_form("comment", story.id, name="A", text="three").status_code == 303
