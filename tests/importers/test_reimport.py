"""Importing the same input again is a no-op: every item counted ``unchanged``, no new
revision, no log entry, no redirect written, and the report says so (issue 17). Checked for
WordPress posts and pages, feeds, archived pages and story files, on both write paths."""

from __future__ import annotations

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry, Revision

from broadsheet.content.newsroom.models import InfoPage, StoryPage
from broadsheet.importers.archived import import_html_pages
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.models import ImportedPage
from broadsheet.importers.storyfiles import import_story_files
from broadsheet.importers.wxr import import_wxr
from broadsheet.publishing.models import BakeRequest

from .factories import png, write, wxr_comment, wxr_document, wxr_item
from .test_bulk import entry, rss, story_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bake_on_change(settings):
    """Every save readers could see queues a bake (a ``BakeRequest`` row; the bake itself
    would run once the test's transaction commits, which it never does)."""
    settings.BROADSHEET_BAKE_ON_CHANGE = True


def writes() -> tuple[int, int, int, list[tuple[str, int, bool]]]:
    """Revisions, log entries, bakes queued and the redirects (old path, page, permanent) as
    they stand."""
    redirects = sorted(Redirect.objects.values_list("old_path", "redirect_page_id", "is_permanent"))
    bakes = BakeRequest.objects.count()
    return Revision.objects.count(), PageLogEntry.objects.count(), bakes, redirects


def outcome(report) -> tuple[int, int, int, int, int]:
    return report.created, report.updated, report.unchanged, report.skipped, report.failed


PAGES = (
    wxr_item(21, title="Child", name="child", post_type="page", parent=20),
    wxr_item(20, title="About us", name="about", post_type="page", content="<h2>Who</h2>We are."),
    wxr_item(22, title="Hidden", name="hidden", post_type="page", status="draft"),
    wxr_item(
        23,
        title="Contact",
        name="contact",
        post_type="page",
        link="http://old.example.org/?page_id=23",
    ),
)
POSTS = (
    wxr_item(1, title="First", comments=wxr_comment(10) + wxr_comment(11, parent=10)),
    wxr_item(2, title="Second", name="second", status="draft"),
)


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_a_wordpress_export_imported_again_changes_nothing(tmp_path, front_page, bulk):
    path = write(tmp_path, wxr_document(*PAGES, *POSTS))
    first = import_wxr(path, bulk=bulk)
    assert outcome(first) == (6, 0, 0, 0, 0)
    assert first.counts["redirects"] == 3  # post 1, pages 20 and 21 (23 is a plain permalink)
    before = writes()
    again = import_wxr(path, bulk=bulk)
    assert outcome(again) == (0, 0, 6, 0, 0)
    assert again.accounted == sum(again.items.values()) == 6
    assert "redirects" not in again.counts  # none created or changed
    assert writes() == before
    assert again.counts["pages"] == 4 and again.counts["posts"] == 2  # what the file holds


def test_wordpress_pages_remember_their_post_id(tmp_path, front_page):
    import_wxr(write(tmp_path, wxr_document(*PAGES)))
    about = InfoPage.objects.get(slug="about")
    origin = ImportedPage.objects.get(page=about)
    assert (origin.source, origin.entry) == ("wxr:old.example.org", "page:20")
    assert ImportedPage.objects.count() == 4


def test_a_page_is_found_by_its_post_id_and_updated_when_it_changed(tmp_path, front_page):
    import_wxr(write(tmp_path, wxr_document(*PAGES)))
    about = InfoPage.objects.get(slug="about")
    about.slug = "who-we-are"  # an editor renames it: the import follows the identity
    about.save_revision().publish()
    revisions = Revision.objects.filter(object_id=str(about.pk)).count()
    changed = wxr_item(
        20, title="About us", name="about", post_type="page", content="<h2>Who</h2>We grew."
    )
    again = import_wxr(write(tmp_path, wxr_document(PAGES[0], changed, *PAGES[2:])))
    assert outcome(again) == (0, 1, 3, 0, 0)
    about.refresh_from_db()
    assert about.slug == "who-we-are" and "We grew." in about.body
    assert Revision.objects.filter(object_id=str(about.pk)).count() == revisions + 1
    assert InfoPage.objects.count() == 4
    assert InfoPage.objects.get(slug="child").get_parent().id == about.id


def test_pages_imported_before_they_had_an_identity_are_found_and_left_alone(tmp_path, front_page):
    path = write(tmp_path, wxr_document(*PAGES))
    import_wxr(path)
    ImportedPage.objects.all().delete()  # as imported by an earlier version
    before = writes()
    again = import_wxr(path)
    assert outcome(again) == (0, 0, 4, 0, 0)
    assert writes() == before
    assert ImportedPage.objects.count() == 4
    assert InfoPage.objects.count() == 4


def test_a_page_written_in_the_newsroom_with_the_slug_is_never_changed(tmp_path, front_page):
    ours = InfoPage(title="About the newsroom", slug="about", body="<p>Ours.</p>")
    front_page.add_child(instance=ours)
    ours.save_revision().publish()
    report = import_wxr(write(tmp_path, wxr_document(PAGES[1])))
    assert outcome(report) == (1, 0, 0, 0, 0)
    ours.refresh_from_db()
    assert (ours.title, ours.body) == ("About the newsroom", "<p>Ours.</p>")
    imported = ImportedPage.objects.get().page
    assert imported.slug == "about-20" and imported.title == "About us"
    assert any("about" in w.reason and "about-20" in w.reason for w in report.warnings)


def test_redirects_are_counted_when_created_or_changed_only(tmp_path, front_page):
    path = write(tmp_path, wxr_document(*PAGES[:2], POSTS[0]))
    assert import_wxr(path).counts["redirects"] == 3
    Redirect.objects.get(old_path="/2012/01/01/post-1").delete()  # an editor removed it
    moved = wxr_item(
        20, title="About us", name="about", post_type="page", content="<h2>Who</h2>We moved."
    )
    changed = wxr_item(1, title="First, corrected", comments=wxr_comment(10) + wxr_comment(11))
    again = import_wxr(write(tmp_path, wxr_document(PAGES[0], moved, changed)))
    assert outcome(again) == (0, 2, 1, 0, 0)
    # The post's redirect is made again; the updated page's one was already right.
    assert again.counts["redirects"] == 1
    assert Redirect.objects.count() == 3


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_a_feed_imported_again_changes_nothing(tmp_path, front_page, bulk):
    path = write(tmp_path, rss("".join(entry(n, f"s-{n}") for n in range(1, 5))), "feed.xml")
    assert outcome(import_feed(path, bulk=bulk)) == (4, 0, 0, 0, 0)
    before = writes()
    again = import_feed(path, bulk=bulk)
    assert outcome(again) == (0, 0, 4, 0, 0)
    assert writes() == before


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_story_files_imported_again_change_nothing(tmp_path, front_page, bulk):
    folder = tmp_path / "stories"
    folder.mkdir()
    for n in range(1, 4):
        (folder / f"{n}.md").write_text(story_file(n, f"s-{n}"), "utf-8")
    (folder / "4.md").write_text(story_file(4, "s-4", status="draft"), "utf-8")
    assert outcome(import_story_files([folder], bulk=bulk)) == (4, 0, 0, 0, 0)
    before = writes()
    again = import_story_files([folder], bulk=bulk)
    assert outcome(again) == (0, 0, 4, 0, 0)
    assert writes() == before
    (folder / "2.md").write_text(story_file(2, "s-2").replace("Story 2", "Story two"), "utf-8")
    changed = import_story_files([folder], bulk=bulk)
    assert outcome(changed) == (0, 1, 3, 0, 0)
    assert StoryPage.objects.get(slug="s-2").title == "Story two from the harbour"


def test_a_story_files_image_changed_on_disk_updates_the_story(tmp_path, front_page):
    folder = tmp_path / "stories"
    png(folder / "lead.png", "red")
    text = story_file(1, "s-1").replace("---\n\n", "lead_image: {file: lead.png}\n---\n\n", 1)
    (folder / "1.md").write_text(text, "utf-8")
    assert outcome(import_story_files([folder])) == (1, 0, 0, 0, 0)
    assert outcome(import_story_files([folder])) == (0, 0, 1, 0, 0)
    png(folder / "lead.png", "blue")  # the same name, another picture
    assert outcome(import_story_files([folder])) == (0, 1, 0, 0, 0)


def test_archived_pages_imported_again_change_nothing(tmp_path, front_page):
    body = " ".join(["The minister spoke to reporters on the steps of the ministry."] * 4)

    def page(name: str, title: str, other: str) -> None:
        (tmp_path / name).write_text(
            f'<html><head><title>{title}</title><link rel="canonical" '
            f'href="http://old.example/news/{name}"></head><body><article><h1>{title}</h1>'
            f'<p>{body} See <a href="/news/{other}">the other story</a> for more.</p>'
            f"<p>{body}</p></article></body></html>",
            "utf-8",
        )

    page("a.html", "Minister speaks", "b.html")
    page("b.html", "Minister resigns", "a.html")
    first = import_html_pages([tmp_path])
    assert outcome(first) == (2, 0, 0, 0, 0)
    a = StoryPage.objects.get(title="Minister speaks")
    b = StoryPage.objects.get(title="Minister resigns")
    assert f'href="{b.url}"' in str(a.body)  # the link points at the new story
    before = writes()
    again = import_html_pages([tmp_path])
    assert outcome(again) == (0, 0, 2, 0, 0)
    assert writes() == before
    a.refresh_from_db()
    assert f'href="{b.url}"' in str(a.body)
