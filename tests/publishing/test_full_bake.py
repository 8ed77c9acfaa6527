"""A full bake writes every public page, byte for byte what the live site answers."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from broadsheet.content.newsroom.models import Author, SectionPage, StoryPage
from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.models import BakedStory, BakeRun

from .conftest import baked_paths


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


@pytest.mark.django_db
def test_a_full_bake_asks_the_database_a_bounded_number_of_times(front_page, tmp_path):
    """The queries of a full bake do not grow with the stories: three times as many stories
    (and pages, comments, bylines, tags) cost the same handful of bulk queries."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from broadsheet.content.discussion.models import Comment, CommentStatus
    from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory

    section = SectionFactory(title="Iran", slug="iran")
    authors = [AuthorFactory(), AuthorFactory()]
    start = timezone.make_aware(dt.datetime(2007, 6, 1, 12))

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            story = StoryFactory(
                parent=section,
                published_at=start + dt.timedelta(days=i % 20, hours=i),
                authors=[authors[i % 2]],
                tags=["Oil", "Exile"],
            )
            Comment.objects.create(
                story=story, name="R", text=f"c{i}", status=CommentStatus.APPROVED
            )

    def queries(output) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert full_bake(output).status == BakeRun.Status.DONE
        return len(ctx.captured_queries)

    add(8, 0)
    queries(tmp_path / "warm")  # renditions, settings rows, static files: made once
    few = queries(tmp_path / "a")
    add(16, 8)
    many = queries(tmp_path / "b")
    assert many <= few + 2, (few, many)
