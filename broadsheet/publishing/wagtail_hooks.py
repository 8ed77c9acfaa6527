"""Register the bake status page in the Wagtail admin (menu item "Publishing")."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("baking/", views.status, name="baking_status")]


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return MenuItem(_("Publishing"), reverse("baking_status"), icon_name="upload", order=900)


@hooks.register("construct_homepage_panels")
def add_desk_panel(request: Any, panels: list) -> None:
    """The editor's dashboard panel: what waits, what is scheduled, the last bakes."""
    from .dashboard import DeskPanel

    panels.insert(0, DeskPanel())
