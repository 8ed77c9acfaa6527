"""Stories back to story files, for ``broadsheet export stories``: front matter (PyYAML) and
a Markdown body (:func:`.storymarkdown.rich_text_to_markdown`), images copied beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    StoryPage,
)
from broadsheet.content.newsroom.tree import (
    section_titles,
)

from .storymarkdown import rich_text_to_markdown

# -- Export -------------------------------------------------------------------------------


def _quote_markdown(text: str, attribution: str, prefix: str = "") -> str:
    lines = text.split("\n")
    if attribution:
        lines.append(f"— {attribution}")
    return "\n".join(f"{prefix}{line}".rstrip() for line in lines)


def story_to_markdown(story: StoryPage, image_name: Callable[[Any], str]) -> str:
    """A story as a story file (front matter + Markdown). ``image_name(image)`` returns the
    relative path under which the caller writes the image file."""
    story = story.specific
    section = story.get_parent().specific
    front: dict[str, Any] = {
        "headline": story.title,
        "slug": story.slug,
        "section": section_titles(section),
    }
    if story.standfirst:
        front["standfirst"] = story.standfirst
    authors = [sa.author.name for sa in story.story_authors.all()]
    if authors or story.byline_credit:
        front["byline"] = {
            k: v for k, v in (("authors", authors), ("credit", story.byline_credit)) if v
        }
    if story.dateline_place or story.dateline_agency:
        front["dateline"] = {
            k: v
            for k, v in (("place", story.dateline_place), ("agency", story.dateline_agency))
            if v
        }
    if story.published_at:
        front["published"] = timezone.localtime(story.published_at).isoformat()
    if story.updated_at:
        front["updated"] = timezone.localtime(story.updated_at).isoformat()
    if story.story_code:
        front["story_code"] = story.story_code
    tags = sorted(t.name for t in story.tags.all())
    if tags:
        front["tags"] = tags
    front["comments"] = story.comments
    front["status"] = "published" if story.live else "draft"
    if story.lead_image:
        front["lead_image"] = {
            k: v
            for k, v in (
                ("file", image_name(story.lead_image)),
                ("caption", story.lead_image_caption),
                ("credit", story.lead_image_credit),
                ("alt", story.lead_image.default_alt_text),
            )
            if v
        }
    if story.seo_title:
        front["seo_title"] = story.seo_title
    if story.search_description:
        front["search_description"] = story.search_description
    parts: list[str] = []
    for block in story.body.raw_data:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            parts.append(rich_text_to_markdown(value))
        elif kind == "subheading":
            parts.append(f"## {value}")
        elif kind == "pull_quote":
            quote = _quote_markdown(value["text"], value.get("attribution", ""))
            parts.append(f"::: pullquote\n{quote}\n:::")
        elif kind == "block_quote":
            parts.append(_quote_markdown(value["text"], value.get("attribution", ""), "> "))
        elif kind == "fact_box":
            parts.append(
                f"::: factbox {value['title']}\n{rich_text_to_markdown(value['body'])}\n:::"
            )
        elif kind == "image":
            from wagtail.images import get_image_model

            image = get_image_model().objects.filter(id=value["image"]).first()
            if image:
                title = value.get("caption", "")
                if value.get("credit"):
                    title += f" | {value['credit']}"
                title = title.replace('"', "'")
                parts.append(f'![{image.default_alt_text}]({image_name(image)} "{title}")')
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n" + "\n\n".join(parts) + "\n"


def export_stories(directory: Path | str, stories: Iterable[StoryPage] | None = None) -> int:
    """Write every story (drafts included) as a story file under ``directory``, one folder per
    section slug, images under ``directory/images/``. Returns the number of files written."""
    directory = Path(directory)
    images_dir = directory / "images"
    count = 0
    stories = stories if stories is not None else StoryPage.objects.order_by("path")
    for story in stories:
        section = story.get_parent()
        folder = directory / section.slug
        folder.mkdir(parents=True, exist_ok=True)

        def image_name(image: Any, folder: Path = folder) -> str:
            images_dir.mkdir(parents=True, exist_ok=True)
            name = f"{image.id}-{Path(image.file.name).name}"
            target = images_dir / name
            if not target.exists():
                with image.open_file() as fh:
                    target.write_bytes(fh.read())
            return f"../images/{name}"

        (folder / f"{story.slug}.md").write_text(
            story_to_markdown(story, image_name), encoding="utf-8"
        )
        count += 1
    return count
