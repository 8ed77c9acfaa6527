"""Story files: Markdown with YAML front matter, one story per file (docs/story-files.md).

``parse_story_file`` reads a file into a :class:`StoryFile` (or raises :class:`StoryFileError`
naming the file and line); ``save_story`` writes it into the page tree, idempotently, keyed by
slug; ``story_to_markdown`` is the inverse, used by ``broadsheet export stories``.

Libraries: PyYAML for the front matter, markdown-it-py (CommonMark) with the container plugin
for ``::: pullquote`` / ``::: factbox``, nh3 to sanitise the HTML that goes into rich text,
markdownify to turn stored rich text back into Markdown. Our own code is only the mapping
between Markdown and the story's blocks, which is the product's format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3
import yaml
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdownify import markdownify
from mdit_py_plugins.container import container_plugin

from broadsheet.content.newsroom.models import (
    Author,
    CommentsState,
    StoryAuthor,
    StoryPage,
    fit_slug,
)
from broadsheet.content.newsroom.tree import (
    ensure_edition_front_page,
    ensure_section,
    section_titles,
)

from .keys import entry_key, free_slug
from .models import ImportedStory
from .report import ImportReport

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
RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br", "sup", "sub"}
ATTRIBUTION = re.compile(r"^\s*(?:—|--)\s*(.+)$")


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without implicit timestamps: dates stay strings, so an impossible date
    is reported by us with its key and line instead of crashing inside the YAML parser."""


FrontMatterLoader.yaml_implicit_resolvers = {
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
    lead_image: dict[str, str] | None = None
    seo_title: str = ""
    search_description: str = ""
    body: list[dict[str, Any]] = field(default_factory=list)
    language: str = ""
    translation_of: str = ""


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


# -- Parsing ------------------------------------------------------------------------------


def _key_lines(front: str, offset: int) -> dict[str, int]:
    try:
        node = yaml.compose(front)
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
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StoryFileError(path, line, f"front matter: {problem}") from None
    if not isinstance(data, dict):
        raise StoryFileError(path, 2, "front matter must be a mapping of keys to values")
    where = _key_lines(front, 2)

    def fail(key: str, message: str) -> StoryFileError:
        return StoryFileError(path, where.get(key, 2), f"{key}: {message}")

    unknown = sorted(set(map(str, data)) - FRONT_MATTER_KEYS)
    if unknown:
        raise fail(unknown[0], "unknown key (see docs/story-files.md)")
    headline = str(data.get("headline") or "").strip()
    if not headline:
        raise StoryFileError(path, where.get("headline", 2), "headline: required")
    section = data.get("section")
    try:
        section_path = _str_list(section, "section")
    except ValueError as exc:
        raise fail("section", str(exc)) from None
    if not section_path:
        raise StoryFileError(path, where.get("section", 2), "section: required")
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
            path, where.get("published", 2), "published: required for a published story"
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
def write_story(sf: StoryFile, story: StoryPage | None) -> tuple[StoryPage, bool]:
    """Write ``sf`` into ``story`` (``None``: a new story with ``sf.slug``), publishing it unless
    it is a draft; one revision. Returns ``(story, created)``."""
    body, lead = resolve_images(sf)
    front = ensure_edition_front_page(sf.language) if sf.language else None
    section = ensure_section(sf.section, front)
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
    story.comments = sf.comments
    story.seo_title = sf.seo_title
    story.search_description = sf.search_description
    story.lead_image = lead
    story.lead_image_caption = (sf.lead_image or {}).get("caption", "")
    story.lead_image_credit = (sf.lead_image or {}).get("credit", "")
    if sf.published and story.first_published_at is None:
        story.first_published_at = sf.published


STORY_FILES = "storyfile"  # the ImportedStory source of story files; the entry is the slug


def save_story_file(sf: StoryFile, report: ImportReport, place: str, dry_run: bool = False) -> str:
    """Create or update the story of a story file and count it in ``report``; returns
    ``"created"`` or ``"updated"``. A story file's identity is its slug
    (``ImportedStory(source="storyfile", entry=slug)``): importing it again updates that story.
    A story with the slug that is not linked to any import (written in the newsroom, or by an
    earlier story-file import) is the file's story and is linked to it; a story with the slug
    that came from another source (a feed, WordPress, archived pages) is never changed: the
    file becomes a new story with a free slug (``-2``), with a warning at ``place``. Raises
    what :func:`write_story` raises."""
    entry = entry_key(sf.slug)
    link = ImportedStory.objects.filter(source=STORY_FILES, entry=entry).first()
    story = link.story if link is not None else StoryPage.objects.filter(slug=sf.slug).first()
    origin = None
    if link is None and story is not None:
        origin = ImportedStory.objects.filter(story=story).first()
    if origin is not None:
        wanted, sf.slug = sf.slug, free_slug(sf.slug)
        report.warn(
            place,
            f"slug {wanted!r} belongs to a story imported from {origin.source}: that story is "
            f"left unchanged, this file is saved as {sf.slug!r}",
        )
        story = None
    action = "created" if story is None else "updated"
    if not dry_run:
        with transaction.atomic():
            story, _ = write_story(sf, story)
            if link is None:
                ImportedStory.objects.create(story=story, source=STORY_FILES, entry=entry)
    if action == "created":
        report.created += 1
    else:
        report.updated += 1
    return action


def iter_story_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every ``*.md`` file under the given files and folders, sorted within each folder."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*.md") if q.is_file() and q.name != "README.md")
        else:
            yield p


def import_story_files(
    paths: Iterable[Path | str],
    dry_run: bool = False,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> ImportReport:
    """Import story files; each broken file is recorded in the report and the rest go on.
    Stories are found by the file's slug, never one imported from another source
    (:func:`save_story_file`)."""
    from broadsheet.site.listings import deferred

    report = ImportReport()
    files = list(iter_story_paths(paths))
    report.items["story file"] += len(files)
    with deferred():  # the listings are re-indexed once, at the end
        for path in progress(files) if progress else files:
            try:
                sf = parse_story_file(path)
                save_story_file(sf, report, str(path), dry_run=dry_run)
            except StoryFileError as exc:
                report.fail(f"{exc.path}:{exc.line}", exc.message)
    return report


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
