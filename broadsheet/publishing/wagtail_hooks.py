"""Register the bake status page in the Wagtail admin (menu item "Publishing")."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("baking/", views.status, name="baking_status")]


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return MenuItem("Publishing", reverse("baking_status"), icon_name="upload", order=900)
