"""``broadsheet freeze``: a closed, self-contained, checked archive; ``unfreeze`` loses nothing."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.content.discussion.models import Comment, GuestbookEntry, Letter
from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.newsroom.models import NewsroomSettings, StoryPage
from broadsheet.publishing import archive
from broadsheet.publishing.bundle import write_bundle
from tests.conftest import kept_for_the_module
from tests.discussion.factories import CommentFactory, GuestbookEntryFactory, LetterFactory
from tests.forums.factories import ReaderUserFactory, TopicFactory, post

from .conftest import load_demo_newsroom
from .test_relative_bake import check_relative_folder

BASE = "https://ips.example.org"
NOTICE = "As of January 2009, this site is definitely closed."
SEED_SLUG = "iran-national-solidarity-to-create-an-alternative"


@pytest.fixture(scope="module")
def talk_once(django_db_setup, django_db_blocker) -> Iterator[int]:
    """The demo newsroom (:func:`~tests.publishing.conftest.demo_newsroom`) with approved
    comments on the seed story, a held one, guestbook entries, a letter, a forum topic with an
    approved and a held post: made once for this module, whose database tests all use it
    (:func:`tests.conftest.kept_for_the_module`); the seed story's id."""
    from broadsheet.content.newsroom.tree import ensure_front_page

    with kept_for_the_module(django_db_blocker):
        load_demo_newsroom(ensure_front_page("Test Newsroom"))
        story = StoryPage.objects.get(slug=SEED_SLUG)
        story.comments = "open"
        story.save_revision().publish()
        CommentFactory(story=story, text="Shown before the freeze and after it.")
        CommentFactory(story=story, text="Held for moderation.", status="held")
        GuestbookEntryFactory(text="Thank you for twenty years.")
        LetterFactory()
        topic = TopicFactory(title="Twenty years of the agency", board__slug="readers")
        reader = ReaderUserFactory()
        post(topic, reader, text="A forum post kept in the archive.")
        post(topic, reader, text="A held forum post.", status="held")
        yield story.pk


@pytest.fixture
def talk(talk_once, db) -> StoryPage:
    """The seed story of :func:`talk_once`'s newsroom, read afresh for the test."""
    return StoryPage.objects.get(pk=talk_once)


def freeze(folder: Path) -> None:
    call_command(
        "freeze",
        output=str(folder),
        notice=NOTICE,
        notice_url="https://example.org/why",
        base_url=BASE,
        no_progress=True,
        stdout=io.StringIO(),
    )


@pytest.mark.django_db
def test_a_frozen_folder_is_closed_relative_and_checked(talk, tmp_path, settings):
    settings.BROADSHEET_STATIC_SEARCH = True
    out = tmp_path / "archive"
    freeze(out)
    pages = [p for p in out.rglob("*.html")]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        doc = lxml.html.document_fromstring(html)
        assert not doc.xpath("//form"), f"{page}: a form"
        assert "/discussion/" not in html, f"{page}: a live endpoint"
        hrefs = " ".join(doc.xpath("//@href")).lower()
        assert "admin" not in hrefs and "login" not in hrefs, f"{page}: a login link"
        notice = doc.xpath("//div[@class='site-notice']//text()")
        assert NOTICE in " ".join(notice), f"{page}: no closing notice"
    check_relative_folder(out, "ips.example.org")
    story = next(out.rglob(f"{SEED_SLUG}/index.html")).read_text()
    assert "Shown before the freeze and after it." in story
    assert "Held for moderation." not in story
    assert "Comments on this page are closed" in story
    guestbook = (out / "guestbook" / "index.html").read_text()
    assert "Thank you for twenty years." in guestbook
    assert "closed to new entries" in guestbook
    assert 'href="../search/index.html"' in guestbook  # the masthead's search: a link
    # the forums: baked read-only, the approved post shown and the held one not
    topic = Topic.objects.get(title="Twenty years of the agency")
    forum = (out / "forums" / "readers" / str(topic.pk) / "index.html").read_text()
    assert "A forum post kept in the archive." in forum
    assert "A held forum post." not in forum
    assert "Twenty years of the agency" in (out / "forums" / "readers" / "index.html").read_text()
    assert not (out / ".bake").exists()

    report = archive.verify(out)
    assert report.ok, report.problems
    assert report.checked["checksums"] == len(archive.files_of(out)) - 1

    # the WARC: a warcinfo record, then one response per file with its live URL and bytes
    from warcio.archiveiterator import ArchiveIterator

    with open(out / "archive.warc.gz", "rb") as fh:
        records = list(
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(fh, check_digests="raise")
        )
    assert records[0][0] == "warcinfo"
    responses = {uri: body for kind, uri, body in records[1:] if kind == "response"}
    files = [f for f in archive.files_of(out) if f not in ("archive.warc.gz", "SHA256SUMS")]
    assert len(responses) == len(files) == len(records) - 1
    assert responses[BASE + "/"] == (out / "index.html").read_bytes()
    assert responses[BASE + "/guestbook/"] == (out / "guestbook" / "index.html").read_bytes()
    css = next((out / "static" / "broadsheet").glob("site.*.css"))
    assert responses[f"{BASE}/static/broadsheet/{css.name}"] == css.read_bytes()

    # sha256sum -c on a copy
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    # coreutils' sha256sum is on every machine this runs on (Debian's coreutils is essential)
    assert shutil.which("sha256sum"), "sha256sum (GNU coreutils) is needed for this check"
    done = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=copy, capture_output=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # warcio's own checker (every record's digests) passes on the WARC
    warcio = Path(sys.executable).parent / "warcio"
    done = subprocess.run(
        [str(warcio), "check", "-v", "archive.warc.gz"], cwd=copy, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("digest pass") == len(records)
    # lychee --offline (no --root-dir): no broken link, none root-relative; the site's own
    # host only in feeds, sitemaps and robots.txt, whose formats want absolute URLs
    lychee = Path(sys.executable).parent / "lychee"
    done = subprocess.run(
        [str(lychee), "--offline", "--no-progress", "--format", "json", "."],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["errors"] == 0 and found["successful"] > 1000, found["error_map"]
    for name, items in found["excluded_map"].items():
        own = [i["url"] for i in items if "ips.example.org" in i["url"]]
        assert not own or name.endswith((".xml", ".txt", "_redirects")), (name, own)
    # the offline bundle of the frozen folder: every file, index.html at its root
    bundle = write_bundle(out, tmp_path / "archive.zip")
    with zipfile.ZipFile(bundle.path) as zf:
        assert "index.html" in zf.namelist()
        assert sorted(zf.namelist()) == archive.files_of(out)


@pytest.mark.django_db
def test_verify_reports_every_kind_of_damage(talk, tmp_path, settings):
    settings.BROADSHEET_STATIC_SEARCH = True
    out = tmp_path / "archive"
    freeze(out)
    assert archive.verify(out).ok
    about = out / "about" / "index.html"
    about.write_text(about.read_text().replace("</main>", '<a href="/latest/">x</a></main>'))
    (out / "robots.txt").unlink()
    (out / "stray.txt").write_text("not listed")
    report = archive.verify(out)
    text = "\n".join(report.problems)
    assert "about/index.html: <a href> is root-relative: /latest/" in text
    assert "about/index.html: its SHA-256 differs from SHA256SUMS" in text
    assert "about/index.html: not in the WARC, or not the same bytes" in text
    assert "robots.txt: in SHA256SUMS but missing" in text
    assert "stray.txt: not in SHA256SUMS" in text
    with pytest.raises(CommandError, match="problem"):
        call_command("freeze", verify=str(out), stdout=io.StringIO())
    (out / "archive.warc.gz").write_bytes(b"damaged")
    assert any("archive.warc.gz cannot be read" in p for p in archive.verify(out).problems)


@pytest.mark.django_db
def test_two_freezes_give_the_same_bytes(talk, tmp_path, settings):
    settings.BROADSHEET_STATIC_SEARCH = True
    freeze(tmp_path / "one")
    freeze(tmp_path / "two")
    one = (tmp_path / "one" / "SHA256SUMS").read_bytes()
    assert one == (tmp_path / "two" / "SHA256SUMS").read_bytes()
    assert b"archive.warc.gz" in one and b"pagefind/pagefind.js" in one
    # and the checksums are the files' own
    for line in one.decode().splitlines():
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((tmp_path / "two" / rel).read_bytes()).hexdigest() == digest


def rows():
    return {
        "comments": list(Comment.objects.order_by("id").values()),
        "guestbook": list(GuestbookEntry.objects.order_by("id").values()),
        "letters": list(Letter.objects.order_by("id").values()),
        "forum topics": list(Topic.objects.order_by("id").values()),
        "forum posts": list(Post.objects.order_by("id").values()),
        "stories": list(
            StoryPage.objects.order_by("id").values(
                "id", "title", "slug", "url_path", "live", "comments", "body", "published_at"
            )
        ),
    }


@pytest.mark.django_db
def test_freeze_then_unfreeze_loses_nothing(talk, tmp_path, client):
    before = rows()
    site_notice = NewsroomSettings.objects.get().notice_text
    freeze(tmp_path / "archive")
    frozen = client.get(talk.url).content.decode()
    assert NOTICE in frozen and "Comments on this page are closed" in frozen
    assert 'class="reader-form"' not in frozen
    call_command("unfreeze", stdout=io.StringIO())
    assert rows() == before
    settings_ = NewsroomSettings.objects.get()
    assert settings_.notice_text == site_notice and not settings_.frozen
    live = client.get(talk.url).content.decode()
    assert NOTICE not in live and site_notice in live
    assert 'class="reader-form"' in live  # the comment form is back
