"""Feed entries are found again by source and identity, never by slug: the collisions that
used to overwrite one paper's story with another's, bylines, and undeclared encodings."""

from __future__ import annotations

import pytest

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.models import ImportedStory
from broadsheet.importers.storyfiles import StoryFile, save_story

from .factories import write

pytestmark = pytest.mark.django_db


def rss(site: str, items: str, title: str = "Paper", encoding: str | None = "utf-8") -> str:
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    return f"""{decl}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{title}</title><link>{site}</link><description>d</description>
{items}</channel></rss>"""


def item(title: str, link: str = "", guid: str = "", text: str = "Some text.") -> str:
    parts = [f"<title>{title}</title>" if title else ""]
    parts.append(f"<link>{link}</link>" if link else "")
    parts.append(f'<guid isPermaLink="false">{guid}</guid>' if guid else "")
    return f"<item>{''.join(parts)}<description>{text}</description></item>"


def test_two_papers_whose_links_end_in_amp_make_two_stories(tmp_path, front_page):
    a = write(
        tmp_path,
        rss("https://a.example/", item("Flood in the valley", "https://a.example/flood/amp")),
        "a.xml",
    )
    b = write(
        tmp_path,
        rss(
            "https://b.example/",
            item("Budget passed", "https://b.example/budget/amp"),
            title="Other Paper",
        ),
        "b.xml",
    )
    first = import_feed(a)
    second = import_feed(b)
    assert (first.created, second.created, second.updated) == (1, 1, 0)
    flood = StoryPage.objects.get(title="Flood in the valley")
    assert flood.get_parent().title == "Paper"
    assert StoryPage.objects.get(title="Budget passed").get_parent().title == "Other Paper"
    # The link's generic last segment ("amp") is passed over for the one before it.
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == ["budget", "flood"]


def test_same_slug_from_another_source_is_renamed_and_warned(tmp_path, front_page):
    a = write(tmp_path, rss("https://a.example/", item("Flood", "https://a.example/x/amp")), "a")
    b = write(tmp_path, rss("https://b.example/", item("Budget", "https://b.example/x/amp")), "b")
    import_feed(a)
    report = import_feed(b)
    assert StoryPage.objects.get(slug="x").title == "Flood"
    assert StoryPage.objects.get(slug="x-2").title == "Budget"
    assert report.created == 1
    (warning,) = [w for w in report.warnings if "belongs to another story" in w.reason]
    assert "imported from feed:https://a.example/" in warning.reason
    assert warning.place.endswith("#entry 1")


def test_entries_with_neither_link_nor_title_do_not_collide(tmp_path, front_page):
    a = write(tmp_path, rss("https://a.example/", item("", text="Storm warning for the coast.")))
    b = write(
        tmp_path,
        rss("https://b.example/", item("", text="Elections postponed by a month.")),
        "b.xml",
    )
    import_feed(a)
    import_feed(b)
    titles = sorted(StoryPage.objects.values_list("title", flat=True))
    assert titles == ["Elections postponed by a month.", "Storm warning for the coast."]
    # Importing both again finds each by its content identity: nothing new, nothing changed.
    again = [import_feed(a), import_feed(b)]
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 1), (0, 0, 1)]
    assert ImportedStory.objects.count() == 2


def test_story_written_in_the_newsroom_is_never_changed(tmp_path, front_page):
    own, _ = save_story(
        StoryFile(
            path=tmp_path, headline="Our own", slug="budget", section=["Desk"], published=None
        )
    )
    feed = write(tmp_path, rss("https://b.example/", item("Budget", "https://b.example/budget")))
    report = import_feed(feed)
    own.refresh_from_db()
    assert own.title == "Our own"
    assert StoryPage.objects.get(slug="budget-2").title == "Budget"
    assert any("written in the newsroom" in w.reason for w in report.warnings)


def test_reimport_matches_guid_even_when_link_and_title_change(tmp_path, front_page):
    path = write(tmp_path, rss("https://a.example/", item("Old", "https://a.example/old", "g-1")))
    import_feed(path)
    write(tmp_path, rss("https://a.example/", item("New", "https://a.example/new", "g-1")))
    report = import_feed(path)
    assert (report.created, report.updated) == (0, 1)
    story = StoryPage.objects.get()
    assert (story.title, story.slug) == ("New", "old")


def test_repeated_guid_in_one_feed_is_reported(tmp_path, front_page):
    items = item("One", guid="g") + item("One", guid="g") + item("Two", guid="g")
    report = import_feed(write(tmp_path, rss("https://a.example/", items)))
    assert StoryPage.objects.get().title == "One"
    assert report.skipped == 1 and any("same entry as entry 1" in w.reason for w in report.warnings)
    assert [f.place.rsplit("#", 1)[1] for f in report.failures] == ["entry 3"]
    assert report.accounted == report.items["entry"] == 3


def test_multiple_dc_creators_are_all_bylined(tmp_path, front_page):
    entry = (
        "<item><title>Joint</title><guid>j</guid><dc:creator>Ann One</dc:creator>"
        "<dc:creator>Bob Two</dc:creator><description>t</description></item>"
        "<item><title>Solo</title><guid>s</guid><dc:creator>ann one</dc:creator>"
        "<description>t</description></item>"
    )
    import_feed(write(tmp_path, rss("https://a.example/", entry)))
    joint = StoryPage.objects.get(title="Joint")
    assert [sa.author.name for sa in joint.story_authors.all()] == ["Ann One", "Bob Two"]
    solo = StoryPage.objects.get(title="Solo")
    assert [sa.author.id for sa in solo.story_authors.all()] == [
        joint.story_authors.first().author.id
    ]


@pytest.mark.parametrize(
    ("encoding", "headline"),
    [
        ("gb2312", "北京发生地震"),
        ("koi8-r", "Президент подписал закон о бюджете страны"),
        ("shift_jis", "東京で大雨警報が発表された"),
        ("euc-kr", "서울에서 대규모 집회가 열렸다"),
    ],
)
def test_undeclared_encoding_is_detected(tmp_path, front_page, encoding, headline):
    body = " ".join([headline] * 12)
    text = rss(
        "https://a.example/", item(headline, "https://a.example/1", text=body), encoding=None
    )
    report = import_feed(write(tmp_path, text.encode(encoding)))
    assert report.failures == []
    assert StoryPage.objects.get().title == headline
    assert any("no declared encoding" in w.reason for w in report.warnings)


def test_headline_still_mojibake_is_an_error_and_not_published(tmp_path, front_page):
    bad = "北京发生地震".encode("gb2312").decode("latin-1")  # what a wrong decoding gives
    items = item(bad, "https://a.example/1") + item("Fine headline", "https://a.example/2")
    report = import_feed(write(tmp_path, rss("https://a.example/", items)))
    assert [f.place.rsplit("#", 1)[1] for f in report.failures] == ["entry 1"]
    assert "wrong encoding" in report.failures[0].reason
    assert list(StoryPage.objects.values_list("title", flat=True)) == ["Fine headline"]
