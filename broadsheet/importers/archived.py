"""``broadsheet import html PATH…``: archived article pages (saved pages, Wayback Machine
copies) into stories.

trafilatura finds the article in the page (body, title, byline, description, lead image) and
htmldate its date; both are well kept and beat anything we would write. What they do not know
is the news trade: the page's structured data and title rules are in
:mod:`~broadsheet.importers.pagemeta`, the date and byline shown under the headline in
:mod:`~broadsheet.importers.pagehead`, the byline line in :mod:`~broadsheet.importers.byline`,
the rules on the body (datelines, story codes, pull quotes, boilerplate, agreement with
trafilatura's plain reading) in :mod:`~broadsheet.importers.newsrules`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from broadsheet.content.newsroom.models import StoryPage, fit_slug
from broadsheet.site.listings import deferred

from .byline import marked_byline, take_byline_line
from .encoding import detect_undeclared, looks_like_mojibake, strip_control_characters
from .htmlbody import html_to_blocks
from .identity import content_key, save_imported_story
from .names import clean_author, split_names
from .newsrules import ArchivedPage, apply_news_rules, block_text, keep_agreed_text
from .pagehead import (
    first_time_date,
    labelled_date,
    shown_author_links,
    shown_bylines,
    shown_date,
    shown_standfirst,
)
from .pagelinks import (  # noqa: F401 - iter_html_paths, rewrite_links: this module's API too
    absolute_links,
    document_base,
    iter_html_files,
    iter_html_paths,
    link_lookup,
    page_url,
    rewrite_links,
)
from .pagemeta import PageMeta, choose_headline, read_meta, squash
from .report import ImportReport
from .storyformat import StoryFile
from .storysave import ensure_imported_section
from .wxr import MediaFolder

Progress = Callable[[Iterable[Any]], Iterable[Any]]
# Soft hyphens: the source's hyphenation hints, invisible, but they split words for search.
SOFT_HYPHEN = re.compile(r"\u00ad|&shy;|&#173;|&#xad;", re.I)

# -- extraction -----------------------------------------------------------------------------


def extract_page(
    data: bytes | str, url: str = "", find_image: Callable[[str], Path | None] | None = None
) -> ArchivedPage:
    """Extract an archived article page (HTML bytes or text) into an :class:`ArchivedPage`,
    news rules applied. The date: the one shown under the headline, then the structured
    data's (:mod:`broadsheet.importers.pagemeta`), then the first ``<time>`` element's or a
    date labelled as the publication (:mod:`broadsheet.importers.pagehead`), then htmldate's.
    The authors (:func:`choose_authors`): the structured data's, or the byline shown under
    the headline, or the links to authors' pages there, then the JSON-LD's ``@id``-referenced
    account, then trafilatura's, then an element marked as the byline, then a byline line
    opening the text.
    ``url`` is the page's address when known (htmldate reads dates in it): the body's links
    and images are resolved against it (or the page's ``<base href>``, else its canonical
    link), so a relative link comes out absolute. Raises ``ValueError`` when no article text
    can be found."""
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
    # No URL here: trafilatura would resolve links against the site's root, not the page's
    # folder ("b.html" in /2010/a.html → /b.html); absolute_links resolves them below.
    body_html = trafilatura.extract(
        raw,
        output_format="html",
        include_comments=False,
        include_images=True,
        include_formatting=True,
        include_tables=True,
        include_links=True,
    )
    if not body_html:
        raise ValueError("no article text found")
    base = document_base(tree, url or meta.url)
    body_html = absolute_links(SOFT_HYPHEN.sub("", strip_control_characters(body_html)), base)
    info = extracted.as_dict() if hasattr(extracted, "as_dict") else (extracted or {})
    h1s = [(h, squash(strip_control_characters(h.text_content()))) for h in tree.iter("h1")]
    headline = choose_headline(meta, h1s, squash(info.get("title")))
    headline = strip_control_characters(headline)
    head = headline_h1(h1s, headline)
    shown = shown_date(head) if head is not None else None
    published = meta.published
    if shown is not None and (published is None or published.date() != shown):
        published = _noon(shown)  # the date the page shows its readers
    if published is None:
        day = first_time_date(tree) or labelled_date(tree)
        published = _noon(day) if day else None
    if published is None:
        found = find_date(raw, url=url or None, original_date=True, extensive_search=True)
        if found:
            published = _noon(dt.date.fromisoformat(found[:10]))
    authors = choose_authors(meta, head, info.get("author") or "") or marked_byline(
        tree, meta.publisher_names
    )
    body, missing = html_to_blocks(body_html, find_image=find_image, merge=False)
    body = keep_agreed_text(body, info.get("text") or "")
    names, rest = take_byline_line(body, meta.publisher_names)
    if names and (not authors or {n.casefold() for n in names} & {a.casefold() for a in authors}):
        authors, body = authors or names, rest  # the byline is shown above the text
    # The standfirst the page shows under its headline, else the description it declares;
    # a first paragraph that repeats it is the standfirst, not the story's text.
    standfirst = SOFT_HYPHEN.sub("", shown_standfirst(head) if head is not None else "") or (
        meta.description or info.get("description") or ""
    )
    if body and body[0]["type"] == "paragraph" and _key(block_text(body[0])) == _key(standfirst):
        body = body[1:]
    # trafilatura keeps images but drops their <figcaption>: take it from the page.
    captions = {
        urljoin(base, img.get("src")): re.sub(r"\s+", " ", cap.text_content()).strip()
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
        standfirst=strip_control_characters(squash(standfirst)),
        url=meta.url or info.get("url") or url,
        lead_image_url=info.get("image") or "",
        body=body,
        missing_images=missing,
    )
    return apply_news_rules(page)


def choose_authors(meta: PageMeta, head: Any | None, found: str) -> list[str]:
    """The page's authors: the structured data's (``meta.authors``) — or the byline shown
    under the headline ``head`` when it names them and co-authors besides (the metadata
    often keeps only the first) —, else the shown byline, else the links to authors' pages
    under the headline, else the structured data's author only referenced by ``@id`` (the
    CMS account that posted the story, which a shown byline corrects), else ``found``
    (trafilatura's, "A; B and C"; not a part of a declared name refused as the site's or an
    organisation's, which trafilatura may read again, cut in pieces)."""
    names = meta.publisher_names
    shown: list[str] = []
    if head is not None:
        for candidates in (shown_bylines(head), shown_author_links(head)):
            shown = [n for n in dict.fromkeys(clean_author(c, names) for c in candidates) if n]
            if shown:
                break
    declared = [a.casefold() for a in meta.authors]
    if meta.authors and not set(declared) <= {n.casefold() for n in shown}:
        return meta.authors
    if shown:
        return shown
    if meta.account_authors:
        return meta.account_authors
    refused = [set(re.findall(r"\w+", r.casefold())) for r in meta.refused_authors]
    return [
        n
        for n in dict.fromkeys(clean_author(a, names) for a in split_names(found))
        # trafilatura reads <meta name="author"> too: a part of a name refused there stays out
        if n and not any(set(re.findall(r"\w+", n.casefold())) <= r for r in refused)
    ]


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def headline_h1(h1s: list[tuple[Any, str]], headline: str) -> Any | None:
    """The ``<h1>`` element that shows ``headline`` (its text is the headline, or ends with
    it after a kicker), else ``None``."""
    key = re.sub(r"[\W_]+", "", headline.casefold())
    for el, text in h1s:
        if key and re.sub(r"[\W_]+", "", text.casefold()).endswith(key):
            return el
    return None


def page_identity(page: ArchivedPage) -> tuple[str, str]:
    """``(source, entry)`` of an archived page: ``html:<host>`` and its canonical URL (without
    fragment); a page that names no URL is ``html:`` and a hash of its headline, date and
    text."""
    if page.url:
        parts = urlsplit(page.url)
        host = (parts.hostname or "").removeprefix("www.")
        return f"html:{host}", urlunsplit(parts._replace(fragment=""))
    text = "".join(block_text(b) for b in page.body[:3])
    return "html:", content_key(page.headline, str(page.published or ""), text)


def save_archived_page(
    page: ArchivedPage,
    path: Path,
    section: list[str],
    media: MediaFolder | None = None,
    report: ImportReport | None = None,
    dry_run: bool = False,
) -> tuple[StoryPage | None, str]:
    """Save an extracted page as a published story, found again by its site and canonical
    URL (:func:`page_identity`), with a redirect from its old URL's path. Returns
    ``(story, action)``: ``"created"``, ``"updated"`` or ``"unchanged"`` (``story`` is
    ``None`` in a dry run of a new page)."""
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
            redirect = Redirect.objects.filter(old_path=old, site=None).first()
            if redirect is None or (redirect.redirect_page_id, redirect.redirect_link) != (
                story.pk,
                "",
            ):  # written when missing or pointing elsewhere only
                redirect = redirect or Redirect(old_path=old, site=None)
                redirect.redirect_page, redirect.redirect_link = story, ""
                redirect.save()
    return story, saved.action


def import_html_pages(
    paths: Iterable[Path | str],
    section: list[str] | None = None,
    media_dir: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    base_url: str = "",
) -> ImportReport:
    """Import archived article pages as published stories in ``section`` (title path,
    default ``["Archive"]``; made out of the navigation when missing), found again by site
    and canonical URL. Each page is read with its address (:func:`page_url`: ``base_url``
    joined with the file's path in the folder given, else the browser's "saved from url"
    mark), so its relative links come out absolute; links between pages imported (now or
    before) are rewritten to the new stories. A page without article text or headline is
    reported and the rest goes on."""
    report = ImportReport()
    media = MediaFolder(media_dir)
    section = section or ["Archive"]
    files = list(iter_html_files(paths))
    report.items["page"] += len(files)
    saved: list[tuple[StoryPage, str, str]] = []
    if files and not dry_run:
        # an imported section stays out of the navigation until an editor puts it there
        ensure_imported_section(section, report, str(files[0][0]))
    with deferred():  # the listings are re-indexed once, at the end
        _import_pages(files, section, media, dry_run, progress, report, saved, base_url)
    if saved:
        lookup = link_lookup()
        for story, url, action in saved:
            story = StoryPage.objects.get(pk=story.pk)
            blocks = list(story.body.raw_data)
            if rewrite_links(blocks, url, lookup, resolved=action == "unchanged"):
                story.body = blocks
                story.save_revision().publish()
                report.count("stories with links rewritten")
    return report


def _import_pages(
    files: list[tuple[Path, Path | None]],
    section: list[str],
    media: MediaFolder,
    dry_run: bool,
    progress: Progress | None,
    report: ImportReport,
    saved: list[tuple[StoryPage, str, str]],
    base_url: str,
) -> None:
    for path, root in progress(files) if progress else files:
        place = str(path)
        try:
            data = path.read_bytes()
            url = page_url(path, root, base_url, data)
            page = extract_page(data, url=url, find_image=media.find)
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
                story, action = save_archived_page(page, path, section, media, report, dry_run)
        except Exception as exc:  # reported per page, the rest goes on
            report.fail(place, str(exc))
            continue
        report.count("stories")
        if story is not None and not dry_run:
            saved.append((story, page.url, action))
