"""The tips page (``/tips/``): every live tip of the sidebar — those shown everywhere, then
those of each section — since each page's sidebar shows one site-wide tip only
(:func:`broadsheet.site.render.sidebar_tips`). A tip change is site-wide (every sidebar), so
a full bake re-writes this page with the others."""

from __future__ import annotations

from broadsheet.site.build import Build
from broadsheet.site.data import SectionRef, TipRef
from broadsheet.site.registry import Rendered


def tips_page(build: Build) -> Rendered:
    """The tips page: ``everywhere`` (site-wide tips) and ``by_section`` (a list of
    (section, tips) in the sections' tree order), each in the editors' order."""
    sections = build.read.sections()
    everywhere: list[TipRef] = []
    grouped: dict[int, list[TipRef]] = {}
    for tip in build.read.all_tips():
        if tip.section_id is None:
            everywhere.append(tip)
        elif tip.section_id in sections:  # a tip of an unpublished section is not shown
            grouped.setdefault(tip.section_id, []).append(tip)
    by_section: list[tuple[SectionRef, list[TipRef]]] = [
        (s, grouped[s.id]) for s in sections.values() if s.id in grouped
    ]
    return build.render(
        "tips.html", build.url("tips"), everywhere=everywhere, by_section=by_section
    )
