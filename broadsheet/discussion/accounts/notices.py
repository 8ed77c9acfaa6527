"""Messages ("Signed in as Sara", "You have signed out") live for one redirect.

allauth and the account pages leave a message for the page after a form. The reader site's
pages are baked or shared by caches, and only some can show one: the account pages, and the
forum pages a signed-in reader sees (:func:`broadsheet.discussion.forums.views.viewer_for`
hands them the messages). A message the next page could not show used to wait in the session
and pop up on an account page visited much later ("Successfully signed in", hours after).

:class:`NoticesMiddleware` makes the rule plain: the first page answered after the action —
any answer but a redirect — consumes the messages, shown or not. The newsroom's admin keeps
Django's behaviour (its pages all show messages).

Each message carries the language it was written in (an ``extra_tags`` entry ``lang-fa``,
:func:`add`): it is written in the language of the page it will be shown on (see
:func:`broadsheet.discussion.accounts.language.landing_language`), and should it still be
shown on a page of another language, the ``notice_lang`` filter gives its element the
``lang`` and ``dir`` of its own (:func:`language_attrs`), so a screen reader speaks it in the
right voice and a Persian line reads right to left on an English page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

REDIRECTS = frozenset({301, 302, 303, 307, 308})
LANG_TAG = "lang-"


def tagged(language: str, extra_tags: str = "") -> str:
    """``extra_tags`` with the message's ``language`` added (``lang-fa``)."""
    return " ".join(t for t in (extra_tags, LANG_TAG + language if language else "") if t)


def add(request: HttpRequest, level: int, text: str, language: str | None = None) -> None:
    """Leave message ``text`` (already translated) for the next page, marked with the
    language it is written in (``language``, else the active one)."""
    messages.add_message(
        request, level, text, extra_tags=tagged(language or translation.get_language() or "")
    )


def language_of(message: Any) -> str:
    """The language a message was written in ("" when it was not marked)."""
    for tag in (getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(LANG_TAG):
            return tag[len(LANG_TAG) :]
    return ""


def language_attrs(message: Any) -> SafeString:
    """`` lang="…" dir="…"`` for a message written in another language than the page's
    (the active language), else nothing: the attributes of its list item."""
    language = language_of(message)
    page = translation.get_language() or ""
    if not language or language.split("-")[0] == page.split("-")[0]:
        return mark_safe("")
    try:
        rtl = translation.get_language_info(language)["bidi"]
    except KeyError:
        return mark_safe(f' lang="{escape(language)}" dir="auto"')
    return mark_safe(f' lang="{escape(language)}" dir="{"rtl" if rtl else "ltr"}"')


class NoticesMiddleware:
    """Consume the pending messages on every reader-site answer that is not a redirect
    (placed after ``MessageMiddleware``, so that its answer stores what is left)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.admin:
            self.admin = reverse("wagtailadmin_home")
        if (
            response.status_code not in REDIRECTS
            and hasattr(request, "_messages")
            and not request.path_info.startswith(self.admin)
        ):
            for _message in messages.get_messages(request):
                pass  # iterating marks them used: MessageMiddleware then drops them
        return response
