"""Baking the editions: a full bake writes the Persian edition under /fa/, and an incremental
bake of a Persian story re-bakes only its edition's pages (and its translation's page) — the
same files a fresh full bake writes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from lxml import html

from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.models import BakeRun
from tests.publishing.conftest import baked_paths
from tests.publishing.test_incremental import check_incremental

from .factories import PersianStoryFactory

PERSIAN_DIGIT = re.compile("[۰-۹٠-٩]")


@pytest.mark.django_db
def test_a_full_bake_writes_both_editions(editions_, tmp_path):
    out = tmp_path / "site"
    run = full_bake(out)
    assert run.status == BakeRun.Status.DONE, run.error
    pages = baked_paths(out)
    for path in (
        "/fa/",
        "/fa/iran/",
        "/fa/iran/hambastegi/",
        "/fa/archives/1386/03/28/",
        "/fa/archives/1399/02/31/",
        "/fa/archives/1403/12/30/",
        "/fa/feeds/rss.xml",
        "/fa/sitemap.xml",
        "/fa/sitemaps/stories-2007-06.xml",
        "/fa/sitemap-news.xml",
        "/iran/seed/",
        "/archives/2007/06/18/",
    ):
        assert path in pages, path
    # the site-wide files exist once
    assert "/fa/robots.txt" not in pages and "/robots.txt" in pages
    assert "/fa/404.html" not in pages
    fa_pages = {p: f for p, f in pages.items() if p.startswith("/fa/")}
    assert fa_pages
    for path, file in fa_pages.items():
        data = file.read_text()
        if path.endswith("/"):
            tree = html.fromstring(data)
            root = tree.getroottree().getroot()
            assert (root.get("lang"), root.get("dir")) == ("fa", "rtl"), path
            for attr in ("href", "src", "datetime"):
                for value in tree.xpath(f"//@{attr}"):
                    assert not PERSIAN_DIGIT.search(value), (path, value)
            for script in tree.xpath("//script[@type='application/ld+json']"):
                data_ld = json.loads(script.text)
                for key in ("url", "datePublished", "dateModified"):
                    if key in data_ld:
                        assert not PERSIAN_DIGIT.search(data_ld[key]), (path, key)
        else:  # feeds and sitemaps: URLs and dates only carry ASCII digits
            for value in re.findall(
                r"<(?:loc|link|pubDate|lastmod|updated|published)>([^<]*)<", data
            ):
                assert not PERSIAN_DIGIT.search(value), (path, value)
    english = pages["/iran/seed/"].read_text()
    assert 'href="/fa/iran/hambastegi/"' in english


@pytest.fixture
def baking(settings, tmp_path, editions_):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return tmp_path / "site"


@pytest.mark.django_db
def test_publishing_a_persian_story_rebakes_only_its_edition(baking, editions_, tmp_path):
    def publish():
        PersianStoryFactory(
            parent=editions_["translation"].get_parent(),
            title="خبر تازه",
            slug="khabar-e-taze",
            published_at=timezone.make_aware(dt.datetime(2024, 3, 20, 12), dt.UTC),
        )

    run = check_incremental(baking, tmp_path, publish)
    assert "/fa/iran/khabar-e-taze/" in run.written
    assert "/fa/archives/1403/01/01/" in run.written
    assert "/fa/" in run.written
    assert all(p.startswith("/fa/") for p in run.written), run.written


@pytest.mark.django_db
def test_publishing_a_translation_rebakes_the_original(baking, editions_, tmp_path):
    other = editions_["seed"].get_parent().get_children().live().exclude(id=editions_["seed"].id)
    english = other.first().specific

    def translate():
        PersianStoryFactory(
            parent=editions_["translation"].get_parent(),
            title="ترجمهٔ خبر ماه مه",
            slug="tarjome",
            translation_of=english,
            published_at=timezone.make_aware(dt.datetime(2020, 5, 21, 12), dt.UTC),
        )

    run = check_incremental(baking, tmp_path, translate)
    assert "/fa/iran/tarjome/" in run.written
    assert "/iran/may-2020/" in run.written  # its link to the new translation
    assert not any(p.startswith("/archives/") for p in run.written)


@pytest.mark.django_db
def test_unpublishing_a_persian_story(baking, editions_, tmp_path):
    run = check_incremental(baking, tmp_path, lambda: editions_["may"].unpublish())
    assert "/fa/iran/ordibehesht-1399/" in run.removed
    assert "/fa/archives/1399/02/31/" in run.removed
    site_wide = {"/_gone.txt", "/_redirects"}
    assert all(p.startswith("/fa/") or p in site_wide for p in run.written + run.removed)


@pytest.mark.django_db
def test_an_incremental_bake_reads_the_translations_of_its_pages_only(baking, editions_):
    """A full bake tabulates every story's translations at once; a publish must not (at
    100,000 stories that table cost more than the whole publish): its pages ask for their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.publishing.engine import process_pending

    full_bake(baking)
    PersianStoryFactory(
        parent=editions_["translation"].get_parent(),
        title="خبر تازه",
        slug="khabar-e-taze",
        published_at=timezone.make_aware(dt.datetime(2024, 3, 20, 12), dt.UTC),
    )
    with CaptureQueriesContext(connection) as queries:
        run = process_pending(baking)
    assert run.status == BakeRun.Status.DONE, run.error
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "GROUP BY" in q and "translation_key" in q]
    assert 'hreflang="en"' in (baking / "fa" / "iran" / "hambastegi" / "index.html").read_text()


@pytest.mark.django_db
def test_unpublishing_a_translation_rebakes_the_original(baking, editions_, tmp_path):
    """The original loses its "This story in فارسی" link and its hreflang alternates."""
    run = check_incremental(baking, tmp_path, lambda: editions_["translation"].unpublish())
    assert "/fa/iran/hambastegi/" in run.removed
    assert "/iran/seed/" in run.written
    english = (baking / "iran" / "seed" / "index.html").read_text()
    assert "/fa/iran/hambastegi/" not in english
    assert not re.search(r'<link rel="alternate" hreflang="fa"', english)


@pytest.mark.django_db
def test_deleting_a_translation_rebakes_the_original(baking, editions_, tmp_path):
    run = check_incremental(baking, tmp_path, lambda: editions_["translation"].delete())
    assert "/fa/iran/hambastegi/" in run.removed
    assert "/iran/seed/" in run.written
    english = (baking / "iran" / "seed" / "index.html").read_text()
    assert "/fa/iran/hambastegi/" not in english
    assert not re.search(r'<link rel="alternate" hreflang="fa"', english)


@pytest.mark.django_db
def test_deleting_an_original_rebakes_its_translation(baking, editions_, tmp_path):
    run = check_incremental(baking, tmp_path, lambda: editions_["seed"].delete())
    assert "/iran/seed/" in run.removed
    assert "/fa/iran/hambastegi/" in run.written
    persian = (baking / "fa" / "iran" / "hambastegi" / "index.html").read_text()
    assert 'href="/iran/seed/"' not in persian
    assert not re.search(r'<link rel="alternate" hreflang="en"', persian)
