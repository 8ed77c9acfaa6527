"""The corrections page (``/corrections/``): every correction and update note on a public
story, newest first, each with its date and a link to the story — a newsroom's public record
of what it got wrong and put right. The notes themselves are shown at the end of each story
(``story.html``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from broadsheet.site.build import Build
from broadsheet.site.changes import Change
from broadsheet.site.registry import Rendered

#: How many notes the page lists (a small newsroom's corrections of many years).
LIMIT = 500


def corrections_page(build: Build) -> Rendered:
    """The corrections page."""
    notes = build.read.corrections(LIMIT)
    with build.activated():
        title = gettext("Corrections and updates")
    return build.render("corrections.html", build.url("corrections"), title=title, notes=notes)


def on_story(build: Build, change: Change) -> Iterable[tuple[str, tuple[Any, ...]]]:
    """Any story change may add, change or remove a note, or make a noted story public or not:
    the one corrections page is re-rendered (written only if its bytes changed)."""
    return {("corrections", ())}
