"""Typographic quotes and dashes on display (``broadsheet/site/typography.py``): the story
page shows “curly” quotes, ’ and — in English; the stored text and the feed keep what was
typed; code, attributes and URLs are left alone; Persian pages are untouched."""

from __future__ import annotations

import pytest

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.site.typography import typeset_html, typeset_text
from tests.content.factories import StoryFactory

pytestmark = pytest.mark.django_db

HEADLINE = 'Iran Solidarity to create an "Alternative" -- at last'
BODY = (
    '<p>He said "we\'re here" -- twice... See <a href="https://x.example/a--b?q=\'1\'">'
    'the "report"</a>, and <code>x = "y" -- z</code>.</p>'
)


def test_plain_text_gets_quotes_dashes_and_ellipses():
    assert typeset_text('"Alternative" -- it\'s 5 < 6 & done...') == (
        "“Alternative” — it’s 5 < 6 & done…"
    )


def test_html_keeps_attributes_and_code_as_they_are():
    out = typeset_html(BODY)
    assert "He said “we’re here” — twice…" in out
    assert "href=\"https://x.example/a--b?q='1'\"" in out  # the URL untouched
    assert "the “report”" in out
    assert '<code>x = "y" -- z</code>' in out


def test_the_story_page_is_typeset_and_the_stored_text_is_not(client_ok, front_page):
    story = StoryFactory(
        title=HEADLINE,
        standfirst='The "INS" -- a grouping',
        body=[{"type": "paragraph", "value": BODY}],
    )
    html = client_ok.get_html(story.url)
    assert "Iran Solidarity to create an “Alternative” — at last</h1>" in html
    assert '<p class="standfirst">The “INS” — a grouping</p>' in html
    assert "He said “we’re here” — twice…" in html
    assert "<code>x = &#34;y&#34; -- z</code>" in html or '<code>x = "y" -- z</code>' in html
    stored = StoryPage.objects.get(id=story.id)
    assert stored.title == HEADLINE
    assert stored.standfirst == 'The "INS" -- a grouping'
    assert '"we\'re here" --' in str(stored.body[0].value)


def test_feeds_keep_the_text_as_stored(client_ok, front_page):
    StoryFactory(title=HEADLINE)
    feed = client_ok.get_html("/feeds/rss.xml")
    assert "&quot;Alternative&quot; -- at last" in feed or '"Alternative" -- at last' in feed
    assert "“Alternative”" not in feed


def test_persian_pages_are_left_alone():
    from jinja2 import Environment

    from broadsheet.site.typography import typeset

    env = Environment(autoescape=True)
    env.filters["typeset"] = typeset
    template = env.from_string("{{ t|typeset }}")
    assert template.render(t='"quoted" -- text', lang="fa") == "&#34;quoted&#34; -- text"
    assert template.render(t='"quoted" -- text', lang="en") == "“quoted” — text"
