"""Issue 17, what was left (session 6): scheduled WordPress posts, comment outcomes on a
re-import, comments without dates, archived pages' addresses, bylines that are host names,
and media in the import fingerprints. Small inputs written for these tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.archived import extract_page, import_html_pages
from broadsheet.importers.pagemeta import clean_author
from broadsheet.importers.wxr import import_wxr

from .factories import png, write, wxr_comment, wxr_document, wxr_item


@pytest.mark.parametrize(
    "byline",
    [
        "By example-news",
        "By localhost",
        "localhost:8000",
        "By example.com",
        "Example.org",
        "news.example.co.uk",
        "By https://example.org/staff",
        "www.example.org",
        "jane@example.org",
    ],
)
def test_a_byline_that_is_a_host_name_url_or_e_mail_is_not_a_person(byline):
    assert clean_author(byline) == ""


@pytest.mark.parametrize(
    "name", ["Jane Doe", "Jean-Pierre Dupont", "Anna-Lena", "J.R.R. Tolkien", "St.John Smith"]
)
def test_names_with_hyphens_and_dots_are_still_names(name):
    assert clean_author(f"By {name}") == name


# -- 1. scheduled WordPress posts ------------------------------------------------------------

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_a_scheduled_post_is_published_at_its_date(tmp_path, front_page, bulk):
    """``wp:status`` future with a date ahead: saved, not live, Wagtail's revision approved to
    go live at that date; the scheduler publishes it then."""
    from broadsheet.publishing.schedule import publish_due

    doc = wxr_document(
        wxr_item(1, title="Now", name="now"),
        wxr_item(2, title="Later", name="later", status="future", date_gmt="2026-03-05 07:30:00"),
    )
    with time_machine.travel(NOW, tick=False):
        report = import_wxr(write(tmp_path, doc), bulk=bulk)
        later = StoryPage.objects.get(slug="later")
        go_live = dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.UTC)
        assert (later.live, later.go_live_at) == (False, go_live)
        assert later.latest_revision.approved_go_live_at == go_live
        assert (report.counts["scheduled posts"], report.counts["published posts"]) == (1, 1)
        assert report.accounted == sum(report.items.values()) == 2
        assert report.warnings == []
        again = import_wxr(write(tmp_path, doc), bulk=bulk)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    with time_machine.travel(go_live + dt.timedelta(seconds=5), tick=False):
        publish_due()
    later.refresh_from_db()
    assert later.live and later.published_at == go_live


@pytest.mark.django_db
def test_a_scheduled_post_whose_time_has_passed_is_published_with_a_warning(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(2, title="Late", name="late", status="future", date_gmt="2026-03-01 07:30:00")
    )
    with time_machine.travel(NOW, tick=False):
        report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get(slug="late").live
    assert any("which has passed" in w.reason for w in report.warnings)


# -- 2 and 3. comments on a re-import ------------------------------------------------------


def comment_writes(run) -> list[str]:
    """The INSERTs and UPDATEs of comment rows that ``run()`` makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.content.discussion.models import Comment

    table = Comment._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        run()
    return [
        q["sql"]
        for q in queries.captured_queries
        if table in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]


COMMENTED = (
    wxr_item(
        1,
        title="First",
        comments=wxr_comment(10) + wxr_comment(11, parent=10) + wxr_comment(12, text=" "),
    ),
    wxr_item(2, title="Second", name="second", status="draft", comments=wxr_comment(20)),
    wxr_item(3, title="About", name="about", post_type="page", comments=wxr_comment(30)),
    wxr_item(4, title="Binned", name="binned", status="trash", comments=wxr_comment(40)),
)


@pytest.mark.django_db
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "one by one"])
def test_comments_imported_again_are_reported_unchanged(tmp_path, front_page, bulk):
    """Each comment of the file has one outcome, and the outcomes add up to the file's
    comments: the second run creates none and says so."""
    path = write(tmp_path, wxr_document(*COMMENTED))
    first = import_wxr(path, bulk=bulk)
    # 10, 11, 20 imported; 12 (empty), 30 (on a page) and 40 (in the trash) skipped.
    assert first.parts["comments"] == {"created": 3, "skipped": 3}
    assert first.parts_in_input["comments"] == 6
    again = import_wxr(path, bulk=bulk)
    assert again.parts["comments"] == {"unchanged": 3, "skipped": 3}
    assert "comments in the input: 6 (unchanged 3, skipped 3)" in again.summary()
    path.write_text(wxr_document(*COMMENTED).replace("A comment.", "A comment, edited.", 1))
    edited = import_wxr(path, bulk=bulk)
    assert edited.parts["comments"] == {"updated": 1, "unchanged": 2, "skipped": 3}


@pytest.mark.django_db
def test_comments_of_a_post_that_failed_are_failed(tmp_path, front_page, monkeypatch):
    from broadsheet.importers import identity

    real = identity.write_story

    def write_story(sf, story, **kwargs):
        if sf.slug == "second":
            raise RuntimeError("disk full")
        return real(sf, story, **kwargs)

    monkeypatch.setattr(identity, "write_story", write_story)
    report = import_wxr(write(tmp_path, wxr_document(*COMMENTED)), bulk=False)
    assert report.parts["comments"] == {"created": 2, "skipped": 3, "failed": 1}
    assert sum(report.parts["comments"].values()) == report.parts_in_input["comments"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["publish", "draft"])
def test_comments_without_a_date_are_not_rewritten(tmp_path, front_page, status):
    from broadsheet.content.discussion.models import Comment

    doc = wxr_document(wxr_item(1, status=status, date_gmt="", comments=wxr_comment(10, date="")))
    # A WordPress draft has no date at all: "0000-00-00 00:00:00" and this pubDate.
    path = write(tmp_path, doc.replace("Sun, 01 Jan 2012 09:00:00 +0000", "Mon, 30 Nov -0001"))
    import_wxr(path)
    created_at = Comment.objects.get().created_at
    report = None

    def run():
        nonlocal report
        report = import_wxr(path)

    assert comment_writes(run) == []
    assert report.parts["comments"] == {"unchanged": 1}
    assert Comment.objects.get().created_at == created_at


@pytest.mark.django_db
def test_a_comment_id_repeated_under_another_post_is_its_own_comment(tmp_path, front_page):
    """Comment ids are matched within their post: two posts with a comment 10 each (a
    merged or hand-edited export) keep one comment each, and a second run writes none."""
    from broadsheet.content.discussion.models import Comment

    doc = wxr_document(
        wxr_item(1, comments=wxr_comment(10, "On the first.")),
        wxr_item(2, comments=wxr_comment(10, "On the second.")),
    )
    path = write(tmp_path, doc)
    first = import_wxr(path)
    assert first.parts["comments"] == {"created": 2}
    texts = {c.story.slug: c.text for c in Comment.objects.select_related("story")}
    assert texts == {"post-1": "On the first.", "post-2": "On the second."}
    assert comment_writes(lambda: import_wxr(path)) == []


# -- 6. media in the fingerprints ------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_whose_image_file_changed_is_updated(tmp_path, front_page):
    """The same export imported again after only a picture was replaced (same name, other
    bytes): the post is updated and shows the new picture; nothing else is rewritten."""
    from wagtail.images import get_image_model

    media = tmp_path / "uploads"
    photo = png(media / "2012" / "01" / "photo.png", "red")
    url = "http://old.example.org/wp-content/uploads/2012/01/photo.png"
    doc = wxr_document(
        wxr_item(
            30,
            title="Photo",
            post_type="attachment",
            status="inherit",
            extra=f"<wp:attachment_url>{url}</wp:attachment_url>",
        ),
        wxr_item(
            1,
            content=f'Text.\n\n<img src="{url}" alt="A photo">',
            extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            "<wp:meta_value>30</wp:meta_value></wp:postmeta>",
        ),
        wxr_item(2, title="Words only", name="words"),
    )
    path = write(tmp_path, doc)
    import_wxr(path, media_dir=media)
    assert import_wxr(path, media_dir=media).unchanged == 3
    png(photo, "blue")
    report = import_wxr(path, media_dir=media)
    # The attachment (a new image) and the post that shows it; the other post is unchanged.
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    story = StoryPage.objects.get(slug="post-1")
    digest = hashlib.sha1(photo.read_bytes()).hexdigest()  # noqa: S324 - Wagtail's file_hash
    new = get_image_model().objects.get(file_hash=digest)
    assert story.lead_image == new
    assert story.body[1].value["image"] == new


# -- 4. archived pages read with their address -----------------------------------------------

BASE = "https://old.example/"
FILLER = (
    "The committee met on Tuesday and agreed to publish its findings next month, after "
    "hearing from residents, engineers and the city's own auditors about the costs."
)


def archived_page(headline: str, links: str, head: str = "", mark: str = "") -> bytes:
    """An archived article page without a canonical link (unless ``head`` has one)."""
    return (
        f'{mark}<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
        f"<title>{headline}</title>{head}</head><body><article><h1>{headline}</h1>"
        f"<p>{FILLER} {links}</p><p>{FILLER}</p></article></body></html>"
    ).encode()


def paragraph_html(story: StoryPage) -> str:
    return "".join(b["value"] for b in story.body.raw_data if b["type"] == "paragraph")


def test_relative_links_are_resolved_against_the_pages_folder():
    """trafilatura alone resolves against the site's root (``/b.html``): wrong for a page
    in a folder."""
    links = '<a href="b.html">next</a>, <a href="../up.html">up</a>, <a href="#n">note</a>'
    page = extract_page(archived_page("A harbour plan", links), url=BASE + "2010/06/a.html")
    html = "".join(b["value"] for b in page.body if b["type"] == "paragraph")
    assert 'href="https://old.example/2010/06/b.html"' in html
    assert 'href="https://old.example/2010/up.html"' in html
    assert 'href="#n"' in html


def test_a_base_element_is_the_base_of_the_links():
    head = '<base href="/archive/2010/">'
    page = extract_page(
        archived_page("A harbour plan", '<a href="b.html">next</a>', head),
        url=BASE + "a.html",
    )
    assert 'href="https://old.example/archive/2010/b.html"' in page.body[0]["value"]


@pytest.mark.django_db
def test_a_mirrored_folder_with_a_base_url_keeps_its_links(tmp_path, front_page, client):
    """``import html FOLDER --base-url URL``: each file's address is the URL joined with its
    path in the folder; a link to a page imported too leads to its story, another link
    comes out absolute, and the old address redirects."""
    from django.core.management import call_command

    folder = tmp_path / "mirror" / "2010" / "06"
    folder.mkdir(parents=True)
    (folder / "a.html").write_bytes(
        archived_page(
            "Harbour plan approved",
            'See <a href="b.html">the budget</a> and <a href="../../about.html">us</a>.',
        )
    )
    (folder / "b.html").write_bytes(archived_page("Harbour budget opposed", "No links."))
    call_command(
        "import",
        "html",
        str(tmp_path / "mirror"),
        "--base-url",
        BASE,
        "--quiet",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    a = StoryPage.objects.get(title="Harbour plan approved")
    b = StoryPage.objects.get(title="Harbour budget opposed")
    assert f'href="{b.url}"' in paragraph_html(a)
    assert 'href="https://old.example/about.html"' in paragraph_html(a)
    assert a.import_origin.entry == BASE + "2010/06/a.html"
    response = client.get("/2010/06/a.html")
    assert response.status_code == 301 and response["Location"].endswith(a.url)


@pytest.mark.django_db
def test_a_saved_page_is_read_with_the_address_it_was_saved_from(tmp_path, front_page):
    mark = "<!-- saved from url=(0036)https://old.example/2010/06/a.html -->\n"
    path = tmp_path / "Harbour plan.html"
    path.write_bytes(archived_page("Harbour plan approved", '<a href="b.html">b</a>', mark=mark))
    report = import_html_pages([path])
    assert report.failures == []
    a = StoryPage.objects.get()
    assert 'href="https://old.example/2010/06/b.html"' in paragraph_html(a)
