"""Fixtures for baking tests: a demo newsroom and a helper to read a baked site."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tests.conftest import DEMO_STORIES


@pytest.fixture
def demo_newsroom(front_page):
    """The demo story files imported, a site notice, tips, an info page and an author without
    stories (whose page exists but lists nothing)."""
    return load_demo_newsroom(front_page)


def load_demo_newsroom(front_page):
    """Fill the newsroom of ``front_page`` as :func:`demo_newsroom` describes; returns it."""
    from broadsheet.content.newsroom.models import InfoPage, NewsroomSettings
    from broadsheet.importers.storyfiles import import_story_files
    from tests.content.factories import AuthorFactory, TipFactory

    report = import_story_files([DEMO_STORIES])
    assert not report.failures
    settings_ = NewsroomSettings.for_site(front_page.get_site())
    settings_.notice_text = "As of January 2009, this site is closed."
    settings_.save()
    TipFactory(title="Everywhere")
    AuthorFactory(name="Nobody Yet")
    about = InfoPage(title="About us", slug="about", body="<p>Who we are.</p>")
    front_page.add_child(instance=about)
    about.save_revision().publish()
    return front_page


def baked_paths(output: Path) -> dict[str, Path]:
    """URL path → file for every page baked in ``output`` (static assets, media, the search
    index and state excluded). Walks with os.walk, pruning those folders, so that a bake
    running at the same time (the crash test) cannot pull a folder away mid-walk."""
    import os

    out = {}
    files = []
    for root, dirs, names in os.walk(output):
        if Path(root) == output:
            dirs[:] = [d for d in dirs if d not in ("static", ".bake", "pagefind", "media")]
        files += [Path(root) / n for n in names]
    for file in files:
        rel = file.relative_to(output)
        if file.name == "index.html":
            parent = rel.parent.as_posix()
            out["/" if parent == "." else f"/{parent}/"] = file
        else:
            out["/" + rel.as_posix()] = file
    return out


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every baked file's bytes and mtime (ns), by URL path."""
    return {p: (f.read_bytes(), f.stat().st_mtime_ns) for p, f in baked_paths(output).items()}


@pytest.fixture
def live_like_baked():
    """Make the live site resolve static() like the baked site of ``output`` (hashed names)."""

    def use(output: Path):
        return override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
                    "OPTIONS": {"location": str(output / "static")},
                },
            }
        )

    return use


@pytest.fixture
def newsroom(front_page):
    """A small newsroom: Iran (with subsection Opposition) and Middle East; 14 stories over
    three months, two authors, three tags, a tip, a site notice. Page size is 5 in tests, so
    listings have numbered pages."""
    import datetime as dt

    from django.utils import timezone

    from broadsheet.content.newsroom.models import NewsroomSettings
    from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory, TipFactory

    iran = SectionFactory(title="Iran", slug="iran")
    opposition = SectionFactory(title="Opposition", slug="opposition", parent=iran)
    mideast = SectionFactory(title="Middle East", slug="middle-east")
    a, b = AuthorFactory(name="Safa Haeri"), AuthorFactory(name="Jane Roe")
    start = timezone.make_aware(dt.datetime(2007, 5, 1, 12))
    stories = []
    for i in range(14):
        parent = (iran, opposition, mideast)[i % 3]
        stories.append(
            StoryFactory(
                parent=parent,
                title=f"Story {i}",
                slug=f"story-{i}",
                published_at=start + dt.timedelta(days=5 * i),
                authors=[(a, b)[i % 2]],
                tags=[("Oil", "Exile", "Elections")[i % 3]],
            )
        )
    TipFactory(title="Got a story?")
    settings_ = NewsroomSettings.for_site(front_page.get_site())
    settings_.notice_text = "A notice."
    settings_.save()
    return {
        "iran": iran,
        "opposition": opposition,
        "mideast": mideast,
        "authors": (a, b),
        "stories": stories,
    }


@pytest.fixture
def baking_on(settings, tmp_path):
    """Queue re-bakes on changes (off by default in tests), into tmp_path/site."""
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return tmp_path / "site"
