"""Slugs fit a file name of the baked site: at most MAX_SLUG_BYTES bytes of UTF-8."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.content.newsroom.slugs import MAX_SLUG_BYTES, fit_slug
from broadsheet.content.newsroom.tree import ensure_section
from broadsheet.importers.storyfiles import import_story_files
from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.middleware import BakedSiteMiddleware

# a Persian headline of 207 letters and spaces: 380 bytes of UTF-8 as a slug
PERSIAN = " ".join(["گزارش‌های", "روزنامه‌نگاران", "تبعیدی", "درباره", "آزادی"] * 6)[:207]


def test_fit_slug_cuts_long_persian_text_at_a_word_within_the_limit():
    assert len(fit_slug(PERSIAN, max_bytes=10_000).encode()) > 255  # would not fit a file name
    slug = fit_slug(PERSIAN)
    assert 100 < len(slug.encode()) <= MAX_SLUG_BYTES
    assert fit_slug(PERSIAN, max_bytes=10_000).startswith(slug)
    assert not slug.endswith("-")
    whole_words = fit_slug(PERSIAN, max_bytes=10_000).split("-")
    assert slug.split("-") == whole_words[: len(slug.split("-"))]
    assert fit_slug("Short headline") == "short-headline"
    assert fit_slug("ب" * 150) == "ب" * 100  # one word: cut at a character boundary


@pytest.mark.django_db
def test_a_story_with_a_slug_too_long_for_a_file_name_is_refused(front_page):
    section = ensure_section(["Culture"])
    story = StoryPage(title="Long", slug="ب" * 101)
    with pytest.raises(ValidationError) as info:
        section.add_child(instance=story)
    assert "202 bytes" in str(info.value) and "slug" in info.value.message_dict
    section.add_child(instance=StoryPage(title="Fits", slug="ب" * 100))


@pytest.mark.django_db
def test_a_long_persian_headline_imports_and_bakes(front_page, tmp_path):
    story_file = tmp_path / "long.md"
    story_file.write_text(
        f"---\nheadline: {PERSIAN}\nsection: [Culture]\npublished: 2007-06-18T12:00:00Z\n---\n"
        "\nA paragraph.\n",
        encoding="utf-8",
    )
    report = import_story_files([story_file])
    assert (report.created, report.failed) == (1, 0)
    story = StoryPage.objects.get()
    assert story.slug == fit_slug(PERSIAN)
    run = full_bake(tmp_path / "site")
    assert run.status == "done", run.status
    assert (tmp_path / "site" / "culture" / story.slug / "index.html").is_file()


def test_the_baked_site_middleware_passes_an_over_long_name_to_the_live_site(tmp_path, settings):
    settings.BROADSHEET_BAKE_DIR = str(tmp_path)
    middleware = BakedSiteMiddleware(lambda request: HttpResponse("live", status=404))
    for path in ("/" + "a" * 300 + "/", "/" + "ب" * 200 + "/x/"):
        response = middleware(RequestFactory().get(path))
        assert (response.status_code, response.content) == (404, b"live")
