"""The one renderer of reader pages, shared by live requests and bakes.

:class:`Renderer` renders a reader template (Jinja2, autoescaping on, undefined names are
errors) with the base context every page has — the masthead, navigation and sidebar from the
read model, the canonical URL — plus what the page kind passes. Features add to pages they do
not own through *slots* (:meth:`~.registry.Registry.slot`): a template writes
``{{ slot("head") }}`` and every function registered for ``head`` adds its HTML (feed links,
structured data, comments…).

Templates come from the folders features register (:meth:`~.registry.Registry.templates`),
the site's own (``base.html``, ``_macros.html``) first. ``static(name)`` is the live storage's
URL, or the baked asset's hashed URL when the renderer is made for a bake.

Why our own code: reader pages are the product; Jinja2 renders them in bulk about twice as fast
as Django templates (docs/performance.md).
"""

from __future__ import annotations

import contextvars
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from django.templatetags.static import static as django_static
from django.utils import translation
from markupsafe import Markup

from . import bidi, dates, typography
from .data import TipRef
from .registry import HTML, Registry, Rendered, registry

SITE_TEMPLATES = str(Path(__file__).resolve().parent / "templates")


def _environment(reg: Registry, static: Callable[[str], str]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(d) for d in [SITE_TEMPLATES, *reg.template_dirs]]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        cache_size=400,
        extensions=["jinja2.ext.i18n"],
    )
    # gettext in the build's language (the renderer activates it): {{ _("Archives") }}
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        static=static,
        month_name=lambda m: dates.month_label(dates.calendar(), m),
        slot=_slot,
        # a name inside a translated sentence, isolated: _("Write to %(name)s", name=bdi(n))
        bdi=lambda text: Markup("<bdi>{}</bdi>").format(text),
        bold=lambda text: Markup("<strong>{}</strong>").format(text),
        time_tag=lambda when: Markup('<time datetime="{}">{}</time>').format(
            dates.iso(when), dates.long_date(when)
        ),
        story_link=lambda card: Markup('<a href="{}" dir="auto">{}</a>').format(
            card.url, card.headline
        ),
        cached_card=_cached_card,
    )
    env.filters.update(
        long_date=dates.long_date,
        iso=dates.iso,
        dateline_date=dates.dateline_date,
        num=dates.number,
        isolate=bidi.isolate,
        typeset=typography.typeset,
    )
    env.filters.update(reg.filters)
    return env


@jinja2.pass_context
def _slot(context: jinja2.runtime.Context, name: str) -> Markup:
    build = context["build"]
    shared = build.cache.setdefault("slots", {})
    parts = []
    for slot in build.registry.slots.get(name, ()):
        if slot.same_on_every_page:
            key = (name, id(slot))
            if key not in shared:
                shared[key] = slot.fn(build, context)
            parts.append(shared[key])
        else:
            parts.append(slot.fn(build, context))
    return Markup("").join(p for p in parts if p)


_building: contextvars.ContextVar[Any] = contextvars.ContextVar("building")


@jinja2.pass_environment
def _cached_card(
    env: jinja2.Environment,
    card: Any,
    level: int,
    show_image: bool,
    show_section: bool,
    lead: bool = False,
) -> Markup:
    """A story card's HTML, rendered once per build for each variant: a bake shows the same
    card on many listing pages (its section's, its tags', its author's, the archives…). Macros
    are imported without the page's context, so the build comes from the render call."""
    cache = _building.get().cache.setdefault("cards", {})
    key = (card.id, level, show_image, show_section, lead)
    html = cache.get(key)
    if html is None:
        module = env.get_template("_macros.html").module
        rendered = module.render_card(card, level, show_image, show_section, lead)
        html = cache[key] = Markup(rendered)  # noqa: S704 - an autoescaped macro's output
    return html


class Renderer:
    """Renders reader templates; one per static-URL function (live, or one baked folder)."""

    def __init__(
        self, static: Callable[[str], str] | None = None, reg: Registry = registry
    ) -> None:
        self.registry = reg
        self.static = static or django_static
        self.env = _environment(reg, self.static)

    def render(
        self,
        build: Any,
        template: str,
        path: str,
        status: int = 200,
        content_type: str = HTML,
        **context: Any,
    ) -> Rendered:
        """Render ``template`` for public ``path``. The template gets the base context —
        ``site``, ``path``, ``canonical_url``, ``lang``, ``dir``, ``nav_sections``, ``tips``
        (for ``section``, if the page is in one), ``url()``, ``absolute()``, ``build`` — and
        ``context``."""
        read = build.read
        section = context.get("section")
        base: dict[str, Any] = {
            "build": build,
            "site": read.site_info(),
            "path": path,
            "home_url": build.ctx.prefix + "/",
            "canonical_url": build.absolute(path),
            "lang": build.ctx.language,
            "dir": build.ctx.direction,
            "nav_sections": [s for s in read.top_sections() if s.in_menus],
            "tips": sidebar_tips(read.tips(section), path),
            "section": section,
            "url": build.url,
            "absolute": build.absolute,
            "template": template,
        }
        base.update(context)
        token = _building.set(build)
        try:
            with translation.override(build.ctx.language), dates.using(build.ctx.calendar):
                html = self.env.get_template(template).render(base)
        finally:
            _building.reset(token)
        return Rendered(status, path, html, content_type)

    def render_string(self, template: str, context: Mapping[str, Any]) -> Markup:
        """Render a template with exactly ``context``: an HTML fragment for a slot, safe as it
        is (every template is autoescaped)."""
        return Markup(self.env.get_template(template).render(context))  # noqa: S704


_RENDERERS: dict[Any, Renderer] = {}


def renderer_for(static: Callable[[str], str] | None = None, key: Any = None) -> Renderer:
    """A renderer for ``static``; with ``key`` (e.g. a baked folder's manifest and its mtime)
    the renderer — and its compiled templates — is reused by later calls with the same key."""
    if key is None:
        return Renderer(static)
    found = _RENDERERS.get(key)
    if found is None:
        _RENDERERS.clear()
        found = _RENDERERS[key] = Renderer(static)
    return found


def sidebar_tips(tips: list[TipRef], path: str) -> list[TipRef]:
    """The tips of a page's sidebar: every tip of the page's section (and the sections above
    it), and one of the site-wide tips, chosen by the page's path (CRC-32 of the UTF-8 path,
    modulo their number). Each page shows its own tip, the same one on every render, so a
    live page and its baked file stay the same bytes, a re-bake changes nothing, and the
    baked page needs no script to rotate them. Every tip is on the tips page (``/tips/``)."""
    own = [t for t in tips if t.section_id is not None]
    everywhere = [t for t in tips if t.section_id is None]
    if everywhere:
        own.append(everywhere[zlib.crc32(path.encode()) % len(everywhere)])
    return own
