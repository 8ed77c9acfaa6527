"""Version numbers every process sees (broadsheet.site.versions): with Django's per-process
cache (the demo's), a change made by another process — ``broadsheet unfreeze``, an import —
reaches the next live page at once, through the database."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db.models import F
from django.test import RequestFactory

from broadsheet.content.newsroom.models import NewsroomSettings, SectionPage
from broadsheet.publishing import archive
from broadsheet.search import cache as search_cache
from broadsheet.site import facts, versions
from broadsheet.site.models import Version
from broadsheet.site.views import live_build
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def per_process_cache(settings):
    """The demo's settings: no CACHE_URL (LocMemCache), the memo and the search cache on."""
    settings.BROADSHEET_VERSIONS_IN = "auto"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"versions-test-{id(settings)}",
        }
    }
    settings.BROADSHEET_SITE_FACTS_SECONDS = 60
    settings.BROADSHEET_SEARCH_CACHE_SECONDS = 60
    facts.clear()
    yield
    caches["default"].clear()
    facts.clear()


def another_process_bumps(name: str) -> None:
    """What another process's bump writes: its own cache is not ours, the database is."""
    Version.objects.filter(name=name).update(number=F("number") + 1)


def nav_titles() -> list[str]:
    return [s.title for s in live_build(RequestFactory().get("/search/")).read.top_sections()]


def test_per_process_caches_keep_versions_in_the_database(settings):
    assert versions.in_database()
    settings.BROADSHEET_VERSIONS_IN = "cache"
    assert not versions.in_database()


def test_a_bump_is_a_new_number_and_survives_a_lost_row():
    before = versions.read("test:x")
    versions.bump("test:x")
    assert versions.read("test:x") == before + 1
    Version.objects.filter(name="test:x").delete()
    versions.bump("test:x")  # restarted from the clock, never an old number
    assert versions.read("test:x") > before + 1


def test_a_section_renamed_by_another_process_is_on_the_next_page(front_page):
    world = SectionFactory(title="World", slug="world")
    assert nav_titles() == ["World"]
    SectionPage.objects.filter(id=world.id).update(title="Abroad")  # no signal here
    assert nav_titles() == ["World"]  # the memo at its version
    another_process_bumps(facts.VERSION_NAME)
    assert nav_titles() == ["Abroad"]


def test_unfreeze_in_another_process_reaches_live_pages_and_search(client, front_page):
    StoryFactory(title="Zanjan earthquake")
    archive.set_frozen(notice="Closed for good.")
    assert "Closed for good." in client.get("/accounts/login/").content.decode()
    assert "Closed for good." in client.get("/search/", {"q": "zanjan"}).content.decode()
    generation = search_cache.generation()
    memo = facts.version()
    # unfreeze "in another process": the row changes and the bumps land in the database,
    # never in this process's cache
    caches["default"].clear()
    settings_ = NewsroomSettings.objects.get()
    NewsroomSettings.objects.filter(id=settings_.id).update(frozen=False, frozen_at=None)
    assert "Closed for good." in client.get("/accounts/login/").content.decode()  # memo
    another_process_bumps(facts.VERSION_NAME)
    another_process_bumps(search_cache.GENERATION_NAME)
    assert facts.version() == memo + 1 and search_cache.generation() == generation + 1
    assert "Closed for good." not in client.get("/accounts/login/").content.decode()
    assert "Closed for good." not in client.get("/search/", {"q": "zanjan"}).content.decode()


def test_unfreeze_bumps_both_versions(front_page):
    archive.set_frozen()
    generation, memo = search_cache.generation(), facts.version()
    archive.unfreeze()
    assert search_cache.generation() > generation
    assert facts.version() > memo


@pytest.mark.django_db(transaction=False)
def test_migrate_builds_a_new_database_with_versions_kept_in_it(tmp_path):
    """``migrate`` on a new SQLite file with the demo's settings (per-process cache, versions
    in the database): the search index's first fill bumps a version before the versions table
    exists, which must not fail (it broke ``broadsheet demo`` on a clean machine)."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    env = dict(os.environ)
    for name in ("CACHE_URL", "BROADSHEET_VERSIONS_IN", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
        BROADSHEET_VAR_DIR=str(tmp_path / "var"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "broadsheet", "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "broadsheet",
            "shell",
            "-v",
            "0",
            "-c",
            "from broadsheet.site import versions; print(versions.in_database(), "
            "versions.read('probe') > 0)",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert check.stdout.split() == ["True", "True"], check.stderr[-3000:]
