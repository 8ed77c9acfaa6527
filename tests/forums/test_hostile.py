"""Hostile strings (the Big List of Naughty Strings) in every field of sign-up, profile, topic
and post: never a server error, nothing unescaped, nothing lost — a refused post comes back
with its text and the reason. A sample runs everywhere; every string on PostgreSQL (slow)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.readers.models import Reader
from broadsheet.discussion.cleaning import normalize_line, normalize_text, visible_length
from tests.discussion.test_hostile_input import PAGE_ATTRS, PAGE_TAGS, TagCollector

from .factories import PASSWORD, BoardFactory, ReaderUserFactory, TopicFactory, post

MARKDOWN_TAGS = {"strong", "em", "code"}  # the forums' Markdown subset


def assert_clean(html: str) -> None:
    from tests.conftest import executable_scripts

    assert executable_scripts(html) == []
    parser = TagCollector()
    parser.feed(html)
    assert parser.tags <= PAGE_TAGS | MARKDOWN_TAGS, parser.tags - PAGE_TAGS - MARKDOWN_TAGS
    ours = PAGE_ATTRS | {"cols"}  # Django's Textarea widget (the profile's bio)
    assert parser.attrs <= ours, parser.attrs - ours
    for href in parser.hrefs:
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href


def naughty_strings(shared) -> list[str]:
    path = shared / "fixtures" / "hostile" / "blns.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def no_limits(settings):
    settings.BROADSHEET_DISCUSSION = {
        "RATE_PER_ADDRESS_MINUTE": 10**6,
        "RATE_PER_ADDRESS_HOUR": 10**6,
        "RATE_GLOBAL_MINUTE": 10**6,
        "RATE_GLOBAL_MINUTE_HARD": 10**6,
    }
    settings.BROADSHEET_FORUM_POSTS_PER_MINUTE = 10**6
    settings.BROADSHEET_FORUM_POSTS_PER_HOUR = 10**6
    settings.ACCOUNT_RATE_LIMITS = False


def run_topics_and_posts(strings: list[str]) -> None:
    reader = ReaderUserFactory()
    board = BoardFactory()
    post(TopicFactory(opened=True, board=board), reader)  # approved: published at once
    client = Client()
    client.force_login(reader)
    topic = TopicFactory(opened=True, board=board)
    for i, value in enumerate(strings):
        for field in ("title", "text"):
            data = {"title": f"Title {i}", "text": f"Text {i}", field: value}
            answer = client.post(f"/forums/{board.slug}/new/", data)
            assert answer.status_code in (303, 400), (i, value, answer.status_code)
            if answer.status_code == 400:
                html = answer.content.decode()
                assert 'role="alert"' in html, (i, value)
                assert_clean(html)
                from markupsafe import escape

                kept = normalize_line(value) if field == "title" else normalize_text(value)
                assert str(escape(kept)) in html, (i, value)
            else:
                page = client.get(answer["Location"].split("#")[0].split("?")[0])
                assert page.status_code == 200, (i, value)
                assert_clean(page.content.decode())
        answer = client.post(f"/forums/post/{topic.pk}/", {"text": value})
        assert answer.status_code in (303, 400), (i, value)
    stored = Post.objects.filter(topic=topic).exclude(author=None)  # not the first post
    # what a reader can see of at least two characters (format characters alone are no text)
    expected = {normalize_text(v) for v in strings if visible_length(normalize_text(v)) >= 2}
    assert {p.text for p in stored} == expected  # nothing lost, nothing changed
    last = Topic.objects.get(pk=topic.pk)
    for number in range(1, last.posts_count // 20 + 2):
        path = f"/forums/{board.slug}/{topic.pk}/" + (f"page/{number}/" if number > 1 else "")
        assert_clean(client.get(path).content.decode())
    assert_clean(client.get("/forums/latest/").content.decode())
    for value in strings[:50]:
        answer = client.get("/forums/search/", {"q": value})
        assert answer.status_code == 200
        assert_clean(answer.content.decode())


def run_profiles(strings: list[str]) -> None:
    reader = ReaderUserFactory()
    client = Client()
    client.force_login(reader)
    for i, value in enumerate(strings):
        answer = client.post(
            "/accounts/profile/", {"display_name": value, "bio": value, "language": "en"}
        )
        assert answer.status_code in (302, 400), (i, value, answer.status_code)
        if answer.status_code == 302:
            profile = Reader.objects.get(user=reader)
            assert profile.display_name == normalize_line(value)[:60], (i, value)
            assert_clean(client.get("/accounts/profile/").content.decode())
    for i, value in enumerate(strings):
        answer = Client().post(
            "/accounts/signup/",
            {
                "email": f"hostile{i}@readers.example",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": value,
                "language": "en",
            },
        )
        assert answer.status_code in (200, 302), (i, value, answer.status_code)


def test_a_sample_of_hostile_strings(shared, no_limits):
    strings = naughty_strings(shared)
    extra = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "\u202eRTL"]
    sample = [*strings[::25], *extra]
    run_topics_and_posts(sample)
    run_profiles(sample)


@pytest.mark.slow
def test_every_hostile_string(shared, no_limits):
    strings = naughty_strings(shared)
    run_topics_and_posts(strings)
    run_profiles(strings)
