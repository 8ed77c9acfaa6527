from django.apps import AppConfig


class BakingConfig(AppConfig):
    """Static publishing: bake the reader pages to files and keep them up to date.

    ``bake_producers`` lists the producers of this app (dotted paths); any installed app may
    declare the same attribute to add its own baked outputs (docs/baking.md)."""

    name = "broadsheet.baking"
    label = "baking"
    verbose_name = "Baking"
    default_auto_field = "django.db.models.BigAutoField"
    bake_producers = [
        "broadsheet.baking.producers.ReaderPages",
        "broadsheet.baking.rules.ServerRules",
    ]

    def ready(self) -> None:
        from . import signals  # noqa: F401
