from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Reader search (label ``newsroom_search``: ``wagtailsearch`` is Wagtail's own)."""

    name = "broadsheet.search"
    label = "newsroom_search"
    verbose_name = "Search"
    bake_producers = ["broadsheet.search.bake.SearchPage"]
