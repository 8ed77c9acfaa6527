"""The mirrors page (``/mirrors/``, ``/fa/mirrors/``: "Other ways to reach us") and
``/mirrors.json``, both from the addresses the newsroom lists in the admin (the read model's
``mirrors()``), re-baked when that list changes (:func:`on_mirrors`).

``/mirrors.json`` follows Bypass Censorship's mirror list, version 2.0 (OpenTechFund's
``bypass-mirrors`` repository: its README's "v2 Format" and the published ``mirrorSites``
list), which circumvention tools such as the Bypass Censorship browser extension read::

    {"version": "2.0",
     "sites": [{"main_domain": "iran-press-service.com",
                "available_alternatives": [{"proto": "https", "type": "mirror",
                                            "url": "https://…", "created_at": "…",
                                            "updated_at": "…"}, …]}]}

``main_domain`` is the host of the site's public address without a leading ``www.``, as the
list writes it; ``proto`` is the address's scheme, or ``tor`` for an onion service; ``type``
is ``mirror``, ``eotk`` (the list's word for an onion service) or ``ipfs``; the dates are
ISO 8601 in UTC. The file is the same bytes for the same list (no bake time in it).

Why our own code: the format is four fields, and the product is what the newsroom lists.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from broadsheet.site.build import Build
from broadsheet.site.data import MirrorRef
from broadsheet.site.registry import PageKey, Rendered, page_key

JSON = "application/json"
FORMAT_VERSION = "2.0"
#: the kinds of the admin's list → Bypass Censorship's ``type``
TYPES = {"mirror": "mirror", "onion": "eotk", "ipfs": "ipfs"}
#: the order and headings of the readers' page
KINDS = ("mirror", "onion", "ipfs")
WEB = frozenset({"http", "https"})


def one(build: Build) -> list[dict[str, Any]]:
    """The params of a page kind that has exactly one page."""
    return [{}]


def listed(build: Build) -> list[MirrorRef]:
    """The live mirrors of the read model with an ``http(s)`` address (the admin allows no
    other; one written past it, from the shell, is not linked)."""
    return [m for m in build.read.mirrors() if urlsplit(m.url).scheme.lower() in WEB]


def main_domain(base_url: str) -> str:
    """The site's host as the mirror list names it: ``https://www.example.org`` →
    ``example.org`` (lower case, no port, no leading ``www.``)."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host.removeprefix("www.")


def alternative(mirror: MirrorRef) -> dict[str, str]:
    """One entry of ``available_alternatives``: ``proto`` (``http``, ``https`` or ``tor``),
    ``type``, ``url``, ``created_at``, ``updated_at`` (ISO 8601, UTC)."""
    scheme = urlsplit(mirror.url).scheme.lower()
    return {
        "proto": "tor" if mirror.kind == "onion" else scheme,
        "type": TYPES[mirror.kind],
        "url": mirror.url,
        "created_at": mirror.created_at.isoformat(),
        "updated_at": mirror.updated_at.isoformat(),
    }


def mirror_list(build: Build) -> dict[str, Any]:
    """The site's mirror list (see the module docstring) as a JSON-ready dict."""
    return {
        "version": FORMAT_VERSION,
        "sites": [
            {
                "main_domain": main_domain(build.ctx.base_url),
                "available_alternatives": [alternative(m) for m in listed(build)],
            }
        ],
    }


def mirrors_json(build: Build) -> Rendered:
    """``/mirrors.json`` (UTF-8, two-space indented, ending in a newline)."""
    text = json.dumps(mirror_list(build), indent=2, ensure_ascii=False) + "\n"
    return Rendered(200, build.url("mirrors-json"), text.encode("utf-8"), JSON)


def mirrors_page(build: Build) -> Rendered:
    """The readers' page: ``groups`` — (kind, [mirrors]) in :data:`KINDS` order, kinds with
    none left out — and ``json_url``, the site-wide ``/mirrors.json``."""
    mirrors = listed(build)
    groups = [(k, [m for m in mirrors if m.kind == k]) for k in KINDS]
    return build.render(
        "mirrors.html",
        build.url("mirrors"),
        groups=[(k, ms) for k, ms in groups if ms],
        json_url=build.registry.url("mirrors-json"),
    )


def on_mirrors(build: Build, change: Any) -> set[PageKey]:
    """The newsroom's list changed: the mirrors page of each edition and ``/mirrors.json``
    (the engine leaves out the pages an edition does not have)."""
    return {page_key("mirrors"), page_key("mirrors-json")}
