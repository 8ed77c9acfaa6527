"""Every reader page, rendered through the live views (the shared renderer)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from broadsheet.content.newsroom.models import CommentsState, NewsroomSettings, RetiredPath
from broadsheet.content.newsroom.tree import ensure_section
from tests.conftest import executable_scripts
from tests.content.factories import AuthorFactory, StoryFactory, TipFactory

pytestmark = pytest.mark.django_db


def when(y: int, m: int, d: int, h: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.fixture
def newsroom(front_page):
    from wagtail.models import Site

    settings = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    settings.site_name = "Test Agency"
    settings.notice_text = "As of January 2009, this site is closed."
    settings.notice_link_url = "https://example.org/blog"
    settings.notice_link_text = "the new blog"
    settings.save()
    iran = ensure_section(["Iran"])
    opposition = ensure_section(["Iran", "Iran Opposition"])
    culture = ensure_section(["Culture"])
    return {"iran": iran, "opposition": opposition, "culture": culture}


def test_story_page_shows_every_fact(client_ok, newsroom):
    author = AuthorFactory(name="Safa Haeri", email="secret-writer@example.org")
    story = StoryFactory(
        parent=newsroom["opposition"],
        title='Iran National Solidarity To Create An "Alternative"',
        standfirst="The largest grouping of Iranians opposed to the regime.",
        authors=[author],
        byline_credit="IPS",
        dateline_place="Paris",
        dateline_agency="IPS",
        published_at=when(2007, 6, 18),
        updated_at=when(2007, 6, 19),
        story_code="IRAN OPPOSITION 18607",
        comments=CommentsState.CLOSED,
        tags=["Iran", "Exiles"],
        body=[
            {"type": "paragraph", "value": "<p>The conference ended on Sunday.</p>"},
            {
                "type": "pull_quote",
                "value": {"text": "A Noah’s Ark of Iranians.", "attribution": ""},
            },
            {"type": "subheading", "value": "Walkout"},
            {"type": "block_quote", "value": {"text": "Quoted words", "attribution": "A delegate"}},
            {"type": "fact_box", "value": {"title": "INS", "body": "<ul><li>21 members</li></ul>"}},
        ],
    )
    html = client_ok.get_html(story.url)
    assert story.url == "/iran/iran-opposition/" + story.slug + "/"
    # typographic quotes on display (broadsheet/site/typography.py); the stored title keeps "
    assert '<h1 class="headline">Iran National Solidarity To Create An “Alternative”</h1>' in html
    assert '<p class="standfirst">The largest grouping' in html
    assert (
        'By <a href="/authors/safa-haeri/" rel="author"><bdi>Safa Haeri</bdi></a>, <bdi>IPS</bdi>'
        in html
    )
    assert re.search(
        r'Published <time datetime="2007-06-18T12:00:00\+00:00"[^>]*>Monday, June 18, 2007</time>',
        html,
    )
    assert "Updated <time" in html and "Tuesday, June 19, 2007" in html
    assert '<p><span class="dateline">Paris, 18 June (IPS) –</span> The conference ended' in html
    assert html.count("Noah’s Ark of Iranians") == 1
    assert re.search(r'<aside class="pull-quote" aria-hidden="true"[^>]*><p>A Noah’s Ark', html)
    assert "<h2>Walkout</h2>" in html
    assert "<blockquote><p>Quoted words</p></blockquote><figcaption>A delegate" in html
    assert '<aside class="fact-box"' in html and "<li>21 members</li>" in html
    assert "IRAN OPPOSITION 18607" in html
    assert '<a href="/tags/iran/" rel="tag">Iran</a>' in html
    assert "Comments on this page are closed." in html
    assert "secret-writer@example.org" not in html
    assert "As of January 2009, this site is closed." in html
    assert '<a href="https://example.org/blog"><bdi>the new blog</bdi></a>' in html


def test_more_from_section_and_comments_states(client_ok, newsroom):
    first = StoryFactory(parent=newsroom["opposition"], title="First story")
    second = StoryFactory(
        parent=newsroom["opposition"], title="Second story", comments=CommentsState.OPEN
    )
    other = StoryFactory(parent=newsroom["culture"], title="Culture story")
    html = client_ok.get_html(second.url)
    more = html.split('id="more-heading"')[1]
    assert "First story" in more and "Culture story" not in more and "Second story" not in more
    assert "Comments on this page are closed." not in html
    assert first.url in more and other.url not in more


def test_front_page_lists_latest_and_a_block_per_section(client_ok, newsroom, settings):
    # page size 5 (test settings): the 5 newest lead the page, the sections' blocks show the
    # older ones, each story once.
    for day in range(1, 7):
        StoryFactory(
            parent=newsroom["opposition"],
            title=f"Opposition news {day}",
            published_at=when(2007, 6, 10 + day),
        )
        StoryFactory(
            parent=newsroom["culture"], title=f"Culture news {day}", published_at=when(2007, 6, day)
        )
    html = client_ok.get_html("/")
    assert (
        '<a href="/iran/">Iran</a></h2>' in html and '<a href="/culture/">Culture</a></h2>' in html
    )
    lead = html.split('id="latest-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r">(Opposition news \d)<", lead) == [
        f"Opposition news {d}" for d in (6, 5, 4, 3, 2)
    ], "the five newest, newest first"
    iran = html.split('<a href="/iran/">Iran</a></h2>', 1)[1].split("</section>", 1)[0]
    assert re.findall(r">(\w+ news \d)<", iran) == ["Opposition news 1"]
    culture = html.split('<a href="/culture/">Culture</a></h2>', 1)[1].split("</section>", 1)[0]
    assert re.findall(r">(\w+ news \d)<", culture) == [f"Culture news {d}" for d in (6, 5, 4, 3)]


def test_no_story_is_shown_twice_on_the_front_page(client_ok, newsroom):
    """The front page used to list most stories twice: in "Latest" / "More stories" and again
    in their section's block. Every story link appears once, in one of the page's lists."""
    stories = [
        StoryFactory(
            parent=newsroom[name], title=f"{name} story {i}", published_at=when(2007, 6, i + k)
        )
        for k, name in enumerate(("iran", "opposition", "culture"))
        for i in range(1, 9)
    ]
    html = client_ok.get_html("/")
    main = html.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    linked = re.findall(r'class="card-headline"><a href="([^"]+)"', main)
    assert len(linked) == len(set(linked)), sorted(u for u in linked if linked.count(u) > 1)
    assert len(linked) >= 5 + 4 + 4, "the lead list and two full section blocks"
    shown = {s.url for s in stories} & set(linked)
    assert shown == set(linked)


def test_every_page_has_lang_dir_notice_and_no_other_origin(client_ok, newsroom):
    author = AuthorFactory(name="Ann Writer")
    story = StoryFactory(
        parent=newsroom["opposition"],
        authors=[author],
        tags=["Paris"],
        published_at=when(2007, 6, 18),
    )
    TipFactory(title="Got a story?", text="Write to the editor.")
    paths = [
        "/",
        "/iran/",
        "/iran/iran-opposition/",
        story.url,
        "/latest/",
        "/archives/",
        "/archives/2007/",
        "/archives/2007/06/",
        "/archives/2007/06/18/",
        "/authors/",
        "/authors/ann-writer/",
        "/tags/",
        "/tags/paris/",
    ]
    for path in paths:
        html = client_ok.get_html(path)
        assert re.search(r'<html lang="en" dir="ltr">', html), path
        assert "As of January 2009, this site is closed." in html, path
        assert "Got a story?" in html, path
        loaded = re.findall(r'\ssrc="([^"]+)"', html) + [
            href
            for rel, href in re.findall(r'<link rel="([^"]+)" href="([^"]+)"', html)
            if rel not in ("canonical", "alternate")
        ]
        assert any("site.css" in url for url in loaded), path
        for url in loaded:
            assert not re.match(r"^(https?:)?//", url), f"{path} loads {url}"
    assert executable_scripts(client_ok.get_html(story.url)) == []


def test_section_front_pagination_counts_from_the_oldest(client_ok, newsroom, settings):
    settings.BROADSHEET_PAGE_SIZE = 5  # 12 stories: pages 1 (1-5), 2 (6-10), 3 (11-12)
    stories = [
        StoryFactory(
            parent=newsroom["opposition"], title=f"Story {i:02d}", published_at=when(2007, 1, 1 + i)
        )
        for i in range(12)
    ]
    front = client_ok.get_html("/iran/")
    assert all(f"Story {i:02d}" in front for i in range(7, 12))
    assert "Story 06" not in front
    assert 'href="/iran/page/2/" rel="next"' in front  # page holding the 6th newest (Story 06)
    page1 = client_ok.get_html("/iran/page/1/")
    assert all(f"Story {i:02d}" in page1 for i in range(5))
    assert page1.index("Story 04") < page1.index("Story 00")  # newest first within a page
    assert 'href="/iran/page/2/" rel="prev"' in page1
    page3 = client_ok.get_html("/iran/page/3/")
    assert "Story 10" in page3 and "Story 11" in page3 and "Story 09" not in page3
    assert 'href="/iran/" rel="prev"' in page3
    client_ok.get_html("/iran/page/4/", status=404)
    client_ok.get_html("/iran/page/0/", status=404)
    # A new story changes the front and the newest page only: pages 1 and 2 stay the same.
    before = [client_ok.get_html(f"/iran/page/{n}/") for n in (1, 2)]
    StoryFactory(parent=newsroom["opposition"], title="Story 12", published_at=when(2007, 2, 1))
    after = [client_ok.get_html(f"/iran/page/{n}/") for n in (1, 2)]
    assert before == after
    assert "Story 12" in client_ok.get_html("/iran/page/3/")
    assert stories[0].title == "Story 00"


def test_archives_by_year_month_day(client_ok, newsroom):
    StoryFactory(
        parent=newsroom["culture"], title="June eighteenth", published_at=when(2007, 6, 18)
    )
    StoryFactory(
        parent=newsroom["culture"], title="June nineteenth", published_at=when(2007, 6, 19)
    )
    StoryFactory(parent=newsroom["culture"], title="March story", published_at=when(2008, 3, 2))
    index = client_ok.get_html("/archives/")
    assert 'href="/archives/2007/06/">June</a> <span class="count">(2)</span>' in index
    assert 'href="/archives/2008/03/">March</a>' in index
    year = client_ok.get_html("/archives/2007/")
    assert "June 2007" in year and "March" not in year
    month = client_ok.get_html("/archives/2007/06/")
    assert "June eighteenth" in month and "June nineteenth" in month and "March story" not in month
    assert 'href="/archives/2007/06/18/"' in month
    day = client_ok.get_html("/archives/2007/06/18/")
    assert "June eighteenth" in day and "June nineteenth" not in day
    for path in (
        "/archives/2007/07/",
        "/archives/2007/13/",
        "/archives/2007/02/30/",
        "/archives/1999/",
    ):
        client_ok.get_html(path, status=404)


def test_latest_author_and_tag_pages(client_ok, newsroom):
    ann = AuthorFactory(name="Ann Writer", bio="Paris correspondent.", email="ann@example.org")
    StoryFactory(parent=newsroom["culture"], title="By Ann", authors=[ann], tags=["Film"])
    StoryFactory(parent=newsroom["culture"], title="Not by Ann", tags=["Music"])
    StoryFactory(parent=newsroom["culture"], title="Draft story", live=False, tags=["Film"])
    latest = client_ok.get_html("/latest/")
    assert "By Ann" in latest and "Not by Ann" in latest and "Draft story" not in latest
    author = client_ok.get_html("/authors/ann-writer/")
    assert "Paris correspondent." in author and "By Ann" in author and "Not by Ann" not in author
    assert "ann@example.org" not in author
    assert "Ann Writer" in client_ok.get_html("/authors/")
    tag = client_ok.get_html("/tags/film/")
    assert "By Ann" in tag and "Not by Ann" not in tag and "Draft story" not in tag
    tags = client_ok.get_html("/tags/")
    assert 'href="/tags/film/"' in tags and 'href="/tags/music/"' in tags
    client_ok.get_html("/authors/nobody/", status=404)
    client_ok.get_html("/tags/nothing/", status=404)


def test_draft_is_not_public(client_ok, newsroom):
    draft = StoryFactory(parent=newsroom["culture"], title="Embargoed draft", live=False)
    client_ok.get_html("/culture/" + draft.slug + "/", status=404)
    assert "Embargoed draft" not in client_ok.get_html("/")


def test_404_and_410_pages(client_ok, newsroom):
    html = client_ok.get_html("/no/such/page/", status=404)
    assert "Page not found" in html and "As of January 2009" in html
    story = StoryFactory(parent=newsroom["culture"], title="Withdrawn story")
    url = story.url
    client_ok.get_html(url)
    story.unpublish()
    assert RetiredPath.objects.filter(path=url).exists()
    gone = client_ok.get_html(url, status=410)
    assert "This page is gone" in gone
    story.refresh_from_db()
    story.save_revision().publish()
    client_ok.get_html(url)
    assert not RetiredPath.objects.filter(path=url).exists()
    other = StoryFactory(parent=newsroom["culture"], title="Deleted story")
    other_url = other.url
    other.delete()
    client_ok.get_html(other_url, status=410)


def test_hostile_text_is_escaped(client_ok, newsroom):
    StoryFactory(
        parent=newsroom["culture"],
        title="<script>alert(1)</script>",
        standfirst='"><img src=x onerror=alert(1)>',
        dateline_place="<b>Paris</b>",
    )
    front = client_ok.get_html("/")
    assert "<script>alert(1)</script>" not in front
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in front
    assert "<img src=x" not in front


def test_dateline_opens_a_paragraph_written_in_the_admin_editor(client_ok, newsroom):
    story = StoryFactory(
        parent=newsroom["culture"],
        dateline_place="Berlin",
        body=[{"type": "paragraph", "value": '<p data-block-key="ab12c">Text from Draftail.</p>'}],
    )
    html = client_ok.get_html(story.url)
    assert '<p data-block-key="ab12c"><span class="dateline">Berlin, ' in html
