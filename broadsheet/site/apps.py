from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete


class SiteConfig(AppConfig):
    """The site model: context, registry of page kinds, read model, renderer, listing index.

    At start-up it installs the content model's seams (reserved slugs, the page server) and
    connects the listing index and retired paths to the content's signals."""

    name = "broadsheet.site"
    label = "site"
    verbose_name = "Site model"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from broadsheet.content.newsroom import hooks
        from broadsheet.content.newsroom.models import (
            FrontPage,
            SectionPage,
            StoryAuthor,
            StoryPage,
            StoryTag,
        )

        from . import editions, facts, listings, retired, views
        from .registry import registry

        hooks.set_reserved_slugs(registry.reserved_slugs)
        hooks.set_page_server(views.serve_page)
        registry.reserve("admin", "documents", "media", "static", "django-admin", "pagefind")
        registry.reserve(*editions.prefixes())

        def story_saved(sender, instance, **kwargs):
            listings.mark([instance.id])

        def relation_saved(sender, instance, **kwargs):
            story_id = getattr(instance, "story_id", None) or getattr(
                instance, "content_object_id", None
            )
            listings.mark([story_id])

        def page_changed(sender, instance, **kwargs):
            specific = getattr(instance, "specific_deferred", instance)
            if isinstance(specific, StoryPage):
                listings.mark([instance.id])
            elif isinstance(specific, SectionPage | FrontPage):
                listings.mark_subtree(instance.path)

        def page_moved(sender, instance, **kwargs):
            listings.mark_subtree(instance.path)

        uid = "broadsheet.site.listings"
        post_save.connect(story_saved, sender=StoryPage, dispatch_uid=uid + ".story", weak=False)
        post_delete.connect(
            story_saved, sender=StoryPage, dispatch_uid=uid + ".story-del", weak=False
        )
        for model in (StoryTag, StoryAuthor):
            post_save.connect(
                relation_saved, sender=model, dispatch_uid=f"{uid}.{model.__name__}", weak=False
            )
            post_delete.connect(
                relation_saved, sender=model, dispatch_uid=f"{uid}.{model.__name__}-del", weak=False
            )
        page_published.connect(page_changed, dispatch_uid=uid + ".published", weak=False)
        page_unpublished.connect(page_changed, dispatch_uid=uid + ".unpublished", weak=False)
        post_page_move.connect(page_moved, dispatch_uid=uid + ".moved", weak=False)
        post_delete.connect(
            page_changed, sender=SectionPage, dispatch_uid=uid + ".section-del", weak=False
        )

        page_unpublished.connect(
            retired.retire_unpublished, dispatch_uid="site.retire-unpub", weak=False
        )
        pre_delete.connect(
            retired.retire_deleted, sender=StoryPage, dispatch_uid="site.retire-del", weak=False
        )
        page_published.connect(retired.unretire_published, dispatch_uid="site.unretire", weak=False)

        def after_migrate(sender, **kwargs):
            if sender.label == self.label:
                listings.ensure_current()

        facts.connect()
        post_migrate.connect(after_migrate, dispatch_uid=uid + ".migrate", weak=False)
