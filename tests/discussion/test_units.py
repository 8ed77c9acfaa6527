"""Unit tests of the pieces: normalisation, links, form tokens, origins, Akismet (no network)."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory

from broadsheet.discussion import guard
from broadsheet.discussion.cleaning import count_links, normalize_line, normalize_text
from broadsheet.discussion.pages import plain_text
from broadsheet.discussion.state import comments_state
from broadsheet.site import clients
from broadsheet.site.data import DiscussionInfo
from broadsheet.site.live import thread


def test_normalize_line_removes_invisible_and_direction_characters():
    assert normalize_line("\u202eAdmin\u202c\u200d \u2067x\u2069\ufeff") == "Admin x"
    assert normalize_line("Jose\u0301\n\tSmith\x00") == "José Smith"


def test_normalize_text_keeps_lines_and_drops_controls():
    assert normalize_text("  a\r\nb\rc\x00\x07\td\u202e ") == "a\nb\nc\td"


def test_text_loses_the_bidi_controls_that_can_spoof_and_keeps_the_marks():
    """ "gnp.exe" written with an override displays as "exe.png": the override (and every
    embedding/isolate) goes; the marks LRM/RLM/ALM and the Persian joiners stay."""
    assert normalize_text("see \u202egnp.exe\u202c now") == "see gnp.exe now"
    assert normalize_text("\u2066x\u2069 \u2067y\u2069 \u2068z\u2069 \u202aa\u202b") == "x y z a"
    kept = "Macron\u200e گفت \u200f(۲۰۲۵)\u061c می\u200cخواهم"
    assert normalize_text(kept) == kept
    assert normalize_text("e\u0301") == "é"


def test_count_links():
    assert count_links("see http://a.example, https://b.example and www.c.example") == 3
    assert count_links("<a href=x>y</a> [url=z]") == 2
    assert count_links("no links here") == 0


def test_plain_text_escapes_and_links():
    html = str(plain_text('<script>alert("x")</script>\nhttps://example.org/?a=1&b=2'))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/?a=1&amp;b=2" rel="nofollow">' in html
    assert "<br>" in html


def test_token_round_trip_and_checks():
    token = guard.issue_token("comment", 42, issued_at=1000)
    assert guard.read_token(token, "comment", 42, now=1010) == guard.TokenCheck(True, True, False)
    assert guard.read_token(token, "comment", 42, now=1001).too_fast
    assert not guard.read_token(token, "comment", 42, now=1000 + 3 * 3600).fresh
    assert not guard.read_token(token, "comment", 43, now=1010).valid
    assert not guard.read_token(token, "guestbook", 42, now=1010).valid
    assert not guard.read_token(token[:-2] + "xx", "comment", 42, now=1010).valid
    assert not guard.read_token("", "comment", 42).valid
    baked = guard.issue_token("comment", 42, issued_at=0)
    assert baked == guard.issue_token("comment", 42, issued_at=0)  # same bytes every bake
    assert guard.read_token(baked, "comment", 42) == guard.TokenCheck(True, False, False)


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"HTTP_ORIGIN": "http://127.0.0.1:8000"}, True),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        ({"HTTP_REFERER": "http://127.0.0.1:8000/iran/story/"}, True),
        ({"HTTP_REFERER": "https://evil.example/page"}, False),
    ],
)
def test_origin_check(headers, allowed):
    request = RequestFactory().post("/discussion/comments/", **headers)
    assert guard.origin_allowed(request, "http://127.0.0.1:8000") is allowed


def test_live_url_origin_is_allowed(settings):
    settings.BROADSHEET_LIVE_URL = "https://live.news.example"
    request = RequestFactory().post("/", HTTP_ORIGIN="https://live.news.example")
    assert guard.origin_allowed(request)


def test_client_address_behind_proxies(settings):
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.2"
    )
    settings.BROADSHEET_TRUSTED_PROXIES = []
    assert guard.client_address(request) == "10.0.0.1"
    settings.BROADSHEET_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert guard.client_address(request) == "203.0.113.5"  # not the 6.6.6.6 the client wrote
    settings.BROADSHEET_TRUSTED_PROXIES = ["10.0.0.1"]
    assert guard.client_address(request) == "10.0.0.2"  # 10.0.0.2 is not ours


def test_forwarded_header_from_a_stranger_is_not_believed(settings):
    settings.BROADSHEET_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1, 10.0.0.3"
    )
    assert guard.client_address(request) == "203.0.113.9"


def test_client_address_from_odd_values(settings):
    settings.BROADSHEET_TRUSTED_PROXIES = ["127.0.0.1"]
    post = RequestFactory().post
    assert guard.client_address(post("/", REMOTE_ADDR="::ffff:192.0.2.8")) == "192.0.2.8"
    assert guard.client_address(post("/", REMOTE_ADDR="")) == "0.0.0.0"  # noqa: S104
    garbage = post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>, junk")
    assert guard.client_address(garbage) == "127.0.0.1"


@pytest.mark.parametrize("value", ["10.0.0.1", 2, ["not-an-address"]])
def test_trusted_proxies_must_be_a_list_of_networks(settings, value):
    from django.core.exceptions import ImproperlyConfigured

    settings.BROADSHEET_TRUSTED_PROXIES = value
    with pytest.raises(ImproperlyConfigured, match="BROADSHEET_TRUSTED_PROXIES"):
        clients.trusted_proxies()


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ],
)
def test_ipv6_is_counted_per_64(address, key):
    assert guard.rate_key(address) == key


def test_akismet_is_skipped_without_key(settings, monkeypatch):
    settings.BROADSHEET_AKISMET_KEY = ""

    def fail(*args, **kwargs):
        raise AssertionError("Akismet must not be called without a key")

    monkeypatch.setattr(guard.urllib.request, "urlopen", fail)
    assert guard.akismet_is_spam(RequestFactory().post("/"), "comment", "a", "", "t") is False


@pytest.mark.parametrize(("answer", "spam"), [(b"true", True), (b"false", False)])
def test_akismet_answer(settings, monkeypatch, answer, spam):
    settings.BROADSHEET_AKISMET_KEY = "abc123"
    calls = []

    def fake_urlopen(request, timeout):
        calls.append((request.full_url, request.data))
        return io.BytesIO(answer)

    monkeypatch.setattr(guard.urllib.request, "urlopen", fake_urlopen)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert guard.akismet_is_spam(request, "comment", "Ana", "a@x.org", "Hello") is spam
    assert calls[0][0] == "https://abc123.rest.akismet.com/1.1/comment-check"
    assert b"comment_content=Hello" in calls[0][1] and b"user_ip=192.0.2.1" in calls[0][1]


def test_akismet_failure_means_not_spam(settings, monkeypatch):
    settings.BROADSHEET_AKISMET_KEY = "abc123"

    def down(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr(guard.urllib.request, "urlopen", down)
    assert guard.akismet_is_spam(RequestFactory().post("/"), "comment", "a", "", "t") is False


def test_comments_state_rules():
    import datetime as dt

    now = dt.datetime(2026, 1, 31, tzinfo=dt.UTC)
    published = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    on = DiscussionInfo()
    assert comments_state("open", published, on, now).open
    assert not comments_state("closed", published, on, now).open
    assert comments_state("closed", published, on, now).shown
    assert not comments_state("hidden", published, on, now).shown
    assert not comments_state("open", published, DiscussionInfo(False), now).open
    assert not comments_state("open", published, DiscussionInfo(True, 30), now).open
    assert comments_state("open", published, DiscussionInfo(True, 31), now).open


def test_thread_drops_replies_to_unshown_comments():
    import datetime as dt

    t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        {
            "id": 1,
            "parent_id": None,
            "name": "A",
            "url": "javascript:x",
            "text": "a",
            "created_at": t,
        },
        {
            "id": 2,
            "parent_id": 1,
            "name": "B",
            "url": "https://b.example",
            "text": "b",
            "created_at": t,
        },
        {"id": 3, "parent_id": 99, "name": "C", "url": "", "text": "c", "created_at": t},
    ]
    (top,) = thread(rows)
    assert top.url == ""  # only http(s) links
    assert [r.id for r in top.replies] == [2] and top.replies[0].url == "https://b.example"


def test_a_fresh_token_is_spent_once(db):
    token = guard.issue_token("comment", 42, issued_at=int(guard.clock()) - 10)
    check = guard.read_token(token, "comment", 42)
    assert check.fresh and check.once
    assert guard.spend_token(check) is True
    assert guard.spend_token(guard.read_token(token, "comment", 42)) is False
    other = guard.issue_token("comment", 42, issued_at=int(guard.clock()) - 10)
    assert other != token  # same second, same story: another nonce
    assert guard.spend_token(guard.read_token(other, "comment", 42)) is True


def test_baked_tokens_are_never_spent(db):
    baked = guard.issue_token("comment", 42, issued_at=0)
    for _ in range(3):
        assert guard.spend_token(guard.read_token(baked, "comment", 42)) is True
