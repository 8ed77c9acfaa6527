"""Reading a WordPress export (WXR 1.0–1.2) for :mod:`broadsheet.importers.wxr`: element names
whatever the WXR version (:func:`qualified`, :class:`Node`), the local copies of the site's
uploads (:class:`MediaFolder`), and the item values WordPress writes loosely (dates, slugs,
names, e-mail and IP addresses), each checked and repaired or reported.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html as html_lib
import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    fit_slug,
)

STICKY_TAG = "Sticky"
DEFAULT_SECTION = "Uncategorized"
IMAGE_SUFFIXES = {".gif", ".jpg", ".jpeg", ".png", ".webp"}
TAG_MAX = 100  # taggit's Tag.name


# -- reading --------------------------------------------------------------------------------


def qualified(tag: Any) -> str:
    """``{namespace}local`` to ``wp:local`` / ``content:…`` / ``excerpt:…`` / ``dc:…`` whatever
    WXR version (1.0, 1.1, 1.2; http or https) the namespace names."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    ns, local = tag[1:].split("}", 1)
    if re.search(r"wordpress\.org/export/[\d.]+/excerpt/?$", ns):
        return f"excerpt:{local}"
    if re.search(r"wordpress\.org/export/[\d.]+/?$", ns):
        return f"wp:{local}"
    if "purl.org/rss/1.0/modules/content" in ns:
        return f"content:{local}"
    if "purl.org/dc/elements" in ns:
        return f"dc:{local}"
    return local


def _text(el: Any) -> str:
    return "".join(el.itertext()) if el is not None else ""


class Node:
    """Direct children of an element by qualified name (``node["wp:post_id"]``)."""

    def __init__(self, el: Any) -> None:
        self.el = el
        self.children: dict[str, list[Any]] = {}
        for child in el:
            self.children.setdefault(qualified(child.tag), []).append(child)

    def __getitem__(self, name: str) -> str:
        found = self.children.get(name)
        return _text(found[0]).strip() if found else ""

    def raw(self, name: str) -> str:
        found = self.children.get(name)
        return _text(found[0]) if found else ""

    def has(self, name: str) -> bool:
        return name in self.children

    def all(self, name: str) -> list[Any]:
        return self.children.get(name, [])

    @property
    def line(self) -> int:
        return self.el.sourceline or 0


class MediaFolder:
    """Local copies of a site's uploads: finds the file for an upload URL by the longest
    matching tail of its path (``2008/06/a.jpg``, then ``a.jpg``), then without WordPress's
    size suffix (``a-300x200.jpg`` → ``a.jpg``). Nothing is fetched."""

    def __init__(self, root: Path | str | None) -> None:
        self.root = Path(root) if root else None
        self.by_rel: dict[str, Path] = {}
        self.by_name: dict[str, Path] = {}
        if self.root and self.root.is_dir():
            for p in sorted(self.root.rglob("*")):
                if p.is_file():
                    self.by_rel[p.relative_to(self.root).as_posix().lower()] = p
                    self.by_name.setdefault(p.name.lower(), p)

    def find(self, url: str) -> Path | None:
        """The local file for ``url`` or ``None``."""
        if not self.by_rel or not url:
            return None
        parts = [p for p in unquote(urlparse(url).path).lower().split("/") if p]
        if not parts:
            return None
        for name_variant in (parts[-1], re.sub(r"-\d+x\d+(\.\w+)$", r"\1", parts[-1])):
            tail = [*parts[:-1], name_variant]
            for i in range(len(tail)):
                hit = self.by_rel.get("/".join(tail[i:]))
                if hit:
                    return hit
            if name_variant in self.by_name:
                return self.by_name[name_variant]
        return None


# -- values ---------------------------------------------------------------------------------


def parse_wp_date(gmt: str, local: str, rfc822: str = "") -> tuple[dt.datetime | None, str]:
    """An item's date: ``wp:post_date_gmt`` (UTC), else ``wp:post_date`` (newsroom time),
    else the RSS ``pubDate`` (RFC 822). Returns ``(aware datetime or None, problem)``; the
    problem is ``""`` or a sentence for the report (no date, ``0000-00-00``, before 1970)."""
    problem = ""
    for value, tz in ((gmt, dt.UTC), (local, None)):
        value = value.strip()
        if not value or value.startswith("0000-00-00"):
            if value:
                problem = f"date {value!r} is empty"
            continue
        try:
            parsed = dt.datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            problem = f"date {value!r} is not a date"
            continue
        if timezone.is_naive(parsed):
            parsed = (
                parsed.replace(tzinfo=tz)
                if tz
                else timezone.make_aware(parsed, timezone.get_current_timezone())
            )
        return parsed, _old_date(parsed)
    if rfc822.strip():
        try:
            parsed = email.utils.parsedate_to_datetime(rfc822.strip())
            if timezone.is_naive(parsed):
                parsed = parsed.replace(tzinfo=dt.UTC)
            return parsed, _old_date(parsed)
        except (TypeError, ValueError, IndexError):
            problem = problem or f"date {rfc822.strip()!r} is not a date"
    return None, problem or "no date"


def _old_date(value: dt.datetime) -> str:
    if value.year < 1970:
        return f"date {value.isoformat()} is before 1970 (kept as it is: check it)"
    return ""


def wp_slug(post_name: str, title: str, fallback: str) -> str:
    """A page slug from WordPress's ``post_name`` (percent-encoded UTF-8), else the title,
    else ``fallback``; at most ``MAX_SLUG_BYTES`` bytes, Unicode kept."""
    for candidate in (unquote(post_name), title):
        slug = fit_slug(candidate)
        if slug:
            return slug
    return fallback


def _clean_name(value: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(value)).strip()


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _valid_url(value: str) -> str:
    value = value.strip()[:500]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
