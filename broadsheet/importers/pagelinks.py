"""Where an archived page was and what it links to, for :mod:`broadsheet.importers.archived`.

A page's relative links mean something only against the address it was fetched from: that
address comes from ``--base-url`` (a mirrored folder: the base joined with each file's path in
it), else the browser's "saved from url" mark, else the page's own canonical link
(:func:`page_url`, :func:`document_base`). The body's links are made absolute when the page
is read (:func:`absolute_links`), and those that lead to another imported page are pointed at
its story once the run has saved them (:func:`rewrite_links`). Our own code: trafilatura
resolves links against the site's root only, and no library knows the imported stories.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit


def document_base(tree: Any, url: str) -> str:
    """The URL the page's relative links are relative to: its ``<base href>`` (resolved
    against ``url``), else ``url``; ``""`` when neither is an absolute http(s) URL."""
    base = next((el.get("href") for el in tree.iter("base") if el.get("href")), "")
    base = urljoin(url, base.strip()) if base else url
    return base if base.startswith(("http://", "https://")) else ""


_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


def absolute_links(html: str, base: str) -> str:
    """``html`` with its ``href`` and ``src`` values resolved against ``base`` (links within
    the page, ``#…``, are left as they are); unchanged when ``base`` is ``""``."""
    if not base:
        return html

    def fix(m: re.Match[str]) -> str:
        value = html_lib.unescape(m.group(2)).strip()
        if not value or value.startswith("#"):
            return m.group(0)
        return f'{m.group(1)}="{html_lib.escape(urljoin(base, value))}"'

    return _URL_ATTRIBUTE.sub(fix, html)


#: Browsers' "Save page as" mark: ``<!-- saved from url=(0041)http://… -->``.
SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)


def page_url(path: Path, root: Path | None, base_url: str, data: bytes) -> str:
    """The address an archived file was fetched from: with ``base_url`` (``--base-url``), that
    URL joined with the file's path under ``root`` (the folder given; a file given alone is
    joined by its name: ``--base-url http://site.example/2007/06/`` and ``a.html``); else the
    browser's "saved from url" mark in the file's first kilobytes; else ``""`` (the page's
    canonical link, if any, is used)."""
    if base_url:
        rel = path.relative_to(root).as_posix() if root is not None else path.name
        if root is not None and not base_url.endswith("/"):
            base_url += "/"
        return urljoin(base_url, quote(rel))
    m = SAVED_FROM.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else ""


def iter_html_files(paths: Iterable[Path | str]) -> Iterator[tuple[Path, Path | None]]:
    """``(file, folder given)`` for every ``*.html`` / ``*.htm`` file under the given files
    and folders, sorted (the folder is ``None`` for a file given alone)."""
    for p in map(Path, paths):
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.is_file() and q.suffix.lower() in (".html", ".htm"):
                    yield q, p
        else:
            yield p, None


def iter_html_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every ``*.html`` / ``*.htm`` file under the given files and folders, sorted."""
    for path, _ in iter_html_files(paths):
        yield path


def url_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def rewrite_links(
    blocks: list[dict[str, Any]],
    base_url: str,
    lookup: Callable[[str], str | None],
    resolved: bool = False,
) -> bool:
    """Resolve the links of paragraph blocks against ``base_url`` and point those whose
    target was imported too (``lookup(absolute URL)`` gives its new URL) at the new story;
    other links stay, as external links. ``resolved``: the blocks were rewritten before (a
    story found unchanged), so a link that is not an absolute http(s) URL already points at
    one of our stories and is left as it is. Changes ``blocks`` in place; True if anything
    changed."""
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        href = html_lib.unescape(m.group(1))
        if resolved and not href.startswith(("http://", "https://")):
            return m.group(0)
        absolute = urljoin(base_url, href) if base_url else href
        target = lookup(absolute) if absolute.startswith(("http://", "https://")) else None
        new = target or absolute
        if new != href:
            changed = True
        return f'href="{html_lib.escape(new)}"'

    for block in blocks:
        if block["type"] == "paragraph":
            block["value"] = re.sub(r'href="([^"]*)"', fix, block["value"])
    return changed


def link_lookup() -> Callable[[str], str | None]:
    """Old URL → new story URL for every archived page imported so far."""
    from .models import ImportedStory

    known = {
        url_key(o.entry): o.story
        for o in ImportedStory.objects.filter(source__startswith="html:").select_related("story")
        if o.entry.startswith(("http://", "https://"))
    }

    def lookup(url: str) -> str | None:
        story = known.get(url_key(url))
        return story.get_url() if story is not None else None

    return lookup
