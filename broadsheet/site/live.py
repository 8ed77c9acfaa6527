"""The read model on the database: :class:`LiveSource`, for live requests and incremental bakes.

Every method is a bounded number of indexed queries whatever the size of the archive: listings,
counts and positions come from the listing index (:mod:`.models`), kept up to date on write;
cards are loaded in bulk (a fixed number of queries per page, never one per story, link or
block). One instance serves one request or one bake; site-wide facts (sections, settings) are
loaded once per instance — or, for live requests, once per process while they do not change
(``facts``: a :class:`~.facts.Snapshot`).

Why our own code: this is the product's hot path (docs/design.md); Wagtail's page rendering goes
through a request and a query per related object.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from broadsheet.content.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    GuestbookEntry,
)
from broadsheet.content.newsroom.models import (
    Author,
    AuthorName,
    EditionSettings,
    FrontPageTopStory,
    InfoPage,
    Mirror,
    NewsroomSettings,
    RetiredPath,
    SectionPage,
    StoryAuthor,
    StoryPage,
    StoryTag,
    Tip,
)

from . import editions
from .bodies import (
    AUTHOR_PHOTO_SPEC,
    CARD_FIELDS,
    CARD_IMAGE_SPEC,
    STORY_FIELDS,
    correction_refs,
    image_refs,
    rich_text_html,
    stories_from_rows,
)
from .changes import StoryState
from .context import SiteContext
from .data import (
    ALL,
    AuthorRef,
    CommentRef,
    CorrectionRef,
    DiscussionInfo,
    GuestbookRef,
    ImageRef,
    InfoRef,
    MirrorRef,
    MonthStat,
    Node,
    RedirectRef,
    Scope,
    ScopeStat,
    SectionRef,
    SiteInfo,
    Story,
    StoryCard,
    TagRef,
    TipRef,
)
from .facts import Snapshot
from .listings import month_bounds
from .models import ListingEntry, ListingStat
from .readmodel import MORE_COUNT, MORE_NEWER
from .urls import Urls

STEP = StoryPage.steplen
T = TypeVar("T")


class LiveSource:
    """The :class:`~.readmodel.ReadModel` on the database, for the site of ``ctx``."""

    preloaded = False  # read what each page needs, never the whole archive

    def __init__(self, ctx: SiteContext, facts: Snapshot | None = None) -> None:
        """``ctx``: the site and edition; ``facts``: the process's memo of site-wide facts
        (:mod:`.facts`; live requests only), None to read them from the database."""
        self.ctx = ctx
        self.facts = facts
        self.urls = Urls(ctx)
        self._sections: dict[int, SectionRef] | None = None
        self._site_info: SiteInfo | None = None
        self._discussion: DiscussionInfo | None = None
        self._tips: dict[int | None, list[TipRef]] = {}
        self._author_names: dict[int, str] | None = None

    # -- the site ----------------------------------------------------------------------------
    def fact(self, name: str, load: Callable[[], T]) -> T:
        """``load()``, or the process's memo of it for this context (:mod:`.facts`) when the
        read model has one: for site-wide facts only (sections, settings, authors — whatever a
        model event in :func:`.facts.connect` bumps), never for stories. Values are shared:
        callers must not change them."""
        if self.facts is None:
            return load()
        return self.facts.get((name, self.ctx), load)

    def site_info(self) -> SiteInfo:
        """The site's settings, with the edition's own (``EditionSettings``) where it has any:
        a field it leaves blank is the site's."""
        if self._site_info is None:
            self._site_info = self.fact("site_info", self._load_site_info)
        return self._site_info

    def _load_site_info(self) -> SiteInfo:
        s = NewsroomSettings.objects.filter(site_id=self.ctx.site_id).first()
        s = s or NewsroomSettings()
        fields = ("site_name", "tagline", "notice_text", "notice_link_url", "notice_link_text")
        values = {f: getattr(s, f) for f in fields}
        for own in EditionSettings.objects.filter(site_id=self.ctx.site_id):
            if _same_language(own.language, self.ctx.language):
                values.update({f: getattr(own, f) for f in fields if getattr(own, f)})
        if s.frozen:  # archive mode: the closing notice replaces the site-wide one
            values["notice_text"] = s.closing_notice or values["notice_text"]
            if s.closing_notice:
                values["notice_link_url"] = s.closing_notice_url
                values["notice_link_text"] = ""
        return SiteInfo(*(values[f] for f in fields), frozen=s.frozen)

    def sections(self) -> dict[int, SectionRef]:
        """The site's live sections by id, in tree order (a copy: callers may change it)."""
        if self._sections is None:
            self._sections = self.fact("sections", self._load_sections)
        return dict(self._sections)

    def _load_sections(self) -> dict[int, SectionRef]:
        # No path LIKE in SQL (it would read every page row, stories included): sections
        # are few, so they are read whole and filtered here.
        rows = (
            SectionPage.objects.live()
            .order_by("path")
            .values(
                "id",
                "title",
                "slug",
                "url_path",
                "path",
                "depth",
                "description",
                "last_published_at",
                "lead_story_id",
                "show_in_menus",
            )
        )
        by_path: dict[str, int] = {}
        result: dict[int, SectionRef] = {}
        for r in rows:
            if not r["path"].startswith(self.ctx.root_path):
                continue
            result[r["id"]] = SectionRef(
                id=r["id"],
                title=r["title"],
                slug=r["slug"],
                url=self.urls.page(r["url_path"]),
                path=r["path"],
                depth=r["depth"],
                parent_id=by_path.get(r["path"][:-STEP]),
                description=r["description"],
                last_published_at=r["last_published_at"],
                lead_id=r["lead_story_id"],
                in_menus=r["show_in_menus"],
            )
            by_path[r["path"]] = r["id"]
        return result

    def section_for_path(self, story_path: str) -> SectionRef | None:
        """The live section that is the parent of the page at tree path ``story_path``."""
        parent = story_path[:-STEP]
        if self._sections is None:
            self.sections()
        for section in (self._sections or {}).values():
            if section.path == parent:
                return section
        return None

    def top_sections(self) -> list[SectionRef]:
        depth = self.ctx.root_depth + 1
        return [s for s in self.sections().values() if s.depth == depth]

    def tips(self, section: SectionRef | None = None) -> list[TipRef]:
        key = section.id if section else None
        if key not in self._tips:
            self._tips[key] = self.fact(f"tips:{key}", lambda: self._load_tips(section))
        return list(self._tips[key])

    def _load_tips(self, section: SectionRef | None) -> list[TipRef]:
        ids: list[int] = []
        sections = self.sections()
        current = section
        while current is not None:
            ids.append(current.id)
            current = sections.get(current.parent_id) if current.parent_id else None
        rows = list(
            Tip.objects.filter(live=True).filter(Q(section__isnull=True) | Q(section_id__in=ids))
        )
        wide = self._edition_tips(rows)
        return [
            TipRef(t.id, t.title, t.text, self._tip_link(t), t.link_text, t.section_id)
            for t in rows
            if t.section_id is not None or t in wide
        ]

    def all_tips(self) -> list[TipRef]:
        rows = list(Tip.objects.filter(live=True))
        wide = self._edition_tips(rows)
        return [
            TipRef(t.id, t.title, t.text, self._tip_link(t), t.link_text, t.section_id)
            for t in rows
            if t.section_id is not None or t in wide
        ]

    def mirrors(self) -> list[MirrorRef]:
        return [
            MirrorRef(m.id, m.url, m.kind, m.note, m.created_at, m.updated_at)
            for m in Mirror.objects.filter(live=True)
        ]

    def _tip_link(self, tip: Any) -> str:
        """A tip's link as this edition shows it: a path of the default edition in one of the
        default edition's tips shown by another edition (it has none of its own) is taken to
        the edition's own page ("/archives/" → "/fa/archives/"); any other link as written."""
        url = tip.link_url
        if (
            self.ctx.prefix
            and (not tip.language or _same_language(tip.language, settings.LANGUAGE_CODE))
            and url.startswith("/")
            and not url.startswith("//")
            and not editions.for_path(url).prefix
        ):
            return self.ctx.prefix + url
        return url

    def _edition_tips(self, rows: list[Any]) -> list[Any]:
        """Of the site-wide tips ``rows``, the edition's own; if it has none, the default
        edition's (those with no language or the default language)."""
        wide = [t for t in rows if t.section_id is None]
        defaults = [
            t for t in wide if not t.language or _same_language(t.language, settings.LANGUAGE_CODE)
        ]
        if not self.ctx.prefix:
            return defaults
        own = [t for t in wide if t.language and _same_language(t.language, self.ctx.language)]
        return own or defaults

    def node(self, path: str) -> Node | None:
        from wagtail.models import Page

        if path == "/":
            return Node("front", self.ctx.root_id)
        segments = [s for s in path.split("/") if s]
        if not segments or not path.endswith("/"):
            return None
        row = (
            Page.objects.filter(
                slug=segments[-1], url_path=self.ctx.root_url_path + "/".join(segments) + "/"
            )
            .filter(live=True, path__startswith=self.ctx.root_path)
            .values("id", "path", "content_type_id")
            .first()
        )
        if row is None:
            return None
        model = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
        if model is StoryPage:
            ok = self.section_for_path(row["path"]) is not None
            ok = ok and StoryPage.objects.filter(id=row["id"], published_at__isnull=False).exists()
            return Node("story", row["id"]) if ok else None
        if model is SectionPage:
            return Node("section", row["id"]) if row["id"] in self.sections() else None
        if model is InfoPage:
            return Node("info", row["id"])
        return None

    def _info_rows(self) -> QuerySet:
        return (
            InfoPage.objects.live()
            .filter(path__startswith=self.ctx.root_path)
            .order_by("path")
            .values("id", "title", "body", "url_path", "last_published_at")
        )

    def _info(self, r: dict[str, Any]) -> InfoRef:
        return InfoRef(
            r["id"],
            r["title"],
            rich_text_html(r["body"]),
            self.urls.page(r["url_path"]),
            r["last_published_at"],
        )

    def info_pages(self) -> list[InfoRef]:
        return [self._info(r) for r in self._info_rows()]

    def info_page(self, page_id: int) -> InfoRef | None:
        row = self._info_rows().filter(id=page_id).first()
        return self._info(row) if row else None

    def redirects(self) -> list[RedirectRef]:
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.models import Site

        site = Site.objects.filter(id=self.ctx.site_id).first()
        rows = []
        qs = Redirect.objects.filter(Q(site_id=self.ctx.site_id) | Q(site__isnull=True))
        for r in qs.select_related("redirect_page"):
            target = r.link
            if r.redirect_page_id:
                target = r.redirect_page.get_url(current_site=site) or target
            if target:
                rows.append(RedirectRef(r.old_path, target, r.is_permanent))
        return sorted(rows, key=lambda r: (r.old_path, r.target, r.permanent))

    def retired_paths(self) -> list[str]:
        return list(RetiredPath.objects.order_by("path").values_list("path", flat=True))

    # -- cards and stories -------------------------------------------------------------------
    def author_ref(self, author_id: int, name: str, slug: str) -> AuthorRef:
        """An author as the edition names them (``AuthorName``; else ``name``)."""
        name = self.author_names().get(author_id, name)
        return AuthorRef(author_id, name, slug, self.urls.author(slug))

    def author_names(self) -> dict[int, str]:
        """``{author id: name}`` of the authors the edition names its own way (one query per
        read model)."""
        if self._author_names is None:
            self._author_names = self.fact(
                "author_names",
                lambda: {
                    author_id: name
                    for author_id, language, name in AuthorName.objects.values_list(
                        "author_id", "language", "name"
                    )
                    if _same_language(language, self.ctx.language)
                },
            )
        return self._author_names

    def tag_ref(self, tag_id: int, name: str, slug: str) -> TagRef:
        return TagRef(tag_id, name, slug, self.urls.tag(slug))

    def card_from_row(
        self,
        row: dict[str, Any],
        authors: dict[int, list[AuthorRef]],
        tags: dict[int, list[TagRef]],
        images: dict[int, ImageRef],
        counts: dict[int, int],
    ) -> StoryCard | None:
        """A card from a ``CARD_FIELDS`` row and prefetched relations; None if not public."""
        section = self.section_for_path(row["path"])
        if section is None or row["published_at"] is None:
            return None
        return StoryCard(
            id=row["id"],
            headline=row["title"],
            standfirst=row["standfirst"],
            url=self.urls.page(row["url_path"]),
            section=section,
            authors=tuple(authors.get(row["id"], ())),
            credit=row["byline_credit"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            tags=tuple(tags.get(row["id"], ())),
            image=images.get(row["lead_image_id"]) if row["lead_image_id"] else None,
            comment_count=counts.get(row["id"], 0),
            on_front=not row["hide_from_front"],
        )

    def cards(self, ids: Sequence[int]) -> list[StoryCard]:
        return self.cards_with(ids)[0]

    def cards_with(
        self, ids: Sequence[int], fields: Sequence[str] = ()
    ) -> tuple[list[StoryCard], dict[int, dict[str, Any]]]:
        """The cards of stories ``ids`` (in that order; stories not public left out) and, read
        in the same query, the story fields ``fields`` of each (``{id: {field: value}}``),
        e.g. the body a search snippet is cut from."""
        if not ids:
            return [], {}
        rows = {
            r["id"]: r
            for r in StoryPage.objects.filter(id__in=ids, live=True).values(
                *dict.fromkeys((*CARD_FIELDS, *fields))
            )
        }
        authors: dict[int, list[AuthorRef]] = defaultdict(list)
        for story_id, author_id, name, slug in (
            StoryAuthor.objects.filter(story_id__in=ids)
            .order_by("sort_order", "id")
            .values_list("story_id", "author_id", "author__name", "author__slug")
        ):
            authors[story_id].append(self.author_ref(author_id, name, slug))
        tags: dict[int, list[TagRef]] = defaultdict(list)
        for story_id, tag_id, name, slug in (
            StoryTag.objects.filter(content_object_id__in=ids)
            .order_by("tag__name")
            .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
        ):
            tags[story_id].append(self.tag_ref(tag_id, name, slug))
        images = image_refs({r["lead_image_id"] for r in rows.values()}, CARD_IMAGE_SPEC)
        counts = comment_counts(ids)
        out = []
        for i in ids:
            if i in rows:
                card = self.card_from_row(rows[i], authors, tags, images, counts)
                if card is not None:
                    out.append(card)
        extra = {i: {f: r[f] for f in fields} for i, r in rows.items()} if fields else {}
        return out, extra

    def stories(self, ids: Sequence[int]) -> list[Story]:
        cards = {c.id: c for c in self.cards(ids)}
        rows = {r["id"]: r for r in StoryPage.objects.filter(id__in=ids).values(*STORY_FIELDS)}
        return stories_from_rows(cards, [rows[i] for i in ids if i in rows])

    def story(self, story_id: int) -> Story:
        found = self.stories([story_id])
        if not found:
            raise LookupError(f"story {story_id} is not public")
        return found[0]

    def corrections(self, limit: int) -> list[tuple[CorrectionRef, StoryCard]]:
        # per note, "is its story public here?" on the listing index's story_id index: the
        # notes are few, the stories many (an IN over every public story costs a scan)
        public = Exists(
            ListingEntry.objects.filter(
                story_id=OuterRef("story_id"), root_id=self.ctx.root_id, scope="all"
            )
        )
        notes = correction_refs(newest_first=True, limit=limit, where=public)
        cards = {c.id: c for c in self.cards(list({n.story_id for n in notes}))}
        return [(n, cards[n.story_id]) for n in notes if n.story_id in cards]

    def top_stories(self) -> list[StoryCard]:
        ids = list(
            FrontPageTopStory.objects.filter(front_page_id=self.ctx.root_id)
            .order_by("sort_order", "id")
            .values_list("story_id", flat=True)
        )
        public = set(
            ListingEntry.objects.filter(
                root_id=self.ctx.root_id, scope="all", story_id__in=ids
            ).values_list("story_id", flat=True)
        )
        return self.cards([i for i in ids if i in public])

    # -- listings ----------------------------------------------------------------------------
    def entries(self, scope: Scope) -> QuerySet:
        """The listing index rows of ``scope`` (for ordered, bounded queries)."""
        return ListingEntry.objects.filter(root_id=self.ctx.root_id, scope=scope.key)

    def _ids(self, qs: QuerySet) -> list[int]:
        return list(qs.values_list("story_id", flat=True))

    def latest(self, limit: int, scope: Scope = ALL, exclude: int | None = None) -> list[StoryCard]:
        qs = self.entries(scope)
        if exclude is not None:
            qs = qs.exclude(story_id=exclude)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")[:limit]))

    def stat(self, scope: Scope) -> ScopeStat:
        row = (
            ListingStat.objects.filter(root_id=self.ctx.root_id, scope=scope.key)
            .values_list("count", "newest", "lastmod")
            .first()
        )
        return ScopeStat(scope.key, *row) if row else ScopeStat(scope.key, 0, None, None)

    def count(self, scope: Scope = ALL) -> int:
        return self.stat(scope).count

    @staticmethod
    def _after(key: tuple[dt.datetime, int]) -> Q:
        when, ident = key
        return Q(published_at__gt=when) | Q(published_at=when, story_id__gt=ident)

    @staticmethod
    def _before(key: tuple[dt.datetime, int]) -> Q:
        when, ident = key
        return Q(published_at__lt=when) | Q(published_at=when, story_id__lt=ident)

    def position(self, scope: Scope, key: tuple[dt.datetime, int]) -> int:
        # counted from the newer end: a new story's place costs nothing to find
        total = self.count(scope)
        at_or_after = self.entries(scope).filter(
            self._after(key) | Q(published_at=key[0], story_id=key[1])
        )
        return max(0, total - at_or_after.count())

    def oldest_first(self, scope: Scope, start: int, stop: int) -> list[StoryCard]:
        total = self.count(scope)
        stop = min(stop, total)
        if start >= stop:
            return []
        if start <= total - stop:  # nearer the oldest end
            qs = self.entries(scope).order_by("published_at", "story_id")[start:stop]
            ids = self._ids(qs)
            ids.reverse()
        else:
            qs = self.entries(scope).order_by("-published_at", "-story_id")
            ids = self._ids(qs[total - stop : total - start])
        return self.cards(ids)

    def window(
        self, scope: Scope, key: tuple[dt.datetime, int], before: int, after: int
    ) -> list[int]:
        qs = self.entries(scope)
        newer = self._ids(qs.filter(self._after(key)).order_by("published_at", "story_id")[:after])
        older = self._ids(
            qs.filter(self._before(key)).order_by("-published_at", "-story_id")[:before]
        )
        return [*reversed(older), *newer]

    def neighbours(
        self, card: StoryCard, scope: Scope, limit: int = MORE_COUNT, newer: int = MORE_NEWER
    ) -> list[StoryCard]:
        key = (card.published_at, card.id)
        qs = self.entries(scope).exclude(story_id=card.id)
        after = self._ids(qs.filter(self._after(key)).order_by("published_at", "story_id")[:newer])
        before = self._ids(
            qs.filter(self._before(key)).order_by("-published_at", "-story_id")[
                : limit - len(after)
            ]
        )
        return self.cards([*reversed(after), *before])

    def between(self, start: dt.datetime, end: dt.datetime) -> list[StoryCard]:
        qs = self.entries(ALL).filter(published_at__gte=start, published_at__lt=end)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")))

    def since(self, start: dt.datetime, end: dt.datetime, limit: int) -> list[StoryCard]:
        qs = self.entries(ALL).filter(published_at__gte=start, published_at__lte=end)
        return self.cards(self._ids(qs.order_by("-published_at", "-story_id")[:limit]))

    def months(self) -> list[MonthStat]:
        rows = ListingStat.objects.filter(
            root_id=self.ctx.root_id, scope__startswith="month:", count__gt=0
        ).values_list("scope", "count", "lastmod")
        months = []
        for scope, n, lastmod in rows:
            year, month = scope[6:].split("-")
            months.append(MonthStat(int(year), int(month), n, lastmod))
        return sorted(months, key=lambda m: (m.year, m.month), reverse=True)

    def _month_rows(self, year: int, month: int) -> QuerySet:
        start, end = month_bounds(year, month)
        return (
            self.entries(ALL)
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("published_at", "story_id")
        )

    def month_entries(self, year: int, month: int) -> list[tuple[str, dt.datetime]]:
        rows = list(self._month_rows(year, month).values_list("story_id", "lastmod"))
        paths = dict(
            StoryPage.objects.filter(id__in=[i for i, _ in rows]).values_list("id", "url_path")
        )
        return [(self.urls.page(paths[i]), lastmod) for i, lastmod in rows if i in paths]

    def days(self, year: int | None = None, month: int | None = None) -> list[dt.date]:
        if year is not None and month is not None:
            dates = self._month_rows(year, month).values_list("published_at", flat=True)
        else:
            dates = self.entries(ALL).values_list("published_at", flat=True)
        return sorted({timezone.localtime(d).date() for d in dates})

    def _stats(self, prefix: str) -> dict[int, ScopeStat]:
        rows = ListingStat.objects.filter(
            root_id=self.ctx.root_id, scope__startswith=prefix, count__gt=0
        ).values_list("scope", "count", "newest", "lastmod")
        return {int(s[len(prefix) :]): ScopeStat(s, n, new, last) for s, n, new, last in rows}

    def authors(self) -> list[AuthorRef]:
        ids = self._stats("author:")
        rows = Author.objects.filter(id__in=list(ids)).order_by("name").values("id", "name", "slug")
        return [self.author_ref(r["id"], r["name"], r["slug"]) for r in rows]

    def story_ids(self, scope: Scope) -> list[int]:
        return self._ids(self.entries(scope).order_by("published_at", "story_id"))

    def author_refs(self, ids: Sequence[int]) -> dict[int, AuthorRef]:
        rows = Author.objects.filter(id__in=list(ids)).values_list("id", "name", "slug")
        return {i: self.author_ref(i, name, slug) for i, name, slug in rows}

    def tag_refs(self, ids: Sequence[int]) -> dict[int, TagRef]:
        from taggit.models import Tag

        rows = Tag.objects.filter(id__in=list(ids)).values_list("id", "name", "slug")
        return {i: self.tag_ref(i, name, slug) for i, name, slug in rows}

    def author_stats(self) -> list[tuple[AuthorRef, ScopeStat]]:
        stats = self._stats("author:")
        rows = (
            Author.objects.filter(id__in=list(stats)).order_by("slug").values("id", "name", "slug")
        )
        return [(self.author_ref(r["id"], r["name"], r["slug"]), stats[r["id"]]) for r in rows]

    def author(self, slug: str) -> AuthorRef | None:
        a = Author.objects.filter(slug=slug).first()
        if a is None:
            return None
        photo = image_refs([a.photo_id], AUTHOR_PHOTO_SPEC).get(a.photo_id) if a.photo_id else None
        name = self.author_names().get(a.id, a.name)
        return AuthorRef(a.id, name, a.slug, self.urls.author(a.slug), a.bio, photo)

    def _tag_rows(self, ids: Sequence[int], order: str) -> list[tuple[int, str, str]]:
        from taggit.models import Tag

        return list(
            Tag.objects.filter(id__in=ids).order_by(order).values_list("id", "name", "slug")
        )

    def tags(self) -> list[tuple[TagRef, int]]:
        stats = self._stats("tag:")
        return [
            (self.tag_ref(i, name, slug), stats[i].count)
            for i, name, slug in self._tag_rows(list(stats), "name")
        ]

    def tag_stats(self) -> list[tuple[TagRef, ScopeStat]]:
        stats = self._stats("tag:")
        return [
            (self.tag_ref(i, name, slug), stats[i])
            for i, name, slug in self._tag_rows(list(stats), "slug")
        ]

    def tag(self, slug: str) -> TagRef | None:
        from taggit.models import Tag

        row = Tag.objects.filter(slug=slug).values_list("id", "name", "slug").first()
        if row is None or self.count(Scope("tag", row[0])) == 0:
            return None
        return self.tag_ref(*row)

    def state(self, story_id: int) -> StoryState | None:
        row = (
            StoryPage.objects.filter(id=story_id, live=True, published_at__isnull=False)
            .filter(path__startswith=self.ctx.root_path)
            .values("url_path", "path", "published_at", "updated_at")
            .first()
        )
        section = self.section_for_path(row["path"]) if row else None
        if row is None or section is None:
            return None
        authors = tuple(
            StoryAuthor.objects.filter(story_id=story_id)
            .order_by("sort_order", "id")
            .values_list("author_id", flat=True)
        )
        tags = tuple(
            sorted(
                StoryTag.objects.filter(content_object_id=story_id).values_list("tag_id", flat=True)
            )
        )
        published, updated = row["published_at"], row["updated_at"]
        return StoryState(
            story_id=story_id,
            url=self.urls.page(row["url_path"]),
            section_id=section.id,
            published_at=published,
            lastmod=max(published, updated) if updated else published,
            author_ids=authors,
            tag_ids=tags,
        )

    # -- readers' contributions --------------------------------------------------------------
    def discussion_info(self) -> DiscussionInfo:
        if self._discussion is None:
            self._discussion = self.fact("discussion", self._load_discussion)
        return self._discussion

    def _load_discussion(self) -> DiscussionInfo:
        s = DiscussionSettings.objects.filter(site_id=self.ctx.site_id).first()
        s = s or DiscussionSettings()
        if self.site_info().frozen:  # archive mode: every reader form closed
            return DiscussionInfo(False, s.close_after_days, False, frozen=True)
        return DiscussionInfo(s.comments_enabled, s.close_after_days, s.guestbook_enabled)

    def approved_comments(self, story_id: int) -> tuple[CommentRef, ...]:
        return approved_comments_of([story_id]).get(story_id, ())

    def guestbook_count(self) -> int:
        return GuestbookEntry.objects.filter(status=CommentStatus.APPROVED).count()

    def guestbook_entries(self, start: int, stop: int, newest: bool) -> list[GuestbookRef]:
        qs = GuestbookEntry.objects.filter(status=CommentStatus.APPROVED)
        order = ("-created_at", "-id") if newest else ("created_at", "id")
        rows = list(
            qs.order_by(*order).values("id", "name", "place", "text", "created_at")[start:stop]
        )
        if not newest:
            rows.reverse()
        return [GuestbookRef(**r) for r in rows]


def comment_counts(story_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Approved comments per story (of ``story_ids``, or of every story): one query. Stories
    whose comments are hidden count 0."""
    qs = Comment.objects.filter(status=CommentStatus.APPROVED).exclude(story__comments="hidden")
    if story_ids is not None:
        if not story_ids:
            return {}
        qs = qs.filter(story_id__in=story_ids)
    rows = qs.values("story_id").annotate(n=Count("id")).order_by()
    return {r["story_id"]: r["n"] for r in rows}


def approved_comments_of(story_ids: Sequence[int]) -> dict[int, tuple[CommentRef, ...]]:
    """Every story's approved comments, threaded, oldest first (stories without any are left
    out): one query for all of them."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Comment.objects.filter(story_id__in=list(story_ids), status=CommentStatus.APPROVED)
        .order_by("created_at", "id")
        .values("story_id", "id", "parent_id", "name", "url", "text", "created_at")
    ):
        rows[row.pop("story_id")].append(row)
    return {story_id: thread(story_rows) for story_id, story_rows in rows.items()}


def _same_language(a: str, b: str) -> bool:
    """Whether two language codes name the same language (``fa`` and ``fa-ir``)."""
    return a.split("-")[0].lower() == b.split("-")[0].lower()


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("http://", "https://")) else ""


def thread(rows: Sequence[dict[str, Any]]) -> tuple[CommentRef, ...]:
    """Approved comment rows (``id, parent_id, name, url, text, created_at``; oldest first) to
    top-level :class:`CommentRef` with their replies. A reply whose parent is not shown is not
    shown either (it would answer nothing visible)."""
    replies: dict[int, list[CommentRef]] = {}
    for r in rows:
        if r["parent_id"]:
            replies.setdefault(r["parent_id"], []).append(
                CommentRef(r["id"], r["name"], _safe_url(r["url"]), r["text"], r["created_at"])
            )
    return tuple(
        CommentRef(
            r["id"],
            r["name"],
            _safe_url(r["url"]),
            r["text"],
            r["created_at"],
            tuple(replies.get(r["id"], ())),
        )
        for r in rows
        if not r["parent_id"]
    )
