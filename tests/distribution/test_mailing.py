"""The shared mailing module: signed links, RFC 8058 headers, the multipart message."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from broadsheet.content import mailing


def test_a_token_reads_back_only_for_its_purpose():
    token = mailing.sign("newsletter-confirm", {"s": [1, 2], "e": "a@example.org"})
    assert mailing.unsign("newsletter-confirm", token, 60) == {"s": [1, 2], "e": "a@example.org"}
    with pytest.raises(mailing.LinkForged):
        mailing.unsign("newsletter-unsubscribe", token)


def test_an_altered_token_is_forged():
    token = mailing.sign("p", {"s": 1, "e": "a@example.org"})
    other = mailing.sign("p", {"s": 2, "e": "a@example.org"})
    spliced = token.rsplit(":", 2)[0] + ":" + other.split(":", 1)[1]
    for bad in ("", "nonsense", token[:-2] + "xx", spliced, token + "a"):
        with pytest.raises(mailing.LinkForged):
            mailing.unsign("p", bad)


def test_an_old_token_has_expired(time_machine):
    time_machine.move_to("2026-01-01 12:00Z", tick=False)
    token = mailing.sign("p", {"s": 1})
    time_machine.move_to("2026-01-08 12:00:01Z", tick=False)
    with pytest.raises(mailing.LinkExpired):
        mailing.unsign("p", token, max_age=7 * 24 * 3600)
    assert mailing.unsign("p", token) == {"s": 1}  # no max_age: no expiry


def test_rfc8058_headers():
    headers = mailing.unsubscribe_headers(
        "https://news.example.org/newsletter/unsubscribe/?t=abc", "mailto:leave@example.org"
    )
    assert headers == {
        "List-Unsubscribe": "<https://news.example.org/newsletter/unsubscribe/?t=abc>, "
        "<mailto:leave@example.org>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    for bad in ("/relative/", "https://x.example/a b", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            mailing.unsubscribe_headers(bad)


def test_header_text_makes_one_line():
    assert mailing.header_text("A\r\nBcc: x@example.org\u2028C\x00D  E") == (
        "A Bcc: x@example.org C D E"
    )
    assert mailing.header_text("x" * 300, 10) == "xxxxxxxxx…"


def test_the_message_is_multipart_alternative_rtl_and_loads_nothing():
    html = mailing.html_document("خبر", "<p>سلام</p>", "fa", "rtl")
    message = mailing.build_message(
        "خبر\nتازه",
        "سلام",
        html,
        "news@newsroom.example",
        ["a@example.org"],
        headers=mailing.unsubscribe_headers("https://n.example/u?t=1"),
    )
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    plain, rich = parsed.iter_parts()
    assert plain.get_content_type() == "text/plain" and rich.get_content_type() == "text/html"
    assert plain.get_content().strip() == "سلام"
    assert '<html lang="fa" dir="rtl">' in rich.get_content()
    assert parsed["Subject"] == "خبر تازه"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for loads in ('<img src="https://t.example/p.gif">', '<p style="background:url(x)">'):
        with pytest.raises(ValueError):
            mailing.build_message("s", "t", html.replace("<p>", loads), "n@x.example", ["a@x.o"])
    with pytest.raises(ValueError):
        mailing.html_document("t", "", "en", "sideways")
    # text that only reads like a tag loads nothing (a hostile headline, escaped)
    escaped = mailing.html_document(
        "t", "<h2>&lt;img src=x onerror=alert(1)&gt; url(x)</h2>", "en", "ltr"
    )
    assert mailing.loads_anything(escaped) == []
    for tag in ("<img src=x>", "<svg><image href=x></svg>", '<a style="background:URL(x)">a</a>',
                "<table background=x>", "<link rel=stylesheet href=x>"):  # fmt: skip
        assert mailing.loads_anything(tag), tag


def test_each_recipient_gets_a_different_token():
    tokens = {mailing.sign("p", {"s": i, "e": f"r{i}@example.org"}) for i in range(200)}
    assert len(tokens) == 200
