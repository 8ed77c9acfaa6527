"""A build: one page, or one bake, of one site — the context, the read model, the renderer.

Page kinds receive a :class:`Build` and nothing else: it is the explicit context the site model
passes around (docs/design.md), so a page rendered for a live request and the same page baked
are built from the same inputs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from . import dates
from .context import SiteContext
from .readmodel import ReadModel
from .registry import HTML, Registry, Rendered, registry
from .render import Renderer
from .urls import Urls


@dataclass
class Build:
    """What a page kind works with: ``ctx`` (site, language, base URL…), ``read`` (the read
    model), ``renderer`` (templates, slots), ``registry``; ``cache`` is free for the page kinds
    of one build (e.g. a story's feed HTML, built once per bake)."""

    ctx: SiteContext
    read: ReadModel
    renderer: Renderer
    registry: Registry = registry
    cache: dict[str, Any] = field(default_factory=dict)
    live: bool = True

    def __post_init__(self) -> None:
        self.urls = getattr(self.read, "urls", None) or Urls(self.ctx)

    def url(self, name: str, **params: Any) -> str:
        """The public path of page kind ``name`` in the build's edition (see
        :meth:`Registry.url`; ``/fa/latest/`` in the Persian edition)."""
        return self.ctx.prefix + self.registry.url(name, **params)

    @contextlib.contextmanager
    def activated(self) -> Iterator[None]:
        """Inside the block, gettext speaks the build's language and dates written for readers
        use its calendar (a page kind's work outside its templates: datelines, titles)."""
        with translation.override(self.ctx.language), dates.using(self.ctx.calendar):
            yield

    def path_of(self, kind: str, params: Any) -> str:
        """The public path of the page of ``kind`` with ``params`` (a mapping)."""
        return self.ctx.prefix + self.registry.kind(kind).compiled.build(params)

    def absolute(self, path: str) -> str:
        """An absolute URL on the context's base URL."""
        return self.urls.absolute(path)

    def render(
        self, template: str, path: str, status: int = 200, content_type: str = HTML, **context: Any
    ) -> Rendered:
        """Render reader template ``template`` for public ``path`` (see :class:`Renderer`)."""
        return self.renderer.render(self, template, path, status, content_type, **context)


def make_build(
    site: Any = None,
    base_url: str | None = None,
    memory: bool = False,
    live: bool = True,
    static: Any = None,
    edition: Any = None,
) -> Build:
    """A build of ``site`` (default: the default Wagtail site) for scripts, benchmarks and
    tests: the database read model (``memory``: the in-memory one), the live renderer (or one
    for ``static``), ``live`` False for a bake's view of the pages; ``edition``: an
    :class:`~.editions.Edition` (default: the default one)."""
    from .context import default_site, for_site
    from .live import LiveSource
    from .memory import MemorySource
    from .render import renderer_for

    ctx = for_site(site or default_site(), base_url, edition)
    read = MemorySource(ctx) if memory else LiveSource(ctx)
    renderer = renderer_for(static, key=("live",) if static is None else None)
    return Build(ctx, read, renderer, live=live)
