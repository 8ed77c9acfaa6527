from django.apps import AppConfig


class DiscussionContentConfig(AppConfig):
    """Reader comments and other reader submissions, with their moderation."""

    name = "broadsheet.content.discussion"
    label = "discussion"
    verbose_name = "Discussion"
    default_auto_field = "django.db.models.BigAutoField"
