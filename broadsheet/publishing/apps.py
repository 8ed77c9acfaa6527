from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Static publishing: bake the site's pages to an output (a folder, S3-compatible storage)
    and keep them up to date as content changes; the admin's "Publishing" page.

    Label ``baking`` (the database's tables keep their names)."""

    name = "broadsheet.publishing"
    label = "baking"
    verbose_name = "Publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from broadsheet.site.registry import TEXT, PageKind, Rule, registry

        from . import rules, signals

        reads = frozenset({"redirect", "retired", "story", "page"})
        for kind in (
            PageKind(
                "server-redirects",
                "_redirects",
                rules.redirects_file,
                rules.one,
                reads,
                None,
                TEXT,
                live=False,
                every_edition=False,
            ),
            PageKind(
                "server-gone",
                "_gone.txt",
                rules.gone_file,
                rules.one,
                reads,
                None,
                TEXT,
                live=False,
                every_edition=False,
            ),
            PageKind(
                "redirect-stub",
                "<path:old>/",
                rules.stub,
                rules.stub_paths,
                reads,
                live=False,
                order=10_000,
                every_edition=False,
            ),
        ):
            registry.page(kind)
        registry.rule(Rule(reads, rules.on_change, self.label))
        signals.connect()
