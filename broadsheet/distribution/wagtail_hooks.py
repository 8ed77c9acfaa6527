"""The admin's "Newsletters" menu item and its screens (:mod:`.admin_views`)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("newsletters/", admin_views.index, name="newsletters"),
        path("newsletters/send-story/", admin_views.send_story, name="newsletters_send_story"),
        path(
            "newsletters/issues/<int:issue_id>/", admin_views.issue_detail, name="newsletters_issue"
        ),
        path(
            "newsletters/issues/<int:issue_id>/resume/",
            admin_views.resume,
            name="newsletters_resume",
        ),
        path(
            "newsletters/lists/<int:list_id>/export/", admin_views.export, name="newsletters_export"
        ),
        path(
            "newsletters/lists/<int:list_id>/import/",
            admin_views.import_,
            name="newsletters_import",
        ),
    ]


class NewslettersMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("distribution.view_subscription")


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return NewslettersMenuItem(
        _("Newsletters"), reverse("newsletters"), icon_name="mail", order=910
    )
