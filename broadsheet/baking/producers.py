"""Producers: what the baker bakes, and which paths a change touches.

A producer is any object with a ``name`` and three methods (see :class:`Producer`): list all its
URL paths, list the paths a :class:`~.changes.Change` touches, and render one path to bytes.
The reader pages are :class:`ReaderPages`; other apps add their own (feeds, sitemaps, a search
index…) by naming them in their AppConfig's ``bake_producers`` (dotted paths), or in the
``BROADSHEET_BAKE_PRODUCERS`` setting. :func:`producers` returns them all, reader pages first.

A path ending in ``/`` is baked as ``<path>index.html``; any other path (``/feed.xml``) as the
file itself (:func:`~.files.file_for_path`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any, Protocol, runtime_checkable

import jinja2
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from broadsheet.newsroom.catalogue import LiveSource, Scope, author_url
from broadsheet.newsroom.models import Author, InfoPage, StoryPage
from broadsheet.newsroom.rendering import NotFound, Renderer, environment, page_numbers

from .changes import ALL, AllPaths, Change, story_paths

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Output:
    """A baked file: its bytes and MIME type (``status`` is what the live server answers)."""

    body: bytes
    content_type: str = HTML
    status: int = 200


@dataclass
class BakeContext:
    """What producers work with during one bake: the data ``source`` (a
    :class:`~.memory.MemorySource` for a full bake, a :class:`LiveSource` for an incremental
    one), a :class:`Renderer` on it whose ``static()`` gives the baked, hashed asset URLs, and
    the output folder."""

    source: Any
    renderer: Renderer
    output: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def story_id_for_url(self, path: str) -> int | None:
        """The id of the public story at URL ``path``, or None."""
        by_url = getattr(self.source, "by_url", None)
        if by_url is not None:
            return by_url(path)
        row = (
            self.source.stories()
            .filter(url_path=self.source.root_url_path + path.lstrip("/"))
            .values_list("id", "path")
            .first()
        )
        if row is None:
            return None
        try:
            self.source.section_for_path(row[1])
        except LookupError:
            return None
        return row[0]


@runtime_checkable
class Producer(Protocol):
    """The interface of a producer (docs/baking.md)."""

    name: str

    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        """Every URL path this producer bakes now."""

    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str] | AllPaths:
        """The paths whose content ``change`` may alter (a superset is fine: unchanged bytes
        are not rewritten), including paths that no longer exist; or :data:`~.changes.ALL`."""

    def render(self, ctx: BakeContext, path: str) -> Output | None:
        """The file for ``path``, or None if there is no such page any more (file removed)."""


def producers() -> list[Producer]:
    """Every registered producer: AppConfig ``bake_producers`` of installed apps (in
    INSTALLED_APPS order), then ``BROADSHEET_BAKE_PRODUCERS``; each dotted path once."""
    names: list[str] = []
    for config in apps.get_app_configs():
        names.extend(getattr(config, "bake_producers", []))
    names.extend(getattr(settings, "BROADSHEET_BAKE_PRODUCERS", []))
    return [_instance(n) for n in dict.fromkeys(names)]


@cache
def _instance(dotted: str) -> Producer:
    return import_string(dotted)()


def baking_environment(static: Callable[[str], str]) -> jinja2.Environment:
    """The reader templates' environment with ``static()`` giving the baked asset URLs."""
    env = environment().overlay(cache_size=400)
    env.globals = dict(env.globals, static=static)
    return env


_ENVIRONMENTS: dict[Any, jinja2.Environment] = {}


def make_context(
    source: Any, output: Any, static: Callable[[str], str], env_key: Any = None
) -> BakeContext:
    """A :class:`BakeContext` whose renderer uses ``source`` and the ``static`` URL function.

    With ``env_key`` (e.g. the static manifest's path and mtime) the template environment —
    and so its compiled templates — is reused by later contexts with the same key: a worker's
    incremental bakes do not compile the templates again."""
    renderer = Renderer(source)
    if env_key is None:
        renderer.env = baking_environment(static)
    else:
        if env_key not in _ENVIRONMENTS:
            _ENVIRONMENTS.clear()
            _ENVIRONMENTS[env_key] = baking_environment(static)
        renderer.env = _ENVIRONMENTS[env_key]
    return BakeContext(source=source, renderer=renderer, output=output)


ARCHIVE = re.compile(r"^/archives/(?:(\d{4})/(?:(\d{2})/(?:(\d{2})/)?)?)?$")
LISTING = re.compile(r"^/(authors|tags)/(?:([^/]+)/(?:page/(\d+)/)?)?$")
NUMBERED = re.compile(r"^page/(\d+)/$")


class ReaderPages:
    """The reader pages of :mod:`broadsheet.newsroom.rendering`: front page, section fronts and
    their numbered pages, stories, information pages, "Latest articles", archives, authors,
    tags (with numbered pages), and the 404/410 pages as ``/404.html`` and ``/410.html``."""

    name = "reader"

    # -- all paths --------------------------------------------------------------------------
    def all_paths(self, ctx: BakeContext) -> Iterable[str]:
        source, size = ctx.source, ctx.renderer.page_size
        yield "/"
        yield "/latest/"
        yield "/archives/"
        months = source.month_counts()
        for year in sorted({y for y, _, _ in months}):
            yield f"/archives/{year:04d}/"
        for year, month, _ in months:
            yield f"/archives/{year:04d}/{month:02d}/"
        for day in source.days():
            yield f"/archives/{day.year:04d}/{day.month:02d}/{day.day:02d}/"
        for section in source.sections().values():
            yield section.url
            pages = page_numbers(source.count(Scope("section", section=section)), size)
            for n in range(1, pages + 1):
                yield f"{section.url}page/{n}/"
        yield "/authors/"
        for author_id, slug in Author.objects.order_by("slug").values_list("id", "slug"):
            scope = Scope("author", author=SimpleNamespace(id=author_id))
            yield author_url(slug)
            for n in range(1, page_numbers(source.count(scope), size) + 1):
                yield f"{author_url(slug)}page/{n}/"
        yield "/tags/"
        for tag, count in source.tags():
            yield tag.url
            for n in range(1, page_numbers(count, size) + 1):
                yield f"{tag.url}page/{n}/"
        for card in source.cards_oldest_first:
            yield card.url
        for page in info_pages(source):
            yield page_path(source, page)
        yield "/404.html"
        yield "/410.html"

    def story_ids(self, ctx: BakeContext, paths: Iterable[str]) -> list[int]:
        """Ids of the stories among ``paths`` (to load their bodies in one go)."""
        ids = []
        for path in paths:
            story_id = ctx.story_id_for_url(path)
            if story_id is not None:
                ids.append(story_id)
        return ids

    # -- changes ----------------------------------------------------------------------------
    def touched_paths(self, ctx: BakeContext, change: Change) -> Iterable[str] | AllPaths:
        if change.kind == "story":
            return story_paths(ctx, change.before, change.after)
        if change.kind == "author":
            return author_change_paths(ctx, change)
        if change.kind == "page":  # an information page: its own path, before and after
            paths = set()
            page = InfoPage.objects.filter(id=change.object_id).first()
            if page is not None:
                paths.add(page_path(ctx.source, page))
            before = change.data.get("url_path_before")
            if before:
                from broadsheet.newsroom.catalogue import page_url_from_url_path

                paths.add(page_url_from_url_path(before, ctx.source.root_url_path))
            return paths
        if change.kind in ("section", "tip", "site", "all"):
            return ALL
        return set()

    # -- rendering --------------------------------------------------------------------------
    def render(self, ctx: BakeContext, path: str) -> Output | None:
        try:
            rendered = self._render(ctx, path)
        except NotFound:
            return None
        if rendered is None:
            return None
        return Output(rendered.html.encode(), HTML, rendered.status)

    def _render(self, ctx: BakeContext, path: str) -> Any:
        r, source = ctx.renderer, ctx.source
        if path == "/":
            return r.front_page()
        if path == "/latest/":
            return r.latest()
        if path in ("/404.html", "/410.html"):
            return r.error(int(path[1:4]), path)
        if m := ARCHIVE.match(path):
            year, month, day = m.groups()
            if day:
                return r.archive_day(int(year), int(month), int(day))
            if month:
                return r.archive_month(int(year), int(month))
            if year:
                return r.archive_year(int(year))
            return r.archive_index()
        if m := LISTING.match(path):
            kind, slug, number = m.groups()
            if slug is None:
                return r.authors_index() if kind == "authors" else r.tags_index()
            n = int(number) if number else None
            return r.author(slug, n) if kind == "authors" else r.tag(slug, n)
        for section in source.sections().values():
            if path == section.url:
                return r.section_front(section.id)
            if path.startswith(section.url) and (m := NUMBERED.match(path[len(section.url) :])):
                return r.section_front(section.id, int(m.group(1)))
        story_id = ctx.story_id_for_url(path)
        if story_id is not None:
            return r.story(SimpleNamespace(id=story_id, url_path=""))
        for page in info_pages(source):
            if page_path(source, page) == path:
                return r.info_page(page)
        return None


def info_pages(source: Any) -> list[InfoPage]:
    """The live information pages of the site (cached on the source)."""
    cached = getattr(source, "_baking_info_pages", None)
    if cached is None:
        cached = list(InfoPage.objects.live().filter(path__startswith=source.root_path))
        with contextlib.suppress(AttributeError):
            source._baking_info_pages = cached
    return cached


def page_path(source: Any, page: Any) -> str:
    from broadsheet.newsroom.catalogue import page_url_from_url_path

    return page_url_from_url_path(page.url_path, source.root_url_path)


def author_change_paths(ctx: BakeContext, change: Change) -> set[str]:
    """An author's name, slug, bio or photo changed: their pages (old slug too), the authors
    index, and every page showing one of their stories' bylines."""
    source: LiveSource = ctx.source
    paths = {"/authors/"}
    author = Author.objects.filter(id=change.object_id).first()
    slugs = {s for s in (change.data.get("old_slug"), author.slug if author else None) if s}
    for slug in slugs:
        scope = Scope("author", author=SimpleNamespace(id=change.object_id))
        pages = page_numbers(source.count(scope), ctx.renderer.page_size)
        paths.add(author_url(slug))
        paths.update(f"{author_url(slug)}page/{n}/" for n in range(1, pages + 1))
        old_dir = ctx.output / "authors" / slug
        if old_dir.is_dir():  # pages baked under the old slug
            paths.update(
                "/" + str(f.parent.relative_to(ctx.output)) + "/"
                for f in old_dir.rglob("index.html")
            )
    from .changes import current_state

    for story_id in (
        StoryPage.objects.filter(story_authors__author_id=change.object_id)
        .values_list("id", flat=True)
        .distinct()
    ):
        state = current_state(source, story_id)
        if state is not None:
            paths |= story_paths(ctx, state, state)
    return paths


__all__ = [
    "HTML",
    "BakeContext",
    "Output",
    "Producer",
    "ReaderPages",
    "baking_environment",
    "make_context",
    "producers",
]
