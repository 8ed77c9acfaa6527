from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The newsroom content model: pages, authors, tips, settings, retired paths."""

    name = "broadsheet.content.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"
