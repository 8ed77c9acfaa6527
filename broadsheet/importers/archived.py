"""``broadsheet import html PATH…``: archived article pages (saved pages, Wayback Machine
copies) into stories.

trafilatura finds the article in the page (body, title, byline, description, lead image) and
htmldate its date; both are well kept and beat anything we would write. What they do not know
is the news trade, so these rules run on top (our own code, :func:`apply_news_rules`):

* **headline**: the page's first ``<h1>``, unless it merely contains the metadata title (a
  kicker before it: "Abstandsregeln : Wie Firmen…"); metadata titles are often SEO rewrites;
* **date**: the publisher's own ``datePublished`` (schema.org JSON-LD / microdata) or
  ``article:published_time`` first — htmldate prefers the modification date on some pages —
  then htmldate;
* **start of the story**: a dateline ("Paris, 18 June (IPS) –", "LOS ANGELES (Reuters) -")
  in one of the first paragraphs marks the start: everything before it is page furniture
  (navigation, banners, the headline again, "Published Monday…"); the dateline goes into
  ``dateline_place`` / ``dateline_agency`` and out of the text;
* **end of the story**: a wire story code ("ENDS IRAN OPPOSITION 18607") goes into
  ``story_code``; everything after it is page furniture;
* **pull quotes**: a short paragraph that repeats (most of) the words of a nearby paragraph is
  a pull quote: it becomes a ``pull_quote`` block, not a duplicated paragraph;
* **boilerplate**: "Comments on this page are closed", "this site is closed" banners,
  "Powered by…", "Our Standards:…", "Published <date>" lines and left-over image names
  ("<headline>-Body") are dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from broadsheet.content.newsroom.models import StoryPage, fit_slug
from broadsheet.site.listings import deferred

from .byline import take_byline_line
from .encoding import detect_undeclared, looks_like_mojibake, strip_control_characters
from .htmlbody import html_to_blocks, merge_paragraphs, plain_text
from .identity import content_key, save_imported_story
from .pagemeta import choose_headline, clean_author, read_meta, squash
from .report import ImportReport
from .storyformat import StoryFile
from .wxr import MediaFolder

Progress = Callable[[Iterable[Any]], Iterable[Any]]

PLACE = r"(?P<place>[A-Z][A-Za-zÀ-ÿ'’.-]*(?:[ -][A-Z][A-Za-zÀ-ÿ'’.-]*){0,3})"
AGENCY = r"\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,24})\)"
DASH = r"\s*[-–—]+\s*"
DAY = r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2})"
# The shapes wires use, at the very start of the story's first paragraph:
# "PLACE, Date (AGENCY) –" (the dash may be missing), "PLACE (AGENCY) -", "PLACE —" (capitals).
DATELINES = [
    re.compile(rf"^\s*{PLACE},\s*{DAY}\s*{AGENCY}(?:{DASH}|\s+)(?=\S)"),
    re.compile(rf"^\s*{PLACE}\s*{AGENCY}{DASH}(?=\S)"),
    re.compile(r"^\s*(?P<place>[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+){0,3})\s*[–—]\s*(?=\S)"),
]
NOT_A_PLACE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sir|St|The|A|An|By|Update|Editor)\b", re.I)
FURNITURE_WORDS = 12  # paragraphs before a dateline this short are page furniture
STORY_CODE = re.compile(r"(?:^|\s)ENDS?\s+(?P<code>[A-Z][A-Z0-9 /&'.-]*?\d{3,})\s*$")
BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^comments on this (?:page|story|article) are closed\.?$",
        r"\bthis site is (?:now |definitely |permanently )?closed\b",
        r"^powered by\b",
        r"^our standards:",
        r"^(?:published|posted|updated)(?: on)?:?\s+(?:\w+day,?\s+)?\w+\s+\d{1,2},?\s+\d{4}\.?$",
        r"^(?:published|posted|updated)(?: on)?:?\s+\d{1,2}\s+\w+\s+\d{4}\.?$",
        r"^all rights reserved\.?$",
        r"^copyright\s+(?:©\s*)?\d{4}\b.{0,80}$",
    )
]
PULL_QUOTE_MIN_WORDS = 6
PULL_QUOTE_MAX_CHARS = 400
PULL_QUOTE_WINDOW = 4


@dataclass
class ArchivedPage:
    """What an archived page yields: the story's fields and its body blocks (``image``
    blocks carry local file paths, as in story files)."""

    headline: str
    published: dt.datetime | None
    authors: list[str] = field(default_factory=list)
    standfirst: str = ""
    dateline_place: str = ""
    dateline_agency: str = ""
    story_code: str = ""
    url: str = ""
    lead_image_url: str = ""
    body: list[dict[str, Any]] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _block_text(block: dict[str, Any]) -> str:
    if block["type"] == "paragraph":
        return plain_text(block["value"])
    if block["type"] == "subheading":
        return block["value"]
    return ""


def _repeats(short: list[str], long: list[str]) -> bool:
    if len(short) < PULL_QUOTE_MIN_WORDS or len(long) <= len(short):
        return False
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks())
    return same >= 0.85 * len(short)


def _is_boilerplate(text: str, headline: str) -> bool:
    stripped = text.strip()
    if any(p.search(stripped) for p in BOILERPLATE):
        return True
    if headline and stripped.casefold() == headline.casefold():
        return True
    # Image names left behind by the CMS: "<headline>-Body", "<headline>-Main".
    return bool(headline) and bool(
        re.fullmatch(re.escape(headline) + r"\s*-\s*\w+", stripped, flags=re.I)
    )


def apply_news_rules(page: ArchivedPage) -> ArchivedPage:
    """Apply the news rules (module docstring) to ``page.body`` (one block per paragraph) in
    place; fills the dateline and story code. Returns ``page``."""
    blocks = [
        b
        for b in page.body
        if b["type"] not in ("paragraph", "subheading")
        or (_block_text(b) and not _is_boilerplate(_block_text(b), page.headline))
    ]
    # Start of the story: a dateline at the very start of the first paragraph, in a wire
    # shape. Only short lines (page furniture) before it may be dropped; never a paragraph.
    for i, block in enumerate(blocks[:4]):
        if block["type"] != "paragraph":
            continue
        text = _block_text(block)
        m = next((d.match(text) for d in DATELINES if d.match(text)), None)
        if m and len(text) > 80 and not NOT_A_PLACE.match(m.group("place")):
            place = m.group("place").strip()
            page.dateline_place = place.title() if place.isupper() else place
            agency = m.groupdict().get("agency") or ""
            page.dateline_agency = agency.strip()
            block["value"] = _strip_prefix_html(block["value"], m.end())
            blocks = blocks[i:]
            break
        if len(text.split()) > FURNITURE_WORDS:
            break  # a real paragraph: the story starts here, with no dateline
    # End of the story: the wire story code.
    for i, block in enumerate(blocks):
        if block["type"] != "paragraph":
            continue
        m = STORY_CODE.search(_block_text(block))
        if m:
            page.story_code = re.sub(r"\s+", " ", m.group("code")).strip()
            value = re.sub(
                r"\s*\bENDS?\s+"
                + r"\s+".join(map(re.escape, m.group("code").split()))
                + r"\s*(</p>)?\s*$",
                lambda mm: mm.group(1) or "",
                block["value"],
            )
            block["value"] = value
            blocks = blocks[: i + 1] if plain_text(value) else blocks[:i]
            break
    blocks = [b for b in blocks if b["type"] != "paragraph" or _block_text(b)]
    # Pull quotes: a short paragraph repeating a nearby longer one.
    words = [_words(_block_text(b)) for b in blocks]
    for i, block in enumerate(blocks):
        if block["type"] != "paragraph":
            continue
        text = _block_text(block)
        if len(text) > PULL_QUOTE_MAX_CHARS:
            continue
        lo, hi = max(0, i - PULL_QUOTE_WINDOW), min(len(blocks), i + PULL_QUOTE_WINDOW + 1)
        if any(j != i and _repeats(words[i], words[j]) for j in range(lo, hi)):
            blocks[i] = {"type": "pull_quote", "value": {"text": text, "attribution": ""}}
    page.body = merge_paragraphs(blocks)
    return page


def _strip_prefix_html(html: str, n_chars: int) -> str:
    """Remove the first ``n_chars`` characters of text from a ``<p>…</p>`` paragraph whose
    text starts with a dateline (tags before the text are kept)."""
    text = plain_text(html)
    rest = text[n_chars:].lstrip()
    if not rest:
        return ""
    # Find where the rest starts in the HTML: after the dateline's closing ")" or dash.
    m = re.search(re.escape(rest[:20].replace("\n", " ")), html)
    if m:
        head = re.match(r"^(\s*(?:<[^>]+>\s*)*)", html)
        prefix = head.group(1) if head else ""
        return prefix + html[m.start() :]
    return f"<p>{rest}</p>"


# -- extraction -----------------------------------------------------------------------------


def extract_page(
    data: bytes | str, url: str = "", find_image: Callable[[str], Path | None] | None = None
) -> ArchivedPage:
    """Extract an archived article page (HTML bytes or text) into an :class:`ArchivedPage`,
    news rules applied: structured data first (:mod:`broadsheet.importers.pagemeta`), then
    trafilatura and htmldate. Links in the body are kept (``page.links`` lists them). Raises
    ``ValueError`` when no article text can be found."""
    import trafilatura
    from htmldate import find_date

    if isinstance(data, bytes):
        data = detect_undeclared(data, html=True).data  # an undeclared legacy encoding
    raw = data
    tree = trafilatura.load_html(data)
    if tree is None:
        raise ValueError("not an HTML page")
    meta = read_meta(tree, url)
    extracted = trafilatura.bare_extraction(
        raw, url=url or None, with_metadata=True, include_comments=False
    )
    body_html = trafilatura.extract(
        raw,
        url=url or None,
        output_format="html",
        include_comments=False,
        include_images=True,
        include_formatting=True,
        include_tables=True,
        include_links=True,
    )
    if not body_html:
        raise ValueError("no article text found")
    body_html = strip_control_characters(body_html)
    info = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    h1s = [(h, squash(strip_control_characters(h.text_content()))) for h in tree.iter("h1")]
    headline = choose_headline(meta, h1s, squash(info.get("title")))
    headline = strip_control_characters(headline)
    published = meta.published
    if published is None:
        found = find_date(raw, url=url or None, original_date=True, extensive_search=True)
        if found:
            day = dt.date.fromisoformat(found[:10])
            published = dt.datetime.combine(
                day, dt.time(12), tzinfo=timezone.get_current_timezone()
            )
    authors = meta.authors or [
        name
        for name in (
            clean_author(a, meta.site_names)
            for a in re.split(r";|\s+and\s+", info.get("author") or "")
        )
        if name
    ]
    body, missing = html_to_blocks(body_html, find_image=find_image, merge=False)
    name, rest = take_byline_line(body, meta.site_names)
    if name and (not authors or name.casefold() in {a.casefold() for a in authors}):
        authors, body = authors or [name], rest  # the byline is shown above the text
    # trafilatura keeps images but drops their <figcaption>: take it from the page.
    captions = {
        img.get("src"): re.sub(r"\s+", " ", cap.text_content()).strip()
        for figure in tree.iter("figure")
        for cap in figure.iter("figcaption")
        for img in figure.iter("img")
        if img.get("src")
    }
    for block in body:
        if block["type"] == "image" and not block["value"]["caption"]:
            block["value"]["caption"] = captions.get(block["value"]["src"], "")[:500]
    page = ArchivedPage(
        headline=headline[:255],
        published=published,
        authors=[strip_control_characters(a) for a in authors],
        standfirst=strip_control_characters(
            squash(meta.description or info.get("description") or "")
        ),
        url=meta.url or info.get("url") or url,
        lead_image_url=info.get("image") or "",
        body=body,
        missing_images=missing,
    )
    return apply_news_rules(page)


def iter_html_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every ``*.html`` / ``*.htm`` file under the given files and folders, sorted."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(
                q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in (".html", ".htm")
            )
        else:
            yield p


def page_identity(page: ArchivedPage) -> tuple[str, str]:
    """``(source, entry)`` of an archived page: ``html:<host>`` and its canonical URL (without
    fragment); a page that names no URL is ``html:`` and a hash of its headline, date and
    text."""
    if page.url:
        parts = urlsplit(page.url)
        host = (parts.hostname or "").removeprefix("www.")
        return f"html:{host}", urlunsplit(parts._replace(fragment=""))
    text = "".join(_block_text(b) for b in page.body[:3])
    return "html:", content_key(page.headline, str(page.published or ""), text)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def rewrite_links(
    blocks: list[dict[str, Any]], base_url: str, lookup: Callable[[str], str | None]
) -> bool:
    """Resolve the links of paragraph blocks against ``base_url`` and point those whose
    target was imported too (``lookup(absolute URL)`` gives its new URL) at the new story;
    other links stay, as external links. Changes ``blocks`` in place; True if anything
    changed."""
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        href = html_lib.unescape(m.group(1))
        absolute = urljoin(base_url, href) if base_url else href
        target = lookup(absolute) if absolute.startswith(("http://", "https://")) else None
        new = target or absolute
        if new != href:
            changed = True
        return f'href="{html_lib.escape(new)}"'

    for block in blocks:
        if block["type"] == "paragraph":
            block["value"] = re.sub(r'href="([^"]*)"', fix, block["value"])
    return changed


def save_archived_page(
    page: ArchivedPage,
    path: Path,
    section: list[str],
    media: MediaFolder | None = None,
    report: ImportReport | None = None,
    dry_run: bool = False,
) -> tuple[StoryPage | None, bool]:
    """Save an extracted page as a published story, found again by its site and canonical
    URL (:func:`page_identity`), with a redirect from its old URL's path. Returns
    ``(story, created)`` (``story`` is ``None`` in a dry run of a new page)."""
    report = report if report is not None else ImportReport()
    lead_file = media.find(page.lead_image_url) if (media and page.lead_image_url) else None
    sf = StoryFile(
        path=path,
        headline=page.headline,
        slug=fit_slug(page.headline) or fit_slug(path.stem),
        section=section,
        published=page.published,
        standfirst=page.standfirst,
        authors=page.authors,
        dateline_place=page.dateline_place[:120],
        dateline_agency=page.dateline_agency[:60],
        story_code=page.story_code[:120],
        live=True,
        lead_image={"file": str(lead_file)} if lead_file else None,
        body=page.body,
    )
    source, entry = page_identity(page)
    saved = save_imported_story(sf, source, entry, report, str(path), dry_run=dry_run)
    story = saved.story
    if story is not None and page.url and not dry_run:
        from wagtail.contrib.redirects.models import Redirect

        old = Redirect.normalise_path(page.url)
        new = Redirect.normalise_path(story.get_url() or "")
        if old not in ("", "/") and old != new and len(old) <= 255:
            Redirect.objects.update_or_create(
                old_path=old, site=None, defaults={"redirect_page": story, "redirect_link": ""}
            )
    return story, saved.action == "created"


def _link_lookup() -> Callable[[str], str | None]:
    """Old URL → new story URL for every archived page imported so far."""
    from .models import ImportedStory

    known = {
        _url_key(o.entry): o.story
        for o in ImportedStory.objects.filter(source__startswith="html:").select_related("story")
        if o.entry.startswith(("http://", "https://"))
    }

    def lookup(url: str) -> str | None:
        story = known.get(_url_key(url))
        return story.get_url() if story is not None else None

    return lookup


def import_html_pages(
    paths: Iterable[Path | str],
    section: list[str] | None = None,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import archived article pages as published stories in ``section`` (title path,
    default ``["Archive"]``), found again by site and canonical URL. Links between pages
    imported (now or before) are rewritten to the new stories. A page without article text
    or headline is reported and the rest goes on."""
    report = ImportReport()
    media = MediaFolder(media_dir)
    section = section or ["Archive"]
    files = list(iter_html_paths(paths))
    report.items["page"] += len(files)
    saved: list[tuple[StoryPage, str]] = []
    with deferred():  # the listings are re-indexed once, at the end
        _import_pages(files, section, media, dry_run, progress, report, saved)
    if saved:
        lookup = _link_lookup()
        for story, url in saved:
            story = StoryPage.objects.get(pk=story.pk)
            blocks = list(story.body.raw_data)
            if rewrite_links(blocks, url, lookup):
                story.body = blocks
                story.save_revision().publish()
                report.count("stories with links rewritten")
    return report


def _import_pages(
    files: list[Path],
    section: list[str],
    media: MediaFolder,
    dry_run: bool,
    progress: Progress | None,
    report: ImportReport,
    saved: list[tuple[StoryPage, str]],
) -> None:
    for path in progress(files) if progress else files:
        place = str(path)
        try:
            data = path.read_bytes()
            page = extract_page(data, find_image=media.find)
        except (OSError, ValueError) as exc:
            report.fail(place, str(exc))
            continue
        if not page.headline:
            report.fail(place, "no headline found")
            continue
        if looks_like_mojibake(page.headline):
            report.fail(place, f"headline {page.headline[:60]!r} looks like a wrong encoding")
            continue
        if page.published is None:
            report.warn(place, "no publication date found")
        elif page.published.year < 1970:
            report.warn(place, f"date {page.published.date()} is before 1970: check it")
        if page.missing_images:
            report.warn(place, f"{len(page.missing_images)} image(s) without a local file")
        try:
            with transaction.atomic():
                story, _ = save_archived_page(page, path, section, media, report, dry_run)
        except Exception as exc:  # reported per page, the rest goes on
            report.fail(place, str(exc))
            continue
        report.count("stories")
        if story is not None and not dry_run:
            saved.append((story, page.url))
