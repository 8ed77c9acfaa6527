"""The WordPress importer on small hand-made exports, one broken thing at a time."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from broadsheet.content.discussion.models import Comment
from broadsheet.content.newsroom.models import Author, InfoPage, SectionPage, StoryPage
from broadsheet.importers.wxr import import_wxr, parse_wp_date
from tests.conftest import executable_scripts

from .factories import png, write, wxr_comment, wxr_document, wxr_item

pytestmark = pytest.mark.django_db


def places(entries) -> list[str]:
    return [f"{e.place} {e.reason}" for e in entries]


def test_posts_become_stories_with_section_author_standfirst_and_tags(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(
            1,
            title="Council &amp; mayor agree",
            excerpt="<p>The <b>deal</b> is done.</p>",
            tags=("Budget", "City Hall"),
            categories=(("city", "City"),),
        ),
        head="""<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>city</wp:category_nicename>
        <wp:category_parent>news</wp:category_parent><wp:cat_name>City</wp:cat_name></wp:category>""",
    )
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    story = StoryPage.objects.get(slug="post-1")
    assert story.title == "Council & mayor agree"
    assert story.live
    assert story.standfirst == "The deal is done."
    assert story.get_parent().title == "City"
    assert story.get_parent().get_parent().title == "News"  # category hierarchy kept
    assert [sa.author.name for sa in story.story_authors.all()] == ["Ed Itor"]
    assert Author.objects.get(name="Ed Itor").email == "editor@example.org"
    assert sorted(t.name for t in story.tags.all()) == ["Budget", "City Hall"]
    assert [b.block_type for b in story.body] == ["paragraph"]
    assert story.body.raw_data[0]["value"] == "<p>First paragraph.</p><p>Second paragraph.</p>"
    assert story.published_at.isoformat() == "2012-01-01T09:00:00+00:00"
    assert report.counts["published posts"] == 1
    assert report.counts["categories"] == 2


def test_reimport_updates_and_never_duplicates(tmp_path, front_page):
    item = wxr_item(1, title="First", comments=wxr_comment(10) + wxr_comment(11, parent=10))
    first = import_wxr(write(tmp_path, wxr_document(item)))
    assert (first.created, first.updated) == (1, 0)
    changed = wxr_item(
        1, title="Second", comments=wxr_comment(10, text="Edited") + wxr_comment(11, parent=10)
    )
    again = import_wxr(write(tmp_path, wxr_document(changed)))
    assert (again.created, again.updated) == (0, 1)
    assert StoryPage.objects.count() == 1
    assert StoryPage.objects.get().title == "Second"
    assert Comment.objects.count() == 2
    assert Comment.objects.get(source_key="wxr:old.example.org:10").text == "Edited"
    assert SectionPage.objects.filter(title="News").count() == 1
    assert Redirect.objects.count() == 1  # the permalink, once


def test_dry_run_changes_nothing(tmp_path, front_page):
    report = import_wxr(write(tmp_path, wxr_document(wxr_item(1))), dry_run=True)
    assert report.created == 1
    assert report.counts["published posts"] == 1
    assert not StoryPage.objects.exists()
    assert not SectionPage.objects.exists()


def test_statuses_drafts_private_password_and_sticky(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(1, status="draft"),
        wxr_item(2, status="private"),
        wxr_item(3, status="publish", password="secret"),
        wxr_item(4, status="future", date_gmt="2030-01-01 10:00:00"),
        wxr_item(5, status="publish", sticky=True),
        wxr_item(6, status="pending"),
    )
    report = import_wxr(write(tmp_path, doc))
    live = {s.slug: s.live for s in StoryPage.objects.all()}
    assert live == {
        "post-1": False,
        "post-2": False,
        "post-3": False,
        "post-4": False,
        "post-5": True,
        "post-6": False,
    }
    assert [t.name for t in StoryPage.objects.get(slug="post-5").tags.all()] == ["Sticky"]
    assert any("password-protected" in w for w in places(report.warnings))
    assert report.counts["published posts"] == 1


def test_missing_status_is_kept_as_draft_and_reported(tmp_path, front_page):
    report = import_wxr(write(tmp_path, wxr_document(wxr_item(1, status=None), wxr_item(2))))
    assert not StoryPage.objects.get(slug="post-1").live
    assert StoryPage.objects.get(slug="post-2").live
    warning = next(w for w in report.warnings if "wp:status" in w.reason)
    assert re.search(r"export\.xml:\d+$", warning.place)


def test_empty_title_gets_a_headline_and_a_warning(tmp_path, front_page):
    report = import_wxr(write(tmp_path, wxr_document(wxr_item(1, title="", name="no-title-here"))))
    assert StoryPage.objects.get(slug="no-title-here").title == "No title here"
    assert any("empty title" in w.reason for w in report.warnings)
    report = import_wxr(write(tmp_path, wxr_document(wxr_item(7, title="  ", name=""))))
    assert StoryPage.objects.filter(title="Untitled post 7", slug="post-7").exists()


def test_empty_and_duplicate_tag_names(tmp_path, front_page):
    head = """
    <wp:tag><wp:term_id>5</wp:term_id><wp:tag_slug>x</wp:tag_slug><wp:tag_name><![CDATA[]]></wp:tag_name></wp:tag>
    <wp:tag><wp:term_id>6</wp:term_id><wp:tag_slug>budget</wp:tag_slug><wp:tag_name>Budget</wp:tag_name></wp:tag>
    <wp:tag><wp:term_id>7</wp:term_id><wp:tag_slug>budget-2</wp:tag_slug><wp:tag_name>budget</wp:tag_name></wp:tag>
    """
    doc = wxr_document(wxr_item(1, tags=("Budget", "BUDGET", "", "Roads")), head=head)
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    assert sorted(t.name for t in StoryPage.objects.get().tags.all()) == ["Budget", "Roads"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Budget", "Roads"]
    reasons = [w.reason for w in report.warnings]
    assert sum("empty tag name" in r for r in reasons) == 2
    assert any("duplicate tag 'budget'" in r for r in reasons)
    assert report.counts["tags"] == 2


def test_duplicate_slugs_are_renamed_and_reported(tmp_path, front_page):
    doc = wxr_document(wxr_item(1, name="same", title="One"), wxr_item(2, name="same", title="Two"))
    report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get(slug="same").title == "One"
    assert StoryPage.objects.get(slug="same-2").title == "Two"
    assert any("duplicate slug 'same'" in w.reason for w in report.warnings)
    # Importing again renames the same way: still two stories.
    import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.count() == 2


def test_zero_dates_and_dates_before_1970(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(1, date_gmt="0000-00-00 00:00:00", date="2011-05-04 08:00:00"),
        wxr_item(2, date_gmt="1969-07-20 20:17:00"),
        wxr_item(3, status="draft", date_gmt="0000-00-00 00:00:00", date="0000-00-00 00:00:00"),
    )
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    assert StoryPage.objects.get(slug="post-1").published_at.year == 2011  # local date used
    assert StoryPage.objects.get(slug="post-2").published_at.year == 1969
    assert any("before 1970" in w.reason for w in report.warnings)
    assert StoryPage.objects.get(slug="post-3").live is False


def test_parse_wp_date_falls_back_in_order():
    assert parse_wp_date("0000-00-00 00:00:00", "0000-00-00 00:00:00", "")[0] is None
    value, problem = parse_wp_date("", "", "Sun, 01 Jan 2012 09:00:00 +0000")
    assert value.isoformat() == "2012-01-01T09:00:00+00:00" and problem == ""
    assert (
        parse_wp_date("2012-02-30 00:00:00", "", "")[1]
        == "date '2012-02-30 00:00:00' is not a date"
    )


def test_broken_xml_is_reported_and_the_rest_imported(tmp_path, front_page):
    broken = wxr_item(2, title="Broken <b>unclosed")
    doc = wxr_document(wxr_item(1, title="Before"), broken, wxr_item(3, title="After"))
    report = import_wxr(write(tmp_path, doc))
    assert {s.title for s in StoryPage.objects.all()} >= {"Before", "After"}
    assert report.failures, "broken markup must be reported"
    line = doc.split("\n").index(next(x for x in doc.split("\n") if "unclosed" in x)) + 1
    assert any(f.place.endswith(f":{line}") and "XML" in f.reason for f in report.failures)


def test_truncated_file_keeps_the_complete_items(tmp_path, front_page):
    doc = wxr_document(wxr_item(1, title="Complete"), wxr_item(2, title="Cut"))
    cut = doc[: doc.index("<wp:post_name>post-2")]
    report = import_wxr(write(tmp_path, cut))
    assert StoryPage.objects.filter(title="Complete").exists()
    assert report.failed >= 1


def test_invalid_bytes_are_replaced_and_reported(tmp_path, front_page):
    doc = wxr_document(wxr_item(1, title="Caf\udcff title"), wxr_item(2, title="Fine"))
    data = doc.encode("utf-8", errors="surrogateescape")
    assert b"\xff" in data
    report = import_wxr(write(tmp_path, data))
    assert StoryPage.objects.get(slug="post-1").title == "Caf\ufffd title"
    assert StoryPage.objects.filter(slug="post-2").exists()
    # A repair is a warning: every item was imported, so nothing failed.
    assert any("invalid utf-8 bytes" in w.reason for w in report.warnings)
    assert report.failures == []


def test_character_references_to_surrogates(tmp_path, front_page):
    doc = wxr_document(wxr_item(1, title="Bad &#xD83D; ref &#55357; and &#x1F600;"))
    report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get().title == "Bad \ufffd ref \ufffd and \U0001f600"
    assert sum("character reference" in w.reason for w in report.warnings) == 2
    assert report.failures == []


def test_comments_keep_status_threads_and_order(tmp_path, front_page):
    comments = (
        wxr_comment(1, "Top one", date="2012-01-01 10:00:00")
        + wxr_comment(2, "Reply to one", parent=1, date="2012-01-01 11:00:00")
        + wxr_comment(3, "Reply to the reply", parent=2, date="2012-01-01 12:00:00")
        + wxr_comment(4, "Held one", approved="0", date="2012-01-01 13:00:00")
        + wxr_comment(5, "Spam one", approved="spam", date="2012-01-01 14:00:00")
        + wxr_comment(6, "Orphan reply", parent=99, date="2012-01-01 15:00:00")
        + wxr_comment(7, "<p>Has <script>alert(1)</script>markup</p>", date="2012-01-01 16:00:00")
    )
    report = import_wxr(write(tmp_path, wxr_document(wxr_item(1, comments=comments))))
    by_key = {c.source_key.rsplit(":", 1)[1]: c for c in Comment.objects.all()}
    assert by_key["1"].parent is None
    assert by_key["2"].parent == by_key["1"]
    assert by_key["3"].parent == by_key["1"]  # one level deep: under its top-level ancestor
    assert [c.text for c in by_key["1"].replies.order_by("created_at", "id")] == [
        "Reply to one",
        "Reply to the reply",
    ]
    assert (by_key["4"].status, by_key["5"].status, by_key["1"].status) == (
        "held",
        "spam",
        "approved",
    )
    assert by_key["6"].parent is None
    assert by_key["7"].text == "Has markup"
    assert by_key["1"].ip_address == "203.0.113.5"
    assert any("parent 99" in w.reason for w in report.warnings)
    assert report.counts["approved comments"] == 5


def test_pages_keep_hierarchy_and_are_not_stories(tmp_path, front_page):
    doc = wxr_document(
        wxr_item(21, title="Child", name="child", post_type="page", parent=20),
        wxr_item(
            20, title="About us", name="about", post_type="page", content="<h2>Who</h2>We are."
        ),
        wxr_item(22, title="Hidden", name="hidden", post_type="page", status="draft"),
    )
    report = import_wxr(write(tmp_path, doc))
    about = InfoPage.objects.get(slug="about")
    assert about.get_parent().specific == front_page
    assert InfoPage.objects.get(slug="child").get_parent().id == about.id
    assert about.body == "<h2>Who</h2><p>We are.</p>"
    assert not InfoPage.objects.get(slug="hidden").live
    assert not StoryPage.objects.exists()
    assert report.counts["pages"] == 3
    import_wxr(write(tmp_path, doc))
    assert InfoPage.objects.count() == 3


def test_attachments_come_from_the_media_folder_only(tmp_path, front_page):
    media = tmp_path / "uploads"
    png(media / "2012" / "01" / "photo.png")
    attachment = wxr_item(
        30,
        title="Photo",
        post_type="attachment",
        status="inherit",
        extra="<wp:attachment_url>http://old.example.org/wp-content/uploads/2012/01/photo.png</wp:attachment_url>",
    )
    missing = wxr_item(
        31,
        title="Gone",
        post_type="attachment",
        status="inherit",
        extra="<wp:attachment_url>http://old.example.org/wp-content/uploads/gone.png</wp:attachment_url>",
    )
    post = wxr_item(
        1,
        content=(
            "Text.\n\n"
            '<img src="http://old.example.org/wp-content/uploads/2012/01/photo-300x200.png"'
            ' alt="A photo">\n\n<img src="http://elsewhere.example/x.png">'
        ),
        extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>30</wp:meta_value></wp:postmeta>",
    )
    report = import_wxr(write(tmp_path, wxr_document(attachment, missing, post)), media_dir=media)
    images = get_image_model().objects.all()
    assert images.count() == 1
    story = StoryPage.objects.get()
    assert story.lead_image == images.get()
    assert [b.block_type for b in story.body] == ["paragraph", "image"]
    assert story.body[1].value["image"] == images.get()
    assert report.counts["images"] == 1
    assert any("1 image(s) without a local file" in w.reason for w in report.warnings)
    import_wxr(write(tmp_path, wxr_document(attachment, missing, post)), media_dir=media)
    assert get_image_model().objects.count() == 1


def test_permalinks_become_redirects_to_the_new_page(client, tmp_path, front_page):
    import_wxr(write(tmp_path, wxr_document(wxr_item(1, name="old-slug"))))
    story = StoryPage.objects.get()
    response = client.get("/2012/01/01/old-slug/")
    assert response.status_code == 301
    assert response["Location"].endswith(story.url)
    assert client.get("/?p=1").status_code == 200  # plain permalinks: the front page answers
    assert not Redirect.objects.filter(old_path__startswith="/?").exists()


HOSTILE = (
    '<p onclick="steal()">Hello <a href="javascript:alert(1)">x</a></p>'
    "<script>alert('body')</script><img src=x onerror=alert(2)>"
    '<svg onload="alert(3)"><circle/></svg><iframe src="http://evil.example/"></iframe>'
    '<style>body{display:none}</style><a href="http://ok.example/" onmouseover="x()">ok</a>'
    '<form action="http://evil.example/"><input name=a></form>'
    "<blockquote onmouseover=alert(4)>Quote</blockquote><h2 onclick=alert(5)>Sub</h2>"
)


def test_no_script_or_event_handler_reaches_a_page(client, tmp_path, front_page):
    doc = wxr_document(
        wxr_item(
            1,
            title="Hostile &lt;script&gt;alert(6)&lt;/script&gt;",
            content=HOSTILE,
            excerpt="<script>alert(7)</script><b onclick=x>deck</b>",
            comments=wxr_comment(1, "<script>alert(8)</script><img src=x onerror=alert(9)>hi"),
        ),
        wxr_item(2, title="Page", name="page", post_type="page", content=HOSTILE),
    )
    report = import_wxr(write(tmp_path, doc))
    assert report.failures == []
    for page in (StoryPage.objects.get(), InfoPage.objects.get()):
        html = client.get(page.url).content.decode()
        assert executable_scripts(html) == []
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", html, re.I)
        assert "javascript:" not in html
        assert "evil.example" not in html
        assert (
            "<iframe" not in html
            and "<svg" not in html
            and "<style" not in html.split("</head>")[1]
        )
    assert 'href="http://ok.example/"' in client.get(StoryPage.objects.get().url).content.decode()


def test_command_exit_status_repairs_pass_losses_fail(tmp_path, front_page, capsys):
    # A repaired character is a warning: every item imported, exit status 0.
    path = write(tmp_path, wxr_document(wxr_item(1), wxr_item(2, title="A &#xD800; b")))
    call_command("import", "wxr", str(path), "--quiet")
    out, err = capsys.readouterr()
    assert "created 2" in out and "failed 0" in out
    assert "items in the input: 2 (post 2)" in out
    assert "warning:" in err and "character reference &#xD800;" in err
    # A truncated file loses what was cut: exit status 1.
    doc = wxr_document(wxr_item(3, title="Complete"), wxr_item(4, title="Cut"))
    cut = write(tmp_path, doc[: doc.index("<wp:post_name>post-4")], "cut.xml")
    with pytest.raises(CommandError):
        call_command("import", "wxr", str(cut), "--quiet")
    assert "failed:" in capsys.readouterr().err
    call_command(
        "import", "wxr", str(write(tmp_path, wxr_document(wxr_item(1)))), "--quiet", "--dry-run"
    )
    assert "dry run: would have created 0, updated 0, unchanged 1" in capsys.readouterr().out
    changed = wxr_document(wxr_item(1, title="New title"))
    call_command("import", "wxr", str(write(tmp_path, changed)), "--quiet", "--dry-run")
    assert "dry run: would have created 0, updated 1" in capsys.readouterr().out
    assert StoryPage.objects.get(slug="post-1").title == "A post"


def test_wxr_10_and_11_namespaces(tmp_path, front_page):
    for version in ("1.0", "1.1"):
        doc = wxr_document(wxr_item(1, title=f"Version {version}", excerpt="Deck")).replace(
            "wordpress.org/export/1.2/", f"wordpress.org/export/{version}/"
        )
        report = import_wxr(write(tmp_path, doc))
        assert report.failures == []
        story = StoryPage.objects.get(slug="post-1")
        assert story.title == f"Version {version}"
        assert story.live and story.standfirst == "Deck"


def test_category_at_a_reserved_path_is_reported(tmp_path, front_page):
    doc = wxr_document(wxr_item(1, categories=(("media", "Media"),)))
    report = import_wxr(write(tmp_path, doc))
    assert StoryPage.objects.get().get_parent().slug == "media-section"
    assert any("/media-section/: /media/ is a path" in w.reason for w in report.warnings)
