from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The newsroom content model and the reader pages rendered from it."""

    name = "broadsheet.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from . import signals  # noqa: F401
