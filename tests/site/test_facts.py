"""The process's memo of site-wide facts (broadsheet.site.facts): live requests read sections
and settings once per version, a change made anywhere (another process sharing the cache)
reaches every process, and bakes never use it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from broadsheet.content.newsroom.models import NewsroomSettings, SectionPage
from broadsheet.site import facts
from broadsheet.site.build import make_build
from broadsheet.site.views import live_build
from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory, TipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def memo_on(settings):
    settings.BROADSHEET_SITE_FACTS_SECONDS = 60  # as deployed (the test settings turn it off)


def request_build():
    return live_build(RequestFactory().get("/search/"))


def nav_titles() -> list[str]:
    return [s.title for s in request_build().read.top_sections()]


def other_process_bumps() -> None:
    """What another process's signal does: only the number in the shared cache moves."""
    facts._bump_now()


@pytest.fixture
def world(front_page):
    return SectionFactory(title="World", slug="world")


def test_a_second_request_reads_no_site_facts(world, front_page):
    first = request_build()
    first.read.top_sections(), first.read.site_info(), first.read.tips()
    first.read.discussion_info()
    with CaptureQueriesContext(connection) as queries:
        second = request_build()
        assert [s.title for s in second.read.top_sections()] == ["World"]
        second.read.site_info(), second.read.tips(), second.read.discussion_info()
    assert len(queries.captured_queries) == 0


def test_a_change_in_another_process_reaches_this_one(world):
    assert nav_titles() == ["World"]
    # a rename that sends no signal here (as if made in another process)
    SectionPage.objects.filter(id=world.id).update(title="Abroad")
    assert nav_titles() == ["World"]  # the memo, still at its version
    other_process_bumps()
    assert nav_titles() == ["Abroad"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda w: SectionFactory(title="Sport", slug="sport"), id="new section"),
        pytest.param(lambda w: w.save_revision().publish(), id="section published"),
        pytest.param(lambda w: w.unpublish(), id="section unpublished"),
        pytest.param(
            lambda w: NewsroomSettings.objects.update_or_create(
                site=Site.objects.get(is_default_site=True), defaults={"site_name": "Other"}
            ),
            id="settings",
        ),
        pytest.param(lambda w: TipFactory(), id="tip"),
        pytest.param(lambda w: AuthorFactory(), id="author"),
    ],
)
def test_model_events_of_site_facts_bump_the_version(world, change):
    before = facts.version()
    change(world)
    assert facts.version() > before


def test_publishing_a_story_keeps_the_memo(world):
    request_build().read.top_sections()
    before = facts.version()
    StoryFactory(parent=world)
    assert facts.version() == before


def test_unpublishing_a_section_takes_it_off_the_next_page(world):
    assert nav_titles() == ["World"]
    world.unpublish()
    assert nav_titles() == []


def test_the_memo_expires_after_its_max_age(world, settings, monkeypatch):
    settings.BROADSHEET_SITE_FACTS_SECONDS = 30
    assert nav_titles() == ["World"]
    SectionPage.objects.filter(id=world.id).update(title="Abroad")  # no signal
    clock = facts.time.monotonic()
    monkeypatch.setattr(facts.time, "monotonic", lambda: clock + 29)
    assert nav_titles() == ["World"]
    monkeypatch.setattr(facts.time, "monotonic", lambda: clock + 31)
    assert nav_titles() == ["Abroad"]


def test_no_memo_when_turned_off(world, settings):
    settings.BROADSHEET_SITE_FACTS_SECONDS = 0
    assert facts.snapshot() is None
    assert nav_titles() == ["World"]
    SectionPage.objects.filter(id=world.id).update(title="Abroad")
    assert nav_titles() == ["Abroad"]


def test_bakes_read_the_database(world):
    assert make_build().read.facts is None
    assert [s.title for s in make_build().read.top_sections()] == ["World"]
    request_build().read.top_sections()
    SectionPage.objects.filter(id=world.id).update(title="Abroad")  # no signal
    assert [s.title for s in make_build().read.top_sections()] == ["Abroad"]


def test_callers_cannot_change_the_remembered_sections(world):
    request_build().read.sections().clear()
    request_build().read.tips().append("not a tip")
    assert nav_titles() == ["World"]
    assert "not a tip" not in request_build().read.tips()


def test_cards_with_fields_are_the_cards(world):
    stories = [StoryFactory(parent=world) for _ in range(3)]
    ids = [s.id for s in reversed(stories)]
    read = make_build().read
    cards, fields = read.cards_with(ids, ("body", "slug"))
    assert cards == read.cards(ids)
    assert [c.id for c in cards] == ids
    assert {i: f["slug"] for i, f in fields.items()} == {s.id: s.slug for s in stories}
