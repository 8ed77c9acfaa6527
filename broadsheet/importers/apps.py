from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """Bringing stories in and out: story files, and other systems' exports."""

    name = "broadsheet.importers"
    label = "importers"
