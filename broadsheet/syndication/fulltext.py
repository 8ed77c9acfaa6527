"""The full text of a story as feed readers get it: lead image, dateline, body — HTML built once
per build for every feed that lists the story.

A feed item carries the whole story (RSS ``content:encoded``, Atom ``<content type="html">``)
next to its summary (the standfirst). The HTML is made from the same body blocks as the story
page (:class:`~broadsheet.site.data.Story`), so the page and the feed never disagree:

* the lead image first, as a ``<figure>`` with caption and credit;
* the dateline ("Paris, 18 June (IPS) –") at the start of the first paragraph, as on the page;
* paragraphs and fact boxes as the sanitised rich text they are stored as; subheadings, block
  quotes and image captions escaped; pull quotes left out (on the page they repeat the text for
  the eye only);
* root-relative links and images made absolute on the build's base URL (feed readers show the
  text away from the site).

:func:`full_texts` loads the bodies of all the cards it is asked for in one
``build.read.stories(ids)`` call and keeps the result in ``build.cache``, so a full bake renders
each story's feed HTML once however many feeds (site, sections, authors, tags; RSS and Atom)
list it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from broadsheet.site.bodies import body_with_dateline
from broadsheet.site.build import Build
from broadsheet.site.data import ImageRef, Story, StoryCard
from broadsheet.site.dates import dateline_text

from .text import xml_safe

CACHE_KEY = "syndication:fulltext"
#: Stories whose feed HTML a build keeps (least recently used dropped first): a full bake visits
#: the feeds of one subject (RSS, then Atom) together, so this bounds memory at 100,000 stories
#: while every story is still rendered once per subject, and in practice once per bake.
CACHE_SIZE = 4096

_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')
_OPENING_P = re.compile(r"<p(?:\s[^>]*)?>")


@dataclass(frozen=True, slots=True)
class FullText:
    """A story's feed HTML (lead image, dateline, body) and its lead image (None: none)."""

    html: str
    lead_image: ImageRef | None


def absolutize(build: Build, html: str) -> str:
    """``html`` with root-relative ``href``/``src`` values (``"/iran/"``) made absolute on the
    build's base URL (``"https://news.example.org/iran/"``)."""
    base = build.ctx.base_url
    return _RELATIVE_URL.sub(lambda m: m.group(1) + base + "/", html)


def figure(build: Build, image: ImageRef, caption: str, credit: str) -> str:
    """An image as ``<figure><img …><figcaption>caption credit</figcaption></figure>`` with an
    absolute ``src``."""
    text = " ".join(x for x in (caption, credit) if x)
    html = Markup('<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>').format(
        build.absolute(xml_safe(image.url)),
        image.width,
        image.height,
        image.alt,
        Markup("<figcaption>{}</figcaption>").format(text) if text else "",
    )
    # a plain str: Markup + str escapes the str, which double-escaped the body after a lead
    # image in the feeds before this module
    return str(html)


def body_html(build: Build, blocks: Sequence[dict[str, Any]]) -> str:
    """Body blocks (``Story.body`` shape) as HTML for a feed reader (see the module docstring)."""
    parts: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "paragraph":
            parts.append(str(block["html"]))
        elif kind == "subheading":
            parts.append(Markup("<h2>{}</h2>").format(block["text"]))
        elif kind == "block_quote":
            attribution = (
                Markup("<footer>{}</footer>").format(block["attribution"])
                if block.get("attribution")
                else ""
            )
            parts.append(
                Markup("<blockquote><p>{}</p>{}</blockquote>").format(block["text"], attribution)
            )
        elif kind == "image":
            image = block["image"]
            parts.append(figure(build, image, block.get("caption", ""), block.get("credit", "")))
        elif kind == "fact_box":
            parts.append(
                Markup("<aside><h2>{}</h2>{}</aside>").format(
                    block["title"],
                    Markup(block["html"]),  # noqa: S704 — sanitised rich text
                )
            )
    return absolutize(build, "\n".join(parts))


def story_full_text(build: Build, story: Story) -> FullText:
    """The feed HTML of one whole story: lead image figure, then the body with its dateline."""
    card = story.card
    dateline = dateline_text(story.dateline_place, story.dateline_agency, card.published_at)
    html = body_html(build, body_with_dateline(story.body, dateline))
    lead = story.lead_image
    if lead is not None:
        html = figure(build, lead, story.lead_image_caption, story.lead_image_credit) + "\n" + html
    return FullText(html, lead)


def full_texts(build: Build, cards: Sequence[StoryCard]) -> dict[int, FullText]:
    """:class:`FullText` of each card's story, by story id (stories no longer public are left
    out). Bodies not yet in ``build.cache`` are loaded with one ``build.read.stories(ids)``."""
    cache: OrderedDict[int, FullText] = build.cache.setdefault(CACHE_KEY, OrderedDict())
    missing = [c.id for c in cards if c.id not in cache]
    if missing:
        for story in build.read.stories(missing):
            cache[story.card.id] = story_full_text(build, story)
    result: dict[int, FullText] = {}
    for card in cards:
        found = cache.get(card.id)
        if found is not None:
            cache.move_to_end(card.id)
            result[card.id] = found
    while len(cache) > max(CACHE_SIZE, len(cards)):
        cache.popitem(last=False)
    return result
