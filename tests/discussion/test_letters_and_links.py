"""The ways to the reader pages: "Forums · RSS · Guestbook · Contact" in the navigation (a
registered Forums entry first), the seed's prompts in the footer, ``/feed/`` answering with the
feeds, and ``/letters/``: the published letters to the editor with the form to write one."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from broadsheet.content.discussion.models import Letter
from broadsheet.content.discussion.moderation import publish_letter
from broadsheet.site.registry import Slot, registry
from tests.content.factories import StoryFactory

from .factories import LetterFactory

pytestmark = pytest.mark.django_db


def nav_links(html: str) -> list[str]:
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_the_navigation_ends_with_rss_guestbook_and_contact(client_ok, front_page):
    links = nav_links(client_ok.get_html("/"))
    assert links[-3:] == ["/feed/", "/guestbook/", "/contact/"]


def test_a_forums_entry_registered_at_the_default_order_comes_first(
    client_ok, front_page, monkeypatch
):
    forums = Slot("nav_end", lambda build, ctx: Markup('<li><a href="/forums/">Forums</a></li>'))
    entries = sorted([*registry.slots["nav_end"], forums], key=lambda s: s.order)
    monkeypatch.setitem(registry.slots, "nav_end", entries)
    links = nav_links(client_ok.get_html("/"))
    assert links[-4:] == ["/forums/", "/feed/", "/guestbook/", "/contact/"]


def test_the_footer_has_the_seeds_prompts(client_ok, front_page):
    html = client_ok.get_html("/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'Impressions from our site? <a href="/guestbook/">Share them in our Guest Book.</a>' in (
        footer
    )
    assert 'Got feedback? <a href="/contact/">Send a letter to the editor.</a>' in footer
    assert "user forums" not in footer  # no forums registered here


def test_feed_answers_with_the_feeds_and_names_them_for_feed_readers(client_ok, front_page):
    StoryFactory()
    html = client_ok.get_html("/feed/")
    assert '<link rel="alternate" type="application/rss+xml"' in html  # RSS Autodiscovery
    assert 'href="http://127.0.0.1:8000/feeds/rss.xml"' in html
    assert 'href="http://127.0.0.1:8000/feeds/atom.xml"' in html
    assert client_ok.get("/feeds/rss.xml").status_code == 200


def test_letters_page_lists_published_letters_and_has_the_form(client_ok, front_page):
    html = client_ok.get_html("/letters/")
    assert "No letters have been published yet." in html
    assert 'id="letter"' in html and 'name="from" value="letters"' in html
    letter = LetterFactory(subject="On the water crisis")
    story = publish_letter(letter)
    unpublished = LetterFactory(subject="Not for print")
    html = client_ok.get_html("/letters/")
    assert "On the water crisis" in html
    assert story.url in html
    assert "Not for print" not in html
    assert letter.email not in html and unpublished.email not in html


def test_a_letter_sent_from_the_letters_page_goes_back_there(front_page, post_form):
    response = post_form(
        "letter",
        name="Reza",
        email="r@example.org",
        subject="S",
        text="Hello.",
        **{"from": "letters"},
    )
    assert response.status_code == 303
    assert response["Location"].endswith("/letters/#letter-sent")
    assert Letter.objects.count() == 1
    other = post_form("letter", name="Reza", email="r@example.org", subject="S", text="Again.")
    assert other["Location"].endswith("/contact/#letter-sent")


def test_the_contact_page_links_to_the_letters_page(client_ok, front_page):
    assert '<a href="/letters/">Letters to the editor</a>' in client_ok.get_html("/contact/")
