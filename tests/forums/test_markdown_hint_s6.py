"""The post form's Markdown hint on a Persian page: its link example is written left to right
(in a left-to-right isolate, LRI…PDI), so the bidi algorithm does not turn
"[پیوند](https://…)" into "(…//:https)[پیوند]" (a new user's finding, issue 13)."""

from __future__ import annotations

import re

import pytest

from tests.editions.factories import persian_front

from .factories import BoardFactory, ReaderUserFactory

LRI, PDI = "\u2066", "\u2069"


@pytest.mark.django_db
def test_the_persian_hint_isolates_its_link_example_left_to_right(client):
    persian_front()
    board = BoardFactory(language="fa", slug="goftogoo")
    client.force_login(ReaderUserFactory(reader__language="fa"))
    page = client.get(f"/fa/forums/{board.slug}/new/").content.decode()
    hint = re.search(r'id="forum-text-help"[^>]*>(.*?)</p>', page, re.S)[1]
    assert f"{LRI}[پیوند](https://…){PDI}" in hint
    assert hint.count(LRI) == hint.count(PDI) == 1  # every isolate closed


@pytest.mark.django_db
def test_the_english_hint_needs_no_isolate(client):
    board = BoardFactory(slug="letters")
    client.force_login(ReaderUserFactory())
    page = client.get(f"/forums/{board.slug}/new/").content.decode()
    hint = re.search(r'id="forum-text-help"[^>]*>(.*?)</p>', page, re.S)[1]
    assert "[link](https://…)" in hint and LRI not in hint
