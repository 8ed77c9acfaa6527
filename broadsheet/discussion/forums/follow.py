"""Following a topic by e-mail: the topic page's button, and the unsubscribe link of the mail.

* ``POST /forums/follow/<topic>/`` (signed-in reader, CSRF): ``action=follow`` with ``mode``
  (``immediate`` or ``digest``) subscribes or changes the mode; ``action=unfollow`` ends it.
  Back to the topic page.
* ``/forums/unsubscribe/?t=…`` — the mail's signed link, no login: a GET shows what it would
  end and a button; a POST (the button, or a mail client's RFC 8058 one-click POST of
  ``List-Unsubscribe=One-Click``) ends it. Exempt from CSRF: the signed token is the proof,
  and a mail client has no CSRF cookie. A token this site did not sign is refused (400).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.content import mailing
from broadsheet.content.forums import subscriptions
from broadsheet.content.forums.models import Subscription
from broadsheet.content.readers.models import is_reader
from broadsheet.site.registry import NotFound
from broadsheet.site.views import live_build, not_found, respond

from . import pages
from .views import HttpResponseSeeOther, _login_redirect, shown_topic


@require_POST
def follow(request: HttpRequest, topic: int) -> HttpResponse:
    """Follow (``action=follow``, ``mode``) or stop following (``action=unfollow``) a topic."""
    try:
        build = live_build(request)
    except NotFound:  # pragma: no cover
        return not_found(request)
    found = shown_topic(request, topic)
    if found is None:
        return not_found(request)
    back = pages.topic_path(build, found)
    if not is_reader(request.user):
        return _login_redirect(request, back)
    if request.POST.get("action") == "unfollow":
        Subscription.objects.filter(user=request.user, topic=found).delete()
        return HttpResponseSeeOther(back + "?following=0#follow")
    mode = request.POST.get("mode", Subscription.Mode.IMMEDIATE)
    if mode not in Subscription.Mode.values:
        mode = Subscription.Mode.IMMEDIATE
    subscriptions.subscribe(request.user, found, mode)
    return HttpResponseSeeOther(back + "?following=1#follow")


def _answer(request: HttpRequest, build, status: int, title: str, message: str, **extra):
    extra = {"titles": [], "action": "", "token": "", **extra}
    rendered = build.render(
        "forums/unsubscribe.html",
        request.path,
        status=status,
        title=title,
        message=message,
        answer_status=status,
        viewer=None,
        sample_note="",
        **extra,
    )
    response = respond(rendered)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """The mail's one-click unsubscribe link (see the module docstring)."""
    try:
        build = live_build(request)
    except NotFound:  # pragma: no cover
        return not_found(request)
    token = request.GET.get("t", "") or request.POST.get("t", "")
    with build.activated():
        try:
            if request.method == "POST":
                done = subscriptions.unsubscribe(token)
            else:
                done = subscriptions.read_token(token)
        except mailing.LinkError:
            return _answer(
                request,
                build,
                400,
                _("This link does not work"),
                _("The link is incomplete or was altered. Nothing was changed."),
            )
        if request.method == "POST":
            if done.removed:
                return _answer(
                    request,
                    build,
                    200,
                    _("You are unsubscribed"),
                    _("You will receive no more mail about these topics."),
                    titles=done.titles,
                )
            return _answer(
                request,
                build,
                200,
                _("Already unsubscribed"),
                _("There was nothing left to end. Nothing was changed."),
            )
        if not done.titles:
            return _answer(
                request,
                build,
                200,
                _("Already unsubscribed"),
                _("There was nothing left to end. Nothing was changed."),
            )
        message = (
            _("Stop mail about this topic?")
            if done.topic_id
            else _("Stop all mail from the forums about these topics?")
        )
        return _answer(
            request,
            build,
            200,
            _("Unsubscribe"),
            message,
            titles=done.titles,
            action=build.urls.live("forum-unsubscribe"),
            token=token,
        )
