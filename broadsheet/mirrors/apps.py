from pathlib import Path

from django.apps import AppConfig
from markupsafe import Markup


class MirrorsConfig(AppConfig):
    """Declares the mirrors page (every edition), ``/mirrors.json`` (the site's root only), the
    rule that re-bakes both when the newsroom's list changes, and the footer link."""

    name = "broadsheet.mirrors"
    label = "mirrors"
    verbose_name = "Mirrors (reader side)"

    def ready(self) -> None:
        from django.utils.translation import gettext, gettext_noop

        from broadsheet.site.registry import PageKind, Rule, registry

        from . import pages

        for kind in (
            PageKind(
                "mirrors",
                "mirrors/",
                pages.mirrors_page,
                pages.one,
                frozenset({"mirrors", "sections", "site", "tips"}),
                feature=self.label,
            ),
            PageKind(
                "mirrors-json",
                "mirrors.json",
                pages.mirrors_json,
                pages.one,
                frozenset({"mirrors", "site"}),
                content_type=pages.JSON,
                every_edition=False,
                feature=self.label,
            ),
        ):
            registry.page(kind)
        registry.rule(Rule(frozenset({"mirrors"}), pages.on_mirrors, self.label))
        registry.templates(str(Path(__file__).resolve().parent / "templates"))

        gettext_noop("Other ways to reach us")

        def footer_link(build, context):
            return Markup('<li><a href="%s">%s</a></li>') % (
                build.url("mirrors"),
                gettext("Other ways to reach us"),
            )

        registry.slot("footer_nav", footer_link, 80, True)
