"""allauth's adapter for the reader site (``ACCOUNT_ADAPTER``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from broadsheet.content import mailing
from broadsheet.content.readers.models import Reader, is_reader
from broadsheet.content.readers.names import unlinked

from . import notices
from .language import landing_language, recipient_language


def user_display(user: Any) -> str:
    """How allauth names an account to people (``ACCOUNT_USER_DISPLAY``: its messages
    "Signed in as …", its mails "user … has given your address"): a reader's display name,
    never the internal username; an editor's full name, else their username. A name from
    before links were refused in names is written with its links broken
    (``names.unlinked``: ``evil[.]example``), so no mail client makes a link of it."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = Reader.objects.filter(user_id=user.pk).values_list("display_name", flat=True).first()
    return unlinked(name or user.get_full_name() or user.get_username())


@dataclass(frozen=True)
class NewsroomSite:
    """What allauth's mail templates read from ``current_site``: ``name`` (the newsroom's,
    in the greeting, the sign-off and the sentence that says where the account is), ``domain``
    (the request's host, which our mail templates no longer show) and ``url`` (the front page
    of the mail's edition, under the sign-off)."""

    name: str
    domain: str
    url: str = ""


class ReaderAccountAdapter(DefaultAccountAdapter):
    """Every account made through the reader site is a reader's (the sign-up form's
    ``signup`` makes the profile); a frozen site (archive mode) takes no new readers; the
    sign-in never lets an account without a reader profile through."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        from broadsheet.site.context import NoSite
        from broadsheet.site.views import live_build

        try:
            frozen = live_build(request).read.discussion_info().frozen
        except NoSite:  # no site yet: nothing is frozen
            frozen = False
        return not frozen and super().is_open_for_signup(request)

    def newsroom(self) -> NewsroomSite:
        """The newsroom as allauth's mails name it (``current_site``): the ``site_name`` of
        the edition in the mail's language (the newsroom settings), and the request's host —
        not Django's ``RequestSite``, whose name is the bare host ("Hello from 127.0.0.1")."""
        from broadsheet.site.context import NoSite
        from broadsheet.site.editions import by_language, default_edition
        from broadsheet.site.views import live_build

        request = self.request
        domain = request.get_host() if request is not None else ""
        edition = by_language(translation.get_language() or "")
        try:
            name = live_build(request, edition).read.site_info().name
        except (NoSite, AttributeError):
            name = ""
        front = (edition or default_edition()).path_prefix + "/"
        url = request.build_absolute_uri(front) if request is not None else ""
        return NewsroomSite(name or settings.WAGTAIL_SITE_NAME, domain, url)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail, in its recipient's profile language (a reader asking for a reset
        on an English page still gets the Persian mail), naming the newsroom."""
        language = recipient_language(email) or translation.get_language()
        with translation.override(language):
            context = {**context, "current_site": self.newsroom()}
            super().send_mail(template_prefix, email, context)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """allauth's message, in the language of the page it will be shown on (a reader
        signing in from ``/fa/forums/`` is greeted in Persian there, one signing in from an
        account page in their profile's language), marked with that language
        (:mod:`.notices`)."""
        language = landing_language(request)
        with translation.override(language):
            super().add_message(
                request,
                level,
                message_template,
                message_context,
                notices.tagged(language, extra_tags),
                message,
            )

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """After signing out (with no ``next``): the front page of the edition the account
        pages spoke — a Persian reader lands on ``/fa/``, not the English front."""
        from broadsheet.site.editions import by_language, default_edition

        edition = by_language(translation.get_language() or "") or default_edition()
        return edition.path_prefix + "/"

    def format_email_subject(self, subject: str) -> str:
        """``[Newsroom name] subject`` (``ACCOUNT_EMAIL_SUBJECT_PREFIX``, when set, wins)."""
        prefix = app_settings.EMAIL_SUBJECT_PREFIX or f"[{self.newsroom().name}] "
        return prefix + str(subject)

    def get_from_email(self) -> str:
        """``"Newsroom name" <DEFAULT_FROM_EMAIL>`` (a display name already in the setting
        wins)."""
        return mailing.sender(self.newsroom().name)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        if not is_reader(user):  # e.g. after a sign-up flow on an editor's address
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
