"""The shared hit counter behind every reader-facing rate limit (site/clients.count_hit)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from broadsheet.site.clients import count_hit, rate_key


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_hits_count_up_within_one_window_and_start_again_in_the_next():
    assert [count_hit("t", "k", 60, 120.0 + i) for i in range(3)] == [1, 2, 3]
    assert count_hit("t", "k", 60, 179.9) == 4  # still the window [120, 180)
    assert count_hit("t", "k", 60, 180.0) == 1  # the next window


def test_scopes_and_keys_are_counted_apart():
    count_hit("discussion", "1.2.3.4", 3600, 7200.0)
    count_hit("discussion", "1.2.3.4", 3600, 7200.0)
    assert count_hit("newsletter", "1.2.3.4", 3600, 7200.0) == 1
    assert count_hit("discussion", "1.2.3.5", 3600, 7200.0) == 1
    assert count_hit("discussion", "1.2.3.4", 60, 7200.0) == 1  # another window length


def test_one_ipv6_line_counts_as_one_key():
    a, b = rate_key("2001:db8:1:2::1"), rate_key("2001:db8:1:2:ffff::9")
    assert a == b == "2001:db8:1:2::/64"
    count_hit("t", a, 60, 0.0)
    assert count_hit("t", b, 60, 1.0) == 2
