"""Render every syndication path of an existing newsroom database, validate it and print
timings.

    BROADSHEET_VAR_DIR=/tmp/demo .venv/bin/broadsheet demo --no-serve
    BROADSHEET_VAR_DIR=/tmp/demo .venv/bin/python bench/syndication_check.py ../shared

Sitemaps are validated with lxml against shared/fixtures/schemas (the news sitemap against
sitemap.xsd and sitemap-news.xsd together), feeds parsed with feedparser (bozo must be 0).
Prints one line per path (milliseconds, bytes) and a summary; exits 1 on any invalid file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

import django

django.setup()

import feedparser  # noqa: E402
from lxml import etree  # noqa: E402

from broadsheet.site.build import make_build  # noqa: E402
from broadsheet.site.registry import registry  # noqa: E402


def syndication_pages(build):
    """(path, kind, params) of every page the syndication feature declares."""
    for kind in registry.ordered_kinds():
        if kind.feature == "syndication" and kind.paths is not None:
            for params in kind.paths(build):
                yield kind.compiled.build(params), kind, dict(params)


def schemas(shared: Path) -> tuple[etree.XMLSchema, etree.XMLSchema]:
    folder = shared / "fixtures" / "schemas"
    urlset = etree.XMLSchema(etree.parse(str(folder / "sitemap.xsd")))
    wrapper = Path(tempfile.mkdtemp()) / "both.xsd"
    wrapper.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        '<xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'schemaLocation="{(folder / "sitemap.xsd").as_uri()}"/>'
        '<xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" '
        f'schemaLocation="{(folder / "sitemap-news.xsd").as_uri()}"/>'
        "</xsd:schema>"
    )
    return urlset, etree.XMLSchema(etree.parse(str(wrapper)))


def main() -> int:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")
    urlset, news = schemas(shared)
    started = time.perf_counter()
    build = make_build(live=False)
    pages = list(syndication_pages(build))
    listed = time.perf_counter() - started
    bad = 0
    total_bytes = 0
    for path, kind, params in pages:
        t = time.perf_counter()
        body = kind.render(build, **params).data()
        ms = (time.perf_counter() - t) * 1000
        total_bytes += len(body)
        verdict = "ok"
        if path.endswith(".xml") and "feed" in path:
            parsed = feedparser.parse(body)
            verdict = "ok" if parsed.bozo == 0 else f"BOZO {parsed.get('bozo_exception')}"
        elif path == "/sitemap-news.xml":
            verdict = "ok" if news.validate(etree.fromstring(body)) else f"INVALID {news.error_log}"
        elif path.startswith("/sitemaps/"):
            valid = urlset.validate(etree.fromstring(body))
            verdict = "ok" if valid else f"INVALID {urlset.error_log}"
        bad += verdict != "ok"
        print(f"{ms:8.1f} ms {len(body):9d} B  {verdict:3}  {path}")
    elapsed = time.perf_counter() - started
    print(
        f"{len(pages)} paths listed in {listed * 1000:.0f} ms, all rendered in {elapsed:.2f} s, "
        f"{total_bytes} bytes, {bad} invalid"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
