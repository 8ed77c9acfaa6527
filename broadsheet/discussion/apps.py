from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Reader comments and other reader submissions, with moderation."""

    name = "broadsheet.discussion"
    label = "discussion"
    verbose_name = "Discussion"
    bake_producers = ["broadsheet.discussion.bake.DiscussionPages"]
