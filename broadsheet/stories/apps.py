from dataclasses import replace
from pathlib import Path

from django.apps import AppConfig
from markupsafe import Markup


class StoriesConfig(AppConfig):
    """Declares the newsroom's reader pages in the site registry (docs/design.md)."""

    name = "broadsheet.stories"
    label = "stories"
    verbose_name = "Reader pages"

    def ready(self) -> None:
        from django.utils.translation import gettext, gettext_noop

        from broadsheet.site.editions import front_alternates
        from broadsheet.site.registry import Endpoint, PageKind, Rule, registry

        from . import corrections, editlink, rules, tips
        from . import pages as p

        listing_reads = frozenset({"story", "comments", "author", "sections", "site", "tips"})
        story_reads = listing_reads | {"discussion-settings"}
        kinds = [
            PageKind("front", "", p.front, p.one, listing_reads, order=10),
            PageKind("latest", "latest/", p.latest, p.one, listing_reads),
            PageKind("archive-index", "archives/", p.archive_index, p.one, listing_reads),
            PageKind(
                "archive-year", "archives/<yyyy:year>/", p.archive_year, p.year_paths, listing_reads
            ),
            PageKind(
                "archive-month",
                "archives/<yyyy:year>/<mm:month>/",
                p.archive_month,
                p.month_paths,
                listing_reads,
            ),
            PageKind(
                "archive-day",
                "archives/<yyyy:year>/<mm:month>/<dd:day>/",
                p.archive_day,
                p.day_paths,
                listing_reads,
            ),
            PageKind("authors", "authors/", p.authors_index, p.one, listing_reads),
            PageKind("author", "authors/<seg:slug>/", p.author, p.author_paths, listing_reads),
            PageKind(
                "author-page",
                "authors/<seg:slug>/page/<n:number>/",
                p.author,
                p.author_page_paths,
                listing_reads,
            ),
            PageKind("tags", "tags/", p.tags_index, p.one, listing_reads),
            PageKind("tag", "tags/<seg:slug>/", p.tag, p.tag_paths, listing_reads),
            PageKind(
                "tag-page",
                "tags/<seg:slug>/page/<n:number>/",
                p.tag,
                p.tag_page_paths,
                listing_reads,
            ),
            PageKind(
                "section-page",
                "<tree:path>/page/<n:number>/",
                p.section_page,
                p.section_page_paths,
                listing_reads,
                order=900,
            ),
            PageKind(
                "section",
                "<tree:path>/",
                p.section_front,
                p.section_paths,
                listing_reads,
                node="section",
            ),
            PageKind(
                "story", "<tree:path>/", p.story_page, p.story_paths, story_reads, node="story"
            ),
            PageKind(
                "info",
                "<tree:path>/",
                p.info_page,
                p.info_paths,
                frozenset({"page", "sections", "site", "tips"}),
                node="info",
            ),
            PageKind(
                "tips",
                "tips/",
                tips.tips_page,
                p.one,
                frozenset({"sections", "site", "tips"}),
            ),
            PageKind(
                "corrections",
                "corrections/",
                corrections.corrections_page,
                p.one,
                frozenset({"story", "sections", "site", "tips"}),
            ),
            PageKind(
                "not-found",
                "404.html",
                p.error,
                p.one,
                frozenset({"sections", "site", "tips"}),
                live=False,
                every_edition=False,
            ),
            PageKind(
                "gone",
                "410.html",
                p.gone,
                p.one,
                frozenset({"sections", "site", "tips"}),
                live=False,
                every_edition=False,
            ),
        ]
        for kind in kinds:
            registry.page(replace(kind, feature=self.label))
        registry.rule(Rule(frozenset({"story", "comments"}), rules.on_story, self.label))
        registry.rule(Rule(frozenset({"story"}), corrections.on_story, self.label))
        registry.endpoint(Endpoint("edit-link", "edit-link/", editlink.edit_link))
        registry.slot("head", editlink.script_tag, 90, True)
        registry.rule(Rule(frozenset({"author"}), rules.on_author, self.label))
        registry.rule(Rule(frozenset({"page"}), rules.on_page, self.label))
        registry.rule(
            Rule(
                frozenset({"sections", "site", "tips", "discussion-settings"}),
                rules.on_site_wide,
                self.label,
            )
        )
        registry.templates(str(Path(__file__).resolve().parent / "templates"))

        def link(kind: str, text: str):
            def slot(build, context):
                return Markup('<li><a href="%s">%s</a></li>') % (build.url(kind), gettext(text))

            return slot

        def editions(build, context):
            # the front pages of the other editions, each named in its own language
            return Markup("").join(
                Markup(
                    '<li class="edition-link">'
                    '<a href="%s" hreflang="%s" lang="%s" dir="%s">%s</a></li>'
                )
                % (a.url, a.language, a.language, a.direction, a.name)
                for a in front_alternates(build)
            )

        registry.slot("nav_end", editions, 200, True)  # after the utility links (design.md)

        gettext_noop("Latest articles"), gettext_noop("Authors"), gettext_noop("Topics")
        registry.slot("nav_start", link("latest", "Latest articles"), 10, True)
        registry.slot("nav_end", link("archive-index", "Archives"), 10, True)
        for i, (kind, text) in enumerate(
            [
                ("latest", "Latest articles"),
                ("archive-index", "Archives"),
                ("authors", "Authors"),
                ("tags", "Topics"),
                ("corrections", "Corrections"),
                ("tips", "Tips"),
            ]
        ):
            registry.slot("footer_nav", link(kind, text), 10 + i, True)
