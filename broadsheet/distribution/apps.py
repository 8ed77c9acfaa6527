from pathlib import Path

from django.apps import AppConfig


class DistributionConfig(AppConfig):
    """Newsletters on the reader side: the ``/newsletter/`` page of every edition, the
    subscribe block of every footer, the live subscribe / confirm / unsubscribe endpoints,
    the digests and "send this story now", the admin's Newsletters screen, and the
    stories posted to each edition's Telegram channel.

    Label ``reach``: ``distribution`` is the content app holding the models."""

    name = "broadsheet.distribution"
    label = "reach"
    verbose_name = "Newsletters (reader side)"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from broadsheet.site.registry import Endpoint, PageKind, registry

        from . import pages, views

        registry.page(
            PageKind(
                "newsletter",
                "newsletter/",
                pages.newsletter,
                pages.one,
                frozenset({"site", "sections", "tips"}),
                feature=self.label,
            )
        )
        for endpoint in (
            Endpoint("newsletter-subscribe", "newsletter/subscribe/", views.subscribe),
            Endpoint("newsletter-confirm", "newsletter/confirm/", views.confirm),
            Endpoint("newsletter-unsubscribe", "newsletter/unsubscribe/", views.unsubscribe),
        ):
            registry.endpoint(endpoint)
        registry.slot("footer_nav", pages.footer_block, 60, True)
        from wagtail.signals import page_published

        from . import telegram

        page_published.connect(telegram.on_published, dispatch_uid="broadsheet-telegram")
        registry.templates(str(Path(__file__).resolve().parent / "templates" / "reader"))
        gettext_noop("Newsletter")
