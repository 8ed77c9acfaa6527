from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations commands: backup and restore (docs/security.md, "Backups")."""

    name = "broadsheet.ops"
    label = "ops"
    verbose_name = "Operations"
