"""Editions: the same newsroom in several languages, one Wagtail locale each.

An edition is a language of ``LANGUAGES`` with its own tree of pages — the translation (same
``translation_key``, locale of the edition's language) of the Wagtail site's root page, with its
sections and stories below it. The edition of the default language (``LANGUAGE_CODE``) is
served at ``/``; every other one under its prefix: ``/fa/``, ``/fa/archives/1403/01/``…

The list is the setting ``BROADSHEET_EDITIONS``: dicts with ``language``, ``prefix`` (``""``
for the default language's), ``calendar`` (``gregorian`` or ``jalali``: the dates readers see;
machines always get Gregorian RFC 3339) and ``name`` (the edition's name in its own language).
An edition whose root page has not been created (translated) yet does not exist for readers.

A story is linked to its translations by Wagtail's ``translation_key``: :func:`alternates`
gives, for a page, the public URL of each of its live translations in another edition — the
"This story in English" link, the ``hreflang`` alternates of the head and of the sitemaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

CALENDARS = ("gregorian", "jalali")


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition: ``language`` (a code of ``LANGUAGES``), ``prefix`` (first URL segment, ""
    for the default edition), ``calendar``, ``name`` (in its own language)."""

    language: str
    prefix: str = ""
    calendar: str = "gregorian"
    name: str = ""

    @property
    def path_prefix(self) -> str:
        """``/fa`` (no trailing slash), or "" for the default edition."""
        return f"/{self.prefix}" if self.prefix else ""

    @property
    def direction(self) -> str:
        """``rtl`` for a right-to-left language (Django's ``LANGUAGES_BIDI``: ``fa``,
        ``fa-ir``…), else ``ltr``."""
        base = self.language.split("-")[0].lower()
        return "rtl" if base in settings.LANGUAGES_BIDI else "ltr"


@lru_cache(maxsize=4)
def _editions(raw: tuple[tuple[tuple[str, str], ...], ...], default: str) -> tuple[Edition, ...]:
    found = [Edition(**dict(item)) for item in raw]
    if not found:
        found = [Edition(default)]
    codes = {code for code, _ in settings.LANGUAGES}
    prefixes: set[str] = set()
    for e in found:
        if e.language not in codes:
            raise ImproperlyConfigured(f"edition {e.language!r} is not in LANGUAGES")
        if e.calendar not in CALENDARS:
            raise ImproperlyConfigured(f"edition {e.language!r}: calendar {e.calendar!r}")
        if e.prefix in prefixes or "/" in e.prefix:
            raise ImproperlyConfigured(f"edition {e.language!r}: bad prefix {e.prefix!r}")
        prefixes.add(e.prefix)
    defaults = [e for e in found if not e.prefix]
    if len(defaults) != 1 or defaults[0].language != default:
        raise ImproperlyConfigured(
            "BROADSHEET_EDITIONS needs exactly one edition without a prefix, in LANGUAGE_CODE"
        )
    return tuple(sorted(found, key=lambda e: bool(e.prefix)))


def editions() -> tuple[Edition, ...]:
    """Every configured edition, the default one first (``ImproperlyConfigured`` for a
    language not in ``LANGUAGES``, an unknown calendar, or not exactly one default)."""
    raw = getattr(settings, "BROADSHEET_EDITIONS", None) or []
    frozen = tuple(tuple(sorted(item.items())) for item in raw)
    return _editions(frozen, translation.get_supported_language_variant(settings.LANGUAGE_CODE))


def default_edition() -> Edition:
    """The edition served at ``/``."""
    return editions()[0]


def by_language(language: str) -> Edition | None:
    """The edition of ``language`` (``fa``; ``fa-ir`` finds ``fa``), or None."""
    base = language.lower().split("-")[0]
    for e in editions():
        if e.language.lower() == language.lower() or e.language.split("-")[0] == base:
            return e
    return None


def for_path(path: str) -> Edition:
    """The edition a public URL path belongs to: ``/fa/…`` → Persian, else the default."""
    head = path.lstrip("/").split("/", 1)[0]
    for e in editions():
        if e.prefix and e.prefix == head:
            return e
    return default_edition()


def root_for(site: Any, edition: Edition) -> Any | None:
    """The root page (front page) of ``edition`` on a Wagtail ``site``: the site's root page
    for the default edition, else its translation in the edition's locale (None if there is
    none yet)."""
    root = site.root_page
    if not edition.prefix:
        return root
    from wagtail.models import Locale, Page

    locale = Locale.objects.filter(language_code=edition.language).first()
    if locale is None:
        return None
    return (
        Page.objects.filter(translation_key=root.translation_key, locale=locale)
        .exclude(id=root.id)
        .first()
    )


def prefixes() -> frozenset[str]:
    """The URL prefixes of the editions other than the default (reserved slugs)."""
    return frozenset(e.prefix for e in editions() if e.prefix)


def local_path(path: str) -> str:
    """A public path without its edition's prefix (``/fa/iran/x/`` → ``/iran/x/``); the
    prefixes are reserved slugs, so no page of the default edition starts with one."""
    prefix = for_path(path).path_prefix
    return (path[len(prefix) :] or "/") if prefix else path


@dataclass(frozen=True, slots=True)
class Alternate:
    """A page's version in another edition: its ``language`` (BCP 47, for ``hreflang``), the
    edition's ``name`` (in its own language) and the version's public ``url`` path."""

    language: str
    name: str
    url: str

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the direction of the version's language."""
        edition = by_language(self.language)
        return edition.direction if edition else "ltr"

    @property
    def label(self) -> str:
        """ "This story in English", "این خبر به فارسی": in the version's own language."""
        with translation.override(self.language):
            return translation.gettext("This story in %(language)s") % {"language": self.name}


def _roots(site_id: int) -> dict[int, tuple[Edition, str]]:
    """Each edition's front page id → (edition, its Wagtail ``url_path``), on Wagtail site
    ``site_id``."""
    from wagtail.models import Page, Site

    site = Site.objects.select_related("root_page").get(id=site_id)
    found: dict[int, tuple[Edition, str]] = {}
    root = site.root_page
    rows = Page.objects.filter(translation_key=root.translation_key).values_list(
        "id", "url_path", "locale__language_code"
    )
    for page_id, url_path, language in rows:
        edition = by_language(language)
        if edition is not None and (edition.prefix or page_id == root.id):
            found[page_id] = (edition, url_path)
    return found


def _public_translations(keys: Any, exclude: int | None = None) -> list[tuple[int, str, Any, int]]:
    """``(page id, url_path, translation_key, root id)`` of the public stories whose
    translation key is in ``keys`` (a list or a subquery)."""
    from wagtail.models import Page

    from .models import ListingEntry

    pages = Page.objects.filter(translation_key__in=keys, live=True)
    if exclude is not None:
        pages = pages.exclude(id=exclude)
    rows = {
        pid: (url, key) for pid, url, key in pages.values_list("id", "url_path", "translation_key")
    }
    public = ListingEntry.objects.filter(scope="all", story_id__in=pages.values("id")).values_list(
        "story_id", "root_id"
    )
    return [(pid, *rows[pid], root_id) for pid, root_id in public if pid in rows]


def _alternate(roots: dict[int, tuple[Edition, str]], url: str, root_id: int) -> Alternate | None:
    if root_id not in roots:
        return None
    edition, root_url_path = roots[root_id]
    if url.startswith(root_url_path):
        url = edition.path_prefix + "/" + url[len(root_url_path) :]
    return Alternate(edition.language, edition.name, url)


def _all_alternates(roots: dict[int, tuple[Edition, str]]) -> dict[int, tuple[Alternate, list]]:
    """For a bake: every public story that has a public translation → (itself as an
    :class:`Alternate`, its alternates), in a fixed number of queries whatever the size of the
    archive."""
    from django.db.models import Count
    from wagtail.models import Page

    linked = (
        Page.objects.filter(live=True)
        .values("translation_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("translation_key")
    )
    by_key: dict[Any, list[tuple[int, Alternate]]] = {}
    for page_id, url, key, root_id in _public_translations(linked):
        alt = _alternate(roots, url, root_id)
        if alt is not None:
            by_key.setdefault(key, []).append((page_id, alt))
    found: dict[int, tuple[Alternate, list[Alternate]]] = {}
    for versions in by_key.values():
        for page_id, own in versions:
            found[page_id] = (own, [a for other, a in versions if other != page_id])
    return found


def _whole_archive(build: Any) -> bool:
    """A full bake (the in-memory read model): every story's alternates in one pass. An
    incremental bake reads those of its pages only, like the live site — a publish must not
    cost a scan of the archive."""
    return not build.live and getattr(build.read, "preloaded", False)


def _bake_alternates(build: Any) -> dict[int, tuple[Alternate, list]]:
    every = build.cache.get("alternates-all")
    if every is None:
        every = build.cache["alternates-all"] = _all_alternates(_edition_roots(build))
    return every


def _edition_roots(build: Any) -> dict[int, tuple[Edition, str]]:
    roots = build.cache.get("edition-roots")
    if roots is None:
        site_id = build.ctx.site_id
        memo = getattr(build.read, "fact", None)  # a live request's: the process's memo
        roots = memo("edition-roots", lambda: _roots(site_id)) if memo else _roots(site_id)
        build.cache["edition-roots"] = roots
    return roots


def alternates(build: Any, story_id: int) -> list[Alternate]:
    """The public translations of story ``story_id`` in the other editions (same Wagtail
    ``translation_key``), in the order of the editions; a translation that is a draft, or not
    in a public section, is left out. A live page or an incremental bake: two indexed queries;
    a full bake loads every story's once (:func:`_all_alternates`)."""
    roots = _edition_roots(build)
    order = {e.language: i for i, e in enumerate(editions())}
    if _whole_archive(build):
        found = list(_bake_alternates(build).get(story_id, (None, []))[1])
    else:
        cache = build.cache.setdefault("alternates", {})
        if story_id in cache:
            return cache[story_id]
        from wagtail.models import Page

        key = Page.objects.filter(id=story_id).values("translation_key")
        found = []
        for _pid, url, _key, root_id in _public_translations(key, exclude=story_id):
            alt = _alternate(roots, url, root_id)
            if alt is not None:
                found.append(alt)
        cache[story_id] = found
    found.sort(key=lambda a: order.get(a.language, 99))
    return found


def front_alternates(build: Any) -> list[Alternate]:
    """The front pages of the other editions that exist."""
    roots = _edition_roots(build)
    return [
        Alternate(e.language, e.name, e.path_prefix + "/")
        for e, _ in roots.values()
        if e.path_prefix != build.ctx.prefix
    ]


def alternates_by_url(build: Any, urls: list[str]) -> dict[str, list[Alternate]]:
    """For the public URLs of stories of the build's edition, their translations in other
    editions (see :func:`alternates`); URLs without one are left out. A few queries for the
    whole list (a sitemap file); in a full bake, none (:func:`_all_alternates`)."""
    from wagtail.models import Page

    if _whole_archive(build):
        wanted = set(urls)
        order = {e.language: i for i, e in enumerate(editions())}
        return {
            own.url: sorted(others, key=lambda a: order.get(a.language, 99))
            for own, others in _bake_alternates(build).values()
            if own.url in wanted and others
        }
    ctx = build.ctx
    by_url_path = {ctx.root_url_path + ctx.local(u).lstrip("/"): u for u in urls}
    ids: dict[int, str] = {}
    paths = list(by_url_path)
    for i in range(0, len(paths), 500):
        rows = Page.objects.filter(
            url_path__in=paths[i : i + 500], path__startswith=ctx.root_path
        ).values_list("id", "url_path", "translation_key")
        keys = {}
        for page_id, url_path, key in rows:
            ids[page_id] = by_url_path[url_path]
            keys[page_id] = key
        linked = set(
            Page.objects.filter(translation_key__in=set(keys.values()))
            .exclude(id__in=list(keys))
            .values_list("translation_key", flat=True)
        )
        for page_id, key in keys.items():
            if key not in linked:
                ids.pop(page_id, None)
    found = {}
    for page_id, url in ids.items():
        alts = alternates(build, page_id)
        if alts:
            found[url] = alts
    return found
