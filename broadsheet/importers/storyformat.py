"""Reading a story file (docs/story-files.md): YAML front matter (PyYAML, on libyaml when it
is there) and a Markdown body (:mod:`.storymarkdown`) into a :class:`StoryFile`, or a
:class:`StoryFileError` naming the file and the line. Dates stay strings in the YAML (no
implicit timestamps) so that an impossible date is reported with its key and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    CommentsState,
    fit_slug,
)

from .storymarkdown import markdown_to_blocks

FRONT_MATTER_KEYS = {
    "headline",
    "slug",
    "section",
    "standfirst",
    "byline",
    "dateline",
    "published",
    "updated",
    "story_code",
    "tags",
    "comments",
    "status",
    "lead_image",
    "seo_title",
    "search_description",
    "language",
    "translation_of",
}


# libyaml's parser when PyYAML was built with it (about ten times faster), else PyYAML's own.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML's safe loader without implicit timestamps: dates stay strings, so an impossible date
    is reported by us with its key and line instead of crashing inside the YAML parser."""


class FrontMatterPyLoader(yaml.SafeLoader):
    """:class:`FrontMatterLoader` on PyYAML's own parser, for error messages and lines."""


FrontMatterLoader.yaml_implicit_resolvers = FrontMatterPyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class StoryFileError(ValueError):
    """A story file that cannot be imported; ``str()`` is ``path:line: message``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{self.path}:{line}: {message}")


@dataclass
class StoryFile:
    """A parsed story file. ``body`` holds StreamField raw blocks (``{"type", "value"}``) whose
    ``image`` values are still file paths (resolved to images by :func:`save_story`)."""

    path: Path
    headline: str
    slug: str
    section: list[str]
    published: dt.datetime | None
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    credit: str = ""
    dateline_place: str = ""
    dateline_agency: str = ""
    updated: dt.datetime | None = None
    story_code: str = ""
    tags: list[str] = field(default_factory=list)
    comments: str = CommentsState.OPEN
    live: bool = True
    #: A scheduled story (``live`` too): it goes live at this time (Wagtail's ``go_live_at``,
    #: published by ``publish_scheduled``), at once when the time has passed.
    go_live_at: dt.datetime | None = None
    lead_image: dict[str, str] | None = None
    seo_title: str = ""
    search_description: str = ""
    body: list[dict[str, Any]] = field(default_factory=list)
    language: str = ""
    translation_of: str = ""


# -- Parsing ------------------------------------------------------------------------------


def _key_lines(front: str, offset: int) -> dict[str, int]:
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + offset for k, _ in node.value if hasattr(k, "value")}


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            value = dt.date.fromisoformat(text)
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_current_timezone())
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(12), tzinfo=timezone.get_current_timezone())
    raise ValueError(f"not a date: {value!r}")


def _str_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise ValueError(f"{what} must be a list of names")
    return [str(v).strip() for v in value if str(v).strip()]


def parse_story_text(text: str, path: Path | str = "<story>") -> StoryFile:
    """Parse a story file's text. Raises :class:`StoryFileError` with the offending line."""
    path = Path(path)
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise StoryFileError(path, 1, "front matter must start with '---' on the first line")
    try:
        close = next(n for n in range(1, len(lines)) if lines[n].strip() in ("---", "..."))
    except StopIteration:
        raise StoryFileError(path, 1, "front matter opened here is not closed with '---'") from None
    front = "\n".join(lines[1:close])
    try:
        data = yaml.load(front, Loader=FrontMatterLoader) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        # PyYAML's own parser again, for its messages and lines (libyaml's differ a little).
        try:
            yaml.load(front, Loader=FrontMatterPyLoader)  # noqa: S506 - a safe loader
            exc: Exception = ValueError("front matter is not valid YAML")
        except yaml.YAMLError as py_exc:
            exc = py_exc
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StoryFileError(path, line, f"front matter: {problem}") from None
    if not isinstance(data, dict):
        raise StoryFileError(path, 2, "front matter must be a mapping of keys to values")
    key_lines: dict[str, int] = {}

    def line_of(key: str) -> int:
        """The line of ``key`` in the file (the front matter is composed again only for an
        error message)."""
        if not key_lines:
            key_lines.update(_key_lines(front, 2) or {"": 2})
        return key_lines.get(key, 2)

    def fail(key: str, message: str) -> StoryFileError:
        return StoryFileError(path, line_of(key), f"{key}: {message}")

    unknown = sorted(set(map(str, data)) - FRONT_MATTER_KEYS)
    if unknown:
        raise fail(unknown[0], "unknown key (see docs/story-files.md)")
    headline = str(data.get("headline") or "").strip()
    if not headline:
        raise StoryFileError(path, line_of("headline"), "headline: required")
    section = data.get("section")
    try:
        section_path = _str_list(section, "section")
    except ValueError as exc:
        raise fail("section", str(exc)) from None
    if not section_path:
        raise StoryFileError(path, line_of("section"), "section: required")
    slug = fit_slug(str(data.get("slug") or headline))
    if not slug:
        raise fail("slug", "cannot make a slug from it")
    dates: dict[str, dt.datetime | None] = {}
    for key in ("published", "updated"):
        try:
            dates[key] = _as_datetime(data.get(key))
        except (ValueError, TypeError, OverflowError) as exc:
            raise fail(key, f"{data.get(key)!r} is not an RFC 3339 date ({exc})") from None
    published, updated = dates["published"], dates["updated"]
    byline = data.get("byline") or {}
    authors: list[str] = []
    credit = ""
    if isinstance(byline, str):
        credit = byline.strip()
    elif isinstance(byline, dict):
        extra = set(byline) - {"authors", "credit"}
        if extra:
            raise fail("byline", f"unknown key {sorted(extra)[0]!r} (use authors, credit)")
        try:
            authors = _str_list(byline.get("authors"), "byline.authors")
        except ValueError as exc:
            raise fail("byline", str(exc)) from None
        credit = str(byline.get("credit") or "").strip()
    else:
        raise fail("byline", "must be a string or a mapping with authors and credit")
    dateline = data.get("dateline") or {}
    if isinstance(dateline, str):
        dateline = {"place": dateline}
    if not isinstance(dateline, dict) or set(dateline) - {"place", "agency"}:
        raise fail("dateline", "must be a mapping with place and agency")
    comments = str(data.get("comments") or CommentsState.OPEN)
    if comments not in CommentsState.values:
        raise fail("comments", f"{comments!r} is not one of {', '.join(CommentsState.values)}")
    status = str(data.get("status") or "published")
    if status not in ("published", "draft"):
        raise fail("status", f"{status!r} is not published or draft")
    if status == "published" and published is None:
        raise StoryFileError(
            path, line_of("published"), "published: required for a published story"
        )
    try:
        tags = _str_list(data.get("tags"), "tags")
    except ValueError as exc:
        raise fail("tags", str(exc)) from None
    lead = data.get("lead_image")
    if lead is not None and (not isinstance(lead, dict) or not lead.get("file")):
        raise fail("lead_image", "must be a mapping with at least 'file'")
    language = str(data.get("language") or "").strip()
    if language and language not in {code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES}:
        raise fail("language", f"{language!r} is not a language of the site")
    body_text = "\n".join(lines[close + 1 :])
    try:
        body = markdown_to_blocks(body_text, first_line=close + 2)
    except ValueError as exc:
        line, message = exc.args if len(exc.args) == 2 else (close + 2, str(exc))
        raise StoryFileError(path, line, message) from None
    return StoryFile(
        path=path,
        headline=headline,
        slug=slug,
        section=section_path,
        published=published,
        standfirst=str(data.get("standfirst") or "").strip(),
        authors=authors,
        credit=credit,
        dateline_place=str(dateline.get("place") or "").strip(),
        dateline_agency=str(dateline.get("agency") or "").strip(),
        updated=updated,
        story_code=str(data.get("story_code") or "").strip(),
        tags=tags,
        comments=comments,
        live=status == "published",
        lead_image={k: str(v) for k, v in lead.items()} if lead else None,
        seo_title=str(data.get("seo_title") or "").strip(),
        search_description=str(data.get("search_description") or "").strip(),
        body=body,
        language=language,
        translation_of=str(data.get("translation_of") or "").strip(),
    )


def parse_story_file(path: Path | str) -> StoryFile:
    """Read and parse one story file (UTF-8). Raises :class:`StoryFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise StoryFileError(path, line, "not valid UTF-8") from None
    except OSError as exc:
        raise StoryFileError(path, 0, exc.strerror or str(exc)) from None
    return parse_story_text(text, path)
