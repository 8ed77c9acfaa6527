"""The newsroom's reader pages: front page, section fronts and their numbered pages, stories,
information pages, "Latest articles", archives by year, month and day, authors, tags, and the
404/410 pages — each a page kind (render, the pages that exist) declared in :mod:`.apps`.

Listings number their pages **from the oldest** story (docs/baking.md): page 1 holds the
oldest stories, so a new story changes only a listing's front and its newest numbered page,
never renumbers the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from broadsheet.site import dates
from broadsheet.site.bodies import body_with_dateline
from broadsheet.site.build import Build
from broadsheet.site.data import ALL, Node, Scope, SectionRef, StoryCard
from broadsheet.site.dates import dateline_text, day_bounds, long_date
from broadsheet.site.editions import alternates, local_path
from broadsheet.site.registry import NotFound, Rendered

LATEST_COUNT_SETTING = "BROADSHEET_LATEST_COUNT"


def page_numbers(total: int, size: int) -> int:
    """How many numbered pages a listing of ``total`` stories has (pages of ``size``)."""
    return math.ceil(total / size) if total else 0


def listing(
    build: Build, scope: Scope, front: str, number: int | None, page_kind: str, **key: Any
) -> dict[str, Any]:
    """One page of a listing: the front (``number`` None) shows the newest stories; numbered
    pages count from the oldest. ``front`` is the listing's front URL, ``page_kind`` and
    ``key`` build its numbered pages' URLs. Raises :class:`NotFound` past the last page."""
    size = build.ctx.page_size
    read = build.read
    total = read.count(scope)
    pages = page_numbers(total, size)
    if number is None:
        stories = read.latest(size, scope)
        older = (total - size - 1) // size + 1 if total > size else None
        newer = None
    else:
        if number < 1 or number > pages:
            raise NotFound(f"page {number} of {front}")
        stories = read.oldest_first(scope, (number - 1) * size, number * size)
        older = number - 1 if number > 1 else None
        newer = number + 1 if number < pages else 0  # 0: the front

    def link(n: int | None) -> str | None:
        if n is None:
            return None
        return front if n == 0 else build.url(page_kind, number=n, **key)

    return {
        "stories": stories,
        "total": total,
        "number": number,
        "pages": pages,
        "older_url": link(older),
        "newer_url": link(newer),
    }


def node(build: Build, path: str, kind: str) -> Node:
    """The tree node at ``/<path>/`` if it is of ``kind``, else :class:`NotFound`."""
    key = f"node:/{path}/"
    found = build.cache.get(key) or build.read.node(f"/{path}/")
    if found is None or found.kind != kind:
        raise NotFound(f"/{path}/ is no {kind}")
    return found


def parents(build: Build, section: SectionRef) -> list[SectionRef]:
    """The section's ancestors, outermost first (breadcrumbs)."""
    chain: list[SectionRef] = []
    sections = build.read.sections()
    current = sections.get(section.parent_id) if section.parent_id else None
    while current is not None:
        chain.insert(0, current)
        current = sections.get(current.parent_id) if current.parent_id else None
    return chain


def tree_path(url: str) -> str:
    """The ``path`` param of a tree page from its public URL (``/iran/x/`` → ``iran/x``)."""
    return local_path(url).strip("/")


# -- front page and sections ---------------------------------------------------------------------
FRONT_LEAD_COUNT = 5  # the lead story and the latest stories beside it
FRONT_BLOCK_COUNT = 4  # stories in a section's block


def front(build: Build) -> Rendered:
    """The front page: the editors' top stories, the lead story and the latest beside it, a
    block per top section, then more of the newest stories.

    No story is shown twice (the blocks and "More stories" used to repeat most of the latest
    stories): each list takes only stories not yet shown above it, in this order — top
    stories; the latest (but the leads editors chose for a section's block, kept for their
    block); each section's block (its chosen lead, then its newest not shown); "More stories"
    (the newest ``page_size`` stories of the front not shown in any of these). Each read asks
    for at most as many more stories as have been shown, so the page costs the same bounded
    queries whatever the size of the archive."""
    read, size = build.read, build.ctx.page_size
    top = read.top_stories()
    shown = {c.id for c in top}
    sections = read.top_sections()
    leads = {}
    for section in sections:
        lead = section_lead(build, section)
        if lead is not None and lead.on_front and lead.id not in shown:
            leads[section.id] = lead
    reserved = shown | {c.id for c in leads.values()}
    newest = read.latest(size + len(reserved), Scope.front())
    lead = [c for c in newest if c.id not in reserved][:FRONT_LEAD_COUNT]
    shown |= {c.id for c in lead}
    blocks = []
    for section in sections:
        chosen = leads.get(section.id)
        cards = [chosen] if chosen is not None else []
        shown |= {c.id for c in cards}
        wanted = FRONT_BLOCK_COUNT - len(cards)
        found = read.latest(wanted + len(shown), Scope.front_section(section))
        cards += [c for c in found if c.id not in shown][:wanted]
        shown |= {c.id for c in cards}
        blocks.append((section, cards))
    more = [c for c in newest if c.id not in shown][: max(size - FRONT_LEAD_COUNT, 0)]
    return build.render(
        "front.html", build.url("front"), top=top, lead=lead, latest=more, blocks=blocks
    )


def section_lead(build: Build, section: SectionRef) -> StoryCard | None:
    """The lead story an editor chose for ``section``, if it is public and in the section or
    one of its subsections; else ``None``."""
    if section.lead_id is None:
        return None
    found = build.read.cards([section.lead_id])
    if not found or not found[0].url.startswith(section.url):
        return None
    return found[0]


def _section(build: Build, section_id: int, number: int | None) -> Rendered:
    section = build.read.sections().get(section_id)
    if section is None:
        raise NotFound(f"section {section_id}")
    lead = section_lead(build, section) if number is None else None
    data = listing(
        build,
        Scope.section(section),
        section.url,
        number,
        "section-page",
        path=tree_path(section.url),
    )
    if lead is not None:  # first on the section front, whatever its date
        others = build.read.latest(build.ctx.page_size - 1, Scope.section(section), lead.id)
        data["stories"] = [lead, *others]
    subsections = [s for s in build.read.sections().values() if s.parent_id == section.id]
    path = (
        section.url
        if number is None
        else build.url("section-page", path=tree_path(section.url), number=number)
    )
    return build.render(
        "section.html",
        path,
        section=section,
        subsections=subsections,
        parents=parents(build, section),
        **data,
    )


def section_front(build: Build, path: str) -> Rendered:
    return _section(build, node(build, path, "section").id, None)


def section_page(build: Build, path: str, number: int) -> Rendered:
    found = build.read.node(f"/{path}/")
    if found is None or found.kind != "section":
        raise NotFound(path)
    return _section(build, found.id, number)


def section_paths(build: Build) -> Iterable[dict[str, Any]]:
    for s in build.read.sections().values():
        yield {"path": tree_path(s.url)}


def section_page_paths(build: Build) -> Iterable[dict[str, Any]]:
    size = build.ctx.page_size
    for s in build.read.sections().values():
        for n in range(1, page_numbers(build.read.count(Scope.section(s)), size) + 1):
            yield {"path": tree_path(s.url), "number": n}


# -- stories ---------------------------------------------------------------------------------------
def render_story(build: Build, story: Any) -> Rendered:
    """A story page: headline, standfirst, byline, dates, dateline, body, story code, tags,
    and the stories of its section published around it."""
    card = story.card
    more = build.read.neighbours(card, Scope.section(card.section)) if card.id else []
    dateline = dateline_text(story.dateline_place, story.dateline_agency, card.published_at)
    return build.render(
        "story.html",
        card.url,
        story=story,
        card=card,
        section=card.section,
        parents=parents(build, card.section),
        more=more,
        dateline=dateline,
        body=body_with_dateline(story.body, dateline),
        alternates=alternates(build, card.id) if card.id else [],
    )


def story_page(build: Build, path: str) -> Rendered:
    found = node(build, path, "story")
    try:
        story = build.read.story(found.id)
    except LookupError as exc:
        raise NotFound(str(exc)) from exc
    return render_story(build, story)


def preview_story(build: Build, page: Any) -> Rendered:
    """Wagtail's preview of an unsaved story revision."""
    from broadsheet.site.preview import story_from_page

    story = story_from_page(build.read, page)
    if story is None:
        raise NotFound("the story's section is not live")
    return render_story(build, story)


story_page.preview = preview_story  # type: ignore[attr-defined]


def story_paths(build: Build) -> Iterable[dict[str, Any]]:
    read = build.read
    for card in reversed(read.oldest_first(ALL, 0, read.count(ALL))):
        yield {"path": tree_path(card.url)}


def info_page(build: Build, path: str) -> Rendered:
    page = build.read.info_page(node(build, path, "info").id)
    if page is None:
        raise NotFound(path)
    return build.render("info.html", page.url, page_title=page.title, body=page.body_html)


def info_paths(build: Build) -> Iterable[dict[str, Any]]:
    for page in build.read.info_pages():
        yield {"path": tree_path(page.url)}


# -- latest and archives ---------------------------------------------------------------------------
def latest(build: Build) -> Rendered:
    """ "Latest articles": the newest stories of the site."""
    from django.conf import settings

    stories = build.read.latest(settings.BROADSHEET_LATEST_COUNT)
    with build.activated():
        title = gettext("Latest articles")
    return build.render(
        "listing.html", build.url("latest"), title=title, stories=stories, kind="latest"
    )


def _months(build: Build) -> list[tuple[int, int, int]]:
    """``(year, month, count)`` of every month with stories in the edition's calendar, newest
    first. Gregorian months come from the listing index; a month of another calendar (Jalali)
    spans two Gregorian ones, so its stories are counted in its own date range."""
    calendar = build.ctx.calendar
    if calendar == "gregorian":
        return [(m.year, m.month, m.count) for m in build.read.months()]
    key = f"archive-months:{calendar}"
    if key not in build.cache:
        wanted = sorted({dates.calendar_date(calendar, d)[:2] for d in build.read.days()})
        found = []
        for year, month in reversed(wanted):
            count = len(build.read.between(*dates.month_range(calendar, year, month)))
            if count:
                found.append((year, month, count))
        build.cache[key] = found
    return build.cache[key]


def _years(build: Build) -> dict[int, list[tuple[int, int]]]:
    years: dict[int, list[tuple[int, int]]] = {}
    for year, month, count in _months(build):
        years.setdefault(year, []).append((month, count))
    return years


def archive_index(build: Build) -> Rendered:
    return build.render("archive_index.html", build.url("archive-index"), years=_years(build))


def archive_year(build: Build, year: int) -> Rendered:
    months = _years(build).get(year)
    if not months:
        raise NotFound(f"no stories in {year}")
    return build.render(
        "archive_year.html", build.url("archive-year", year=year), year=year, months=months
    )


def archive_month(build: Build, year: int, month: int) -> Rendered:
    """A month of the archive, in the edition's calendar (``/fa/archives/1403/12/`` is Esfand
    1403); a month that does not exist, or has no stories, is :class:`NotFound`."""
    calendar = build.ctx.calendar
    try:
        stories = build.read.between(*dates.month_range(calendar, year, month))
    except ValueError as exc:
        raise NotFound(f"no month {year}-{month}") from exc
    if not stories:
        raise NotFound(f"no stories in {year}-{month}")
    days: dict[int, list[StoryCard]] = {}
    for card in stories:
        days.setdefault(dates.archive_date(calendar, card.published_at)[2], []).append(card)
    older, newer = month_neighbours(build, year, month)
    return build.render(
        "archive_month.html",
        build.url("archive-month", year=year, month=month),
        year=year,
        month=month,
        days=days,
        title=dates.month_title(calendar, year, month),
        older=older and _month_link(build, *older),
        newer=newer and _month_link(build, *newer),
    )


def month_neighbours(
    build: Build, year: int, month: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The archive months with stories just before and just after ``year``/``month`` (in the
    edition's calendar), whether that month has stories or not: ``(older, newer)``, each
    ``(year, month)`` or ``None``."""
    months = sorted((y, m) for y, m, _count in _months(build))
    older = [ym for ym in months if ym < (year, month)]
    newer = [ym for ym in months if ym > (year, month)]
    return (older[-1] if older else None, newer[0] if newer else None)


def _month_link(build: Build, year: int, month: int) -> dict[str, str]:
    return {
        "url": build.url("archive-month", year=year, month=month),
        "title": dates.month_title(build.ctx.calendar, year, month),
    }


def archive_day(build: Build, year: int, month: int, day: int) -> Rendered:
    """A day of the archive in the edition's calendar; a day that does not exist (1404/12/30)
    or has no stories is :class:`NotFound`."""
    try:
        date = dates.to_gregorian(build.ctx.calendar, year, month, day)
    except ValueError as exc:
        raise NotFound(str(exc)) from exc
    start, end = day_bounds(date)
    stories = build.read.between(start, end)
    if not stories:
        raise NotFound(f"no stories on {date}")
    return build.render(
        "listing.html",
        build.url("archive-day", year=year, month=month, day=day),
        kind="day",
        title=gettext("Stories of %(date)s") % {"date": long_date(start)},
        stories=stories,
        date=date,
        year=year,
        month=month,
    )


def year_paths(build: Build) -> Iterable[dict[str, Any]]:
    for year in sorted({year for year, _, _ in _months(build)}):
        yield {"year": year}


def month_paths(build: Build) -> Iterable[dict[str, Any]]:
    for year, month, _ in _months(build):
        yield {"year": year, "month": month}


def day_paths(build: Build) -> Iterable[dict[str, Any]]:
    seen = set()
    for day in build.read.days():
        year, month, d = dates.calendar_date(build.ctx.calendar, day)
        if (year, month, d) not in seen:
            seen.add((year, month, d))
            yield {"year": year, "month": month, "day": d}


# -- authors and tags ------------------------------------------------------------------------------
def authors_index(build: Build) -> Rendered:
    return build.render("authors.html", build.url("authors"), authors=build.read.authors())


def author(build: Build, slug: str, number: int | None = None) -> Rendered:
    found = build.read.author(slug)
    if found is None:
        raise NotFound(f"author {slug}")
    data = listing(build, Scope.author(found), found.url, number, "author-page", slug=slug)
    path = found.url if number is None else build.url("author-page", slug=slug, number=number)
    return build.render("author.html", path, author=found, **data)


def author_paths(build: Build) -> Iterable[dict[str, Any]]:
    from broadsheet.content.newsroom.models import Author

    for slug in Author.objects.order_by("slug").values_list("slug", flat=True):
        yield {"slug": slug}


def author_page_paths(build: Build) -> Iterable[dict[str, Any]]:
    size = build.ctx.page_size
    for ref, stat in build.read.author_stats():
        for n in range(1, page_numbers(stat.count, size) + 1):
            yield {"slug": ref.slug, "number": n}


def tags_index(build: Build) -> Rendered:
    return build.render("tags.html", build.url("tags"), tags=build.read.tags())


def tag(build: Build, slug: str, number: int | None = None) -> Rendered:
    found = build.read.tag(slug)
    if found is None:
        raise NotFound(f"tag {slug}")
    data = listing(build, Scope.tag(found), found.url, number, "tag-page", slug=slug)
    path = found.url if number is None else build.url("tag-page", slug=slug, number=number)
    return build.render("listing.html", path, kind="tag", title=found.name, tag=found, **data)


def tag_paths(build: Build) -> Iterable[dict[str, Any]]:
    for ref, _count in build.read.tags():
        yield {"slug": ref.slug}


def tag_page_paths(build: Build) -> Iterable[dict[str, Any]]:
    size = build.ctx.page_size
    for ref, count in build.read.tags():
        for n in range(1, page_numbers(count, size) + 1):
            yield {"slug": ref.slug, "number": n}


# -- errors ----------------------------------------------------------------------------------------
def error(build: Build, status: int = 404, path: str | None = None) -> Rendered:
    """The 404 (not found) or 410 (gone) page; ``path`` is the URL asked for (live)."""
    name = "gone" if status == 410 else "not-found"
    return build.render("error.html", path or build.url(name), status=status, error_status=status)


def gone(build: Build) -> Rendered:
    return error(build, 410)


def one(build: Build) -> Iterable[dict[str, Any]]:
    """The paths of a page kind that has exactly one page."""
    yield {}


__all__ = ["ALL", "page_numbers"]
