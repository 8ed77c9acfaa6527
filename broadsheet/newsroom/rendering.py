"""The one renderer of reader pages, shared by live views and the baker.

:class:`Renderer` turns plain data from a source (:class:`~.catalogue.LiveSource`) into HTML
with Jinja2 templates (``broadsheet/templates/reader/``). It needs no request: whatever a page
shows comes from the source, so a page rendered for a reader and the file baked for the same URL
are the same bytes.

Why our own code: reader pages are the product; Jinja2 renders them in bulk about twice as fast
as Django templates (measured on these machines, see docs/performance.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from django.conf import settings
from django.templatetags.static import static
from django.utils import dateformat, timezone, translation
from markupsafe import Markup

from broadsheet.discussion.pages import FILTERS as DISCUSSION_FILTERS
from broadsheet.discussion.pages import DiscussionPages
from broadsheet.syndication.head import head_context

from .catalogue import LiveSource, Scope, SectionRef, StoryCard

TEMPLATE_DIR = settings.PACKAGE_DIR / "templates" / "reader"


class NotFound(LookupError):
    """The URL names no public page (the view answers 404)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page: HTTP status, public URL path and the HTML document."""

    status: int
    path: str
    html: str


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the newsroom's time zone."""
    return timezone.localtime(value)


def long_date(value: dt.datetime | None) -> str:
    """ "Monday, June 18, 2007" in the newsroom's time zone."""
    return _long_date(local(value).date(), translation.get_language()) if value else ""


@lru_cache(maxsize=8192)
def _long_date(day: dt.date, language: str | None) -> str:
    # cached per day and language: Django's dateformat is a hot spot of bulk rendering
    return dateformat.format(day, "l, F j, Y")


def dateline_date(value: dt.datetime | None) -> str:
    """ "18 June", the date as a dateline gives it."""
    return dateformat.format(local(value), "j F") if value else ""


def iso(value: dt.datetime | None) -> str:
    """RFC 3339 / ISO 8601 timestamp for ``<time datetime>`` (machine-readable, UTC offset)."""
    return local(value).isoformat(timespec="seconds") if value else ""


def dateline_text(place: str, agency: str, published: dt.datetime | None) -> str:
    """The dateline that opens the body: "Paris, 18 June (IPS) –". Empty without a place."""
    if not place:
        return ""
    text = f"{place}, {dateline_date(published)}" if published else place
    if agency:
        text += f" ({agency})"
    return text + " –"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the reader templates (autoescaping on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(static=static, month_name=lambda m: calendar.month_name[m])
    env.filters.update(long_date=long_date, iso=iso, dateline_date=dateline_date)
    env.filters.update(DISCUSSION_FILTERS)
    return env


def page_numbers(total: int, size: int) -> int:
    """How many numbered pages a listing of ``total`` stories has (pages of ``size``)."""
    return math.ceil(total / size) if total else 0


class Renderer(DiscussionPages):
    """Renders every kind of reader page from ``source``.

    Every method returns :class:`Rendered` or raises :class:`NotFound`.
    """

    def __init__(self, source: LiveSource | None = None) -> None:
        self.source = source or LiveSource()
        self.env = environment()
        self.page_size: int = settings.BROADSHEET_PAGE_SIZE

    # -- plumbing --------------------------------------------------------------------------
    def render(self, template: str, path: str, status: int = 200, **context: Any) -> Rendered:
        site = self.source.site_info()
        section: SectionRef | None = context.get("section")
        base = {
            "site": site,
            "path": path,
            "canonical_url": site.base_url + path,
            "lang": site.language,
            "dir": site.direction,
            "nav_sections": self.source.top_sections(),
            "tips": self.source.tips(section),
            "section": section,
        }
        base.update(context)
        base.update(head_context(template, base))  # feeds, social tags, JSON-LD
        html = self.env.get_template(template).render(base)
        return Rendered(status, path, html)

    def listing(self, scope: Scope, base_url: str, number: int | None) -> dict[str, Any]:
        """One page of a listing, with the non-cascading numbering (docs/baking.md): the front
        (``number`` None) shows the newest stories; numbered pages count from the oldest."""
        size = self.page_size
        total = self.source.count(scope)
        pages = page_numbers(total, size)
        if number is None:
            stories = self.source.latest(size, scope)
            older = (total - size - 1) // size + 1 if total > size else None
            newer = None
        else:
            if number < 1 or number > pages:
                raise NotFound(f"page {number} of {base_url}")
            stories = self.source.oldest_first(scope, (number - 1) * size, number * size)
            older = number - 1 if number > 1 else None
            newer = number + 1 if number < pages else 0  # 0: the front

        def link(n: int | None) -> str | None:
            if n is None:
                return None
            return base_url if n == 0 else f"{base_url}page/{n}/"

        return {
            "stories": stories,
            "total": total,
            "number": number,
            "pages": pages,
            "older_url": link(older),
            "newer_url": link(newer),
        }

    # -- pages -----------------------------------------------------------------------------
    def front_page(self) -> Rendered:
        """The front page: the editor's top stories, the latest stories, then a block per
        top-level section."""
        top = self.source.top_stories()
        top_ids = {c.id for c in top}
        latest = [c for c in self.source.latest(self.page_size) if c.id not in top_ids]
        blocks = [
            (section, self.source.latest(4, Scope("section", section=section)))
            for section in self.source.top_sections()
        ]
        return self.render(
            "front.html", "/", top=top, lead=latest[:5], latest=latest[5:], blocks=blocks
        )

    def section_front(self, section_id: int, number: int | None = None) -> Rendered:
        """A section front (``number`` None) or one of its numbered pages."""
        section = self.source.sections().get(section_id)
        if section is None:
            raise NotFound(f"section {section_id}")
        listing = self.listing(Scope("section", section=section), section.url, number)
        subsections = [s for s in self.source.sections().values() if s.parent_id == section.id]
        path = section.url if number is None else f"{section.url}page/{number}/"
        parents = self.parents(section)
        return self.render(
            "section.html",
            path,
            section=section,
            subsections=subsections,
            parents=parents,
            **listing,
        )

    def parents(self, section: SectionRef) -> list[SectionRef]:
        """The section's ancestors, outermost first (for breadcrumbs)."""
        chain: list[SectionRef] = []
        sections = self.source.sections()
        current = sections.get(section.parent_id) if section.parent_id else None
        while current is not None:
            chain.insert(0, current)
            current = sections.get(current.parent_id) if current.parent_id else None
        return chain

    def story(self, page: Any, preview: bool = False) -> Rendered:
        """A story page: headline, standfirst, byline, dates, dateline, body, story code, tags,
        comments state and the stories of the same section published around it."""
        try:
            story = self.source.story(page, preview=preview)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        card = story.card
        more = self.source.neighbours(card, Scope("section", section=card.section))
        dateline = dateline_text(story.dateline_place, story.dateline_agency, card.published_at)
        return self.render(
            "story.html",
            card.url,
            story=story,
            card=card,
            section=card.section,
            parents=self.parents(card.section),
            more=more,
            dateline=dateline,
            body=self.body_with_dateline(story.body, dateline),
            discussion=self.story_discussion(story),
        )

    @staticmethod
    def body_with_dateline(body: tuple[dict[str, Any], ...], dateline: str) -> list[dict[str, Any]]:
        """Put the dateline at the start of the first paragraph ("Paris, 18 June (IPS) – The…").

        If the body does not start with a paragraph, the dateline gets a paragraph of its own.
        """
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

    def info_page(self, page: Any) -> Rendered:
        from .catalogue import page_url_from_url_path, rich_text_html

        path = page_url_from_url_path(page.url_path, self.source.root_url_path)
        return self.render("info.html", path, page_title=page.title, body=rich_text_html(page.body))

    def latest(self) -> Rendered:
        """ "Latest articles": the newest stories across the site."""
        stories = self.source.latest(settings.BROADSHEET_LATEST_COUNT)
        return self.render(
            "listing.html", "/latest/", title="Latest articles", stories=stories, kind="latest"
        )

    def archive_index(self) -> Rendered:
        """Every year and month with stories."""
        years: dict[int, list[tuple[int, int]]] = {}
        for year, month, n in self.source.month_counts():
            years.setdefault(year, []).append((month, n))
        return self.render("archive_index.html", "/archives/", years=years)

    def archive_year(self, year: int) -> Rendered:
        months = [(m, n) for y, m, n in self.source.month_counts() if y == year]
        if not months:
            raise NotFound(f"no stories in {year}")
        return self.render("archive_year.html", f"/archives/{year:04d}/", year=year, months=months)

    def archive_month(self, year: int, month: int) -> Rendered:
        start, end = month_bounds(year, month)
        stories = self.source.between(start, end)
        if not stories:
            raise NotFound(f"no stories in {year}-{month}")
        days: dict[int, list[StoryCard]] = {}
        for card in stories:
            days.setdefault(local(card.published_at).day, []).append(card)
        return self.render(
            "archive_month.html",
            f"/archives/{year:04d}/{month:02d}/",
            year=year,
            month=month,
            days=days,
        )

    def archive_day(self, year: int, month: int, day: int) -> Rendered:
        try:
            date = dt.date(year, month, day)
        except ValueError as exc:
            raise NotFound(str(exc)) from exc
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(date, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        stories = self.source.between(start, end)
        if not stories:
            raise NotFound(f"no stories on {date}")
        return self.render(
            "listing.html",
            f"/archives/{year:04d}/{month:02d}/{day:02d}/",
            kind="day",
            title=f"Stories of {long_date(start)}",
            stories=stories,
            date=date,
            year=year,
            month=month,
        )

    def authors_index(self) -> Rendered:
        return self.render("authors.html", "/authors/", authors=self.source.authors())

    def author(self, slug: str, number: int | None = None) -> Rendered:
        author = self.source.author(slug)
        if author is None:
            raise NotFound(f"author {slug}")
        listing = self.listing(Scope("author", author=author), author.url, number)
        path = author.url if number is None else f"{author.url}page/{number}/"
        return self.render(
            "author.html", path, author=author, author_form=self.author_form(author), **listing
        )

    def tags_index(self) -> Rendered:
        return self.render("tags.html", "/tags/", tags=self.source.tags())

    def tag(self, slug: str, number: int | None = None) -> Rendered:
        tag = self.source.tag(slug)
        if tag is None:
            raise NotFound(f"tag {slug}")
        listing = self.listing(Scope("tag", tag=tag), tag.url, number)
        path = tag.url if number is None else f"{tag.url}page/{number}/"
        return self.render("listing.html", path, kind="tag", title=tag.name, tag=tag, **listing)

    def error(self, status: int, path: str = "/") -> Rendered:
        """The 404 (not found) or 410 (gone) page."""
        return self.render("error.html", path, status=status, error_status=status)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a month in the newsroom's time zone.

    Raises :class:`NotFound` for an impossible month."""
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        raise NotFound(f"no month {year}-{month}")
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end
