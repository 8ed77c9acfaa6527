"""Story bodies and images as plain data: StreamField JSON to the renderer's block dicts,
image renditions to :class:`~.data.ImageRef`, stored rich text to front-end HTML.

Used by both read models (:mod:`.live`, :mod:`.memory`), so a story's page, its feed item and
its search record are built from the same blocks.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup

from .data import CorrectionRef, ImageRef, Story, StoryCard

logger = logging.getLogger(__name__)

# Renditions (Wagtail filter specs). A tuple is one image at several widths: its first spec is
# the ``src`` (and the ``width``/``height`` the browser reserves), all of them make the
# ``srcset``; the widths keep one aspect ratio, so the box reserved fits every candidate. The
# lead image's ``src`` is 1200 px wide: what ``max-image-preview:large`` and og:image want.
CARD_IMAGE_SPEC = ("fill-480x270", "fill-800x450", "fill-1200x675")
LEAD_IMAGE_SPEC = ("fill-1200x675", "fill-480x270", "fill-800x450")
BODY_IMAGE_SPEC = ("width-1200", "width-480", "width-800")
AUTHOR_PHOTO_SPEC = ("fill-240x240", "fill-480x480")

CARD_FIELDS = (
    "id",
    "title",
    "standfirst",
    "url_path",
    "path",
    "byline_credit",
    "published_at",
    "updated_at",
    "lead_image_id",
    "hide_from_front",
)
STORY_FIELDS = (
    *CARD_FIELDS,
    "dateline_place",
    "dateline_agency",
    "story_code",
    "comments",
    "body",
    "lead_image_caption",
    "lead_image_credit",
    "search_description",
    "seo_title",
)


def raw_blocks(raw_body: Any) -> list[dict[str, Any]]:
    """A StreamField value (lazy StreamValue, JSON text or list) as its list of raw blocks."""
    if hasattr(raw_body, "raw_data"):  # a lazy StreamValue: read its stored JSON
        raw_body = raw_body.raw_data
    if isinstance(raw_body, str):
        raw_body = json.loads(raw_body or "[]")
    return list(raw_body or [])


def stories_from_rows(
    cards: dict[int, StoryCard],
    rows: Iterable[dict[str, Any]],
    notes: dict[int, list[CorrectionRef]] | None = None,
) -> list[Story]:
    """Whole stories from their cards and ``STORY_FIELDS`` rows, in the rows' order: body
    blocks, lead and body images (one query per image size for all of them), correction notes
    (``notes`` by story id, or one query for these stories)."""
    rows = [r for r in rows if r["id"] in cards]
    bodies = {r["id"]: raw_blocks(r["body"]) for r in rows}
    body_ids = {
        b["value"].get("image")
        for raw in bodies.values()
        for b in raw
        if b.get("type") == "image" and isinstance(b.get("value"), dict)
    }
    images = image_refs(body_ids, BODY_IMAGE_SPEC)
    leads = image_refs({r["lead_image_id"] for r in rows}, LEAD_IMAGE_SPEC)
    if notes is None:
        notes = notes_by_story(correction_refs(story_id__in=[r["id"] for r in rows]))
    return [
        Story(
            card=cards[r["id"]],
            dateline_place=r["dateline_place"],
            dateline_agency=r["dateline_agency"],
            story_code=r["story_code"],
            comments=r["comments"],
            body=tuple(body_blocks(bodies[r["id"]], images)),
            lead_image=leads.get(r["lead_image_id"]) if r["lead_image_id"] else None,
            lead_image_caption=r["lead_image_caption"],
            lead_image_credit=r["lead_image_credit"],
            search_description=r["search_description"],
            seo_title=r["seo_title"],
            corrections=tuple(notes.get(r["id"], ())),
        )
        for r in rows
    ]


def notes_by_story(notes: Iterable[CorrectionRef]) -> dict[int, list[CorrectionRef]]:
    """Correction notes grouped by story id, in their order."""
    grouped: dict[int, list[CorrectionRef]] = {}
    for note in notes:
        grouped.setdefault(note.story_id, []).append(note)
    return grouped


def correction_refs(
    newest_first: bool = False, limit: int | None = None, where: Any = None, **filters: Any
) -> list[CorrectionRef]:
    """The correction and update notes matching ``filters`` (Django lookups on
    ``StoryCorrection``) and the expression ``where``, oldest first (``newest_first``: newest
    first), at most ``limit`` (in the query)."""
    from broadsheet.content.newsroom.models import CorrectionKind, StoryCorrection

    order = ("-noted_at", "-id") if newest_first else ("noted_at", "id")
    labels = dict(CorrectionKind.choices)
    rows = StoryCorrection.objects.filter(**filters)
    if where is not None:
        rows = rows.filter(where)
    rows = rows.order_by(*order)
    if limit is not None:
        rows = rows[:limit]
    return [
        CorrectionRef(
            id=r["id"],
            story_id=r["story_id"],
            kind=r["kind"],
            label=str(labels.get(r["kind"], r["kind"])),
            noted_at=r["noted_at"],
            text=r["text"],
        )
        for r in rows.values("id", "story_id", "kind", "noted_at", "text")
    ]


def image_refs(ids: Iterable[int | None], spec: str | Sequence[str]) -> dict[int, ImageRef]:
    """Renditions for the image ids (``None`` ignored), keyed by image id: one query, plus
    the creation of any rendition not made yet. ``spec`` is a Wagtail filter spec or a
    sequence of them (the first is the ``src``; see ``CARD_IMAGE_SPEC``): the
    :class:`ImageRef`'s ``srcset`` lists every width once (``url 480w, url 800w``), ``""``
    for a single spec. An image whose file is missing is left out (logged), never an error."""
    from wagtail.images import get_image_model

    specs = (spec,) if isinstance(spec, str) else tuple(spec)
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    result = {}
    for image in get_image_model().objects.filter(id__in=wanted).prefetch_renditions(*specs):
        try:
            renditions = [image.get_rendition(s) for s in specs]
        except Exception:  # a missing image file must not take the page down
            logger.warning("image %s has no usable rendition", image.id, exc_info=True)
            continue
        main = renditions[0]
        widths = {r.width: r.url for r in sorted(renditions, key=lambda r: r.width)}
        srcset = ", ".join(f"{url} {w}w" for w, url in widths.items()) if len(specs) > 1 else ""
        result[image.id] = ImageRef(
            main.url, main.width, main.height, image.default_alt_text, srcset
        )
    return result


def rich_text_html(html: str) -> str:
    """Stored rich text (Wagtail's database format) to front-end HTML. Only text that holds
    internal links or embeds needs Wagtail's rewriter (which queries); the rest is used as is."""
    if "linktype=" in html or "<embed" in html:
        from wagtail.rich_text import expand_db_html

        return expand_db_html(html)
    return html


def body_blocks(raw: Iterable[dict[str, Any]], images: dict[int, ImageRef]) -> list[dict[str, Any]]:
    """StreamField raw JSON to the renderer's plain block dicts (see :class:`Story`)."""
    out: list[dict[str, Any]] = []
    for block in raw:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            out.append({"type": kind, "html": rich_text_html(value or "")})
        elif kind == "subheading":
            out.append({"type": kind, "text": value or ""})
        elif kind in ("pull_quote", "block_quote"):
            out.append(
                {
                    "type": kind,
                    "text": value.get("text", ""),
                    "attribution": value.get("attribution", ""),
                }
            )
        elif kind == "image":
            ref = images.get(value.get("image"))
            if ref:
                out.append(
                    {
                        "type": kind,
                        "image": ref,
                        "caption": value.get("caption", ""),
                        "credit": value.get("credit", ""),
                    }
                )
        elif kind == "fact_box":
            out.append(
                {
                    "type": kind,
                    "title": value.get("title", ""),
                    "html": rich_text_html(value.get("body", "")),
                }
            )
    return out


def body_with_dateline(body: Sequence[dict[str, Any]], dateline: str) -> list[dict[str, Any]]:
    """Put the dateline at the start of the first paragraph ("Paris, 18 June (IPS) – The…").

    If the body does not start with a paragraph, the dateline gets a paragraph of its own."""
    blocks = [dict(b) for b in body]
    if not dateline:
        return blocks
    mark = Markup('<span class="dateline">{}</span> ').format(dateline)
    for block in blocks:
        if block["type"] == "paragraph":
            html = block["html"]  # trusted: sanitised rich text
            # "<p>" from story files, "<p data-block-key=…>" from Wagtail's editor
            opening = re.match(r"<p(?:\s[^>]*)?>", html)
            if opening:
                cut = opening.end()
                block["html"] = Markup(html[:cut]) + mark + Markup(html[cut:])  # noqa: S704
            else:
                block["html"] = mark + Markup(html)  # noqa: S704
            return blocks
        if block["type"] not in ("pull_quote", "image"):
            break
    return [{"type": "paragraph", "html": Markup("<p>{}</p>").format(mark.rstrip())}, *blocks]
