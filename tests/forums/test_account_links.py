"""The forum pages say who is signed in and lead to the account and to signing out (a new
user, signed in, found no way to their profile or out of the site but typing the address)."""

from __future__ import annotations

import re

from django.test import Client

from .factories import BoardFactory, ReaderUserFactory, TopicFactory


def account_line(html: str) -> str:
    found = re.search(r'<p class="forum-account">(.*?)</p>', html)
    assert found, "no account line on the page"
    return found.group(1)


def test_forum_pages_lead_a_signed_in_reader_to_the_account_and_out(client):
    board = BoardFactory()
    topic = TopicFactory(board=board, opened=True)
    pages = ["/forums/", f"/forums/{board.slug}/", f"/forums/{board.slug}/{topic.pk}/"]
    reader = Client()
    reader.force_login(ReaderUserFactory())
    for path in pages:
        signed_in = account_line(reader.get(path).content.decode())
        assert 'href="/accounts/profile/"' in signed_in and 'href="/accounts/logout/"' in signed_in
        assert "/accounts/login/" not in signed_in, path
        signed_out = account_line(client.get(path).content.decode())
        assert "/accounts/logout/" not in signed_out, path
        assert f'href="/accounts/login/?next={path}"' in signed_out
        assert f'href="/accounts/signup/?next={path}"' in signed_out
