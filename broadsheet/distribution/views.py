"""Live endpoints of the newsletters: subscribe, confirm, unsubscribe.

``POST /newsletter/subscribe/`` (the form of the baked ``/newsletter/`` page and of every
page's footer) puts an address on the edition's list (and the section lists chosen), pending,
and queues the confirmation mail; the answer is the same whether the address was known or not,
so the form tells nobody who subscribes. ``/newsletter/confirm/?t=…`` and
``/newsletter/unsubscribe/?t=…`` answer a GET with a page and a button, and act on a POST
(link scanners of mail providers follow GET links; RFC 8058's one-click POST carries
``List-Unsubscribe=One-Click``). No login: the signed token is the proof.

Refused posts come back with the address in the form (nothing lost). Forms of baked pages
carry no per-visitor CSRF token: the views are exempt; abuse is bounded by the rate limits
(per client address — IPv6 per /64 — and for everyone, in the shared cache), the honeypot
field, and at most one confirmation mail per address per ``CONFIRM_MAIL_INTERVAL``.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from broadsheet.content import mailing
from broadsheet.content.distribution import conf, subscribers
from broadsheet.content.distribution.models import NewsletterList
from broadsheet.content.distribution.tasks import send_confirmation
from broadsheet.site.build import Build
from broadsheet.site.clients import client_address, count_hit, rate_key
from broadsheet.site.context import NoSite
from broadsheet.site.views import live_build, not_found, respond

HONEYPOT = "website"


def _hit(key: str, window: int) -> int:
    return count_hit("newsletter", key, window, time.time())


def rate_limited(request: HttpRequest) -> int | None:
    """Count a subscribe post; the seconds to wait if a limit is passed, else None."""
    key = rate_key(client_address(request))
    if _hit(f"addr-h:{key}", 3600) > conf.get("RATE_PER_ADDRESS_HOUR"):
        return 3600
    if _hit("all-m", 60) > conf.get("RATE_GLOBAL_MINUTE"):
        return 60
    return None


def section_lists(build: Build) -> list[NewsletterList]:
    """The section lists of the build's edition."""
    return list(
        NewsletterList.objects.filter(language=build.ctx.language, section__isnull=False)
        .select_related("section")
        .order_by("section__path")
    )


def answer(
    request: HttpRequest,
    build: Build,
    status: int,
    title: str,
    message: str,
    email: str = "",
    error: str = "",
    action: str = "",
    token: str = "",
    button: str = "",
    subscribe_form: bool = False,
) -> HttpResponse:
    """A live answer page (never baked, ``no-store``): ``message``, and a button form posting
    ``token`` to ``action``, or the subscribe form holding ``email``."""
    rendered = build.render(
        "newsletter_answer.html",
        request.path,
        status,
        title=title,
        message=message,
        answer_status=status,
        email=email,
        error=error,
        action=action,
        token=token,
        button=button,
        subscribe=subscribe_form,
        subscribe_url=build.urls.live("newsletter-subscribe"),
        lists=section_lists(build) if subscribe_form else [],
        honeypot=HONEYPOT,
    )
    response = respond(rendered)
    response["Cache-Control"] = "no-store"
    return response


def _build(request: HttpRequest) -> Build | None:
    try:
        return live_build(request)
    except NoSite:
        return None


@csrf_exempt
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe an address (POST ``email``, optionally ``list`` ids of section lists)."""
    build = _build(request)
    if build is None:
        return not_found(request)
    if request.method != "POST":
        return HttpResponseRedirect(build.url("newsletter"))
    email = request.POST.get("email", "")[:320]
    with build.activated():
        again = gettext("Subscribe")
        if request.POST.get(HONEYPOT):
            return answer(
                request,
                build,
                400,
                gettext("Not accepted"),
                gettext("The form was not filled in as expected. Please try again."),
                email=email,
                subscribe_form=True,
            )
        if build.read.site_info().frozen:
            return answer(
                request,
                build,
                403,
                gettext("Newsletter"),
                gettext("This site is an archive: it takes no more subscriptions."),
            )
        wait = rate_limited(request)
        if wait:
            response = answer(
                request,
                build,
                429,
                gettext("Too many requests"),
                gettext(
                    "Too many subscriptions were asked for from your address or to this site "
                    "in a short time. Please try again later."
                ),
                email=email,
                subscribe_form=True,
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            subscribers.normalize_email(email)
        except subscribers.BadAddress:
            return answer(
                request,
                build,
                400,
                again,
                gettext("This is not an e-mail address we can send to."),
                email=email,
                error=gettext("Please check the address."),
                subscribe_form=True,
            )
        chosen = {v for v in request.POST.getlist("list") if v.isdigit()}
        lists = [subscribers.edition_list(build.ctx.language, build.read.site_info().name)]
        lists += [n for n in section_lists(build) if str(n.pk) in chosen]
        waiting = subscribers.subscribe(email, lists)
        address = subscribers.normalize_email(email)
        interval = conf.get("CONFIRM_MAIL_INTERVAL")
        if waiting and cache.add(f"newsletter:confirm-mail:{address}", 1, timeout=interval):
            ids = [s.pk for s in waiting]
            url = build.absolute(build.urls.live("newsletter-confirm"))
            transaction.on_commit(lambda: send_confirmation.enqueue(ids, url))
        return answer(
            request,
            build,
            200,
            gettext("Check your inbox"),
            gettext(
                "If the address can receive our newsletter, a message with a confirmation "
                "link is on its way to it. Nothing will be sent until you open that link."
            ),
        )


def _link_error(request: HttpRequest, build: Build, error: mailing.LinkError) -> HttpResponse:
    if isinstance(error, mailing.LinkExpired):
        return answer(
            request,
            build,
            400,
            gettext("This link has expired"),
            gettext(
                "Confirmation links are good for seven days. Nothing was changed; subscribe "
                "again to get a new one."
            ),
            subscribe_form=True,
        )
    return answer(
        request,
        build,
        400,
        gettext("This link is not valid"),
        gettext(
            "The link is incomplete or was not made by this site. Nothing was changed. Copy "
            "the whole link from the message, or subscribe again."
        ),
        subscribe_form=True,
    )


@csrf_exempt
def confirm(request: HttpRequest) -> HttpResponse:
    """GET: a page with a "Confirm" button; POST: confirm the subscriptions of ``t``."""
    build = _build(request)
    if build is None:
        return not_found(request)
    token = (request.POST if request.method == "POST" else request.GET).get("t", "")
    with build.activated():
        try:
            if request.method != "POST":
                mailing.unsign(subscribers.CONFIRM, token, conf.get("CONFIRM_MAX_AGE"))
                return answer(
                    request,
                    build,
                    200,
                    gettext("Confirm your subscription"),
                    gettext("One more step: press the button to start receiving the newsletter."),
                    action=build.urls.live("newsletter-confirm"),
                    token=token,
                    button=gettext("Confirm my subscription"),
                )
            outcome = subscribers.confirm(token)
        except mailing.LinkError as error:
            return _link_error(request, build, error)
        if outcome.changed:
            title = gettext("You are subscribed")
            message = gettext("Thank you. %(address)s will receive the newsletter.")
        elif outcome.already:
            title = gettext("Already confirmed")
            message = gettext("%(address)s was already subscribed. Nothing was changed.")
        else:
            title = gettext("Nothing to confirm")
            message = gettext(
                "This subscription of %(address)s was cancelled or no longer exists. "
                "Nothing was changed; subscribe again if you wish."
            )
        return answer(request, build, 200, title, message % {"address": outcome.email})


@csrf_exempt
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """GET: a page with an "Unsubscribe" button; POST (the button, or RFC 8058's one-click
    ``List-Unsubscribe=One-Click`` from the mail client): unsubscribe ``t``."""
    build = _build(request)
    if build is None:
        return not_found(request)
    token = request.GET.get("t", "") or request.POST.get("t", "")
    with build.activated():
        try:
            if request.method == "POST":
                outcome = subscribers.unsubscribe(token)
            else:
                outcome = subscribers.read_unsubscribe(token)
        except mailing.LinkError as error:
            return _link_error(request, build, error)
        values = {"address": outcome.email}
        if outcome.missing:
            return answer(
                request,
                build,
                200,
                gettext("Not subscribed"),
                gettext("%(address)s is not on this list. Nothing was changed.") % values,
            )
        if request.method != "POST" and outcome.changed:
            name = outcome.changed[0].list.name
            return answer(
                request,
                build,
                200,
                gettext("Unsubscribe"),
                gettext("Stop sending %(list)s to %(address)s?") % {**values, "list": name},
                action=build.urls.live("newsletter-unsubscribe"),
                token=token,
                button=gettext("Unsubscribe"),
            )
        if outcome.changed:
            return answer(
                request,
                build,
                200,
                gettext("You are unsubscribed"),
                gettext("%(address)s will receive nothing more from this list.") % values,
            )
        return answer(
            request,
            build,
            200,
            gettext("Already unsubscribed"),
            gettext("%(address)s was already unsubscribed. Nothing was changed.") % values,
        )
