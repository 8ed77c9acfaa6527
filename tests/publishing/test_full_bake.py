"""A full bake writes every public page, byte for byte what the live site answers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings

from broadsheet.content.newsroom.models import Author, FrontPage, SectionPage, StoryPage
from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.models import BakedStory, BakeRun
from tests.conftest import kept_for_the_module

from .conftest import baked_paths, load_demo_newsroom


@pytest.fixture(scope="module")
def demo_newsroom_once(django_db_setup, django_db_blocker) -> Iterator[int]:
    """The demo newsroom (:func:`tests.publishing.conftest.demo_newsroom`), made once for this
    module, whose database tests all bake it (:func:`tests.conftest.kept_for_the_module`;
    the bounded-queries test, which must not see it, is in test_bake_queries.py); the front
    page's id."""
    from broadsheet.content.newsroom.tree import ensure_front_page

    with kept_for_the_module(django_db_blocker):
        yield load_demo_newsroom(ensure_front_page("Test Newsroom")).pk


@pytest.fixture
def demo_newsroom(demo_newsroom_once, db) -> FrontPage:
    """The front page of :func:`demo_newsroom_once`'s newsroom, read afresh for the test."""
    return FrontPage.objects.get(pk=demo_newsroom_once)


@pytest.mark.django_db
def test_every_baked_page_is_the_live_page(demo_newsroom, client, tmp_path, live_like_baked):
    run = full_bake(tmp_path)
    assert run.status == BakeRun.Status.DONE, run.error
    pages = baked_paths(tmp_path)
    html_pages = {p: f for p, f in pages.items() if p.endswith("/") or p.endswith(".html")}
    with live_like_baked(tmp_path):
        for path, file in html_pages.items():
            response = client.get(path)
            expected = 404 if path == "/404.html" else 200
            if path == "/410.html":
                continue  # no live URL answers 410 until a page is retired (tested elsewhere)
            if path in ("/search/", "/fa/search/"):
                # by design: the baked search page answers from the static index, the live one
                # from the server; it is the live renderer's page for a static site
                from broadsheet.search.views import render_search
                from broadsheet.site.build import make_build
                from broadsheet.site.editions import for_path

                build = make_build(live=False, edition=for_path(path))
                with build.activated():
                    expected = render_search(build).data()
                assert file.read_bytes() == expected
                continue
            assert response.status_code == expected, path
            assert response.content == file.read_bytes(), f"baked {path} differs from live"


@pytest.mark.django_db
def test_the_bake_holds_every_public_page(demo_newsroom, tmp_path):
    full_bake(tmp_path)
    pages = set(baked_paths(tmp_path))
    root = demo_newsroom.url_path
    size = settings.BROADSHEET_PAGE_SIZE
    for story in StoryPage.objects.live():
        assert "/" + story.url_path[len(root) :] in pages
    for section in SectionPage.objects.live():
        url = "/" + section.url_path[len(root) :]
        assert url in pages
        n = StoryPage.objects.live().filter(path__startswith=section.path).count()
        numbered = {p for p in pages if re.fullmatch(re.escape(url) + r"page/\d+/", p)}
        assert len(numbered) == -(-n // size)
    for slug in Author.objects.values_list("slug", flat=True):
        assert f"/authors/{slug}/" in pages
    for path in (
        "/",
        "/latest/",
        "/archives/",
        "/archives/2007/",
        "/archives/2007/06/",
        "/archives/2007/06/18/",
        "/authors/",
        "/tags/",
        "/about/",
        "/404.html",
        "/410.html",
        "/_redirects",
        "/_gone.txt",
    ):
        assert path in pages, path
    assert BakedStory.objects.count() == StoryPage.objects.live().count()


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_static_assets_have_hashed_names_the_pages_use(demo_newsroom, tmp_path, settings, debug):
    settings.DEBUG = debug  # the development settings bake with DEBUG on: the same names
    full_bake(tmp_path)
    html = (tmp_path / "index.html").read_text()
    match = re.search(r'href="/static/(broadsheet/site\.[0-9a-f]{12}\.css)"', html)
    assert match, "the front page links the hashed stylesheet"
    css = tmp_path / "static" / match.group(1)
    source = settings.PACKAGE_DIR / "static" / "broadsheet" / "site.css"
    # the same stylesheet, its url()s (the self-hosted fonts) rewritten to hashed names
    baked = re.sub(rb"\.[0-9a-f]{12}(\.woff2)", rb"\1", css.read_bytes())
    assert baked == source.read_bytes()
    for font in re.findall(rb'url\("([^"]+\.woff2)"\)', css.read_bytes()):
        assert (css.parent / font.decode()).is_file()


@pytest.mark.django_db
def test_a_second_bake_rewrites_nothing(demo_newsroom, tmp_path):
    full_bake(tmp_path)
    run = full_bake(tmp_path)
    assert run.pages_written == 0
    assert run.pages_rendered > 50


@pytest.mark.django_db
def test_pages_that_no_longer_exist_are_removed(demo_newsroom, tmp_path):
    full_bake(tmp_path)
    stray = tmp_path / "no-such-section" / "index.html"
    stray.parent.mkdir()
    stray.write_text("old")
    leftover = tmp_path / "iran" / ".tmp-bake-abc"
    leftover.write_text("half")
    run = full_bake(tmp_path)
    assert "/no-such-section/" in run.removed
    assert not stray.exists() and not leftover.exists()
