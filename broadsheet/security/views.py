"""The admin's two-factor screens: enrol an authenticator app (with recovery codes), give the
second factor after signing in, and make new recovery codes. Registered under ``/admin/2fa/``
(``wagtail_hooks.py``)."""

from __future__ import annotations

import base64
import json
import logging

import segno
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import twofactor

logger = logging.getLogger("broadsheet.security.csp")
MAX_REPORT_BYTES = 16 * 1024


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """``POST /csp-report/``: a browser's Content-Security-Policy violation report (CSP Level 2
    ``{"csp-report": {...}}``, ``application/csp-report``). Logged as a warning with the page,
    the directive and what was blocked; answered 204. Reports over 16 KiB or not JSON: 400."""
    body = request.read(MAX_REPORT_BYTES + 1)
    try:
        if len(body) > MAX_REPORT_BYTES:
            raise ValueError("too long")
        report = json.loads(body).get("csp-report", {})
        if not isinstance(report, dict):
            raise ValueError("not an object")
    except (ValueError, AttributeError):
        return HttpResponse("Not a CSP report.\n", status=400, content_type="text/plain")
    logger.warning(
        "CSP violation on %s: %s blocked %s",
        str(report.get("document-uri", ""))[:300],
        str(report.get("violated-directive") or report.get("effective-directive", ""))[:100],
        str(report.get("blocked-uri", ""))[:300],
    )
    return HttpResponse(status=204)


def _next(request: HttpRequest) -> str:
    """Where to go afterwards: ``next`` if it is a path of this site, else the admin's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Show a new authenticator key (QR code as inline SVG, and as text to type) and confirm
    it with a code from the app; then show ten recovery codes once."""
    user = request.user
    if twofactor.has_second_factor(user):
        return HttpResponseRedirect(reverse("security_2fa_verify") + "?next=" + _next(request))
    device = twofactor.pending_totp(user)
    error = ""
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        if code and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = twofactor.new_recovery_codes(user)
            context = {"codes": codes, "next": _next(request)}
            return render(request, "security/recovery_codes.html", context)
        error = _(
            "That code is not the one your app shows now. Check the app's clock and try again."
        )
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code"),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "error": error,
        "next": _next(request),
        "required": twofactor.requires_second_factor(user),
    }
    return render(request, "security/enrol.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the authenticator app (or a recovery code) after signing in."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return HttpResponseRedirect(reverse("security_2fa_enrol") + "?next=" + _next(request))
    error = ""
    if request.method == "POST":
        device = twofactor.match_code(user, request.POST.get("code", ""))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        error = _(
            "That code is not right, was used already, or came too soon after a wrong one. "
            "Wait for the next code and try again."
        )
    context = {"error": error, "next": _next(request)}
    return render(request, "security/verify.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make ten new recovery codes (the old ones stop working); only after the second factor."""
    if not request.user.is_verified():
        return HttpResponseRedirect(reverse("security_2fa_verify") + "?next=" + request.path)
    if request.method == "POST":
        codes = twofactor.new_recovery_codes(request.user)
        context = {"codes": codes, "next": reverse("wagtailadmin_home")}
        return render(request, "security/recovery_codes.html", context)
    return render(request, "security/new_codes.html", {})


def _locked(field: str) -> list[dict]:
    """Accounts (``field="username"``) or addresses (``"ip_address"``) with at least
    ``AXES_FAILURE_LIMIT`` failed sign-ins on record: what django-axes locks."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Max, Sum

    return list(
        AccessAttempt.objects.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )


@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """``/admin/security/lockouts/`` (administrators only): the accounts and addresses locked
    after failed sign-ins, each with an "Unlock" button (django-axes' ``reset``)."""
    from axes.utils import reset
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        username, address = request.POST.get("username"), request.POST.get("ip_address")
        if username:
            reset(username=username)
            messages.success(
                request, _("The account %(name)s can sign in again.") % {"name": username}
            )
        elif address:
            reset(ip=address)
            messages.success(
                request, _("Sign-ins from %(address)s are possible again.") % {"address": address}
            )
        return HttpResponseRedirect(reverse("security_lockouts"))
    context = {"accounts": _locked("username"), "addresses": _locked("ip_address")}
    return render(request, "security/lockouts.html", context)


@require_http_methods(["GET", "POST"])
def second_factors(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    """``/admin/security/second-factors/`` (administrators only): the accounts with a second
    factor, each with a "Remove" button for an editor who lost the phone and the recovery
    codes; ``…/<user_id>/`` asks to confirm for one account, and a POST there removes its
    devices (:func:`.twofactor.remove_second_factor`: audit-logged; the editor enrols again)."""
    from django.contrib import messages
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404
    from django_otp import device_classes

    if not request.user.is_superuser:
        raise PermissionDenied
    users = get_user_model().objects
    if user_id is None:
        ids = {i for m in device_classes() for i in m.objects.values_list("user_id", flat=True)}
        listed = users.filter(pk__in=ids).order_by("username")
        return render(request, "security/second_factors.html", {"accounts": listed})
    account = get_object_or_404(users, pk=user_id)
    if request.method == "POST":
        removed = twofactor.remove_second_factor(account, by=request.user)
        messages.success(
            request,
            _(
                "Removed the second factor of %(name)s (%(count)s devices): they set up a new "
                "authenticator app at their next sign-in."
            )
            % {"name": account.get_username(), "count": removed},
        )
        return HttpResponseRedirect(reverse("security_second_factors"))
    context = {
        "account": account,
        "enrolled": twofactor.has_second_factor(account),
        "required": twofactor.requires_second_factor(account),
    }
    return render(request, "security/remove_second_factor.html", context)
