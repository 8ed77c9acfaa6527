"""The forums' small Markdown subset, rendered and sanitised.

Readers write paragraphs, line breaks, *emphasis*, **strong**, `code`, links, lists, and
quotes (``> …``, what the *Quote* button puts in the reply). markdown-it-py's ``zero`` preset
with only those rules turns it into HTML (raw HTML in the text stays text); nh3 (ammonia) then
keeps only the tags and attributes of that subset, links only ``http``/``https``/``mailto``
with ``rel="nofollow ugc noopener"``. Both are libraries the project already uses.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "backticks", "link", "list", "blockquote", "newline", "escape"]
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render(text: str) -> str:
    """The sanitised HTML of a post's Markdown ``text`` (a ``str`` safe to insert as is)."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


def quote(text: str, name: str) -> str:
    """``text`` as a Markdown quote credited to ``name``, for a reply's box."""
    lines = text.strip().splitlines() or [""]
    return f"> {name}:\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
