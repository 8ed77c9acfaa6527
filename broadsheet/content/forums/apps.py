from django.apps import AppConfig


class ForumsContentConfig(AppConfig):
    """Reader forums: boards, topics, posts, read markers (docs/forums.md)."""

    name = "broadsheet.content.forums"
    label = "forums"
    verbose_name = "Forums"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services

        services.connect()
