"""The Pagefind index of a baked site (broadsheet/search/static_index.py) and the static
search page: pages rendered by the shared renderer are written to a folder, indexed, and
searched with Pagefind's own JavaScript under Node, served like `python -m http.server`."""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing.engine import flush, full_bake, process_pending
from broadsheet.publishing.models import BakeRun
from broadsheet.search import static_index
from tests.content.factories import StoryFactory

pytestmark = pytest.mark.django_db

NODE_SEARCH = """
const [base, query] = process.argv.slice(-2);
const pagefind = await import(base + "pagefind.js");
await pagefind.options({ basePath: base });
const manifest = await (await fetch(base + "shards.json")).json();
for (const shard of manifest.shards) await pagefind.mergeIndex(new URL(shard, base).href);
const search = await pagefind.search(query);
const data = await Promise.all(search.results.map((r) => r.data()));
const hits = data.map((d) => ({ url: d.url, title: d.meta.title, excerpt: d.excerpt }));
console.log(JSON.stringify(hits));
"""


def bake_with_two_more_stories(site: Path) -> Path:
    """Two more stories beside the seed story, and a full bake into ``site``."""
    StoryFactory(title="Caspian caviar prices")
    StoryFactory(
        title="گزارش کمیته",
        body=[{"type": "paragraph", "value": "<p>کتاب تازه در تهران</p>"}],
    )
    assert full_bake(site).status == BakeRun.Status.DONE
    return site


@pytest.fixture
def baked_site(tmp_path, seed_story, settings):
    """The seed story and two others, baked with the static search index (rows kept: for the
    tests that change them)."""
    settings.BROADSHEET_STATIC_SEARCH = True
    return bake_with_two_more_stories(tmp_path / "site")


@pytest.fixture(scope="module")
def baked_files(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The folder of :func:`baked_site`, baked once for the tests that only read its files:
    the rows are made, baked and rolled back at once; the files stay."""
    from .conftest import bake_beside_the_seed_story

    site = tmp_path_factory.mktemp("static-index") / "site"
    return bake_beside_the_seed_story(django_db_blocker, site, bake_with_two_more_stories)


def fragments(bundle: Path) -> list[dict]:
    """Pagefind's per-page fragments: gzip, then a "pagefind_dcd" header, then JSON."""
    out = []
    for path in bundle.glob("fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return out


def test_index_holds_every_public_story_once(baked_files):
    bundle = baked_files / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    pages = {f["url"]: f for f in fragments(bundle)}
    assert len(pages) == 3
    seed = pages["/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"]
    assert seed["meta"]["title"] == 'Iran National Solidarity To Create An "Alternative"'
    assert "Baqerzadeh" in seed["content"]
    assert "Noah’s Ark" in seed["content"]
    assert "Latest articles" not in seed["content"]  # records, not re-parsed pages
    # nothing in it folds: its written text is its content, not kept a second time
    assert "text" not in seed["meta"]
    assert json.loads((bundle / "shards.json").read_text())["shards"] == []


def test_a_story_unpublished_leaves_the_index_and_the_bundle_is_never_missing(
    baked_site, seed_story, settings
):
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    settings.BROADSHEET_BAKE_DIR = baked_site
    old_chunks = set((baked_site / "pagefind" / "fragment").iterdir())
    StoryPage.objects.get(id=seed_story.id).unpublish()
    run = process_pending(baked_site)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    assert run.kind == BakeRun.Kind.INCREMENTAL, run.changes
    assert flush(baked_site) == 1  # the finisher's delayed work: the shard of 2007
    bundle = baked_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    # the previous generation's chunks stay for readers who loaded the previous entry file
    assert old_chunks <= set((bundle / "fragment").iterdir())


def test_shards_split_the_archive_by_period(tmp_path, front_page, settings, monkeypatch):
    from broadsheet.site.build import make_build

    settings.BROADSHEET_STATIC_SEARCH = True
    monkeypatch.setattr(static_index, "SHARD_MAX", 2)
    import datetime as dt

    from django.utils import timezone

    for year, month, title in [
        (2005, 1, "Ancient flood"),
        (2005, 2, "Old drought"),
        (2005, 7, "Summer heat"),
        (2007, 3, "Recent election"),
    ]:
        StoryFactory(title=title, published_at=timezone.make_aware(dt.datetime(year, month, 5)))
    shards = static_index.plan(make_build())
    assert [(s.key, s.count) for s in shards] == [("2005-q1", 2), ("2005-q3", 1), ("2007", 1)]
    site = tmp_path / "site"
    full_bake(site)
    manifest = json.loads((site / "pagefind" / "shards.json").read_text())
    assert manifest["shards"] == ["/pagefind/s/2005-q3/", "/pagefind/s/2005-q1/"]
    primary = {f["meta"]["title"] for f in fragments(site / "pagefind")}
    assert primary == {"Recent election"}
    old = {f["meta"]["title"] for f in fragments(site / "pagefind" / "s" / "2005-q1")}
    assert old == {"Ancient flood", "Old drought"}


def test_baked_search_page_searches_the_static_index(baked_files):
    html = (baked_files / "search" / "index.html").read_text()
    assert 'data-search-live="no"' in html
    assert 'data-pagefind-bundle="/pagefind/"' in html
    assert re.search(r'<script src="/static/broadsheet/search\.[0-9a-f]{12}\.js" defer>', html)
    assert "search-hit" not in html


@pytest.fixture
def http_server(baked_files):
    """The baked site served by Python's http.server (no Django), on a free port."""
    yield from serve(baked_files)


def serve(folder: Path):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder), **{})
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def node_search(
    base_url: str, query: str, tmp_path: Path, bundle: str = "/pagefind/"
) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "search.mjs"
    script.write_text(NODE_SEARCH)
    result = subprocess.run(
        [
            node,
            "--no-warnings",
            "--experimental-network-imports",
            str(script),
            f"{base_url}{bundle}",
            query,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_pagefind_finds_the_seed_story_over_http(http_server, tmp_path):
    for query in ("Noah's Ark", "Baqerzadeh", "SOLIDARITY"):
        hits = node_search(http_server, query, tmp_path)
        assert [h["title"] for h in hits][:1] == [
            'Iran National Solidarity To Create An "Alternative"'
        ], query
    hits = node_search(http_server, "Noah's Ark", tmp_path)
    assert "<mark>Noah’s</mark> <mark>Ark</mark>" in hits[0]["excerpt"]
    assert node_search(http_server, "zeppelin", tmp_path) == []


def search_page(base_url: str, page: str, query: str) -> dict:
    """search.js run under Node on the baked ``page`` (``/search/``, ``/fa/search/``) at
    ``?q=query``: ``{"query", "summary", "hits": [{"href", "title", "marks"}]}``."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = Path(settings.PACKAGE_DIR) / "static" / "broadsheet" / "search.js"
    runner = Path(__file__).parent / "js" / "run_search_page.mjs"
    result = subprocess.run(
        [
            node,
            "--no-warnings",
            "--experimental-network-imports",
            str(runner),
            str(script),
            base_url,
            page,
            query,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_search_page_script_answers_from_the_static_index(http_server, tmp_path):
    """search.js on the baked /search/?q=… page (no Django): it loads /pagefind/pagefind.js
    from the same origin and lists the seed story, with the matched words marked."""

    def run(query: str) -> dict:
        return search_page(http_server, "/search/", query)

    page = run("Noah's Ark")
    assert page["query"] == "Noah's Ark"
    assert [h["href"] for h in page["hits"]] == [
        "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
    ]
    assert page["hits"][0]["marks"][:2] == ["Noah’s", "Ark"]
    # Typed with Arabic letters, the Persian story is found through the folded spelling.
    assert [h["title"] for h in run("كميته")["hits"]] == ["گزارش کمیته"]
    assert run("zeppelin")["hits"] == []


def test_a_period_left_without_stories_loses_its_shard(tmp_path, front_page, settings):
    import datetime as dt

    from django.utils import timezone

    settings.BROADSHEET_STATIC_SEARCH = True
    old = StoryFactory(title="Lonely", published_at=timezone.make_aware(dt.datetime(2003, 4, 1)))
    StoryFactory(title="Recent", published_at=timezone.make_aware(dt.datetime(2007, 3, 5)))
    site = tmp_path / "site"
    full_bake(site)
    assert (site / "pagefind" / "s" / "2003" / "pagefind-entry.json").is_file()
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    StoryPage.objects.get(id=old.id).unpublish()
    assert process_pending(site).status == BakeRun.Status.DONE
    assert flush(site) == 1
    assert not (site / "pagefind" / "s" / "2003").exists()
    assert json.loads((site / "pagefind" / "shards.json").read_text())["shards"] == []
    assert (site / "pagefind" / "pagefind.js").is_file()
