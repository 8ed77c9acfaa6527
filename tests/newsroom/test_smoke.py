import pytest

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_story_page_shows_headline_and_dateline(client_ok, front_page):
    story = StoryFactory(title="A headline")
    html = client_ok.get_html(story.url)
    assert '<h1 class="headline">A headline</h1>' in html
    assert '<span class="dateline">Paris, ' in html
