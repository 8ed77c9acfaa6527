from pathlib import Path

from django.apps import AppConfig
from markupsafe import Markup


class SearchConfig(AppConfig):
    """Reader search: the live ``/search/`` page on the server's story index, its baked twin
    that searches the static index, and the static index itself (a bake finisher).

    Label ``newsroom_search``: ``wagtailsearch`` is Wagtail's own."""

    name = "broadsheet.search"
    label = "newsroom_search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from broadsheet.site.registry import PageKind, Rule, registry

        from . import signals, views
        from .static_index import StaticSearch

        # the story index and the results page cache follow the content model's signals
        signals.connect()

        registry.page(
            PageKind(
                "search",
                "search/",
                views.baked_search,
                lambda build: [{}],
                frozenset({"sections", "site", "tips", "author"}),
                live_view=views.search,
                feature=self.label,
            )
        )
        # the page lists sections and authors in its filters
        registry.rule(
            Rule(frozenset({"author"}), lambda build, change: {("search", ())}, self.label)
        )
        registry.templates(str(Path(__file__).resolve().parent / "templates" / "reader"))
        registry.reserve("pagefind")
        registry.finisher(StaticSearch())

        def search_form(build, context):
            from django.utils.translation import gettext

            if not build.live and build.read.site_info().frozen:
                # a frozen archive has no form at all: a link to its static search page
                return Markup('<p class="site-search"><a href="{}" rel="search">{}</a></p>').format(
                    build.url("search"), gettext("Search the archive")
                )
            return Markup(
                '<form class="site-search" role="search" action="{}" method="get">'
                '<label for="site-search-q">{}</label> <input id="site-search-q" '
                'type="search" name="q" dir="auto" maxlength="800"> '
                '<button type="submit">{}</button></form>'
            ).format(build.url("search"), gettext("Search"), gettext("Search"))

        registry.slot("masthead", search_form, same_on_every_page=True)
