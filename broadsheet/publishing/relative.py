"""Relative links for a baked folder that opens anywhere: ``bake --relative`` and ``freeze``.

A mirror (``https://mirror.example/ips/``), a USB stick opened from ``file://`` and a frozen
archive need every link, source, ``srcset``, search form's action, refresh target and script-
read URL (``data-pagefind-bundle``, ``data-site-root``) relative to the page itself, and folder
links ending in ``index.html`` (a browser opening a folder from ``file://`` lists it instead of
showing its ``index.html``).

Why a rewrite of the rendered page rather than the renderer writing relative links: the site
model builds URLs once per build, not per page — a story card is rendered once and shown on
every listing of a bake (``site/render.py``), the read model hands out ready URLs
(``card.url``), and story bodies hold the internal links the editor wrote (``/iran/x/``). A
relative link depends on the depth of the page it is written into, so the renderer would have
to render every card and body once per depth, and the live pages (which must stay
root-relative) would no longer be the same bytes as the normal bake. So the pages are rendered
exactly as for the live site, then — only for these outputs — each page's URL-bearing
attributes are rewritten with lxml's HTML parser (no regular expression over HTML), knowing
the page's own path. Stylesheets need nothing (their ``url()`` are relative already, and
Django's manifest storage keeps them so); the scripts build their URLs from the data
attributes rewritten here.

A link to the site's own public host (``base_url``: the canonical link, absolute links in
bodies) is treated as root-relative. A link marked ``data-live`` (a page only the live site
serves, such as the forums of a site that is not frozen) is made absolute on ``base_url``
instead: the folder does not hold it. So is every address only the live app answers: a
``<form method="post">``'s ``action`` and the script-read endpoints (:data:`LIVE_ATTRS`:
``data-token-url``, ``data-endpoint``) — a mirror's guestbook, comment and newsletter forms post
to the live site and fetch their fresh token there (a frozen archive has neither). A ``GET``
form (the search box) stays a page of the folder. Links to other hosts, ``mailto:`` and
fragments are kept.
JSON-LD and ``og:url`` keep the site's absolute URLs: they name the page, they are not links.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import lxml.html

from .outputs import FolderOutput

URL_ATTRS = (
    "href",
    "src",
    "action",
    "poster",
    "data-pagefind-bundle",
    "data-site-root",
    "data-fallback-index",
)
# endpoints a script calls on the live app (never a file of the folder): absolute on base_url
LIVE_ATTRS = ("data-token-url", "data-endpoint")
# attributes that name a folder a script appends to: no index.html added
FOLDER_ATTRS = frozenset({"data-pagefind-bundle", "data-site-root"})
DOCTYPE = "<!doctype html>"


def page_dir(page_path: str) -> str:
    """The folder URL a page is written in: ``/a/b/`` → ``/a/b/``, ``/404.html`` → ``/``."""
    return page_path if page_path.endswith("/") else posixpath.dirname(page_path) + "/"


def relative_url(url: str, page_path: str, own_hosts: frozenset[str], folder: bool = False) -> str:
    """``url`` as written on the page at public path ``page_path``, made relative if it points
    into the site (root-relative, or absolute on one of ``own_hosts``); folder URLs get
    ``index.html`` unless ``folder``. Anything else is returned unchanged.

    >>> relative_url("/iran/x/", "/iran/y/", frozenset())
    '../x/index.html'
    """
    url = url.strip()
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "") or parts.netloc not in own_hosts:
            return url
        path = parts.path or "/"
    elif url.startswith("/"):
        path = parts.path
    else:
        return url  # relative already, or a fragment / query only
    target = path
    if target.endswith("/") and not folder:
        target += "index.html"
    rel = posixpath.relpath(target, page_dir(page_path))
    if folder and path.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return urlunsplit(("", "", rel, parts.query, parts.fragment))


def live_address(url: str, base_url: str, own_hosts: frozenset[str]) -> str:
    """``url`` of an endpoint only the live app answers, as written in a relative folder: a
    root-relative URL, or one on the site's own host, made absolute on ``base_url``; anything
    else (another host: ``BROADSHEET_LIVE_URL``) unchanged, as is everything without a
    ``base_url``.

    >>> live_address("/discussion/token/?kind=guestbook", "https://news.example", frozenset())
    'https://news.example/discussion/token/?kind=guestbook'
    """
    url = url.strip()
    if not base_url:
        return url
    parts = urlsplit(url)
    if url.startswith("/") and not url.startswith("//"):
        return base_url.rstrip("/") + url
    if parts.scheme in ("http", "https") and parts.netloc in own_hosts:
        base = urlsplit(base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
    return url


def _srcset(value: str, page_path: str, hosts: frozenset[str]) -> str:
    out = []
    for candidate in value.split(","):
        bits = candidate.strip().split(None, 1)
        if not bits:
            continue
        bits[0] = relative_url(bits[0], page_path, hosts)
        out.append(" ".join(bits))
    return ", ".join(out)


def _refresh(value: str, page_path: str, hosts: frozenset[str]) -> str:
    delay, sep, rest = value.partition(";")
    key, eq, target = rest.partition("=")
    if not sep or not eq or key.strip().lower() != "url":
        return value
    return f"{delay}; url={relative_url(target.strip(), page_path, hosts)}"


def relativize(html: str | bytes, page_path: str, base_url: str) -> bytes:
    """The HTML page at public path ``page_path`` with every link into the site relative (see
    the module docstring); ``base_url`` is the site's public address (its host counts as the
    site's own). Returns UTF-8 bytes with an HTML5 doctype."""
    hosts = frozenset({urlsplit(base_url).netloc}) if base_url else frozenset()
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        if el.get("data-live") is not None:
            # a link to a page that only the live site serves (the forums of a site that is not
            # frozen): it is not in this folder, so it goes to the live site's address
            href = el.get("href") or ""
            if base_url and href.startswith("/") and not href.startswith("//"):
                el.set("href", base_url.rstrip("/") + href)
            continue
        if el.tag == "form" and (el.get("method") or "get").lower() == "post":
            el.set("action", live_address(el.get("action") or "", base_url, hosts))
        for attr in LIVE_ATTRS:
            if el.get(attr) is not None:
                el.set(attr, live_address(el.get(attr), base_url, hosts))
        for attr in URL_ATTRS:
            if attr == "action" and el.tag == "form" and el.get("method", "").lower() == "post":
                continue  # made live above
            value = el.get(attr)
            if value is not None:
                el.set(attr, relative_url(value, page_path, hosts, folder=attr in FOLDER_ATTRS))
        if el.get("srcset") is not None:
            el.set("srcset", _srcset(el.get("srcset"), page_path, hosts))
        if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            el.set("content", _refresh(el.get("content") or "", page_path, hosts))
    body = lxml.html.tostring(doc, encoding="unicode", method="html")
    return (DOCTYPE + "\n" + body + "\n").encode("utf-8")


def is_html(path: str, content_type: str) -> bool:
    """Whether the baked file at ``path`` is an HTML page (rewritten by :func:`relativize`)."""
    return content_type.startswith("text/html") or path.endswith(("/", ".html"))


class RelativeOutput(FolderOutput):
    """A :class:`~.outputs.FolderOutput` whose HTML pages are written with relative links
    (:func:`relativize`); ``base_url``: the site's public address (its host is the site's own).
    Everything else (assets, feeds, the search index) is written as it is."""

    relative = True

    def __init__(self, folder: Path, base_url: str = "") -> None:
        super().__init__(folder)
        self.base_url = base_url

    def __repr__(self) -> str:
        return f"RelativeOutput({self.folder})"

    def write(self, path: str, data: bytes, content_type: str = "") -> bool:
        if is_html(path, content_type):
            data = relativize(data, path, self.base_url)
        return super().write(path, data, content_type)
