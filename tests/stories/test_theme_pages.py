"""The reading pages' hierarchy: archive months link to the previous and next month that have
stories (and a story that opens or empties a month re-bakes its neighbours), a section front
leads with a story and shows its subsections as a block, an author page shows bio and photo
above the stories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.site.build import make_build
from broadsheet.site.changes import StoryState
from broadsheet.stories.rules import story_pages
from tests.content.factories import AuthorFactory, StoryFactory

pytestmark = pytest.mark.django_db


def when(y: int, m: int, d: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, 12))


@pytest.fixture
def months(front_page):
    iran = ensure_section(["Iran"])
    return {
        (y, m): StoryFactory(parent=iran, title=f"Story {y}-{m:02d}", published_at=when(y, m, 3))
        for y, m in ((2007, 3), (2007, 6), (2008, 1))
    }


def month_links(client_ok, path: str) -> dict[str, str]:
    page = lxml_html.fromstring(client_ok.get_html(path))
    return {
        a.get("rel"): a.get("href") for a in page.xpath('//nav[contains(@class,"month-pager")]//a')
    }


def test_an_archive_month_links_the_months_with_stories_around_it(client_ok, months):
    assert month_links(client_ok, "/archives/2007/06/") == {
        "prev": "/archives/2007/03/",  # May and April have no stories: skipped
        "next": "/archives/2008/01/",
    }
    assert month_links(client_ok, "/archives/2007/03/") == {"next": "/archives/2007/06/"}
    assert month_links(client_ok, "/archives/2008/01/") == {"prev": "/archives/2007/06/"}
    html = client_ok.get_html("/archives/2007/06/")
    assert "Previous month: March 2007" in html and "Next month: January 2008" in html
    # the day is a small label (h2.archive-day-date) above the headlines (h3)
    page = lxml_html.fromstring(html)
    assert page.xpath('//h2[@class="archive-day-date"]') and page.xpath(
        '//h3[@class="card-headline"]'
    )


def test_a_story_in_a_new_month_re_bakes_the_months_around_it(months):
    build = make_build()
    story = months[(2007, 6)]
    state = StoryState(
        story.id, story.url, story.get_parent().id, story.published_at, story.published_at, (), ()
    )
    pages = story_pages(build, None, state)
    touched = {(k, dict(p).get("year"), dict(p).get("month")) for k, p in pages}
    assert ("archive-month", 2007, 3) in touched and ("archive-month", 2008, 1) in touched


def test_a_section_front_leads_with_a_story_and_blocks_its_subsections(client_ok, front_page):
    ensure_section(["Iran", "Iran Economy"])
    opposition = ensure_section(["Iran", "Iran Opposition"])
    StoryFactory(parent=opposition, title="Lead of the section", published_at=when(2007, 6, 18))
    StoryFactory(parent=opposition, title="An older story", published_at=when(2007, 6, 1))
    page = lxml_html.fromstring(client_ok.get_html("/iran/"))
    block = page.xpath('//nav[@class="subsections"]')[0]
    assert block.xpath(".//h2/text()") == ["In this section"]
    assert [a.text for a in block.xpath(".//a")] == ["Iran Economy", "Iran Opposition"]
    lead = page.xpath('//div[@class="section-lead"]//h2[@class="card-headline"]/a/text()')
    assert lead == ["Lead of the section"]
    assert "An older story" in page.xpath('//ol[@class="cards"]')[0].text_content()


def test_an_author_page_shows_bio_and_photo_above_the_stories(client_ok, front_page):
    author = AuthorFactory(name="Ann Writer", bio="Ann covers culture from Paris.")
    StoryFactory(parent=ensure_section(["Culture"]), title="Ann's story", authors=[author])
    html = client_ok.get_html("/authors/ann-writer/")
    assert html.index("Ann covers culture from Paris.") < html.index("Ann&#39;s story")
