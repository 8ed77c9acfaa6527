"""``bake --relative``: a folder that opens from file:// and from any sub-path of any host."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.publishing.relative import relative_url, relativize

BASE = "http://news.example.org"


def links(page: Path):
    """(tag, attribute, value) of every URL-bearing attribute of a page, parsed independently
    of the code under test."""
    doc = lxml.html.document_fromstring(page.read_bytes())
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("data-live") is not None:
            # a page only the live site serves (the forums while the site is not frozen): the
            # folder does not hold it, so the link must lead to the live site's address
            assert urlsplit(el.get("href") or "").scheme in ("http", "https"), (page, el.attrib)
            continue
        for attr in ("href", "src", "data-pagefind-bundle", "data-site-root"):
            if el.get(attr) is not None:
                yield el.tag, attr, el.get(attr)
        for cand in (el.get("srcset") or "").split(","):
            if cand.strip():
                yield el.tag, "srcset", cand.split()[0]
        if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            yield el.tag, "refresh", el.get("content").split("=", 1)[1]
        if el.tag == "form" and (el.get("method") or "").lower() == "post":
            # a reader form posts to the live site's address (test_frozen_links.py)
            assert urlsplit(el.get("action") or "").scheme in ("http", "https"), (page, el.attrib)
        elif el.tag == "form":
            yield el.tag, "action", el.get("action")


def check_relative_folder(folder: Path, host: str) -> tuple[int, int]:
    """Assert that no page of ``folder`` has a root-relative link or one to ``host``, and that
    every relative link resolves to a file (folder attributes: to a folder) in it. Returns
    (pages, links) checked."""
    pages = sorted(folder.rglob("*.html"))
    pages = [p for p in pages if ".bake" not in p.parts]
    n = 0
    for page in pages:
        for tag, attr, url in links(page):
            parts = urlsplit(url)
            assert not url.startswith("/"), f"{page}: root-relative <{tag} {attr}={url}>"
            assert parts.netloc != host, f"{page}: own absolute <{tag} {attr}={url}>"
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert folder.resolve() in [target, *target.parents], f"{page}: {url} leaves"
            if attr in ("data-pagefind-bundle", "data-site-root"):
                assert target.is_dir(), f"{page}: {attr}={url} is no folder"
            else:
                assert target.is_file(), f"{page}: <{tag} {attr}={url}> is no file"
            if tag == "a" and parts.path.endswith("/"):
                raise AssertionError(f"{page}: folder link without index.html: {url}")
            n += 1
    return len(pages), n


def test_relative_url():
    hosts = frozenset({"news.example.org"})
    assert relative_url("/iran/x/", "/iran/y/", hosts) == "../x/index.html"
    assert relative_url("/", "/", hosts) == "index.html"
    assert relative_url("/", "/a/b/c/", hosts) == "../../../index.html"
    assert relative_url("/static/s.css", "/404.html", hosts) == "static/s.css"
    assert relative_url("/a/?q=1#f", "/b/", hosts) == "../a/index.html?q=1#f"
    assert relative_url("https://news.example.org/a/", "/a/", hosts) == "index.html"
    assert relative_url("https://other.example/a/", "/", hosts) == "https://other.example/a/"
    assert relative_url("mailto:x@example.org", "/", hosts) == "mailto:x@example.org"
    assert relative_url("#comments", "/a/", hosts) == "#comments"
    assert relative_url("/pagefind/", "/search/", hosts, folder=True) == "../pagefind/"
    assert relative_url("/", "/", hosts, folder=True) == "./"


def test_relativize_rewrites_srcset_and_refresh():
    html = (
        '<html><head><meta http-equiv="refresh" content="0; url=/new/"></head><body>'
        '<img src="/m/a.jpg" srcset="/m/a.jpg 1x, /m/b.jpg 2x"></body></html>'
    )
    out = relativize(html, "/old/page/", BASE).decode()
    assert 'content="0; url=../../new/index.html"' in out
    assert 'srcset="../../m/a.jpg 1x, ../../m/b.jpg 2x"' in out
    assert out.startswith("<!doctype html>")


@pytest.mark.django_db
def test_bake_relative_opens_anywhere(demo_newsroom, tmp_path, settings):
    settings.BROADSHEET_STATIC_SEARCH = True
    out = tmp_path / "mirror"
    call_command("bake", relative=True, output=str(out), base_url=BASE, no_progress=True)
    pages, n = check_relative_folder(out, "news.example.org")
    assert pages > 20 and n > 500
    front = (out / "index.html").read_text()
    assert 'href="static/broadsheet/site.' in front  # the stylesheet, relative
    # a story two levels down reaches the front page and the stylesheet
    story = next(out.rglob("iran-national-solidarity-to-create-an-alternative/index.html"))
    up = "../" * (len(story.relative_to(out).parts) - 1)
    html = story.read_text()
    assert f'href="{up}index.html"' in html
    assert f'href="{up}static/broadsheet/site.' in html
    # the search page's script reads its bundle and the site root relative to the page
    search = (out / "search" / "index.html").read_text()
    assert 'data-pagefind-bundle="../pagefind/"' in search
    assert 'data-site-root="../"' in search
    assert (out / "pagefind" / "pagefind.js").is_file()


@pytest.mark.django_db
def test_bake_relative_leaves_the_sites_own_output_and_queue(front_page, tmp_path, settings):
    from broadsheet.publishing.models import BakedStory, BakeRequest

    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    BakeRequest.objects.create(kind="all")
    call_command("bake", relative=True, output=str(tmp_path / "m"), no_progress=True)
    assert BakeRequest.objects.filter(kind="all").exists()  # still queued for the site
    assert not BakedStory.objects.exists()
    with pytest.raises(CommandError, match="other than the site's own"):
        call_command("bake", relative=True, output=str(tmp_path / "site"))
    with pytest.raises(CommandError, match="needs --output"):
        call_command("bake", relative=True)


@pytest.mark.django_db
def test_a_relative_folder_keeps_onion_location_absolute(front_page, tmp_path, settings):
    """A mirror's pages (and a frozen archive's: the same rewrite) name themselves on the onion
    address: an absolute ``.onion`` URL with the page's own path, not made relative."""
    from tests.content.factories import StoryFactory

    onion = "http://broadshtxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq.onion"
    settings.BROADSHEET_ONION_URL = onion
    StoryFactory(title="A story on the onion", slug="onion-story")
    out = tmp_path / "mirror"
    call_command("bake", relative=True, output=str(out), base_url=BASE, no_progress=True)
    pages = sorted(out.rglob("index.html"))
    assert any(p.parent.name == "onion-story" for p in pages)
    for page in pages:
        doc = lxml.html.document_fromstring(page.read_bytes())
        found = doc.xpath("//meta[@http-equiv='onion-location']/@content")
        path = "/" + page.relative_to(out).as_posix().removesuffix("index.html")
        assert len(found) == 1, page
        parts = urlsplit(found[0])
        assert f"{parts.scheme}://{parts.netloc}" == onion, (page, found)
        assert unquote(parts.path) == path, (page, found)
