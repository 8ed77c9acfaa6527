"""The web server's side of the baked site: redirects and gone pages, as page kinds.

A static server cannot ask the database, so the baker writes what it needs to know:

* ``/_redirects`` — one ``old-path new-url 301`` line per Wagtail redirect (the format Netlify,
  Cloudflare Pages and others read; docs/baking.md has the nginx equivalent);
* ``/_gone.txt`` — one path per line that answers 410 Gone (a story unpublished or deleted);
* at a redirect's old path, when no page is there, a small HTML page with a
  ``<meta http-equiv="refresh">`` and a link, so even a server without rules sends readers on.

These files exist only in a bake (the live app answers redirects with Wagtail's middleware and
410 with its 404 handler).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from wagtail.contrib.redirects.models import Redirect

from broadsheet.site.build import Build
from broadsheet.site.changes import Change
from broadsheet.site.registry import TEXT, NotFound, Rendered


def stub_html(target: str) -> bytes:
    """The page left at a moved page's old path: it sends the reader to ``target`` (an absolute
    URL)."""
    t = escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Moved</title>\n<link rel="canonical" href="{t}">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{t}">{t}</a>.</p>\n</body>\n</html>\n'
    ).encode()


def redirects_file(build: Build) -> Rendered:
    lines = [
        f"{r.old_path} {r.target} {301 if r.permanent else 302}" for r in build.read.redirects()
    ]
    body = ("\n".join(lines) + "\n").encode() if lines else b""
    return Rendered(200, "/_redirects", body, TEXT)


def gone_file(build: Build) -> Rendered:
    paths = build.read.retired_paths()
    body = ("\n".join(paths) + "\n").encode() if paths else b""
    return Rendered(200, "/_gone.txt", body, TEXT)


def stub_param(old_path: str) -> str:
    """The ``old`` param of a redirect stub: the old path without slashes at the ends."""
    return old_path.strip("/")


def stub(build: Build, old: str) -> Rendered:
    wanted = Redirect.normalise_path("/" + old)
    for r in build.read.redirects():
        if r.old_path == wanted:
            if build.read.node(f"/{old}/") is not None:
                raise NotFound(f"/{old}/ holds a page")
            return Rendered(200, f"/{old}/", stub_html(build.absolute(r.target)))
    raise NotFound(old)


def stub_paths(build: Build) -> Iterable[dict[str, Any]]:
    for r in build.read.redirects():
        if stub_param(r.old_path):
            yield {"old": stub_param(r.old_path)}


def one(build: Build) -> Iterable[dict[str, Any]]:
    yield {}


def on_change(build: Build, change: Change) -> set[tuple]:
    """Every change to what is public may change the rules files; a redirect its stub; a story
    that moved or went leaves its old path to a stub or a 410."""
    pages: set[tuple] = {("server-redirects", ()), ("server-gone", ())}
    old = change.data.get("old_path")
    if change.topic == "redirect" and old and stub_param(old):
        pages.add(("redirect-stub", (("old", stub_param(old)),)))
    before = change.before
    moved = before and (change.after is None or change.after.url != before.url)
    if moved and stub_param(before.url):
        pages.add(("redirect-stub", (("old", stub_param(before.url)),)))
    return pages
