"""allauth's adapter for the reader site (``ACCOUNT_ADAPTER``)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from broadsheet.content.readers.models import is_reader


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

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        if not is_reader(user):  # e.g. after a sign-up flow on an editor's address
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
