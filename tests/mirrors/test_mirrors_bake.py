"""The mirrors page and ``/mirrors.json`` are baked like every page, re-baked (and only they)
when the newsroom's list changes, and kept in a frozen archive."""

from __future__ import annotations

import json

import pytest

from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRequest, BakeRun
from tests.content.factories import MirrorFactory, StoryFactory
from tests.editions.factories import persian_front

pytestmark = pytest.mark.django_db

PAGES = {"/mirrors.json", "/mirrors/", "/fa/mirrors/"}


@pytest.fixture
def site(front_page, settings, tmp_path):
    """Two editions with a story each, baking on change into tmp_path/site."""
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    persian_front()
    StoryFactory(title="A story")
    return tmp_path / "site"


def listed(site) -> list[str]:
    document = json.loads((site / "mirrors.json").read_text("utf-8"))
    return [a["url"] for a in document["sites"][0]["available_alternatives"]]


def test_baked_with_every_page_and_rebaked_when_the_list_changes(site):
    assert full_bake(site).status == BakeRun.Status.DONE
    assert listed(site) == []
    assert (site / "mirrors" / "index.html").is_file()
    assert (site / "fa" / "mirrors" / "index.html").is_file()
    assert not (site / "fa" / "mirrors.json").exists()  # one list, at the site's root
    assert 'href="/mirrors/"' in (site / "index.html").read_text()  # the footer link
    BakeRequest.objects.all().delete()

    mirror = MirrorFactory(url="https://mirror.example.net/ips/", note="Daily")
    assert BakeRequest.objects.filter(kind="mirrors").count() == 1
    run = process_pending(site)
    assert run.kind == BakeRun.Kind.INCREMENTAL and run.status == BakeRun.Status.DONE
    assert set(run.written) == PAGES  # the list's pages, not every page
    assert listed(site) == ["https://mirror.example.net/ips/"]
    for page in ("mirrors", "fa/mirrors"):
        text = (site / page / "index.html").read_text()
        assert 'href="https://mirror.example.net/ips/"' in text and "Daily" in text

    mirror.live = False
    mirror.save()
    run = process_pending(site)
    assert set(run.written) == PAGES
    assert listed(site) == []
    assert "mirror.example.net" not in (site / "mirrors" / "index.html").read_text()


def test_the_frozen_archive_keeps_the_list(site, tmp_path):
    from broadsheet.publishing.archive import freeze, unfreeze

    MirrorFactory(url="https://mirror.example.net/ips/")
    try:
        result = freeze(tmp_path / "archive", notice="Closed.")
    finally:
        unfreeze()
    folder = result.folder
    assert listed(folder) == ["https://mirror.example.net/ips/"]
    page = (folder / "mirrors" / "index.html").read_text()
    assert 'href="https://mirror.example.net/ips/"' in page  # another site: absolute
    assert 'href="../mirrors.json"' in page  # the site's own file: relative
    assert "mirrors.json" in (folder / "SHA256SUMS").read_text()
