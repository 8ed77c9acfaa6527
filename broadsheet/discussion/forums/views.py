"""The forums' live views: the pages for a signed-in reader, and posting.

Pages (:mod:`.pages`) are answered live with caching headers: ``public, max-age=60`` for
anyone not signed in (a cache in front may keep them a minute), ``private, no-store`` for a
signed-in reader (unread markers, the forms' CSRF token). ``Vary: Cookie``.

Posting (``POST``, Django's CSRF token: the forms are on live pages of a signed-in reader) is
checked in this order: signed in as a reader; the site is not frozen; not banned (account or
address range, ``content.forums.bans``); the discussion's rate limiter per client address
(``guard.rate_limited``, IPv6 by /64) and a per-account limit; the topic is open; the text.
Anything refused is answered with the form again holding the reader's text, intact, and the
reason (400, 403, 404, 429).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from broadsheet.content.discussion.models import CommentStatus
from broadsheet.content.forums import services
from broadsheet.content.forums.bans import ban_for
from broadsheet.content.forums.markup import quote as quote_text
from broadsheet.content.forums.models import Post, Topic
from broadsheet.content.newsroom.models import StoryPage
from broadsheet.content.readers.models import ForumMail, is_reader, reader_profile
from broadsheet.site import editions
from broadsheet.site.build import Build
from broadsheet.site.dates import number
from broadsheet.site.registry import NotFound
from broadsheet.site.views import live_build, not_found, respond

from .. import guard
from ..cleaning import normalize_line, normalize_text, visible_length
from . import pages
from .moved import moved_topic
from .pages import Viewer

MAX_TITLE = 200
MAX_TEXT = 10000
MIN_TEXT = 2


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def in_edition_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer ``view`` wholly in the language of the edition of the request's path — its
    refusals too, also those worded before the page's build is activated: an English reader
    on ``/fa/forums/edit/8/`` is told "this is not your post" in Persian, as the page is."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = editions.for_path(request.path_info).language
        with translation.override(translation.get_supported_language_variant(language)):
            return view(request, *args, **kwargs)

    return wrapped


def viewer_for(request: HttpRequest) -> Viewer | None:
    """The :class:`Viewer` of a live request: None for anyone not signed in as a reader.
    A reader's page (``private, no-store``) shows and consumes the messages left for it
    ("Signed in as Sara"); a page for anyone else may be cached, so it shows none
    (``accounts.notices`` drops them)."""
    user = getattr(request, "user", None)
    if not is_reader(user):
        return None
    # the message storage itself: read (and consumed) only by a page that shows it
    return Viewer(
        user=user,
        csrf_token=get_token(request),
        notices=messages.get_messages(request),
        mail_default=mail_default(user),
    )


def _headers(response: HttpResponse, viewer: Viewer | None) -> HttpResponse:
    response["Cache-Control"] = "private, no-store" if viewer else "public, max-age=60"
    response["Vary"] = "Cookie"
    return response


def _page(request: HttpRequest, fn: Any, **params: Any) -> HttpResponse:
    viewer = viewer_for(request)
    try:
        build = live_build(request)
        with build.activated():
            return _headers(respond(fn(build, viewer=viewer, **params)), viewer)
    except NotFound:
        return not_found(request)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, pages.index)


@require_safe
def board(request: HttpRequest, board: str, number: int = 1) -> HttpResponse:
    return _page(request, pages.board, board=board, number=number)


@require_safe
def topic(request: HttpRequest, board: str, topic: int, number: int = 1) -> HttpResponse:
    viewer = viewer_for(request)
    if viewer:
        viewer.held = request.GET.get("held") == "1"
        viewer.reported = request.GET.get("reported") == "1"
    try:
        build = live_build(request)
        with build.activated():
            rendered = pages.topic(build, board=board, topic=topic, number=number, viewer=viewer)
        response = _headers(respond(rendered), viewer)
    except NotFound:
        return moved_topic(request, topic, number, viewer) or not_found(request)
    if viewer and response.status_code == 200:
        found = Topic.objects.filter(pk=topic).only("last_post_at", "posts_count").first()
        if found and found.posts_count and number >= pages.topic_pages(found):
            services.mark_read(viewer.user, found, found.last_post_at)
    return response


@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    return _page(request, pages.latest)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    return _page(request, pages.search, q=request.GET.get("q", "")[:200])


# -- posting --------------------------------------------------------------------------------------
def _login_redirect(request: HttpRequest, back: str) -> HttpResponse:
    from urllib.parse import urlencode

    return HttpResponseSeeOther("/accounts/login/?" + urlencode({"next": back}))


def _refuse(
    request: HttpRequest,
    build: Build,
    status: int,
    message: str,
    action: str,
    back: str,
    with_title: bool = False,
    title: str = "",
    reasons: list[str] | None = None,
    board: Any = None,
) -> HttpResponse:
    """The form again with the reader's text and title, intact, and the reason — every
    reason when there are several (``reasons``: a title too long and a post too long). The
    page is titled ``title`` (on a new topic's form "New topic", with the ``board``'s name in
    the window title), never with what the reader typed."""
    reasons = reasons or [message]
    viewer = viewer_for(request) or Viewer()
    viewer.refusal = " ".join(reasons)
    viewer.csrf_token = get_token(request)
    viewer.values = {
        "text": normalize_text(request.POST.get("text", "")),
        "title": normalize_line(request.POST.get("title", "")),
        "subscribe": "1" if request.POST.get("subscribe") else "0",
    }
    rendered = build.render(
        "forums/answer.html",
        request.path,
        status=status,
        viewer=viewer,
        title=title or _("Your post was not published"),
        message=reasons[0],
        reasons=reasons,
        board=board,
        action=action,
        back=back,
        with_title=with_title,
        offer_subscribe=bool(request.POST.get("subscribe_offered")),
        sample_note="",
    )
    response = respond(rendered)
    response["Cache-Control"] = "private, no-store"
    return response


def _account_limited(user: Any) -> bool:
    """The per-account limit: ``BROADSHEET_FORUM_POSTS_PER_MINUTE`` (default 5) posts a
    minute and ``…_PER_HOUR`` (default 40) an hour, counted in the shared cache."""
    from django.conf import settings

    limits = (
        ("m", 60, int(getattr(settings, "BROADSHEET_FORUM_POSTS_PER_MINUTE", 5))),
        ("h", 3600, int(getattr(settings, "BROADSHEET_FORUM_POSTS_PER_HOUR", 40))),
    )
    now = int(guard.clock())
    over = False
    for name, window, limit in limits:
        key = f"forums:rate:{name}:{user.pk}:{now // window}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window + 5)
            count = 1
        over = over or count > limit
    return over


def _check(
    request: HttpRequest,
    build: Build,
    action: str,
    back: str,
    with_title: bool = False,
    title: str = "",
    board: Any = None,
) -> HttpResponse | None:
    """Every check before a post is stored (or an edit saved); an answer if one fails, else
    None. The text's and the title's faults are all named at once (a reader should not fix
    one to be told of the next); the page is titled ``title``, never with the posted title."""

    def refuse(status: int, message: str, reasons: list[str] | None = None) -> HttpResponse:
        return _refuse(
            request, build, status, message, action, back, with_title, title, reasons, board
        )

    if build.read.discussion_info().frozen:
        return refuse(403, _("This site is an archive: it takes no more posts."))
    address = guard.client_address(request)
    ban = ban_for(request.user, address)
    if ban:
        return refuse(403, _("Your account or address may not post in the forums."))
    wait = guard.rate_limited(address)
    if wait or _account_limited(request.user):
        response = refuse(
            429,
            _("Too many posts in a short time. Your post was not sent; it is kept below."),
        )
        response["Retry-After"] = str(wait or 60)
        return response
    faults = _faults(request, with_title)
    return refuse(400, faults[0], faults) if faults else None


def _faults(request: HttpRequest, with_title: bool) -> list[str]:
    """What is wrong with the posted title (when the form has one) and text, title first."""
    faults = []
    if with_title:
        posted_title = normalize_line(request.POST.get("title", ""))
        if not posted_title:
            faults.append(_("Please give the topic a title."))
        elif len(posted_title) > MAX_TITLE:
            faults.append(
                _("The title is too long (at most %(n)s characters).") % {"n": number(MAX_TITLE)}
            )
    text = normalize_text(request.POST.get("text", ""))
    if visible_length(text) < MIN_TEXT:
        faults.append(_("Please write your post."))
    elif len(text) > MAX_TEXT:
        faults.append(
            _("Your post is too long (at most %(n)s characters).") % {"n": number(MAX_TEXT)}
        )
    return faults


def _follow_if_asked(request: HttpRequest, topic: Topic) -> None:
    """A reply or a new topic subscribes its author to the topic in the mode of their
    profile's default (``Reader.forum_mail``: at once, or a daily digest), unless they untick
    the form's box (``subscribe_offered`` without ``subscribe``; the box starts unticked when
    the default is "no mail", and ticking it then means mail at once); a subscription the
    reader has already keeps its mode."""
    from broadsheet.content.forums.models import Subscription

    default = mail_default(request.user)
    if request.POST.get("subscribe_offered"):
        if not request.POST.get("subscribe"):
            return
    elif default == ForumMail.NONE:
        return
    mode = default if default in Subscription.Mode.values else Subscription.Mode.IMMEDIATE
    Subscription.objects.get_or_create(user=request.user, topic=topic, defaults={"mode": mode})


def mail_default(user: Any) -> str:
    """The reader's default for the topics they take part in (``ForumMail``)."""
    profile = reader_profile(user)
    return profile.forum_mail if profile is not None else ForumMail.IMMEDIATE


def _after(build: Build, topic: Topic, post: Post) -> HttpResponse:
    topic.refresh_from_db()
    if post.status != CommentStatus.APPROVED:
        return HttpResponseSeeOther(pages.topic_path(build, topic, 1) + "?held=1#post-held")
    last = pages.topic_pages(topic)
    return HttpResponseSeeOther(pages.topic_path(build, topic, last) + f"#post-{post.pk}")


def shown_topic(request: HttpRequest, topic: int) -> Topic | None:
    """The topic ``topic`` if the request's reader may see it (not hidden; with an approved
    post, or their own), its board joined; else ``None``."""
    shown = pages.shown_topics(viewer_for(request))
    return Topic.objects.select_related("board").filter(shown, pk=topic, hidden=False).first()


@in_edition_language
@require_POST
def reply(request: HttpRequest, topic: int) -> HttpResponse:
    """``POST /forums/post/<topic>/``: a reply (``text``)."""
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
    with build.activated():
        action = build.url("forum-reply", topic=found.pk)
        if found.locked:
            return _refuse(
                request,
                build,
                403,
                _("This topic is locked: it takes no more posts."),
                action,
                back,
            )
        refused = _check(request, build, action, back)
        if refused:
            return refused
        post = services.add_post(
            found,
            request.user,
            normalize_text(request.POST["text"]),
            guard.client_address(request),
        )
        _follow_if_asked(request, found)
        return _after(build, found, post)


@in_edition_language
@require_http_methods(["GET", "HEAD", "POST"])
def new_topic(request: HttpRequest, board: str) -> HttpResponse:
    """``/forums/<board>/new/``: the form (GET; ``?story=<id>`` for a story's topic) and a new
    topic with its first post (POST: ``title``, ``text``)."""
    build = live_build(request)
    found = (
        pages._boards(build).filter(slug=board).first()  # the edition's boards only
    )
    if found is None:
        return not_found(request)
    action = build.url("forum-new-topic", board=found.slug)
    back = build.url("forum-board", board=found.slug)
    if not is_reader(request.user):
        return _login_redirect(request, request.get_full_path())
    story = _story(request.GET.get("story") or request.POST.get("story"))
    with build.activated():
        if request.method != "POST":
            viewer = viewer_for(request)
            viewer.values = {"title": story.title if story else "", "text": ""}
            rendered = build.render(
                "forums/new_topic.html",
                action,
                viewer=viewer,
                board=found,
                story=story,
                story_url=build.urls.page(story.url_path) if story else "",
                action=action,
                title=_("New topic"),
                sample_note="",
            )
            return _headers(respond(rendered), viewer)
        refused = _check(
            request, build, action, back, with_title=True, title=_("New topic"), board=found
        )
        if refused:
            return refused
        if story is not None and Topic.objects.filter(story=story).exists():
            return HttpResponseSeeOther(pages.topic_path(build, story.forum_topic))
        topic, post = services.start_topic(
            found,
            request.user,
            normalize_line(request.POST["title"])[:MAX_TITLE],
            normalize_text(request.POST["text"]),
            guard.client_address(request),
            story=story,
        )
        _follow_if_asked(request, topic)
        return _after(build, topic, post)


def _story(raw: Any) -> StoryPage | None:
    try:
        return StoryPage.objects.live().filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


@require_safe
def discuss(request: HttpRequest, story: int) -> HttpResponse:
    """``/forums/discuss/<story>/`` ("Discuss this story"): to the story's topic when it has
    one, else (signed in; otherwise to the sign-in page and back here) to the form that opens
    it on the stories' board."""
    build = live_build(request)
    found = get_object_or_404(StoryPage.objects.live(), pk=story)
    topic = Topic.objects.select_related("board").filter(story=found, hidden=False).first()
    if topic is not None:
        if not Topic.objects.filter(pages.shown_topics(viewer_for(request)), pk=topic.pk).exists():
            # opened by a new member, its first post still held: not shown, not named
            return not_found(request)
        return HttpResponseSeeOther(pages.topic_path(build, topic))
    if not is_reader(request.user):
        # the sign-in page says why (a reader's account opens a discussion) and brings the
        # reader back here, to the topic if someone opened it meanwhile, else to the form
        return _login_redirect(request, request.get_full_path())
    board = pages._boards(build).filter(for_stories=True).first() or pages._boards(build).first()
    if board is None:
        return not_found(request)
    return HttpResponseSeeOther(
        build.url("forum-new-topic", board=board.slug) + f"?story={found.pk}"
    )


@in_edition_language
@require_safe
def quote(request: HttpRequest, post: int) -> HttpResponse:
    """``/forums/quote/<post>/``: the last page of the post's topic with the reply box holding
    the post as a Markdown quote."""
    found = get_object_or_404(
        Post.objects.select_related("topic", "topic__board"),
        pk=post,
        status=CommentStatus.APPROVED,
        topic__hidden=False,
        deleted_at__isnull=True,
    )
    viewer = viewer_for(request)
    build = live_build(request)
    if viewer is None:
        return _login_redirect(request, request.get_full_path())
    name = pages.author_name(pages._names({found.author_id} - {None}), found.author_id)
    viewer.values = {"text": quote_text(found.text, name)}
    with build.activated():
        number = pages.topic_pages(found.topic)
        rendered = pages.topic(
            build, found.topic.board.slug, found.topic_id, number=number, viewer=viewer
        )
    return _headers(respond(rendered), viewer)


@in_edition_language
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, post: int) -> HttpResponse:
    """``/forums/report/<post>/``: "report this post" — a reason, into the moderation queue."""
    found = get_object_or_404(
        Post.objects.select_related("topic", "topic__board"),
        pk=post,
        status=CommentStatus.APPROVED,
        topic__hidden=False,
        deleted_at__isnull=True,
    )
    build = live_build(request)
    back = pages.topic_path(build, found.topic)
    if not is_reader(request.user):
        return _login_redirect(request, request.get_full_path())
    viewer = viewer_for(request)
    with build.activated():
        action = build.url("forum-report", post=found.pk)
        reason = normalize_line(request.POST.get("reason", ""))[:500]
        status, message = 200, ""
        if request.method == "POST":
            if reason:
                services.report_post(found, request.user, reason)
                return HttpResponseSeeOther(back + "?reported=1#post-reported")
            status, message = 400, _("Please say what is wrong with this post.")
        rendered = build.render(
            "forums/report.html",
            action,
            status=status,
            viewer=viewer,
            post=found,
            action=action,
            back=back,
            reason=reason,
            message=message,
            title=_("Report this post"),
            sample_note="",
        )
        return _headers(respond(rendered), viewer)
