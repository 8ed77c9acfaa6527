"""Writing a parsed story file into the page tree: ``write_story`` (one revision, published
unless a draft; the section made when missing), ``save_story`` (keyed by slug), and the parts
the bulk path (:mod:`.bulk`) shares: the byline's authors, the tags, the story's own fields
and its images (files next to the story file, reused by content hash).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction

from broadsheet.content.newsroom.models import (
    Author,
    StoryAuthor,
    StoryPage,
)
from broadsheet.content.newsroom.tree import (
    ensure_edition_front_page,
    ensure_section,
)

from .report import SECTIONS_NOT_IN_MENUS, ImportReport
from .storyformat import StoryFile, StoryFileError

# -- Saving -------------------------------------------------------------------------------


def import_image(path: Path, title: str = "") -> Any:
    """A Wagtail image for the file at ``path``, reusing one with the same content (Wagtail's
    own ``file_hash``, SHA-1 of the bytes)."""
    from wagtail.images import get_image_model
    from wagtail.utils.file import hash_filelike

    image_model = get_image_model()
    with path.open("rb") as fh:
        digest = hash_filelike(fh)
    existing = image_model.objects.filter(file_hash=digest).first()
    if existing:
        return existing
    with path.open("rb") as fh:
        image = image_model(title=title or path.stem, file=ImageFile(fh, name=path.name))
        # Wagtail fills these in its upload form only; set them so the reuse above works.
        image.file_hash = digest
        image.file_size = path.stat().st_size
        image.save()
    return image


def resolve_images(sf: StoryFile) -> tuple[list[dict[str, Any]], Any]:
    base = sf.path.parent
    body = []
    for block in sf.body:
        if block["type"] == "image":
            value = block["value"]
            file = base / value["file"]
            if not file.is_file():
                raise StoryFileError(
                    sf.path, value["line"], f"image file not found: {value['file']}"
                )
            image = import_image(file, value["alt"] or value["caption"])
            block = {
                "type": "image",
                "value": {
                    "image": image.id,
                    "caption": value["caption"],
                    "credit": value["credit"],
                },
            }
        body.append(block)
    lead = None
    if sf.lead_image:
        file = base / sf.lead_image["file"]
        if not file.is_file():
            raise StoryFileError(sf.path, 2, f"lead_image: file not found: {sf.lead_image['file']}")
        lead = import_image(file, sf.lead_image.get("alt") or sf.lead_image.get("caption", ""))
    return body, lead


def find_author(name: str) -> Author:
    """The author called ``name`` (any case), created when there is none."""
    author = (
        Author.objects.filter(name=name).first() or Author.objects.filter(name__iexact=name).first()
    )
    if author is None:
        author = Author(name=name)
        author.save()
    return author


@transaction.atomic
def save_story(sf: StoryFile) -> tuple[StoryPage, bool]:
    """Create or update the story with ``sf.slug`` (site-wide) from a parsed file, publishing it
    unless it is a draft. Returns ``(story, created)``. Raises :class:`StoryFileError` for a
    missing image file. (Other importers find their stories by source identity instead:
    :mod:`broadsheet.importers.identity`.)"""
    return write_story(sf, StoryPage.objects.filter(slug=sf.slug).first())


@transaction.atomic
def write_story(
    sf: StoryFile, story: StoryPage | None, in_menus: bool = True
) -> tuple[StoryPage, bool]:
    """Write ``sf`` into ``story`` (``None``: a new story with ``sf.slug``), publishing it unless
    it is a draft (a story with a ``go_live_at`` still ahead is scheduled: Wagtail publishes
    it then); one revision. A section made for it joins the navigation when
    ``in_menus`` (story files; importers of other sites pass False). Returns
    ``(story, created)``."""
    body, lead = resolve_images(sf)
    front = ensure_edition_front_page(sf.language) if sf.language else None
    section = ensure_section(sf.section, front, in_menus=in_menus)
    created = story is None
    if created:
        story = StoryPage(slug=sf.slug, title=sf.headline)
        original = StoryPage.objects.filter(slug=sf.translation_of).first()
        if sf.translation_of and original is not None:
            story.translation_key = original.translation_key  # linked as its translation
    else:
        story = story.specific
        if story.get_parent().id != section.id:
            story.move(section, pos="last-child")
            story.refresh_from_db()
    fill_story(story, sf, lead)
    story.body = body
    story.story_authors = [
        StoryAuthor(author=find_author(n), sort_order=i)
        for i, n in enumerate(dict.fromkeys(sf.authors))
    ]
    story.tags.set(tag_names(sf.tags))
    if created:
        story.live = False
        section.add_child(instance=story)
    revision = story.save_revision()
    if sf.live:
        revision.publish()
    elif story.live:
        story.unpublish()
    return story, created


def ensure_imported_section(titles: list[str], report: ImportReport, place: str) -> None:
    """The section at the title path ``titles`` for an import of another site's content: made
    out of the navigation (``in_menus=False``) when missing, with the report's note on how
    to put it there; found sections are left as they are. An empty title is a warning at
    ``place`` (the stories will fail with the same reason)."""
    from broadsheet.content.newsroom.models import SectionPage

    before = SectionPage.objects.count()
    try:
        ensure_section(titles, in_menus=False)
    except ValueError as exc:
        report.warn(place, str(exc))
        return
    if SectionPage.objects.count() != before:
        report.note(SECTIONS_NOT_IN_MENUS)


def tag_names(tags: Iterable[str]) -> list[str]:
    """``tags`` without repeats (any case: the first spelling is kept)."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def fill_story(story: StoryPage, sf: StoryFile, lead: Any) -> None:
    """Copy ``sf``'s own fields (not the body, byline authors or tags) onto ``story``."""
    story.title = sf.headline
    story.standfirst = sf.standfirst
    story.byline_credit = sf.credit
    story.dateline_place = sf.dateline_place
    story.dateline_agency = sf.dateline_agency
    story.published_at = sf.published
    story.updated_at = sf.updated
    story.story_code = sf.story_code
    story.go_live_at = sf.go_live_at
    story.comments = sf.comments
    story.seo_title = sf.seo_title
    story.search_description = sf.search_description
    story.lead_image = lead
    story.lead_image_caption = (sf.lead_image or {}).get("caption", "")
    story.lead_image_credit = (sf.lead_image or {}).get("credit", "")
    if sf.published and story.first_published_at is None:
        story.first_published_at = sf.published
