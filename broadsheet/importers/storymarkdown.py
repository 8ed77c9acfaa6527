"""Markdown ↔ story blocks, for story files (docs/story-files.md): ``markdown_to_blocks`` reads
a story file's body (CommonMark with ``::: pullquote`` and ``::: factbox`` containers) into
StreamField raw blocks; ``rich_text_to_markdown`` turns stored rich text back into Markdown
for export. Libraries: markdown-it-py with the container plugin, nh3 to keep only the tags
the editor allows, markdownify for the way back; our own code is only the mapping between
Markdown and the story's blocks, which is the product's format.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdownify import markdownify
from mdit_py_plugins.container import container_plugin

RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br", "sup", "sub"}
ATTRIBUTION = re.compile(r"^\s*(?:—|--)\s*(.+)$")

# -- Markdown ------------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.use(container_plugin, name="pullquote")
    md.use(container_plugin, name="factbox")
    return md


MD = _markdown()


def clean_rich_text(html: str) -> str:
    """Markdown's HTML to Wagtail rich text: ``<b>``/``<i>``, no newlines between blocks, and
    only the tags the editor allows (nh3 allow-list; everything else is dropped, text kept)."""
    html = (
        html.replace("<strong>", "<b>")
        .replace("</strong>", "</b>")
        .replace("<em>", "<i>")
        .replace("</em>", "</i>")
    )
    html = nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return re.sub(r">\s*\n\s*<", "><", html).strip()


def _inline_text(token: Token) -> str:
    return "".join(c.content for c in (token.children or []) if c.type in ("text", "code_inline"))


def _quote_parts(tokens: list[Token]) -> tuple[str, str]:
    """Text and attribution of a quote: a last line starting with — or -- is the attribution."""
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    lines = "\n\n".join(paragraphs).strip().split("\n")
    attribution = ""
    if len(lines) > 1 and (m := ATTRIBUTION.match(lines[-1])):
        attribution = m.group(1).strip()
        lines = lines[:-1]
    text = "\n".join(lines).strip()
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)  # soft line breaks join; blank lines stay
    return text, attribution


def _matching_close(tokens: list[Token], start: int) -> int:
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def markdown_to_blocks(text: str, first_line: int = 1) -> list[dict[str, Any]]:
    """Markdown body to StreamField raw blocks (see docs/story-files.md).

    ``first_line`` is the body's line number in its file, for error messages. Image blocks
    carry ``{"file", "caption", "credit", "alt", "line"}`` in place of an image id. Raises
    :class:`ValueError` with ``line`` in its args for malformed containers.
    """
    tokens = MD.parse(text)
    blocks: list[dict[str, Any]] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            html = clean_rich_text(MD.renderer.render(run, MD.options, {}))
            if html:
                if blocks and blocks[-1]["type"] == "paragraph":
                    blocks[-1]["value"] += html
                else:
                    blocks.append({"type": "paragraph", "value": html})
            run.clear()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        end = _matching_close(tokens, i) if tok.nesting == 1 else i
        inner = tokens[i + 1 : end]
        line = first_line + (tok.map[0] if tok.map else 0)
        if tok.type == "heading_open" and tok.tag != "h1":
            flush()
            blocks.append({"type": "subheading", "value": _inline_text(inner[0]).strip()})
        elif tok.type == "container_pullquote_open":
            flush()
            quote, attribution = _quote_parts(inner)
            if not quote:
                raise ValueError(line, "empty pull quote")
            blocks.append(
                {"type": "pull_quote", "value": {"text": quote, "attribution": attribution}}
            )
        elif tok.type == "container_factbox_open":
            flush()
            title = tok.info.strip()[len("factbox") :].strip()
            if not title:
                raise ValueError(line, "a fact box needs a title: '::: factbox Title'")
            body = clean_rich_text(MD.renderer.render(inner, MD.options, {}))
            blocks.append({"type": "fact_box", "value": {"title": title, "body": body}})
        elif tok.type == "blockquote_open":
            flush()
            quote, attribution = _quote_parts(inner)
            blocks.append(
                {"type": "block_quote", "value": {"text": quote, "attribution": attribution}}
            )
        elif (
            tok.type == "paragraph_open"
            and inner
            and inner[0].children
            and [c.type for c in inner[0].children if c.type != "softbreak"] == ["image"]
        ):
            flush()
            img = next(c for c in inner[0].children if c.type == "image")
            title = str(img.attrGet("title") or "")
            caption, _, credit = title.partition("|")
            blocks.append(
                {
                    "type": "image",
                    "value": {
                        "file": str(img.attrGet("src")),
                        "alt": img.content,
                        "caption": caption.strip(),
                        "credit": credit.strip(),
                        "line": line,
                    },
                }
            )
        else:
            run.extend(tokens[i : end + 1])
        i = end + 1
    flush()
    return blocks


def rich_text_to_markdown(html: str) -> str:
    """Stored rich text back to Markdown (markdownify), for export."""
    md = markdownify(html, heading_style="ATX", bullets="-", strong_em_symbol="*", wrap=False)
    return re.sub(r"\n{3,}", "\n\n", md).strip()
