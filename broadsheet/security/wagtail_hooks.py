"""The two-factor screens in the Wagtail admin (``/admin/2fa/…``) and the account menu."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def two_factor_urls() -> list:
    return [
        path("2fa/enrol/", views.enrol, name="security_2fa_enrol"),
        path("2fa/verify/", views.verify, name="security_2fa_verify"),
        path("2fa/recovery-codes/", views.recovery_codes, name="security_2fa_recovery"),
        path("security/lockouts/", views.lockouts, name="security_lockouts"),
    ]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def lockouts_menu_item() -> MenuItem:
    return AdministratorsMenuItem(
        "Locked sign-ins", reverse("security_lockouts"), icon_name="warning", order=910
    )


@hooks.register("register_settings_menu_item")
def two_factor_menu_item() -> MenuItem:
    return MenuItem(
        "Two-factor recovery codes", reverse("security_2fa_recovery"), icon_name="lock", order=900
    )
