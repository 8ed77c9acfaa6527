"""The language of the account pages and of the mails sent to a reader.

A reader who came from the Persian edition gets allauth's pages (sign-up, the "confirm your
e-mail" notice, the confirmation, sign-in, password reset) and its mails in Persian — allauth's
own ``fa`` catalogue and ours — with ``lang="fa" dir="rtl"`` (:mod:`.shell`). The language of a
request under ``/accounts/`` is, in this order:

1. the signed-in reader's profile language;
2. the edition of the page they came from (``?next=/fa/…``, or the form's ``next``);
3. the profile language of the account a mail's link names — a confirmation key (also one
   already used: "this address is already confirmed"), a password reset key — once the key
   is checked as allauth checks it (a made-up key tells nothing);
4. the language an earlier account page of the same session spoke (so the pages after a form
   — "we have sent you a mail", the set-password form — keep it);
5. the browser's ``Accept-Language``.

A mail from allauth goes out in its recipient's profile language (:func:`recipient_language`),
whatever page sent it: a Persian reader asking for a password reset on an English page gets
the Persian mail. A message ("Signed in as …") is written in the language of the page it
will be shown on (:func:`landing_language`): the ``next`` page's edition, else the reader's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from broadsheet.content.readers.models import Reader, is_reader
from broadsheet.site import editions

ACCOUNT_PREFIXES = ("/accounts/",)
SESSION_KEY = "broadsheet_account_language"


def _profile_language(*where: Q, **lookup: object) -> str | None:
    """The profile language of the reader matching the lookup, if an edition speaks it."""
    found = Reader.objects.filter(*where, **lookup).values_list("language", flat=True).first()
    return found if found and editions.by_language(found) else None


def reader_language(user: Any) -> str | None:
    """The profile language of ``user`` when it is a reader's account (else None)."""
    return _profile_language(user_id=user.pk) if is_reader(user) else None


def recipient_language(email: str) -> str | None:
    """The profile language of the reader whose account has the address ``email`` (None for
    an address of no reader's account)."""
    if not email:
        return None
    return _profile_language(
        Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email)
    )


def confirmed_address(key: str) -> Any:
    """The e-mail address a confirmation ``key`` of this site names when that address is
    already confirmed (the link followed a second time), else None. allauth's ``from_key``
    knows only keys still to be used; a key is this site's when its signature holds (an old
    link still names its address: it is only too late to confirm with it)."""
    from allauth.account import app_settings
    from allauth.account.models import EmailAddress, EmailConfirmation
    from django.core import signing

    if app_settings.EMAIL_CONFIRMATION_HMAC:
        try:
            pk = signing.loads(key, salt=app_settings.SALT)
        except signing.BadSignature:
            return None
        return EmailAddress.objects.filter(pk=pk, verified=True).first()
    found = EmailConfirmation.objects.filter(key=key.lower(), email_address__verified=True)
    return EmailAddress.objects.filter(emailconfirmation__in=found).first()


def _link_language(request: HttpRequest) -> str | None:
    """The profile language of the account named by the key in a mail's link."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name == "account_confirm_email":
        from allauth.account.models import get_emailconfirmation_model

        key = match.kwargs.get("key", "")
        confirmation = get_emailconfirmation_model().from_key(key)
        address = confirmation.email_address if confirmation else confirmed_address(key)
        if address is None:
            return None
        return _profile_language(user_id=address.user_id)
    if match.url_name == "account_reset_password_from_key":
        from allauth.account.forms import UserTokenForm

        form = UserTokenForm(data={k: match.kwargs.get(k, "") for k in ("uidb36", "key")})
        if not form.is_valid():  # also the key-less set-password address: the session's
            return None
        return _profile_language(user_id=form.reset_user.pk)
    return None


def _next_path(request: HttpRequest) -> str:
    """The request's ``next`` (query or form) when it is a path on this site, else ""."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else ""


def landing_language(request: HttpRequest) -> str:
    """The language of the page a message left now will be shown on: the edition of the
    ``next`` page when it is a reader page (a sign-in from ``/fa/forums/`` lands there, and
    is greeted in Persian whatever the profile says); otherwise an account page, which speaks
    the signed-in reader's profile language, or else the language of this one."""
    target = _next_path(request)
    if target and not target.startswith(ACCOUNT_PREFIXES):
        return editions.for_path(target).language
    return reader_language(getattr(request, "user", None)) or translation.get_language() or ""


def request_language(request: HttpRequest) -> str:
    """The language of the account pages for ``request`` (see the module docstring)."""
    language = reader_language(getattr(request, "user", None))
    if language:
        return language
    target = _next_path(request)
    if target:
        return editions.for_path(target).language
    language = _link_language(request)
    if language:
        return language
    session = getattr(request, "session", None)
    remembered = session.get(SESSION_KEY) if session is not None else None
    if remembered and editions.by_language(remembered):
        return remembered
    return translation.get_language_from_request(request)


class LanguageMiddleware:
    """Speak the account pages' language (:func:`request_language`) under ``/accounts/``,
    and remember it in the session for the account pages that follow."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(ACCOUNT_PREFIXES):
            return self.get_response(request)
        language = request_language(request)
        with translation.override(language):
            response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) != language:
            session[SESSION_KEY] = language  # kept across sign-in and sign-out (cycle_key)
        response.headers.setdefault("Cache-Control", "private, no-store")
        response.headers.setdefault("Vary", "Cookie, Accept-Language")
        response.headers.setdefault("Content-Language", language)
        return response
