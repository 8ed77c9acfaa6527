from django.apps import AppConfig


class DistributionContentConfig(AppConfig):
    """Newsletter lists, subscribers and their subscriptions, issues and per-recipient
    deliveries (the models and the services that write them; docs/distribution.md)."""

    name = "broadsheet.content.distribution"
    label = "distribution"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"
