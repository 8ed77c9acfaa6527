from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """Feeds, sitemaps, robots.txt and structured data for the reader site."""

    name = "broadsheet.syndication"
    label = "syndication"
    verbose_name = "Syndication"
    bake_producers = ["broadsheet.syndication.bake.SyndicationFiles"]
