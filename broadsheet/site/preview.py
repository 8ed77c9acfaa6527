"""Wagtail's preview: a story as an editor has typed it, not yet saved, as plain data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .bodies import CARD_IMAGE_SPEC, STORY_FIELDS, image_refs, stories_from_rows
from .data import Story, StoryCard


def story_from_page(read: Any, page: Any) -> Story | None:
    """The :class:`Story` of an unsaved ``StoryPage`` instance (its relations as the editor left
    them), read with a :class:`~.live.LiveSource`; None when its section is not a live section
    of the site."""
    path = page.path
    if not path:
        parent = page.get_parent() if page.id else None
        path = (parent.path if parent else "") + "0000"
    section = read.section_for_path(path)
    if section is None:
        return None
    urls = read.urls
    authors = tuple(
        read.author_ref(sa.author.id, sa.author.name, sa.author.slug)
        for sa in page.story_authors.all()
        if sa.author_id
    )
    tags = tuple(read.tag_ref(t.id or 0, t.name, t.slug) for t in page.tags.all())
    image = image_refs([page.lead_image_id], CARD_IMAGE_SPEC).get(page.lead_image_id)
    card = StoryCard(
        id=page.id,
        headline=page.title,
        standfirst=page.standfirst,
        url=urls.page(page.url_path) if page.url_path else section.url + (page.slug or "") + "/",
        section=section,
        authors=authors,
        credit=page.byline_credit,
        published_at=page.published_at or timezone.now(),
        updated_at=page.updated_at,
        tags=tags,
        image=image,
    )
    row = {f: getattr(page, f, None) for f in STORY_FIELDS}
    row.update(id=page.id, body=list(page.body.raw_data))
    return stories_from_rows({page.id: card}, [row])[0]
