"""The static search index per edition: the Persian edition's stories are indexed in its own
bundle at /fa/pagefind/ (sharded by period like the default edition's), its baked search page
queries that bundle, and Persian/Arabic spellings and digits are folded on the index side and
in the page's script — searched with Pagefind's own JavaScript under Node, from a plain static
server (no Django)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.content.searchtext import fold_letters
from broadsheet.publishing.engine import flush, full_bake, process_pending
from broadsheet.publishing.models import BakeRun
from broadsheet.publishing.outputs import FolderOutput
from broadsheet.search import static_index
from broadsheet.search.pagefind_service import PagefindService, ServiceError
from tests.content.factories import StoryFactory
from tests.editions.factories import PersianSectionFactory, PersianStoryFactory, persian_front

from .test_static_index import fragments, node_search, search_page, serve

pytestmark = pytest.mark.django_db


def _at(year: int, month: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 5, 12), dt.UTC)


@pytest.fixture
def editions_site(tmp_path, seed_story, settings):
    """English: the seed story (2007). Persian: a story spelt with Arabic letters, harakat,
    tatweel and Arabic-Indic digits (2024), one with ASCII digits (2024) and one of 2019.
    Baked with the static search (rows kept: for the tests that change them)."""
    settings.BROADSHEET_STATIC_SEARCH = True
    return bake_editions(tmp_path / "site")


@pytest.fixture(scope="module")
def editions_files(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The folder of :func:`editions_site`, baked once for the tests that only read its files
    (and serve them): the rows are made, baked and rolled back at once; the files stay."""
    from .conftest import bake_beside_the_seed_story

    site = tmp_path_factory.mktemp("static-index-editions") / "site"
    return bake_beside_the_seed_story(django_db_blocker, site, bake_editions)


def bake_editions(site: Path) -> tuple[Path, dict[str, StoryPage]]:
    """The Persian stories of :func:`editions_site` beside the seed story, and a full bake
    into ``site``: the folder and the stories by name."""
    section = PersianSectionFactory(title="فرهنگ", slug="farhang", parent=persian_front())
    stories = {
        "arabic": PersianStoryFactory(
            parent=section,
            title="گزارش نمایشگاه",
            slug="namayeshgah",
            body=[{"type": "paragraph", "value": "<p>كِتابـ علي ١٤٠٣ در تهران</p>"}],
            published_at=_at(2024, 5),
        ),
        "ascii": PersianStoryFactory(
            parent=section,
            title="بودجهٔ سال",
            slug="budje",
            body=[{"type": "paragraph", "value": "<p>بودجهٔ سال 1403 تصویب شد</p>"}],
            published_at=_at(2024, 6),
        ),
        "old": PersianStoryFactory(
            parent=section,
            title="خبری کهنه",
            slug="kohne",
            body=[{"type": "paragraph", "value": "<p>روزنامه‌نگاران در پاریس</p>"}],
            published_at=_at(2019, 3),
        ),
    }
    assert full_bake(site).status == BakeRun.Status.DONE
    return site, stories


@pytest.fixture
def served(editions_site):
    yield from serve(editions_site[0])


@pytest.fixture
def served_files(editions_files):
    """:func:`editions_files` served by Python's http.server (no Django), on a free port."""
    yield from serve(editions_files)


def test_each_edition_has_its_own_bundle(editions_site):
    site, _ = editions_site
    english = {f["url"] for f in fragments(site / "pagefind")}
    persian = {f["url"] for f in fragments(site / "fa" / "pagefind")}
    assert english == {"/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"}
    # 2024, the newest; URLs within the edition (Pagefind's script adds the bundle's /fa/)
    assert persian == {"/farhang/namayeshgah/", "/farhang/budje/"}
    entry = json.loads((site / "fa" / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"fa"}
    assert entry["languages"]["fa"]["page_count"] == 2
    # the index side is folded; the title (shown as the hit's headline) is kept as written
    record = next(f for f in fragments(site / "fa" / "pagefind") if "namayeshgah" in f["url"])
    assert "کتاب علی 1403" in record["content"]
    assert "ك" not in record["content"] and "١" not in record["content"]
    assert record["meta"]["title"] == "گزارش نمایشگاه"
    # the index is not a page: a second full bake keeps it
    assert not {p for p in FolderOutput(site).pages() if "pagefind" in p}
    assert full_bake(site).status == BakeRun.Status.DONE
    assert (site / "fa" / "pagefind" / "pagefind-entry.json").is_file()


def test_the_persian_search_page_queries_its_own_edition(editions_files, served_files):
    site, served = editions_files, served_files
    html = (site / "fa" / "search" / "index.html").read_text()
    assert 'data-pagefind-bundle="/fa/pagefind/"' in html
    assert 'data-pagefind-bundle="/pagefind/"' in (site / "search" / "index.html").read_text()

    def hrefs(page: str, query: str) -> list[str]:
        return sorted(h["href"] for h in search_page(served, page, query)["hits"])

    # "کتاب" (Persian letters) finds "كِتابـ" (Arabic kaf, kasra, tatweel), and so does the
    # Arabic spelling; ۱۴۰۳ (Persian digits) finds ١٤٠٣ (Arabic-Indic) and 1403 (ASCII)
    assert hrefs("/fa/search/", "کتاب") == ["/fa/farhang/namayeshgah/"]
    assert hrefs("/fa/search/", "كتاب") == ["/fa/farhang/namayeshgah/"]
    assert hrefs("/fa/search/", "علی") == ["/fa/farhang/namayeshgah/"]
    both = ["/fa/farhang/budje/", "/fa/farhang/namayeshgah/"]
    assert hrefs("/fa/search/", "۱۴۰۳") == both
    assert hrefs("/fa/search/", "١٤٠٣") == both
    assert hrefs("/fa/search/", "1403") == both
    # a word spelt with a zero-width non-joiner is found written without one
    assert hrefs("/fa/search/", "روزنامهنگاران") == ["/fa/farhang/kohne/"]
    # each edition searches only its own stories
    assert hrefs("/fa/search/", "Baqerzadeh") == []
    assert hrefs("/search/", "کتاب") == []
    assert hrefs("/search/", "Baqerzadeh") == [
        "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
    ]
    # the page's messages are the edition's, with Persian digits; titles as written
    page = search_page(served, "/fa/search/", "۱۴۰۳")
    assert page["summary"].startswith("۲ ")
    assert "stories" not in page["summary"]
    assert {h["title"] for h in page["hits"]} == {"گزارش نمایشگاه", "بودجهٔ سال"}
    none = search_page(served, "/fa/search/", "zeppelin")
    assert none["hits"] == [] and "No stories" not in none["summary"]
    assert none["summary"].startswith("هیچ")


def test_the_page_folds_the_query_with_the_index_table(editions_files):
    """The table the page hands its script is the index side's (one source of truth)."""
    site = editions_files
    import html as htmllib
    import re

    page = (site / "fa" / "search" / "index.html").read_text()
    table = json.loads(htmllib.unescape(re.search(r'data-search-fold="([^"]*)"', page)[1]))
    sample = "كِتابـ علي ١٤٠٣ ۱۴۰۳ می‌روم أحمد"
    assert "".join(table.get(ch, ch) for ch in sample) == fold_letters(sample)
    assert fold_letters(sample) == "کتاب علی 1403 1403 میروم احمد"


def test_persian_shards_and_a_persian_unpublish(editions_site, served, settings):
    """The Persian index is sharded by period like the default one; unpublishing a Persian
    story re-indexes its shard in /fa/pagefind/ and leaves the English bundle alone."""
    site, stories = editions_site
    manifest = json.loads((site / "fa" / "pagefind" / "shards.json").read_text())
    assert {k: v for k, v in manifest.items() if k != "built"} == {
        "primary": "/fa/pagefind/",
        "shards": ["/fa/pagefind/s/2019/"],
        "primary_key": "2024",
    }
    assert {k: v["at"] for k, v in manifest["built"].items()} == {
        "2019": "/fa/pagefind/s/2019/",
        "2024": "/fa/pagefind/",
    }
    assert {f["url"] for f in fragments(site / "fa" / "pagefind" / "s" / "2019")} == {
        "/farhang/kohne/"
    }
    # Pagefind's own API over the merged shards (the basePath given as a full URL)
    assert [h["url"] for h in node_search(served, "پاریس", site, "/fa/pagefind/")] == [
        f"{served}/fa/farhang/kohne/"
    ]
    english_entry = (site / "pagefind" / "pagefind-entry.json").read_bytes()
    english_mtime = (site / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns

    settings.BROADSHEET_BAKE_ON_CHANGE = True
    StoryPage.objects.get(id=stories["arabic"].id).unpublish()
    run = process_pending(site)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    assert run.kind == BakeRun.Kind.INCREMENTAL
    assert flush(site) == 1
    entry = json.loads((site / "fa" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["fa"]["page_count"] == 1  # the 2024 shard: one story left
    assert (site / "pagefind" / "pagefind-entry.json").read_bytes() == english_entry
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns == english_mtime
    assert [h["href"] for h in search_page(served, "/fa/search/", "1403")["hits"]] == [
        "/fa/farhang/budje/"
    ]


def test_an_english_publish_does_not_touch_the_persian_index(editions_site, seed_story, settings):
    site, _ = editions_site
    persian = site / "fa" / "pagefind" / "pagefind-entry.json"
    before = (persian.read_bytes(), persian.stat().st_mtime_ns)
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    StoryFactory(
        title="Caspian caviar prices", parent=seed_story.get_parent(), published_at=_at(2007, 8)
    )
    run = process_pending(site)
    assert run.status == BakeRun.Status.DONE and run.kind == BakeRun.Kind.INCREMENTAL
    assert flush(site) == 1
    assert (persian.read_bytes(), persian.stat().st_mtime_ns) == before
    english = {f["meta"]["title"] for f in fragments(site / "pagefind")}
    assert "Caspian caviar prices" in english


def test_pagefind_bundle_files_are_written_whole(tmp_path):
    """The bundle is asked for and written by us: every file is whole once ``write``
    returns (Pagefind's own WriteFiles could leave pagefind-entry.json empty when its
    service exits right after answering)."""
    bundle = tmp_path / "bundle"
    with PagefindService(static_index.pagefind_executable()) as service:
        service.add(
            {"url": f"/s{i}/", "content": f"story {i}", "language": "en", "meta": {}}
            for i in range(3)
        )
        count = service.write(bundle)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    assert count == len(files) > 5
    assert all(p.stat().st_size > 0 for p in files)
    assert (
        json.loads((bundle / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
        == 3
    )


def test_a_bundle_file_outside_the_folder_is_refused(tmp_path, monkeypatch):
    with PagefindService(static_index.pagefind_executable()) as service:
        answer = {"files": [{"path": "../escape.js", "content": base64.b64encode(b"x").decode()}]}
        monkeypatch.setattr(service, "_ask", lambda payload: answer)
        with pytest.raises(ServiceError, match="outside its bundle"):
            service.write(tmp_path / "bundle")
    assert not (tmp_path / "escape.js").exists()


def test_static_excerpts_show_the_written_letters(editions_files, served_files):
    """The index matches folded words, but the excerpt shows the story's own letters, with
    the words Pagefind matched highlighted (meta.text: word for word the folded content)."""
    site, served = editions_files, served_files
    record = next(f for f in fragments(site / "fa" / "pagefind") if "namayeshgah" in f["url"])
    assert (
        record["meta"]["text"] == "گزارش نمایشگاه آنچه رخ داد، در یک جمله. كِتابـ علي ١٤٠٣ در تهران"
    )
    assert len(record["meta"]["text"].split()) == len(record["content"].split())
    for query, marks in (("کتاب", ["كِتابـ"]), ("علی", ["علي"]), ("۱۴۰۳", ["١٤٠٣"])):
        hits = search_page(served, "/fa/search/", query)["hits"]
        hit = next(h for h in hits if h["href"] == "/fa/farhang/namayeshgah/")
        assert hit["marks"] == marks, (query, hit)
        assert "كِتابـ علي ١٤٠٣ در تهران" in hit["snippet"]
        assert "کتاب علی 1403" not in hit["snippet"]
    # the story written with ASCII digits is shown with them
    hits = search_page(served, "/fa/search/", "۱۴۰۳")["hits"]
    budje = next(h for h in hits if h["href"] == "/fa/farhang/budje/")
    assert budje["marks"] == ["1403"]
