"""The Pagefind index of a baked site (broadsheet/search/static_index.py) and the static
search page: pages rendered by the shared renderer are written to a folder, indexed, and
searched with Pagefind's own JavaScript under Node, served like `python -m http.server`."""

from __future__ import annotations

import functools
import gzip
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from broadsheet.newsroom.rendering import Renderer
from broadsheet.search.static_index import StaticIndexError, build_static_index
from broadsheet.search.views import render_search
from tests.newsroom.factories import StoryFactory

pytestmark = pytest.mark.django_db

NODE_SEARCH = """
const [base, query] = process.argv.slice(-2);
const pagefind = await import(base + "pagefind.js");
await pagefind.options({ basePath: base });
const search = await pagefind.search(query);
const data = await Promise.all(search.results.map((r) => r.data()));
const hits = data.map((d) => ({ url: d.url, title: d.meta.title, excerpt: d.excerpt }));
console.log(JSON.stringify(hits));
"""


def bake(site: Path, rendered) -> None:
    target = site / rendered.path.lstrip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(rendered.html, encoding="utf-8")


@pytest.fixture
def baked_site(tmp_path, seed_story):
    """A small baked site: the seed story, two other stories, the front page and the
    search page (as the baker writes it: no server results)."""
    others = [
        StoryFactory(title="Caspian caviar prices"),
        StoryFactory(
            title="گزارش کمیته",
            body=[{"type": "paragraph", "value": "<p>کتاب تازه در تهران</p>"}],
        ),
    ]
    renderer = Renderer()
    site = tmp_path / "site"
    for story in [seed_story, *others]:
        bake(site, renderer.story(story))
    bake(site, renderer.front_page())
    bake(site, render_search(renderer, live=False))
    return site


def fragments(bundle: Path) -> list[dict]:
    """Pagefind's per-page fragments: gzip, then a "pagefind_dcd" header, then JSON."""
    out = []
    for path in bundle.glob("fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return out


def test_index_holds_the_story_pages_only(baked_site):
    stats = build_static_index(baked_site)
    assert stats["pages"] == 3
    assert stats["bundle"] == baked_site / "pagefind"
    assert (baked_site / "pagefind" / "pagefind.js").is_file()
    assert stats["bytes"] == sum(
        p.stat().st_size for p in stats["bundle"].rglob("*") if p.is_file()
    )
    pages = {f["url"]: f for f in fragments(stats["bundle"])}
    seed = pages["/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"]
    assert seed["meta"]["title"] == 'Iran National Solidarity To Create An "Alternative"'
    assert "Baqerzadeh" in seed["content"]
    assert "Noah’s Ark" in seed["content"]
    assert "Topics:" not in seed["content"]  # data-pagefind-ignore
    assert "Latest articles" not in seed["content"]  # only the story body is indexed


def test_rebuild_replaces_the_bundle(baked_site):
    build_static_index(baked_site)
    (baked_site / "iran").rename(baked_site / "gone")
    shutil.rmtree(baked_site / "gone")
    stats = build_static_index(baked_site)
    assert stats["pages"] == 2
    assert not any("Baqerzadeh" in f["content"] for f in fragments(stats["bundle"]))
    assert not list(baked_site.glob(".pagefind-*"))


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(StaticIndexError):
        build_static_index(tmp_path / "nowhere")


def test_baked_search_page_searches_the_static_index(baked_site):
    html = (baked_site / "search" / "index.html").read_text()
    assert 'data-search-live="no"' in html
    assert 'data-pagefind-bundle="/pagefind/"' in html
    assert '<script src="/static/broadsheet/search.js" defer></script>' in html
    assert "search-hit" not in html


@pytest.fixture
def http_server(baked_site):
    """The baked site served by Python's http.server (no Django), on a free port."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(baked_site), **{})
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def node_search(base_url: str, query: str, tmp_path: Path) -> list[dict]:
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
            f"{base_url}/pagefind/",
            query,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_pagefind_finds_the_seed_story_over_http(baked_site, http_server, tmp_path):
    build_static_index(baked_site)
    for query in ("Noah's Ark", "Baqerzadeh", "SOLIDARITY"):
        hits = node_search(http_server, query, tmp_path)
        assert [h["title"] for h in hits][:1] == [
            'Iran National Solidarity To Create An "Alternative"'
        ], query
    hits = node_search(http_server, "Noah's Ark", tmp_path)
    assert "<mark>Noah’s</mark> <mark>Ark</mark>" in hits[0]["excerpt"]
    assert node_search(http_server, "zeppelin", tmp_path) == []


def test_search_page_script_answers_from_the_static_index(baked_site, http_server, tmp_path):
    """search.js on the baked /search/?q=… page (no Django): it loads /pagefind/pagefind.js
    from the same origin and lists the seed story, with the matched words marked."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    build_static_index(baked_site)
    script = Path(settings.PACKAGE_DIR) / "static" / "broadsheet" / "search.js"
    runner = Path(__file__).parent / "js" / "run_search_page.mjs"

    def run(query: str) -> dict:
        result = subprocess.run(
            [
                node,
                "--no-warnings",
                "--experimental-network-imports",
                str(runner),
                str(script),
                http_server,
                query,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(result.stdout)

    page = run("Noah's Ark")
    assert page["query"] == "Noah's Ark"
    assert [h["href"] for h in page["hits"]] == [
        "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/"
    ]
    assert page["hits"][0]["marks"][:2] == ["Noah’s", "Ark"]
    # Typed with Arabic letters, the Persian story is found through the folded spelling.
    assert [h["title"] for h in run("كميته")["hits"]] == ["گزارش کمیته"]
    assert run("zeppelin")["hits"] == []
