"""Readers and editors kept apart.

* :class:`ReaderBackend` — the reader sign-in (allauth, by e-mail address) accepts only reader
  accounts; editors sign in at ``/admin/``.
* :class:`ReaderAdminRefusalMiddleware` — a request for the Wagtail admin from a signed-in
  reader is answered 403 (the site's own error page), whatever the account's
  ``is_staff``/``is_superuser`` flags say: the
  :class:`~broadsheet.content.readers.models.Reader` profile decides.
* :class:`AdminLoginForm` (``WAGTAILADMIN_USER_LOGIN_FORM``) — the admin's sign-in form refuses
  reader accounts as if the password were wrong.
* :func:`axes_username` (``AXES_USERNAME_CALLABLE``) — django-axes counts failed sign-ins per
  account for both forms: the admin's ``username`` and the reader form's ``email``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm

from broadsheet.content.readers.models import is_reader
from broadsheet.site.views import forbidden


class ReaderBackend(AuthenticationBackend):
    """allauth's authentication by e-mail address, for reader accounts only (returns None for
    any other account, and for credentials without ``email``: the admin's username sign-in is
    Django's ``ModelBackend``)."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> Any:
        if not credentials.get("email"):
            return None
        user = super().authenticate(request, **credentials)
        return user if user is not None and is_reader(user) else None


class ReaderAdminRefusalMiddleware:
    """403 for every admin URL requested by a signed-in reader (after
    ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.prefix:
            self.prefix = reverse("wagtailadmin_home")
        if request.path_info.startswith(self.prefix) and is_reader(getattr(request, "user", None)):
            return forbidden(
                request, gettext_lazy("A reader's account cannot use the newsroom's admin.")
            )
        return self.get_response(request)


class AdminLoginForm(LoginForm):
    """Wagtail's sign-in form, refusing reader accounts with the wrong-password message."""

    def confirm_login_allowed(self, user: Any) -> None:
        if is_reader(user):
            raise self.get_invalid_login_error()
        super().confirm_login_allowed(user)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account name django-axes counts failures for: the ``username`` (admin) or the
    ``email`` (reader sign-in, lower-cased) of the credentials, else of the posted form."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("username", "email", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower() if key != "username" else str(value)
    return None
