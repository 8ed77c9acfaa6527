"""Imported HTML (WordPress posts, feed entries, archived pages) to story body blocks.

Every importer hands its HTML here, so there is one place that decides what may reach a page:

1. WordPress stores post bodies without ``<p>`` (it adds them when it shows a post:
   ``wpautop``); :func:`autop` does the same, so blank lines become paragraphs.
2. ``[caption]`` shortcodes become ``<figure>``; other WordPress shortcodes are dropped.
3. nh3 (the Rust ``ammonia`` sanitiser) cleans the HTML with a structural allow-list: scripts,
   styles, event-handler attributes, ``javascript:`` URLs, iframes and forms are gone here.
4. lxml walks the clean tree and maps it onto the story's blocks: ``h1``–``h6`` → subheading,
   ``blockquote`` → block quote, ``img`` / ``figure`` → image block (only when the caller can
   find the file locally; nothing is fetched), everything else → paragraphs of rich text,
   cleaned once more by :func:`broadsheet.importers.storyfiles.clean_rich_text` (``p, b, i,
   a[href], ul, ol, li, br, sup, sub``).

Our own code is only that mapping; parsing and sanitising are the libraries'.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import nh3
from lxml import etree

from .storymarkdown import clean_rich_text

BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|div|dl|dt|fieldset|figcaption|"
    "figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|"
    "thead|tr|ul|hgroup|details|summary|menu|math|style|script|noscript|iframe|object|video|"
    "audio|source|embed|canvas|select|option|textarea|button"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCK_TAGS})(?=[\s/>])[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCK_TAGS})\s*>)", re.I)
_STARTS_BLOCK = re.compile(rf"^\s*(?:<!--|</?(?:{BLOCK_TAGS})(?=[\s/>]))", re.I)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.I | re.S)
_CAPTION = re.compile(r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.I | re.S)
_SHORTCODE = re.compile(
    r"\[/?(?:gallery|embed|audio|video|playlist|wpvideo|youtube|vimeo|soundcloud|"
    r"googlemaps|contact-form(?:-7)?|sourcecode|code|more|nextpage|twitter|tweet|instagram|"
    r"facebook|portfolio|slideshow|polldaddy|recipe|archives|sitemap)\b[^\]]*\]",
    re.I,
)
_IMG = re.compile(r"<img\b[^>]*>", re.I)

#: What survives the first nh3 pass: enough structure to map onto blocks, nothing active.
STRUCTURE_TAGS = {
    *("p", "b", "strong", "i", "em", "a", "ul", "ol", "li", "br", "sup", "sub", "u", "s"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "cite", "q", "img", "figure"),
    *("figcaption", "div", "span", "table", "thead", "tbody", "tfoot", "tr", "td", "th"),
    *("pre", "code", "section", "article", "dl", "dt", "dd", "hr", "abbr", "del", "ins"),
    *("small", "mark", "kbd", "var", "samp", "address", "main", "header", "details"),
    *("summary", "caption", "tt", "big", "center", "font", "time"),
}
#: Elements dropped with their content (not just the tag).
DROPPED_WITH_CONTENT = {
    *("script", "style", "noscript", "iframe", "object", "template", "svg", "math", "form"),
    *("button", "select", "textarea", "nav", "aside", "footer", "video", "audio", "canvas"),
    *("title", "head"),
}
INLINE_TAGS = {
    *("b", "strong", "i", "em", "a", "br", "sup", "sub", "span", "u", "s", "cite", "q"),
    *("code", "abbr", "del", "ins", "small", "mark", "kbd", "var", "samp", "tt", "big"),
    *("font", "time"),
}
ImageFinder = Callable[[str], Path | None]


def autop(text: str) -> str:
    """WordPress's ``wpautop``, simplified: text between block-level elements is split on
    blank lines into ``<p>`` paragraphs, single newlines inside them become ``<br>``.
    ``<pre>`` is left as it is. Input and output are HTML strings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return text if _STARTS_BLOCK.match(text) else f"<p>{text}</p>" if text.strip() else ""
    saved: list[str] = []

    def keep(m: re.Match[str]) -> str:
        saved.append(m.group(0))
        return f"\n\n<pre>\x00{len(saved) - 1}\x00</pre>\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>", chunk) + "</p>")
    text = "\n".join(out)
    return re.sub(r"<pre>\x00(\d+)\x00</pre>", lambda m: saved[int(m.group(1))], text)


def _caption_to_figure(m: re.Match[str]) -> str:
    inner = m.group(2)
    attrs = m.group(1)
    imgs = _IMG.findall(inner)
    caption = _IMG.sub("", inner)
    caption = re.sub(r"</?a\b[^>]*>", "", caption).strip()
    if not caption:
        cap = re.search(r'caption="([^"]*)"', attrs)
        caption = cap.group(1) if cap else ""
    return f"<figure>{''.join(imgs)}<figcaption>{caption}</figcaption></figure>"


def sanitise(html: str) -> str:
    """First pass: shortcodes resolved, then nh3 with the structural allow-list. The result
    has no script, style, event handler, ``style`` attribute or non-http(s)/mailto URL."""
    html = _CAPTION.sub(_caption_to_figure, html)
    html = _SHORTCODE.sub("", html)
    return nh3.clean(
        html,
        tags=STRUCTURE_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """HTML to plain text: tags dropped (scripts and styles with their content), entities
    decoded, paragraphs and line breaks kept as blank lines / newlines, spaces collapsed."""
    html = re.sub(r"(?i)<br\s*/?>", "\n", html)
    html = re.sub(r"(?i)</(p|div|li|h[1-6]|blockquote|tr)\s*>", "\n\n", html)
    text = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
    text = html_lib.unescape(text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _text(el: Any) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _outer(el: Any, with_tail: bool = False) -> str:
    return etree.tostring(el, encoding="unicode", method="html", with_tail=with_tail)


class _Builder:
    def __init__(self, find_image: ImageFinder | None, merge: bool = True) -> None:
        self.find_image = find_image
        self.merge = merge
        self.blocks: list[dict[str, Any]] = []
        self.missing: list[str] = []
        self.run: list[str] = []

    # -- output -----------------------------------------------------------------------
    def paragraph(self, html: str) -> None:
        value = clean_rich_text(html)
        if not re.sub(r"<[^>]+>|&nbsp;|\s", "", value):
            return
        if self.merge and self.blocks and self.blocks[-1]["type"] == "paragraph":
            self.blocks[-1]["value"] += value
        else:
            self.blocks.append({"type": "paragraph", "value": value})

    def flush(self) -> None:
        if self.run:
            html = "".join(self.run)
            self.run = []
            if re.sub(r"<[^>]+>|\s", "", html):
                self.paragraph(f"<p>{html.strip()}</p>")

    def image(self, img: Any, caption: str = "") -> None:
        src = (img.get("src") or "").strip()
        path = self.find_image(src) if (self.find_image and src) else None
        if path is None:
            if src:
                self.missing.append(src)
            return
        alt = (img.get("alt") or img.get("title") or "").strip()
        self.blocks.append(
            {
                "type": "image",
                "value": {
                    "file": str(path),
                    "src": src,
                    "alt": alt[:255],
                    "caption": caption[:500],
                    "credit": "",
                    "line": 0,
                },
            }
        )

    # -- walk -------------------------------------------------------------------------
    def inline(self, text: str | None) -> None:
        if text:
            self.run.append(html_lib.escape(text, quote=False))

    def walk(self, el: Any) -> None:
        self.inline(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                self.inline(child.tail)
                continue
            tag = child.tag.lower()
            if tag in INLINE_TAGS:
                imgs = list(child.iter("img"))
                for img in imgs:
                    img.drop_tree()
                self.run.append(_outer(child))
                if imgs:
                    self.flush()
                    for img in imgs:
                        self.image(img)
            elif tag == "img":
                self.flush()
                self.image(child)
            elif tag == "p":
                self.flush()
                imgs = list(child.iter("img"))
                for img in imgs:
                    img.drop_tree()
                self.paragraph(_outer(child))
                for img in imgs:
                    self.image(img)
            elif tag in ("ul", "ol"):
                self.flush()
                imgs = list(child.iter("img"))
                for img in imgs:
                    img.drop_tree()
                self.paragraph(_outer(child))
            elif re.fullmatch(r"h[1-6]", tag):
                self.flush()
                text = _text(child)
                if text:
                    self.blocks.append({"type": "subheading", "value": text[:255]})
            elif tag == "blockquote":
                self.flush()
                self.quote(child)
            elif tag == "figure":
                self.flush()
                imgs = list(child.iter("img"))
                caps = [_text(c) for c in child.iter("figcaption")]
                if imgs:
                    for img in imgs:
                        self.image(img, " ".join(c for c in caps if c))
                else:
                    self.walk(child)
            elif tag == "pre":
                self.flush()
                lines = (child.text_content() or "").strip("\n").split("\n")
                self.paragraph(
                    "<p>" + "<br>".join(html_lib.escape(x, quote=False) for x in lines) + "</p>"
                )
            elif tag == "hr":
                self.flush()
            else:  # div, section, table, tr, td…: containers, walked into
                self.flush()
                self.walk(child)
                self.flush()
            self.inline(child.tail)

    def quote(self, el: Any) -> None:
        cites = [_text(c) for c in el.iter("cite")]
        for c in list(el.iter("cite")):
            c.drop_tree()
        paras = [_text(p) for p in el.iter("p")] or [_text(el)]
        paras = [p for p in paras if p]
        attribution = " ".join(c for c in cites if c)
        if not attribution and paras and (m := re.match(r"^(?:—|–|--)\s*(.+)$", paras[-1])):
            attribution = m.group(1)
            paras = paras[:-1]
        text = "\n\n".join(paras)
        if text:
            self.blocks.append(
                {
                    "type": "block_quote",
                    "value": {"text": text, "attribution": attribution[:255]},
                }
            )


def html_to_blocks(
    html: str,
    find_image: ImageFinder | None = None,
    wordpress: bool = False,
    merge: bool = True,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Imported HTML to StreamField raw blocks (the story-file shape: image blocks carry
    ``{"file", "src", "alt", "caption", "credit", "line"}`` with an absolute file path).

    ``find_image(src)`` returns the local file for an ``<img src>`` or ``None``; images
    without a local file are left out and their ``src`` returned in the second item of the
    result, for the report. ``wordpress=True`` applies :func:`autop` first. ``merge=False``
    keeps one paragraph block per paragraph (for rules that look at paragraphs one by one;
    :func:`merge_paragraphs` joins them afterwards).
    """
    if not html or not html.strip():
        return [], []
    html = _CAPTION.sub(_caption_to_figure, html)
    if wordpress:
        html = autop(html)
    clean = sanitise(html)
    if not clean.strip():
        return [], []
    root = lxml.html.fragment_fromstring(clean, create_parent="div")
    builder = _Builder(find_image, merge)
    builder.walk(root)
    builder.flush()
    return builder.blocks, builder.missing


def merge_paragraphs(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join runs of paragraph blocks into one block each (the shape editors see)."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block["type"] == "paragraph" and out and out[-1]["type"] == "paragraph":
            out[-1] = {"type": "paragraph", "value": out[-1]["value"] + block["value"]}
        else:
            out.append(dict(block))
    return out


def blocks_to_rich_text(blocks: list[dict[str, Any]]) -> str:
    """Blocks to one rich-text HTML string (for :class:`InfoPage` bodies, whose editor allows
    ``h2``/``h3``): subheadings become ``<h2>``, quotes paragraphs; images are left out."""
    parts = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            parts.append(value)
        elif kind == "subheading":
            parts.append(f"<h2>{html_lib.escape(value, quote=False)}</h2>")
        elif kind in ("block_quote", "pull_quote"):
            for para in value["text"].split("\n\n"):
                parts.append(f"<p>{html_lib.escape(para, quote=False)}</p>")
            if value.get("attribution"):
                parts.append(f"<p>— {html_lib.escape(value['attribution'], quote=False)}</p>")
    return "".join(parts)
