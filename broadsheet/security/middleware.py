"""Middleware of the security layer (docs/security.md): requests for a host that is not ours
refused before anything answers them, the second factor before the admin, the admin's own
Content-Security-Policy, and a throttle on password-reset mails."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from broadsheet.site.clients import client_address, rate_key

from . import twofactor

logger = logging.getLogger(__name__)

#: Admin paths (after the admin's prefix) open before the second factor is given.
OPEN_BEFORE_SECOND_FACTOR = ("login/", "logout/", "password_reset/", "2fa/", "jsi18n/")


class AllowedHostMiddleware:
    """Answer 400 to a request whose ``Host`` is not in ``ALLOWED_HOSTS`` — first in
    ``MIDDLEWARE``, so neither static files (WhiteNoise) nor the demo's baked files nor any
    view answer another host.

    Django would raise ``DisallowedHost`` at the first ``request.get_host()`` and log it as an
    ERROR with a traceback, one per request: a flood of bad ``Host`` headers would fill the
    logs. Here a refusal is one WARNING line on ``broadsheet.security.middleware`` (the host, cut
    to 80 characters and quoted, and the connecting address) — at most one per
    ``LOG_INTERVAL`` seconds per process; the next line says how many were refused in between.
    """

    LOG_INTERVAL = 60.0

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._lock = threading.Lock()
        self._logged_at: float | None = None
        self._unlogged = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            self._log(request)
            response = HttpResponseBadRequest(
                b"Bad Request (400): unknown host\n", content_type="text/plain; charset=utf-8"
            )
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "no-store"
            response._has_been_logged = True  # not again as django.request's "Bad Request"
            return response
        return self.get_response(request)

    def _log(self, request: HttpRequest) -> None:
        now = time.monotonic()
        with self._lock:
            if self._logged_at is not None and now - self._logged_at < self.LOG_INTERVAL:
                self._unlogged += 1
                return
            unlogged, self._unlogged, self._logged_at = self._unlogged, 0, now
        meta = request.META
        forwarded = settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta
        host = meta["HTTP_X_FORWARDED_HOST"] if forwarded else meta.get("HTTP_HOST", "")
        more = f" (and {unlogged} more since the last line)" if unlogged else ""
        logger.warning(
            "Refused a request for the unknown host %r from %s%s",
            host[:80],
            request.META.get("REMOTE_ADDR", "?"),
            more,
        )


class SecondFactorMiddleware:
    """In the Wagtail admin, a signed-in editor who has a second factor must give it (sent to
    ``/admin/2fa/verify/``), and one who must have one and has not (:func:`requires_second_factor`)
    must enrol first (``/admin/2fa/enrol/``): until then no page of the admin — nor publishing —
    is reachable. Needs django-otp's ``OTPMiddleware`` before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        return redirect or self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        admin = reverse("wagtailadmin_home")
        path = request.path_info
        user = getattr(request, "user", None)
        if user is None or not path.startswith(admin) or not user.is_authenticated:
            return None
        if path[len(admin) :].startswith(OPEN_BEFORE_SECOND_FACTOR) or user.is_verified():
            return None
        if twofactor.has_second_factor(user):
            target = reverse("security_2fa_verify")
        elif twofactor.requires_second_factor(user):
            target = reverse("security_2fa_enrol")
        else:
            return None
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class AdminPolicyMiddleware:
    """Give the Wagtail admin (and its document downloads) ``BROADSHEET_ADMIN_CSP`` instead of
    the reader pages' strict policy. Placed just inside django-csp's ``CSPMiddleware``."""

    PREFIXES = ("/admin/", "/documents/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(self.PREFIXES):
            response._csp_config = settings.BROADSHEET_ADMIN_CSP  # read by CSPMiddleware
        return response


class PasswordResetThrottleMiddleware:
    """At most ``BROADSHEET_PASSWORD_RESETS_PER_HOUR`` password-reset requests per client
    address (IPv6: per /64) and per e-mail address an hour (in the shared cache); more are
    answered 429 without sending mail, so the form cannot be used to flood an editor's inbox
    or to probe addresses quickly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_password_reset"):
            limit = settings.BROADSHEET_PASSWORD_RESETS_PER_HOUR
            email = request.POST.get("email", "").strip().lower()[:254]
            over = [
                _count(f"security:reset:{key}") > limit
                for key in (f"addr:{rate_key(client_address(request))}", f"mail:{email}")
            ]
            if any(over):
                response = TemplateResponse(
                    request, "security/too_many_resets.html", {"limit": limit}, status=429
                )
                response["Retry-After"] = "3600"
                return response.render()
        return self.get_response(request)


def _count(key: str) -> int:
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        return 1
