"""Typographic quotes, dashes and ellipses on display: the ``typeset`` Jinja filter.

``"straight"`` → “curly”, ``'`` → ’, ``--`` → — (em dash), ``...`` → …, in English pages
only. The stored text is never changed (editors and importers keep what they typed; the
feeds, the search index and the story files carry it as stored): the filter is applied in
the reader templates, to headlines, standfirsts and the text of a story's body.

Built on SmartyPants (the ``smartypants`` package, John Gruber's rules): it changes only text
nodes, never tags or attribute values (so no URL in an ``href`` is touched), and leaves the
inside of ``<pre>``, ``<code>``, ``<kbd>``, ``<math>``, ``<script>`` and ``<style>`` alone. The
output is Unicode characters, not entities. Persian pages are left as they are: Persian uses
«guillemets», and a straight quote in a Persian text may be an inch mark or part of a Latin
run, which rules made for English cannot tell.
"""

from __future__ import annotations

import html
from typing import Any

import jinja2
import smartypants
from markupsafe import Markup

#: quotes, backticks, ``--`` as em dash, ellipses; Unicode out; ``&quot;`` in text too
ATTRS = smartypants.Attr.set1 | smartypants.Attr.u | smartypants.Attr.w


def typeset_html(value: str) -> str:
    """SmartyPants over an HTML fragment (text nodes only)."""
    return smartypants.smartypants(value, ATTRS)


def typeset_text(value: str) -> str:
    """SmartyPants over plain text (``<`` and ``&`` are text, not markup); plain text out."""
    return html.unescape(typeset_html(html.escape(value, quote=False)))


@jinja2.pass_context
def typeset(context: jinja2.runtime.Context, value: Any) -> Any:
    """The Jinja filter: ``{{ card.headline|typeset|isolate }}`` (plain text in, plain text
    out, escaped by the template as usual), ``{{ block.html|safe|typeset }}`` (HTML in,
    ``Markup`` out). Only when the page's ``lang`` is English; otherwise ``value`` unchanged."""
    if not value or not str(context.get("lang", "")).startswith("en"):
        return value
    if isinstance(value, Markup):
        return Markup(typeset_html(str(value)))  # noqa: S704 - text nodes of safe HTML only
    if isinstance(value, str):
        return typeset_text(value)
    return value
