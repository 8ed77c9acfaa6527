"""The site-wide facts of :class:`~broadsheet.site.live.LiveSource`: settings, sections, tips,
mirrors, the page tree's nodes, information pages, redirects and retired paths. Loaded once per
instance, or once per process while they do not change (``facts``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from broadsheet.content.newsroom.addresses import is_web_address
from broadsheet.content.newsroom.models import (
    EditionSettings,
    InfoPage,
    Mirror,
    NewsroomSettings,
    RetiredPath,
    SectionPage,
    StoryPage,
    Tip,
)

from .. import editions
from ..bodies import (
    rich_text_html,
)
from ..context import SiteContext
from ..data import (
    InfoRef,
    MirrorRef,
    Node,
    RedirectRef,
    SectionRef,
    SiteInfo,
    TipRef,
)
from ..facts import Snapshot
from ..urls import Urls

STEP = StoryPage.steplen
T = TypeVar("T")


def same_language(a: str, b: str) -> bool:
    """Whether two language codes name the same language (``fa`` and ``fa-ir``)."""
    return a.split("-")[0].lower() == b.split("-")[0].lower()


class SiteFacts:
    """The site and its edition: what every page shows around its content."""

    ctx: SiteContext
    facts: Snapshot | None
    urls: Urls
    _sections: dict[int, SectionRef] | None
    _site_info: SiteInfo | None
    _tips: dict[int | None, list[TipRef]]

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
            if same_language(own.language, self.ctx.language):
                values.update({f: getattr(own, f) for f in fields if getattr(own, f)})
        if s.frozen:  # archive mode: the closing notice replaces the site-wide one
            values["notice_text"] = s.closing_notice or values["notice_text"]
            if s.closing_notice:
                values["notice_link_url"] = s.closing_notice_url
                values["notice_link_text"] = ""
        if values["notice_link_url"] and not is_web_address(values["notice_link_url"]):
            values["notice_link_url"] = ""  # saved before the rule (a javascript: URL…): no link
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
            and (not tip.language or same_language(tip.language, settings.LANGUAGE_CODE))
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
            t for t in wide if not t.language or same_language(t.language, settings.LANGUAGE_CODE)
        ]
        if not self.ctx.prefix:
            return defaults
        own = [t for t in wide if t.language and same_language(t.language, self.ctx.language)]
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
