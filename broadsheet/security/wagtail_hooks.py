"""The two-factor screens in the Wagtail admin (``/admin/2fa/…``) and the account menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import twofactor, views


@hooks.register("register_admin_urls")
def two_factor_urls() -> list:
    return [
        path("2fa/enrol/", views.enrol, name="security_2fa_enrol"),
        path("2fa/verify/", views.verify, name="security_2fa_verify"),
        path("2fa/recovery-codes/", views.recovery_codes, name="security_2fa_recovery"),
        path("security/lockouts/", views.lockouts, name="security_lockouts"),
        path("security/second-factors/", views.second_factors, name="security_second_factors"),
        path(
            "security/second-factors/<int:user_id>/",
            views.second_factors,
            name="security_remove_second_factor",
        ),
    ]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def lockouts_menu_item() -> MenuItem:
    return AdministratorsMenuItem(
        _("Locked sign-ins"), reverse("security_lockouts"), icon_name="warning", order=910
    )


@hooks.register("register_settings_menu_item")
def second_factors_menu_item() -> MenuItem:
    return AdministratorsMenuItem(
        _("Second factors"), reverse("security_second_factors"), icon_name="lock", order=905
    )


@hooks.register("register_user_listing_buttons")
def remove_second_factor_button(user, request_user) -> list:
    """In the admin's list of users (administrators only): "Remove second factor"."""
    if not request_user.is_superuser or not any(devices_for_user(user, confirmed=None)):
        return []
    url = reverse("security_remove_second_factor", args=[user.pk])
    return [Button(_("Remove second factor"), url, icon_name="lock", priority=90)]


@hooks.register("register_log_actions")
def second_factor_log_actions(actions) -> None:
    actions.register_action(
        twofactor.REMOVED_ACTION, _("Remove second factor"), _("Second factor removed")
    )


@hooks.register("register_settings_menu_item")
def two_factor_menu_item() -> MenuItem:
    return MenuItem(
        _("Two-factor recovery codes"),
        reverse("security_2fa_recovery"),
        icon_name="lock",
        order=900,
    )
