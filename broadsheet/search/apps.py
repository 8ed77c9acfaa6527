from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Reader search (label ``newsroom_search``: ``wagtailsearch`` is Wagtail's own)."""

    name = "broadsheet.search"
    label = "newsroom_search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"
    bake_producers = ["broadsheet.search.bake.SearchPage"]

    def ready(self) -> None:
        """Keep the story search index and the results page cache in step (index.py,
        cache.py)."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from broadsheet.newsroom.models import Author, NewsroomSettings, StoryAuthor, StoryPage

        from . import cache, index

        uid = "broadsheet.search"
        post_save.connect(index.on_story_saved, sender=StoryPage, dispatch_uid=f"{uid}.save")
        post_delete.connect(index.on_story_deleted, sender=StoryPage, dispatch_uid=f"{uid}.del")
        for signal, name in ((post_save, "asave"), (post_delete, "adel")):
            signal.connect(index.on_byline_changed, sender=StoryAuthor, dispatch_uid=uid + name)
        post_page_move.connect(index.on_page_moved, dispatch_uid=f"{uid}.move")
        for signal, sender, name in (
            (page_published, None, "pub"),
            (page_unpublished, None, "unpub"),
            (post_delete, Page, "pdel"),
            (post_save, NewsroomSettings, "settings"),
            (post_save, Author, "author"),
            (post_delete, Author, "authordel"),
        ):
            signal.connect(cache.on_change, sender=sender, dispatch_uid=f"{uid}.cache.{name}")
