"""WordPress imports: identity by site and wp:post_id, every byline, honest counts."""

from __future__ import annotations

import pytest

from broadsheet.content.newsroom.models import Author, SectionPage, StoryPage
from broadsheet.importers.wxr import import_wxr

from .factories import write, wxr_document, wxr_item

pytestmark = pytest.mark.django_db

AUTHORS = """
  <wp:author><wp:author_login>Jane</wp:author_login>
    <wp:author_email>Jane@Example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Jane Roe]]></wp:author_display_name></wp:author>
  <wp:author><wp:author_login>jane</wp:author_login>
    <wp:author_email>jane@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Jane Roe]]></wp:author_display_name></wp:author>
  <wp:author><wp:author_login>kim</wp:author_login>
    <wp:author_email>kim@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Kim Lee]]></wp:author_display_name></wp:author>
"""
COAUTHORS = (
    '<category domain="author" nicename="cap-editor"><![CDATA[editor]]></category>'
    '<category domain="author" nicename="cap-jane"><![CDATA[jane]]></category>'
    '<category domain="author" nicename="cap-guest-writer"><![CDATA[Guest Writer]]></category>'
)


def test_co_authors_plus_bylines_all_authors_with_author_pages(tmp_path, front_page, client):
    doc = wxr_document(wxr_item(1, title="Joint", extra=COAUTHORS), head=AUTHORS)
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    story = StoryPage.objects.get()
    names = [sa.author.name for sa in story.story_authors.all()]
    assert names == ["Ed Itor", "Jane Roe", "Guest Writer"]
    # The Co-Authors Plus terms are bylines, not tags or sections.
    assert not story.tags.exists()
    assert not SectionPage.objects.filter(title__in=["jane", "Guest Writer"]).exists()
    for author in (sa.author for sa in story.story_authors.all()):
        page = client.get(f"/authors/{author.slug}/")
        assert page.status_code == 200
        assert "Joint" in page.content.decode(), author.name


def test_author_logins_and_emails_match_in_any_case(tmp_path, front_page):
    Author.objects.create(name="K. Lee", email="KIM@example.org")
    extra = "<dc:creator>JANE</dc:creator>"
    doc = wxr_document(
        wxr_item(1, title="By Jane", extra=extra).replace("<dc:creator>editor</dc:creator>", ""),
        wxr_item(2, title="By Kim").replace("<dc:creator>editor", "<dc:creator>Kim"),
        head=AUTHORS,
    )
    report = import_wxr(write(tmp_path, doc))
    assert sorted(Author.objects.values_list("name", flat=True)) == [
        "Ed Itor",
        "Jane Roe",
        "K. Lee",
    ]
    assert any("different case" in w.reason for w in report.warnings)
    by_jane = StoryPage.objects.get(title="By Jane")
    assert [sa.author.name for sa in by_jane.story_authors.all()] == ["Jane Roe"]
    by_kim = StoryPage.objects.get(title="By Kim")
    assert [sa.author.name for sa in by_kim.story_authors.all()] == ["K. Lee"]


def test_multiple_dc_creators_without_co_authors_plus(tmp_path, front_page):
    item = wxr_item(1).replace(
        "<dc:creator>editor</dc:creator>",
        "<dc:creator>editor</dc:creator><dc:creator>kim</dc:creator>",
    )
    import_wxr(write(tmp_path, wxr_document(item, head=AUTHORS)))
    story = StoryPage.objects.get()
    assert [sa.author.name for sa in story.story_authors.all()] == ["Ed Itor", "Kim Lee"]


def test_two_sites_with_the_same_post_slug_make_two_stories(tmp_path, front_page):
    a = wxr_document(wxr_item(7, title="First site", name="hello-world"))
    b = a.replace("old.example.org", "other.example.net").replace("First site", "Second site")
    import_wxr(write(tmp_path, a, "a.xml"))
    report = import_wxr(write(tmp_path, b, "b.xml"))
    assert StoryPage.objects.get(slug="hello-world").title == "First site"
    assert StoryPage.objects.get(slug="hello-world-2").title == "Second site"
    assert (report.created, report.updated) == (1, 0)
    assert any("imported from wxr:old.example.org" in w.reason for w in report.warnings)
    # Importing the first site again updates its own story only.
    again = import_wxr(write(tmp_path, a.replace("First site", "First, edited"), "a.xml"))
    assert (again.created, again.updated) == (0, 1)
    assert StoryPage.objects.get(slug="hello-world").title == "First, edited"
    assert StoryPage.objects.get(slug="hello-world-2").title == "Second site"


def test_repeated_post_id_is_counted_and_reported(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(5, title="Original"),
        wxr_item(5, title="Original"),
        wxr_item(5, title="Another post with the same id", name="another"),
        wxr_item(6, post_type="nav_menu_item"),
    )
    report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get().title == "Original"
    assert (report.created, report.skipped, report.failed) == (1, 2, 1)
    assert "repeats the post at line" in report.failures[0].reason
    assert any("repeats line" in w.reason and "skipped" in w.reason for w in report.warnings)
    assert dict(report.items) == {"post": 3, "nav_menu_item": 1}
    assert report.accounted == 4
    assert "items in the input: 4 (nav_menu_item 1, post 3)" in report.summary()


def test_categories_count_sections_created_and_merged(tmp_path, front_page):
    cats = (("news", "News"), ("world", "World"), ("world-2", "World"), ("welt", "World"))
    doc = wxr_document(*(wxr_item(i, categories=(c,)) for i, c in enumerate(cats, start=1)))
    report = import_wxr(write(tmp_path, doc))
    assert report.counts["categories"] == 4
    assert report.counts["sections created"] == 2
    assert report.counts["categories merged"] == 2
    assert SectionPage.objects.count() == 2
    again = import_wxr(write(tmp_path, doc))
    assert (again.counts["sections existing"], again.counts["sections created"]) == (2, 0)
