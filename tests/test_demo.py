"""The demo newsroom (``broadsheet demo``) and an editor publishing through the Wagtail admin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from broadsheet.content.newsroom.models import SectionPage, StoryPage
from tests.conftest import kept_for_the_module

pytestmark = pytest.mark.django_db

SEED_URL = "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"


@pytest.fixture(scope="module")
def demo_once(
    django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """``broadsheet demo --no-serve`` run once for the tests of this module (it loads, builds
    and bakes the whole demo newsroom): its ``VAR_DIR`` and what it printed
    (:func:`tests.conftest.kept_for_the_module`: every database test here uses it)."""
    from django.test import override_settings

    var = tmp_path_factory.mktemp("demo-var")
    with kept_for_the_module(django_db_blocker), override_settings(VAR_DIR=var):
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out)
        yield var, out.getvalue()


@pytest.fixture
def demo(demo_once, db, settings) -> str:
    """What ``broadsheet demo --no-serve`` printed; the demo newsroom is in the database."""
    var, printed = demo_once
    settings.VAR_DIR = var
    return printed


def test_demo_sets_up_newsroom_and_prints_login(demo, settings):
    assert re.search(
        r"Admin: http://127\.0\.0\.1:8000/admin/ +user: admin +password: \S{12,}", demo
    )
    password = demo.split("password: ")[1].split()[0]
    assert (settings.VAR_DIR / "demo-admin-password.txt").read_text().strip() == password
    assert StoryPage.objects.live().count() >= 21
    assert SectionPage.objects.count() >= 4
    # Running it again loads nothing twice and keeps the same login.
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert f"password: {password}" in out.getvalue()
    assert (
        StoryPage.objects.filter(slug="iran-national-solidarity-to-create-an-alternative").count()
        == 1
    )


def test_demo_front_page_and_seed_story(demo, client):
    front = client.get("/").content.decode()
    assert "Iran National Solidarity To Create An &#34;Alternative&#34;" in front
    html = client.get(SEED_URL).content.decode()
    assert "Published <time" in html and "Monday, June 18, 2007" in html
    assert (
        '<span class="dateline">Paris, 18 June (IPS) –</span> The “Iran Solidarity” conference'
        in html
    )
    assert "IRAN OPPOSITION 18607" in html
    assert '<a href="/iran/iran-opposition/">Iran Opposition</a>' in html
    assert "Comments on this page are closed." in html
    assert "As of January 2009, this site is definitely closed" in html
    # the notice ends "…his new blog: DAMAVAND at" and then needs its link
    assert re.search(
        r'DAMAVAND at</bdi> <a href="https://damavand\.example/"><bdi>damavand\.example</bdi></a></p>',
        html,
    )
    for quote in (
        "What they are doing here is to make a Noah’s Ark filled with a sample of all kind of "
        "Iranians opposed to the regime.",
        "One of the aims of the INS was to form a provisory government or a parliament in exile.",
    ):
        asides = re.findall(
            r'<aside class="pull-quote" aria-hidden="true"[^>]*><p>([^<]*)</p>', html
        )
        assert asides.count(quote) == 1, quote
    assert len(re.findall(r'class="pull-quote"', html)) == 2


def test_demo_archives_and_sections_show_real_content(demo, client):
    june = client.get("/archives/2007/06/18/").content.decode()
    assert june.count('class="card"') >= 2
    months = re.findall(
        r'href="/archives/(\d{4})/(\d{2})/"', client.get("/archives/").content.decode()
    )
    assert len(set(months)) >= 4
    assert client.get("/human-rights/").status_code == 200
    draft = StoryPage.objects.filter(live=False).first()
    assert draft is not None and draft.title not in client.get("/latest/").content.decode()


def test_demo_stories_have_pictures_and_the_writers_bios(demo, client):
    """Every demo story has a lead image with caption and credit (drawn for the demo, CC0);
    the seed story's caption is the seed page's; the writers have a bio and a portrait."""
    from broadsheet.content.newsroom.models import Author

    stories = StoryPage.objects.live()
    missing = [s.slug for s in stories if s.lead_image_id is None or not s.lead_image_caption]
    assert missing == []
    assert all("CC0" in s.lead_image_credit for s in stories)
    seed = StoryPage.objects.get(
        url_path__endswith="/iran-national-solidarity-to-create-an-alternative/"
    )
    assert seed.lead_image_caption == (
        "Iran National Solidarity is the largest grouping of Iranians opposed to the Islamic "
        "Republic of Iran"
    )
    html = client.get(SEED_URL).content.decode()
    assert '<figure class="lead-image">' in html and "srcset=" in html
    writers = list(Author.objects.all())
    assert len(writers) == 4 and all(a.bio and a.photo_id for a in writers), writers
    page = client.get("/authors/maryam-sadeghi/").content.decode()
    assert 'class="author-photo"' in page and "Maryam Sadeghi reports on" in page


def test_editor_publishes_a_story_in_the_admin(demo, client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-12345!")
    client.force_login(editor)
    section = SectionPage.objects.get(slug="culture")
    data = nested_form_data(
        {
            "title": "Editors can publish from the admin",
            "slug": "editors-can-publish",
            "standfirst": "A story written in Wagtail.",
            "byline_credit": "Staff",
            "dateline_place": "Geneva",
            "dateline_agency": "IPS",
            "story_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Written in the admin.</p>"))]),
            "tags": "Admin test, Geneva",
            "comments": "open",
            "story_code": "CULTURE 1",
        }
    )
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/add/newsroom/storypage/{section.id}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = StoryPage.objects.get(slug="editors-can-publish")
    assert story.live and story.published_at is not None
    client.logout()
    today = timezone.localtime(story.published_at)
    assert story.url == "/culture/editors-can-publish/"
    page = client.get(story.url).content.decode()
    assert re.search(
        r'<p[^>]*><span class="dateline">Geneva, [^<]*</span> Written in the admin.', page
    )
    for path in (
        "/",
        "/culture/",
        today.strftime("/archives/%Y/%m/%d/"),
        "/tags/admin-test/",
        "/tags/geneva/",
        "/latest/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Editors can publish from the admin" in response.content.decode(), path


def test_demo_has_a_persian_edition_linked_to_the_seed(demo, client):
    persian = StoryPage.objects.filter(locale__language_code="fa", live=True)
    assert persian.count() >= 3
    seed = StoryPage.objects.get(slug="iran-national-solidarity-to-create-an-alternative")
    translation = persian.get(translation_key=seed.translation_key)
    front = client.get("/fa/").content.decode()
    assert '<html lang="fa" dir="rtl">' in front
    assert translation.title in front
    english = client.get(SEED_URL).content.decode()
    assert "این خبر به فارسی" in english
    day = client.get("/fa/archives/1399/02/31/").content.decode()
    assert "nashr-e-nokhostin-shomare-be-farsi" in day


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7"])  # noqa: S104
def test_the_demo_answers_the_public_address_it_is_given(monkeypatch, host):
    """``BROADSHEET_BASE_URL`` names the address other machines reach the demo by: its links
    use it, and its host is answered (the demo refuses every other Host)."""
    from broadsheet.__main__ import demo_environment

    for name in ("BROADSHEET_BASE_URL", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "broadsheet.settings.test")
    monkeypatch.setenv("BROADSHEET_BASE_URL", "http://news.lan:8080")
    demo_environment(["--host", host, "--port", "8080"])
    import os

    hosts = os.environ["ALLOWED_HOSTS"].split(",")
    assert "news.lan" in hosts and "127.0.0.1" in hosts
    assert os.environ["WAGTAILADMIN_BASE_URL"] == "http://news.lan:8080"


def test_the_demo_console_shows_task_failures_but_not_every_task_run(capsys, settings):
    """The worker's two INFO lines per task buried the demo's printed mail; db_worker sets its
    loggers' level (and a handler of its own when they have none) from its verbosity."""
    import importlib
    import logging
    import logging.config

    from django_tasks_db.management.commands.db_worker import Command

    demo_settings = importlib.import_module("broadsheet.settings.demo")
    names = ("django_tasks", "django_tasks_db")
    worker_out = StringIO()
    try:
        logging.config.dictConfig(demo_settings.LOGGING)
        Command(stdout=worker_out).configure_logging(1)  # what db_worker does at start
        for name in names:
            logging.getLogger(name).info("Task id=1 path=x state=RUNNING")
            logging.getLogger(name).warning("Task id=2 failed unexpectedly")
        logging.getLogger("broadsheet.demo").info("mail sent")
        printed = capsys.readouterr().err + worker_out.getvalue()
    finally:
        for name in names:
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.setLevel(logging.NOTSET)
            logger.propagate = True
        logging.config.dictConfig(settings.LOGGING)
    assert "state=RUNNING" not in printed
    assert printed.count("Task id=2 failed unexpectedly") == 2
    assert "mail sent" in printed
