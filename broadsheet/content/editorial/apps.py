from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The newsroom's editorial workflow: roles (groups), per-section rights, the review
    workflow's section-aware approval step."""

    name = "broadsheet.content.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"
    default_auto_field = "django.db.models.BigAutoField"
