"""A reader's own posts: edit and delete (live, signed-in, CSRF-protected).

* ``/forums/edit/<post>/`` — GET: the form holding the post's text; POST ``text``: checked
  exactly as a new post is (``views._check``: frozen site, ban, rate limits, length, the
  reader forms' normalisation) and stored through the same markup
  (``content.forums.services.edit_post``); the post shows "edited" with the time. A refused
  edit comes back with the reader's new text and the reason. The moderation state is never
  changed by an edit: a held post stays held.
* ``/forums/delete/<post>/`` — GET: asks; POST: deletes
  (``content.forums.services.delete_own_post``): a post others may have read and quoted
  stays in the thread as "deleted by its author" (its number and the thread's numbering are
  kept, its text goes); the only post of a topic the reader started takes the topic with it;
  a post never shown (held) just goes.

Who may: the post's author, signed in as a reader, on a post that is shown or held, in a topic
that is neither hidden nor locked. Another reader's post answers 403; a post moderators hid
(spam, removed) or one already deleted answers 404 to its author too — an edit cannot bring it
back into view. Moderators keep editing and moderating in the admin, unchanged.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from broadsheet.content.discussion.models import CommentStatus
from broadsheet.content.forums import services
from broadsheet.content.forums.models import Post
from broadsheet.content.readers.models import is_reader
from broadsheet.site.build import Build
from broadsheet.site.views import live_build, not_found, respond

from ..cleaning import normalize_text
from . import pages
from .views import (
    HttpResponseSeeOther,
    _check,
    _login_redirect,
    _refuse,
    in_edition_language,
    viewer_for,
)

EDITABLE = (CommentStatus.APPROVED, CommentStatus.HELD)


def _own(request: HttpRequest, post: int) -> tuple[Post | None, HttpResponse | None]:
    """The reader's own post ``post``, or the answer when they may not touch it."""
    found = (
        Post.objects.select_related("topic", "topic__board")
        .filter(pk=post, status__in=EDITABLE, deleted_at__isnull=True, topic__hidden=False)
        .first()
    )
    if found is None:
        return None, not_found(request)
    if not is_reader(request.user):
        return None, _login_redirect(request, request.get_full_path())
    if found.author_id != request.user.pk:
        return None, _forbidden(request, _("This is not your post."))
    return found, None


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    build = live_build(request)
    with build.activated():
        rendered = build.render(
            "forums/own.html",
            request.path,
            status=403,
            viewer=viewer_for(request),
            title=_("Not allowed"),
            message=message,
            post=None,
            what="",
            action="",
            back="",
            sample_note="",
        )
    response = respond(rendered)
    response["Cache-Control"] = "private, no-store"
    return response


def _post_location(build: Build, found: Post) -> str:
    if found.status != CommentStatus.APPROVED:
        return pages.topic_path(build, found.topic) + "?held=1#post-held"
    ahead = Post.objects.filter(
        topic_id=found.topic_id, status=CommentStatus.APPROVED, created_at__lt=found.created_at
    ).count()
    number = ahead // pages.posts_per_page() + 1
    return pages.topic_path(build, found.topic, number) + f"#post-{found.pk}"


def _page(request: HttpRequest, build: Build, found: Post, what: str, **context: Any):
    viewer = viewer_for(request)
    viewer.csrf_token = get_token(request)
    viewer.values = {"text": found.text}
    rendered = build.render(
        "forums/own.html",
        request.path,
        viewer=viewer,
        post=found,
        what=what,
        back=_post_location(build, found),
        message="",
        sample_note="",
        **context,
    )
    response = respond(rendered)
    response["Cache-Control"] = "private, no-store"
    return response


@in_edition_language
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, post: int) -> HttpResponse:
    """``/forums/edit/<post>/``: edit one's own post (see the module docstring)."""
    found, refused = _own(request, post)
    if refused:
        return refused
    build = live_build(request)
    with build.activated():
        action = build.url("forum-edit", post=found.pk)
        back = _post_location(build, found)
        title = _("Your change was not saved")
        if found.topic.locked:
            message = _("This topic is locked: its posts can no longer be changed.")
            if request.method == "POST":
                return _refuse(request, build, 403, message, action, back, title=title)
            return _forbidden(request, message)
        if request.method != "POST":
            return _page(request, build, found, "edit", title=_("Edit your post"), action=action)
        answer = _check(request, build, action, back, title=title)
        if answer:
            return answer
        services.edit_post(found, normalize_text(request.POST["text"]))
        return HttpResponseSeeOther(back)


@in_edition_language
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, post: int) -> HttpResponse:
    """``/forums/delete/<post>/``: delete one's own post (see the module docstring)."""
    found, refused = _own(request, post)
    if refused:
        return refused
    build = live_build(request)
    with build.activated():
        if found.topic.locked:
            return _forbidden(
                request, _("This topic is locked: its posts can no longer be changed.")
            )
        if request.method != "POST":
            return _page(
                request,
                build,
                found,
                "delete",
                title=_("Delete your post?"),
                action=build.url("forum-delete", post=found.pk),
            )
        topic = found.topic
        outcome = services.delete_own_post(found)
        if outcome == "topic":
            return HttpResponseSeeOther(build.url("forum-board", board=topic.board.slug))
        if outcome == "removed":
            return HttpResponseSeeOther(pages.topic_path(build, topic))
        return HttpResponseSeeOther(_post_location(build, found))
