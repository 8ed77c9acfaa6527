"""Messages ("Signed in as Sara", "You have signed out") live for one redirect.

allauth and the account pages leave a message for the page after a form. The reader site's
pages are baked or shared by caches, and only some can show one: the account pages, and the
forum pages a signed-in reader sees (:func:`broadsheet.discussion.forums.views.viewer_for`
hands them the messages). A message the next page could not show used to wait in the session
and pop up on an account page visited much later ("Successfully signed in", hours after).

:class:`NoticesMiddleware` makes the rule plain: the first page answered after the action —
any answer but a redirect — consumes the messages, shown or not. The newsroom's admin keeps
Django's behaviour (its pages all show messages).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
