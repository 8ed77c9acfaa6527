"""Safety of ``broadsheet freeze`` and of bakes into other folders (issue 12, a new user's
findings): a folder of someone else's is refused rather than emptied."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.content.newsroom.models import NewsroomSettings
from broadsheet.publishing.archive import unfreeze
from broadsheet.publishing.files import foreign_files

BASE = "https://ips.example.org"


@pytest.fixture
def one_story(front_page, settings, tmp_path):
    """A small site (the front page, a story) whose own output is ``tmp_path/site``."""
    from tests.content.factories import StoryFactory

    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return StoryFactory(title="The seed story", slug="seed")


def someone_elses(folder: Path) -> Path:
    """A folder with a newsroom's own notes in it, as the new user made it."""
    (folder / "sub").mkdir(parents=True)
    (folder / "README-mine.txt").write_text("notes")
    (folder / "sub" / "keep.txt").write_text("k")
    return folder


def freeze(folder: Path, **options) -> str:
    """``broadsheet freeze`` into ``folder`` (``--base-url`` BASE unless given, None: none);
    what it printed. The site is unfrozen afterwards."""
    out = io.StringIO()
    options.setdefault("base_url", BASE)
    try:
        call_command("freeze", output=str(folder), no_progress=True, stdout=out, **options)
    finally:
        unfreeze()
    return out.getvalue()


def assert_untouched(folder: Path) -> None:
    assert (folder / "README-mine.txt").read_text() == "notes"
    assert (folder / "sub" / "keep.txt").read_text() == "k"


# -- W1: a folder of someone else's ---------------------------------------------------------------
def test_foreign_files_of_empty_missing_and_our_folders(tmp_path):
    assert foreign_files(tmp_path / "missing") == []
    (tmp_path / "empty").mkdir()
    assert foreign_files(tmp_path / "empty") == []
    (tmp_path / "empty" / ".git" / "objects").mkdir(parents=True)  # a mirror kept in git
    (tmp_path / "empty" / ".git" / "HEAD").write_text("ref: refs/heads/main")
    assert foreign_files(tmp_path / "empty") == []  # a bake never looks into .git
    assert foreign_files(tmp_path / "empty", dot_folders=True) == [".git/HEAD", ".git/objects/"]
    (tmp_path / "empty" / ".htaccess").write_text("Options -Indexes")
    assert foreign_files(tmp_path / "empty") == [".htaccess"]  # but it would remove this
    other = someone_elses(tmp_path / "other")
    assert foreign_files(other) == ["README-mine.txt", "sub/keep.txt"]
    (other / "empty-dir").mkdir()
    assert foreign_files(other) == ["README-mine.txt", "empty-dir/", "sub/keep.txt"]
    for n in range(10):
        (other / f"many-{n}.txt").write_text("x")
    assert len(foreign_files(other, limit=3)) == 4  # stops early: a few, and "more"
    baked = someone_elses(tmp_path / "baked")
    (baked / ".bake").mkdir()
    (baked / ".bake" / "config.json").write_text("{}")
    assert foreign_files(baked) == []
    frozen = someone_elses(tmp_path / "frozen")
    (frozen / "SHA256SUMS").write_text("")
    assert foreign_files(frozen) == ["README-mine.txt", "SHA256SUMS", "sub/keep.txt"]
    (frozen / "archive.warc.gz").write_bytes(b"")
    assert foreign_files(frozen) == []


@pytest.mark.django_db
def test_freeze_refuses_a_folder_of_someone_elses_and_changes_nothing(one_story, tmp_path):
    folder = someone_elses(tmp_path / "X")
    with pytest.raises(CommandError) as caught:
        freeze(folder, notice="Closed", notice_url="https://example.org/farewell")
    message = str(caught.value)
    assert "README-mine.txt" in message and "sub/keep.txt" in message
    assert "not empty" in message
    assert_untouched(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["README-mine.txt", "sub"]
    settings_ = NewsroomSettings.objects.get()
    assert not settings_.frozen and settings_.closing_notice == ""  # refused before anything


@pytest.mark.django_db
@pytest.mark.parametrize("relative", [False, True])
def test_bake_elsewhere_refuses_a_folder_of_someone_elses(one_story, tmp_path, relative):
    folder = someone_elses(tmp_path / "X")
    with pytest.raises(CommandError) as caught:
        call_command(
            "bake", output=str(folder), relative=relative, no_progress=True, stdout=io.StringIO()
        )
    assert "README-mine.txt" in str(caught.value)
    assert_untouched(folder)
    assert not (folder / ".bake").exists() and not (folder / "index.html").exists()


@pytest.mark.django_db
def test_our_own_folders_are_baked_and_frozen_again(one_story, tmp_path):
    """A relative bake's folder (its ``.bake/config.json``) may be frozen; a frozen folder (no
    ``.bake/`` left, its SHA256SUMS and WARC) may be frozen again and baked into again."""
    folder = tmp_path / "mirror"
    call_command("bake", output=str(folder), relative=True, no_progress=True, stdout=io.StringIO())
    assert (folder / ".bake" / "config.json").is_file()
    (folder / "stale.html").write_text("an old page")  # a bake of ours prunes what is gone
    freeze(folder)
    assert not (folder / ".bake").exists() and not (folder / "stale.html").exists()
    assert (folder / "SHA256SUMS").is_file()
    freeze(folder)
    assert (folder / "index.html").is_file() and (folder / "archive.warc.gz").is_file()


# -- W2: the notice's link; R3: the notice's length -----------------------------------------------
NOT_WEB = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/farewell",
    "example.org/farewell",
    "/farewell/",
    "//example.org/farewell",
    "https://",
    "https://user:secret@example.org/",
]


@pytest.mark.parametrize("url", NOT_WEB)
def test_only_an_absolute_web_address_is_one(url):
    from django.core.exceptions import ValidationError

    from broadsheet.content.newsroom.addresses import validate_web_address

    with pytest.raises(ValidationError):
        validate_web_address(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/farewell", "http://127.0.0.1:8360/", "https://例え.jp/さよなら"]
)
def test_web_addresses_are_accepted(url):
    from broadsheet.content.newsroom.addresses import validate_web_address

    validate_web_address(url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", NOT_WEB)
def test_freeze_refuses_a_notice_link_that_is_not_a_web_address(one_story, tmp_path, url):
    with pytest.raises(CommandError, match="notice-url"):
        freeze(tmp_path / "archive", notice="Closed", notice_url=url)
    settings_ = NewsroomSettings.objects.get()
    assert not settings_.frozen and settings_.closing_notice_url == ""
    assert not (tmp_path / "archive").exists()


@pytest.mark.django_db
def test_freeze_refuses_a_closing_notice_over_the_limit(one_story, tmp_path):
    from broadsheet.content.newsroom.models import CLOSING_NOTICE_MAX
    from broadsheet.publishing.archive import check_notice

    check_notice("x" * CLOSING_NOTICE_MAX, "https://example.org/")  # the limit itself is fine
    with pytest.raises(CommandError, match=f"at most {CLOSING_NOTICE_MAX}"):
        freeze(tmp_path / "archive", notice="x" * 4173)
    assert not NewsroomSettings.objects.get().frozen
    assert not (tmp_path / "archive").exists()


def admin_form(model, instance, **changes):
    """The Wagtail admin's form of ``instance`` (its panels' form class) with ``changes``."""
    from django.forms.models import model_to_dict
    from wagtail.admin.panels import get_edit_handler

    form_class = get_edit_handler(model).get_form_class()
    data = {k: v for k, v in model_to_dict(instance).items() if v is not None}
    data.update(changes)
    return form_class(data=data, instance=instance)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["closing_notice_url", "notice_link_url"])
def test_the_admin_refuses_a_notice_link_that_is_not_a_web_address(front_page, field):
    from broadsheet.content.newsroom.models import CLOSING_NOTICE_MAX

    site_settings = NewsroomSettings.for_site(front_page.get_site())
    assert admin_form(NewsroomSettings, site_settings, **{field: "https://example.org/"}).is_valid()
    for url in ("javascript:alert(1)", "/farewell/", "example.org/x"):
        form = admin_form(NewsroomSettings, site_settings, **{field: url})
        assert not form.is_valid() and field in form.errors, url
    long = admin_form(
        NewsroomSettings, site_settings, closing_notice="x" * (CLOSING_NOTICE_MAX + 1)
    )
    assert not long.is_valid() and "closing_notice" in long.errors


@pytest.mark.django_db
def test_an_editions_notice_link_is_refused_too(front_page):
    from broadsheet.content.newsroom.models import EditionSettings

    field = EditionSettings._meta.get_field("notice_link_url")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean("javascript:alert(1)", EditionSettings())
    assert field.clean("https://example.org/", EditionSettings()) == "https://example.org/"


@pytest.mark.django_db
def test_a_link_saved_before_the_rule_is_not_shown(front_page, client_ok):
    """A ``javascript:`` link stored before the validators existed (the migration keeps the
    data) is left out of the pages; the notice itself stays."""
    NewsroomSettings.for_site(front_page.get_site())
    NewsroomSettings.objects.update(
        notice_text="Moved.", notice_link_url="javascript:alert(1)", notice_link_text="here"
    )
    html = client_ok.get_html("/")
    assert "Moved." in html and "javascript:" not in html.lower()


# -- R2: a stray bidi control in the notice -------------------------------------------------------
@pytest.mark.django_db
def test_the_notice_text_is_isolated_from_its_link(front_page, client_ok):
    """An unterminated RIGHT-TO-LEFT OVERRIDE in the notice must not reverse the link after it:
    the notice text and the link's text each sit in a <bdi> (an isolate, which ends any
    embedding or override begun inside it), at the top and the foot of the page."""
    import lxml.html

    settings_ = NewsroomSettings.for_site(front_page.get_site())
    settings_.notice_text = "Closed \u202e for good"
    settings_.notice_link_url = "https://example.org/farewell"
    settings_.save()
    doc = lxml.html.document_fromstring(client_ok.get_html("/"))
    lines = doc.xpath("//div[@class='site-notice']/p | //p[@class='site-notice-repeat']")
    assert len(lines) == 2
    for line in lines:
        text, link = line.xpath("./bdi"), line.xpath("./a/bdi")
        assert [b.text for b in text] == ["Closed \u202e for good"]
        assert [b.text for b in link] == ["https://example.org/farewell"]
        assert line.text is None and "\u202e" not in (line.xpath("string(./a)") or "")


# -- R1: the base URL without --base-url ----------------------------------------------------------
@pytest.mark.django_db
def test_without_base_url_the_address_the_site_was_baked_for_is_used_and_said(one_story, tmp_path):
    """The demo bakes its own output for http://127.0.0.1:8360 (``BROADSHEET_BASE_URL`` here is
    http://127.0.0.1:8000, the Wagtail site's http://localhost): a freeze and a relative bake
    without ``--base-url`` use the site's last address, and say which."""
    import lxml.html
    from warcio.archiveiterator import ArchiveIterator

    served = "http://127.0.0.1:8360"
    call_command("bake", base_url=served, no_progress=True, stdout=io.StringIO())
    said = freeze(tmp_path / "archive", base_url=None)
    assert f"Base URL: {served}" in said
    with open(tmp_path / "archive" / "archive.warc.gz", "rb") as fh:
        uris = [
            r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        ]
    assert uris and all(uri.startswith(served + "/") for uri in uris)
    og = [
        url
        for page in (tmp_path / "archive").rglob("*.html")
        for url in lxml.html.parse(str(page)).xpath("//meta[@property='og:url']/@content")
    ]
    assert og and all(url.startswith(served + "/") for url in og)  # the story's
    out = io.StringIO()
    call_command(
        "bake", output=str(tmp_path / "mirror"), relative=True, no_progress=True, stdout=out
    )
    assert f"Base URL: {served}" in out.getvalue()
    assert served in (tmp_path / "mirror" / ".bake" / "config.json").read_text()


@pytest.mark.parametrize("command", ["freeze", "bake"])
def test_help_states_the_default_base_url(command):
    from django.core.management import load_command_class

    parser = load_command_class("broadsheet.publishing", command).create_parser(
        "broadsheet", command
    )
    text = " ".join(parser.format_help().split())
    assert "default: the address the site was last baked for" in text or (
        "the site's own output, was last baked for" in text
    )
    assert "BROADSHEET_BASE_URL" in text
