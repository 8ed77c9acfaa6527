"""Live endpoints of the discussion: the forms of baked pages post here.

``POST /discussion/comments/``, ``/discussion/guestbook/``, ``/discussion/letters/`` and
``/discussion/authors/<slug>/`` store a submission and send the reader back (303) to the page
they came from, at an anchor that shows "awaiting moderation" / "sent" without JavaScript
(``#comment-held``, ``#entry-held``, ``#letter-sent``, ``#message-sent``). Anything refused is
answered by a page holding the reader's text, intact, and the reason (400, 403, 404, 409, 429).

Every answer is in the language of the edition whose path the form posted to (``/fa/discussion/…``
answers in Persian, right to left): the views run inside :func:`in_edition`, so the forms'
validation messages and the answers (English msgids, translated here) are the edition's.

These views are exempt from Django's per-visitor CSRF token (a baked page cannot carry one);
:mod:`.guard` checks origin, form token, honeypot and rate limits instead — see
docs/discussion.md. They are declared as endpoints in the site registry (:mod:`.apps`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from markupsafe import Markup, escape

from broadsheet.content.discussion import conf
from broadsheet.content.discussion.models import (
    AuthorMessage,
    Comment,
    CommentStatus,
    GuestbookEntry,
    Letter,
    LetterStatus,
)
from broadsheet.content.discussion.tasks import (
    deliver_author_message,
    deliver_held_notice,
    deliver_letter,
)
from broadsheet.content.newsroom.models import Author, StoryPage
from broadsheet.site import dates, editions
from broadsheet.site.build import Build
from broadsheet.site.data import CommentRef
from broadsheet.site.views import live_build, not_found, respond

from . import guard
from .cleaning import normalize_line, normalize_text
from .forms import AuthorMessageForm, CommentForm, GuestbookForm, LetterForm, ReaderForm
from .formui import build_form
from .pages import discussion_answer
from .state import comments_state

logger = logging.getLogger(__name__)


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def in_edition(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` speaking the language (gettext) and calendar of the edition of the
    request's path, so validation messages and answer pages are the edition's."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        edition = editions.for_path(request.path_info)
        language = translation.get_supported_language_variant(edition.language)
        with translation.override(language), dates.using(edition.calendar):
            return view(request, *args, **kwargs)

    return wrapper


def _noun(ctx: Context) -> str:
    """The translated name of what the reader sent ("comment", "letter"…)."""
    return pgettext("submission", ctx.noun)


@dataclass
class Context:
    """What an answer page needs: the request's build, the form kind and target, where "back"
    goes, hidden fields."""

    build: Build
    kind: str
    target: str | int
    back_url: str
    back_text: str
    hidden: tuple[tuple[str, str], ...] = ()
    noun: str = "text"  # an English msgid of context "submission", translated by _noun


# the names of what readers send, translated by _noun (listed here for makemessages)
NOUNS = (
    pgettext_lazy("submission", "text"),
    pgettext_lazy("submission", "comment"),
    pgettext_lazy("submission", "entry"),
    pgettext_lazy("submission", "letter"),
    pgettext_lazy("submission", "message"),
    pgettext_lazy("submission", "reply"),
)


def _echo(request: HttpRequest, kind: str) -> dict[str, str]:
    """The reader's values, to put back in the form (normalised as they would be stored)."""
    values = {}
    for name in ("name", "email", "place", "subject", "text"):
        raw = request.POST.get(name, "")
        values[name] = normalize_text(raw) if name == "text" else normalize_line(raw)
    return values


def _answer(
    request: HttpRequest,
    ctx: Context,
    status: int,
    title: str,
    message: str,
    errors: dict[str, str] | None = None,
    preview: str = "",
    quote: Any = None,
) -> HttpResponse:
    build = ctx.build
    form = build_form(
        build,
        ctx.kind,
        ctx.target,
        values=_echo(request, ctx.kind),
        errors=errors,
        fresh=True,
        hidden=ctx.hidden,
        id="resend",
    )
    rendered = discussion_answer(
        build, form, status, title, message, ctx.back_url, ctx.back_text, preview, quote
    )
    response = respond(rendered)
    response["Cache-Control"] = "no-store"
    return response


def _checks(
    request: HttpRequest, ctx: Context, form: ReaderForm, open_reason: str = ""
) -> HttpResponse | None:
    """Every check shared by the forms, in order; an answer page if one fails, else None."""
    noun = _noun(ctx)
    wait = guard.rate_limited(guard.client_address(request))
    if wait:
        response = _answer(
            request,
            ctx,
            429,
            _("Too many messages"),
            _(
                "Too many messages have been sent from your address or to this site in a short "
                "time. Your %(noun)s was not sent; it is kept below. Please send it again in a "
                "few minutes."
            )
            % {"noun": noun},
        )
        response["Retry-After"] = str(wait)
        return response
    if not guard.origin_allowed(request, ctx.build.ctx.base_url):
        return _answer(
            request,
            ctx,
            403,
            _("Sent from another site"),
            _(
                "This form was sent from a page that is not part of %(site)s, so your %(noun)s "
                "was not accepted. If you wrote it here, please send it again from this page."
            )
            % {"site": ctx.build.read.site_info().name, "noun": noun},
        )
    if open_reason:
        return _answer(
            request,
            ctx,
            403,
            _("Closed"),
            _("%(reason)s Your %(noun)s was not sent; it is kept below.")
            % {"reason": _(open_reason), "noun": noun},
        )
    if not form.is_valid():
        errors = {
            name: " ".join(str(e) for e in errs)
            for name, errs in form.errors.items()
            if name not in ("website", "form_token")
        }
        return _answer(
            request,
            ctx,
            400,
            _("Please check your %(noun)s") % {"noun": noun},
            _("Your %(noun)s was not sent: %(reasons)s")
            % {"noun": noun, "reasons": " ".join(errors.values())},
            errors,
        )
    if form.honeypot_filled():
        return _answer(
            request,
            ctx,
            400,
            _("Please check your %(noun)s") % {"noun": noun},
            _(
                "The field “%(field)s” was filled in, which robots do. If you are not one, "
                "please send your %(noun)s again from this page."
            )
            % {"field": _("Leave this field empty"), "noun": noun},
        )
    token = guard.read_token(form.token, ctx.kind, ctx.target)
    if not token.valid:
        return _answer(
            request,
            ctx,
            400,
            _("Please send again"),
            _(
                "This form is out of date or was not made by this site. Your %(noun)s is kept "
                "below: please check it and send it again."
            )
            % {"noun": noun},
        )
    if not token.fresh or token.too_fast:
        # The progressive check, only for posts that look like a robot's: the stable token of
        # a baked page (the page's script did not run), a token older than FRESH_SECONDS, or
        # one sent sooner than MIN_FILL_SECONDS after the form was first shown. Nothing is
        # stored; the text comes back with a fresh token, and one more press sends it.
        if token.too_fast:
            why = _(
                "Your %(noun)s was sent very soon after the form was opened, as robots do, "
                "so it has not been sent yet."
            ) % {"noun": noun}
        else:
            why = _(
                "Your %(noun)s has not been sent yet: this page could not confirm that it "
                "was written here (your browser may not run this site's small script, or the "
                "form was open for more than two hours)."
            ) % {"noun": noun}
        return _answer(
            request,
            ctx,
            200,
            _("Check your %(noun)s") % {"noun": noun},
            why + " " + _("Please check it below and press the button once to send it."),
            preview=form.cleaned_data.get("text", ""),
        )
    if not guard.spend_token(token):
        return _answer(
            request,
            ctx,
            409,
            _("This form was already sent"),
            _(
                "This copy of the form has already been used once, so your %(noun)s was not "
                "sent again. It is kept below: if you meant to send it, check it and press the "
                "button."
            )
            % {"noun": noun},
        )
    return None


def _duplicate(ctx: Context, request: HttpRequest) -> HttpResponse:
    return _answer(
        request,
        ctx,
        409,
        _("Already sent"),
        _(
            "You have already sent this %(noun)s; it has been received. There is no need to "
            "send it again."
        )
        % {"noun": _noun(ctx)},
    )


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=conf.get("DUPLICATE_HOURS"))


def _meta(request: HttpRequest) -> dict[str, Any]:
    return {
        "ip_address": guard.client_address(request),
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


def _story(raw: str) -> Any:
    try:
        story_id = int(raw)
    except (TypeError, ValueError):
        return None
    if not 0 < story_id < 2**62:
        return None
    return StoryPage.objects.live().filter(id=story_id).first()


def _story_path(build: Build, story: Any) -> str:
    return build.urls.page(story.url_path)


def form_endpoint(
    page_for_get: Callable[..., str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Make a view a form's POST target that also answers a ``GET`` (a reader who reloads or
    opens the address of an answer page): 303 to the page holding the form
    (``page_for_get(request, build, **kwargs)``, a path), never a blank 405. Other methods:
    405. CSRF-exempt (see the module docstring)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                build = live_build(request)
                return HttpResponseSeeOther(build.absolute(page_for_get(request, build, **kwargs)))
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _comment_page(request: HttpRequest, build: Build) -> str:
    story = _story(request.GET.get("story", ""))
    return _story_path(build, story) + "#comments" if story else build.url("front")


def _author_page(request: HttpRequest, build: Build, slug: str) -> str:
    author = Author.objects.filter(slug=slug).first()
    return build.urls.author(author.slug) + "#write" if author else build.url("authors")


@form_endpoint(_comment_page)
@in_edition
def post_comment(request: HttpRequest) -> HttpResponse:
    """Store a reader's comment (held for moderation) and send them back to the story."""
    build = live_build(request)
    form = CommentForm(request.POST)
    story = _story(request.POST.get("story", ""))
    parent_raw = request.POST.get("parent", "")
    hidden = [("story", str(story.id) if story else "")]
    if parent_raw.isdigit():
        hidden.append(("parent", parent_raw))
    path = _story_path(build, story) if story else "/"
    ctx = Context(
        build,
        "comment",
        story.id if story else "",
        build.absolute(path + "#comments") if story else build.absolute("/"),
        _("Back to the story") if story else _("Front page"),
        tuple(hidden),
        "comment",
    )
    reason = ""
    if story is None:
        reason = gettext_noop("This comment does not belong to a published story.")
    else:
        state = comments_state(story.comments, story.published_at, build.read.discussion_info())
        reason = "" if state.open else state.reason
    refused = _checks(request, ctx, form, reason)
    if refused:
        return refused
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = (
            Comment.objects.filter(id=data["parent"], story=story, status=CommentStatus.APPROVED)
            .select_related("parent")
            .first()
        )
        if parent is None:
            return _answer(
                request,
                ctx,
                400,
                _("Please check your %(noun)s") % {"noun": _noun(ctx)},
                _(
                    "The comment you reply to is not shown on this story. Your reply is kept "
                    "below; you can send it as a comment."
                ),
            )
        parent = parent.parent or parent  # replies are one level deep
    if Comment.objects.filter(story=story, text=data["text"], created_at__gte=_since()).exists():
        return _duplicate(ctx, request)
    spam = guard.akismet_is_spam(
        request, "comment", data["name"], data["email"], data["text"], build.ctx.base_url
    )
    comment = Comment.objects.create(
        story=story,
        parent=parent,
        name=data["name"],
        email=data["email"],
        text=data["text"],
        status=CommentStatus.SPAM if spam else CommentStatus.HELD,
        **_meta(request),
    )
    if not spam:
        deliver_held_notice.enqueue(comment.pk)
    return HttpResponseSeeOther(build.absolute(path + "#comment-held"))


FROZEN = gettext_noop("This site is an archive now: it takes no more letters or messages.")


@form_endpoint(lambda request, build: build.url("guestbook") + "#sign")
@in_edition
def post_guestbook(request: HttpRequest) -> HttpResponse:
    """Store a guestbook entry (held for moderation)."""
    build = live_build(request)
    form = GuestbookForm(request.POST)
    page = build.absolute(build.url("guestbook"))
    ctx = Context(build, "guestbook", "", page, _("Back to the guestbook"), noun="entry")
    reason = ""
    if not build.read.discussion_info().guestbook_enabled:
        reason = gettext_noop("The guestbook is closed to new entries.")
    refused = _checks(request, ctx, form, reason)
    if refused:
        return refused
    data = form.cleaned_data
    if GuestbookEntry.objects.filter(text=data["text"], created_at__gte=_since()).exists():
        return _duplicate(ctx, request)
    spam = guard.akismet_is_spam(
        request, "guestbook", data["name"], "", data["text"], build.ctx.base_url
    )
    GuestbookEntry.objects.create(
        name=data["name"],
        place=data["place"],
        text=data["text"],
        status=CommentStatus.SPAM if spam else CommentStatus.HELD,
        **_meta(request),
    )
    return HttpResponseSeeOther(page + "#entry-held")


@form_endpoint(lambda request, build: build.url("contact") + "#letter")
@in_edition
def post_letter(request: HttpRequest) -> HttpResponse:
    """Store a letter to the editor, and queue the mail to the editors (the task worker sends it
    and tries again while the mail server does not accept it)."""
    build = live_build(request)
    form = LetterForm(request.POST)
    from_letters = request.POST.get("from") == "letters"  # sent from /letters/, not /contact/
    page = build.absolute(build.url("letters-page" if from_letters else "contact"))
    hidden = (("from", "letters"),) if from_letters else ()
    ctx = Context(build, "letter", "", page, _("Back to the letters page"), hidden, noun="letter")
    reason = FROZEN if build.read.discussion_info().frozen else ""
    refused = _checks(request, ctx, form, reason)
    if refused:
        return refused
    data = form.cleaned_data
    if Letter.objects.filter(
        email=data["email"], text=data["text"], created_at__gte=_since()
    ).exists():
        return _duplicate(ctx, request)
    spam = guard.akismet_is_spam(
        request, "letter", data["name"], data["email"], data["text"], build.ctx.base_url
    )
    letter = Letter.objects.create(
        name=data["name"],
        email=data["email"],
        subject=data["subject"],
        text=data["text"],
        status=LetterStatus.SPAM if spam else LetterStatus.NEW,
        **_meta(request),
    )
    if not spam:
        deliver_letter.enqueue(letter.pk)
    return HttpResponseSeeOther(page + "#letter-sent")


@form_endpoint(_author_page)
@in_edition
def post_author_message(request: HttpRequest, slug: str) -> HttpResponse:
    """Store a reader's message to an author and relay it by e-mail. No answer ever contains
    the author's address."""
    build = live_build(request)
    author = Author.objects.filter(slug=slug).first()
    form = AuthorMessageForm(request.POST)
    page = build.absolute(build.urls.author(author.slug) if author else build.url("authors"))
    ctx = Context(
        build,
        "author",
        slug,
        page,
        _("Back to %(name)s") % {"name": author.name} if author else _("Authors"),
        noun="message",
    )
    reason = "" if author else gettext_noop("There is no such author.")
    if build.read.discussion_info().frozen:
        reason = FROZEN
    refused = _checks(request, ctx, form, reason)
    if refused:
        return refused
    data = form.cleaned_data
    if AuthorMessage.objects.filter(
        author=author, email=data["email"], text=data["text"], created_at__gte=_since()
    ).exists():
        return _duplicate(ctx, request)
    spam = guard.akismet_is_spam(
        request, "author", data["name"], data["email"], data["text"], build.ctx.base_url
    )
    message = AuthorMessage.objects.create(
        author=author,
        name=data["name"],
        email=data["email"],
        subject=data["subject"],
        text=data["text"],
        spam=spam,
        **_meta(request),
    )
    if not spam:
        deliver_author_message.enqueue(message.pk, page)
    return HttpResponseSeeOther(page + "#message-sent")


@require_safe
@in_edition
def reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    """``GET /discussion/comments/<id>/reply/``: a live page with the comment quoted and a
    reply form (fresh token). The baked story page links here, one link per comment."""
    build = live_build(request)
    comment = (
        Comment.objects.filter(id=comment_id, status=CommentStatus.APPROVED, story__live=True)
        .select_related("story", "parent")
        .first()
    )
    if comment is None or (comment.parent and comment.parent.status != CommentStatus.APPROVED):
        return not_found(request)
    top = comment.parent or comment
    story = comment.story
    path = _story_path(build, story)
    ctx = Context(
        build,
        "comment",
        story.id,
        build.absolute(path + "#comments"),
        _("Back to the story"),
        (("story", str(story.id)), ("parent", str(top.id))),
        "reply",
    )
    state = comments_state(story.comments, story.published_at, build.read.discussion_info())
    quote = CommentRef(comment.id, comment.name, "", comment.text, comment.created_at)
    if not state.open:
        return _answer(request, ctx, 403, _("Closed"), _(state.reason), quote=quote)
    return _answer(
        request,
        ctx,
        200,
        escape(_("Reply to %(name)s")) % {"name": Markup("<bdi>{}</bdi>").format(comment.name)},
        _("On “%(title)s”.") % {"title": story.title},
        quote=quote,
    )
