"""The forums' pages, for a live request or a bake.

Every page is one function ``(build, viewer=None, **params) -> Rendered``: the page kinds call
it with no viewer (what a bake of the archive writes: read-only, no form, no marker), the live
views (:mod:`.views`) with the signed-in reader's :class:`Viewer` (unread markers, the reply
form with its CSRF token). Pages read the forum models directly, a constant number of
indexed queries per page whatever the size of a board or topic (bench/forums.py).

Topics are numbered in pages **from the oldest post** (page 1 holds the first posts, a new
post only ever changes the last page), as the guestbook and section fronts are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from markupsafe import Markup

from broadsheet.content.discussion.models import CommentStatus
from broadsheet.content.forums.models import Board, Post, Subscription, Topic
from broadsheet.content.forums.services import unread_topic_ids
from broadsheet.content.readers.models import Reader
from broadsheet.content.searchtext import query_terms
from broadsheet.site.build import Build
from broadsheet.site.registry import NotFound, Rendered

APPROVED = CommentStatus.APPROVED


def posts_per_page() -> int:
    """Posts on a topic page (``BROADSHEET_FORUM_POSTS_PER_PAGE``, default 20)."""
    return int(getattr(settings, "BROADSHEET_FORUM_POSTS_PER_PAGE", 20))


def topics_per_page() -> int:
    """Topics on a board page (``BROADSHEET_FORUM_TOPICS_PER_PAGE``, default 30)."""
    return int(getattr(settings, "BROADSHEET_FORUM_TOPICS_PER_PAGE", 30))


LATEST_COUNT = 30


@dataclass
class Viewer:
    """Who is looking, on a live page: the user (a reader's account, or None), the request's
    CSRF token for the forms, whether they may post (``refusal``: why not)."""

    user: Any = None
    csrf_token: str = ""
    refusal: str = ""
    held: bool = False
    reported: bool = False  # just reported a post (the page thanks them)
    mail_default: str = "immediate"  # the profile's default mode (``ForumMail``)
    notices: Iterable[Any] = ()  # messages for this page ("Signed in as…"), read when shown
    values: dict[str, str] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.user is not None


def shown_topics(viewer: Viewer | None = None) -> Q:
    """Which topics a page may show: those with an approved post (a topic whose first post is
    held is shown to no one but its author, nor counted, until a moderator approves it)."""
    shown = Q(posts_count__gt=0)
    if viewer is not None and viewer.user is not None:
        shown |= Q(author=viewer.user)
    return shown


def _boards(build: Build) -> Any:
    return Board.objects.filter(Q(language="") | Q(language=build.ctx.language))


def _board(build: Build, slug: str) -> Board:
    board = _boards(build).filter(slug=slug).first()
    if board is None:
        raise NotFound(slug)
    return board


def _names(user_ids: set[int]) -> dict[int, str]:
    """Display names of the authors (one query)."""
    return dict(Reader.objects.filter(user_id__in=user_ids).values_list("user_id", "display_name"))


def author_name(names: dict[int, str], user_id: int | None) -> str:
    """The name shown for a post or topic: the reader's display name, or "former member"."""
    if user_id is None or user_id not in names:
        return _("former member")
    return names[user_id]


def _render(build: Build, template: str, path: str, viewer: Viewer | None, **context: Any):
    return build.render(
        template,
        path,
        viewer=viewer,
        sample_note=_("Sample content, written for the demo."),
        **context,
    )


# -- the forums' index ----------------------------------------------------------------------------
def index(build: Build, viewer: Viewer | None = None) -> Rendered:
    """``/forums/``: every board of the edition, in order, with counts and newest post."""
    boards = list(_boards(build))
    return _render(
        build,
        "forums/index.html",
        build.url("forums"),
        viewer,
        boards=boards,
        title=_("Forums"),
    )


# -- a board --------------------------------------------------------------------------------------
def board(build: Build, board: str, number: int = 1, viewer: Viewer | None = None) -> Rendered:
    """``/forums/<board>/`` and ``…/page/<n>/``: its topics, pinned first, then by newest post."""
    found = _board(build, board)
    size = topics_per_page()
    visible = Topic.objects.filter(shown_topics(viewer), board=found, hidden=False)
    total = visible.count()
    pages = max(1, math.ceil(total / size))
    if number > pages:
        raise NotFound(number)
    start = (number - 1) * size
    topics = list(visible.order_by("-pinned", "-last_post_at", "-id")[start : start + size])
    names = _names({t.author_id for t in topics if t.author_id})
    unread = unread_topic_ids(viewer.user, topics) if viewer and viewer.user else set()
    path = (
        build.url("forum-board", board=found.slug)
        if number == 1
        else build.url("forum-board-page", board=found.slug, number=number)
    )
    return _render(
        build,
        "forums/board.html",
        path,
        viewer,
        board=found,
        topics=[(t, author_name(names, t.author_id), t.pk in unread) for t in topics],
        number=number,
        pages=pages,
        title=found.title,
    )


# -- a topic --------------------------------------------------------------------------------------
def topic_of(build: Build, board: str, topic: int, viewer: Viewer | None = None) -> Topic:
    """The visible topic ``topic`` on board ``board`` of the edition, as :func:`shown_topics`
    to ``viewer`` (``NotFound``)."""
    found = (
        Topic.objects.select_related("board", "story")
        .filter(shown_topics(viewer), pk=topic, hidden=False, board__slug=board)
        .filter(Q(board__language="") | Q(board__language=build.ctx.language))
        .first()
    )
    if found is None:
        raise NotFound(topic)
    return found


def topic_pages(found: Topic) -> int:
    return max(1, math.ceil(found.posts_count / posts_per_page()))


def topic_path(build: Build, found: Topic, number: int = 1) -> str:
    """The path of page ``number`` of a topic."""
    if number <= 1:
        return build.url("forum-topic", board=found.board.slug, topic=found.pk)
    return build.url("forum-topic-page", board=found.board.slug, topic=found.pk, number=number)


def topic(
    build: Build, board: str, topic: int, number: int = 1, viewer: Viewer | None = None
) -> Rendered:
    """``/forums/<board>/<topic>/`` and ``…/page/<n>/``: approved posts, oldest first; on the
    last page, a signed-in ``viewer``'s own held posts, marked "awaiting moderation" (no one
    else sees them)."""
    found = topic_of(build, board, topic, viewer)
    size = posts_per_page()
    pages = topic_pages(found)
    if number > pages:
        raise NotFound(number)
    start = (number - 1) * size
    posts = list(
        Post.objects.filter(topic=found, status=APPROVED).order_by("created_at", "id")[
            start : start + size
        ]
    )
    held: list[Post] = []
    following = None
    if viewer and viewer.user:
        following = Subscription.objects.filter(user=viewer.user, topic=found).first()
        if number == pages:  # the reader's own posts awaiting moderation, after the last
            held = list(
                Post.objects.filter(
                    topic=found, author=viewer.user, status=CommentStatus.HELD
                ).order_by("created_at", "id")
            )
    names = _names({p.author_id for p in posts + held if p.author_id})
    return _render(
        build,
        "forums/topic.html",
        topic_path(build, found, number),
        viewer,
        topic=found,
        board=found.board,
        posts=[(p, author_name(names, p.author_id), Markup(p.html)) for p in posts],  # noqa: S704 - nh3-sanitised at save
        held_posts=[(p, author_name(names, p.author_id), Markup(p.html)) for p in held],  # noqa: S704
        number=number,
        pages=pages,
        first_number=start + 1,
        title=found.title,
        story_url=build.urls.page(found.story.url_path) if found.story else "",
        subscription=following,
        modes=Subscription.Mode.choices,
    )


# -- latest posts and search ----------------------------------------------------------------------
def _visible_posts(build: Build) -> Any:
    return Post.objects.filter(
        status=APPROVED,
        topic__hidden=False,
        deleted_at__isnull=True,
    ).filter(Q(topic__board__language="") | Q(topic__board__language=build.ctx.language))


def _listed(build: Build, posts: list[Post]) -> list[tuple[Post, str, Markup]]:
    names = _names({p.author_id for p in posts if p.author_id})
    return [(p, author_name(names, p.author_id), Markup(p.html)) for p in posts]  # noqa: S704


def latest(build: Build, viewer: Viewer | None = None) -> Rendered:
    """``/forums/latest/``: the newest approved posts of the edition's boards."""
    posts = list(
        _visible_posts(build)
        .select_related("topic", "topic__board")
        .order_by("-created_at", "-id")[:LATEST_COUNT]
    )
    return _render(
        build,
        "forums/posts.html",
        build.url("forum-latest"),
        viewer,
        posts=_listed(build, posts),
        title=_("Latest posts"),
        query=None,
    )


def search(build: Build, q: str = "", viewer: Viewer | None = None) -> Rendered:
    """``/forums/search/?q=…``: approved posts holding every term of the query (the site's
    search folding: ي/ی and ك/ک are one letter, Persian digits are digits, English is
    stemmed), newest first; live only."""
    terms = query_terms(q)
    posts: list[Post] = []
    if terms:
        found = _visible_posts(build)
        for term in terms:
            found = found.filter(search_terms__contains=f" {term} ")
        posts = list(
            found.select_related("topic", "topic__board").order_by("-created_at", "-id")[
                :LATEST_COUNT
            ]
        )
    return _render(
        build,
        "forums/posts.html",
        build.url("forum-search"),
        viewer,
        posts=_listed(build, posts),
        title=_("Search the forums"),
        query=q,
    )


# -- what a bake of the archive writes ----------------------------------------------------------
def _frozen(build: Build) -> bool:
    return build.read.discussion_info().frozen


def index_paths(build: Build) -> list[dict[str, Any]]:
    """The forums are live pages; only a frozen site (archive mode) bakes them, read-only."""
    return [{}] if _frozen(build) else []


def board_paths(build: Build) -> list[dict[str, Any]]:
    if not _frozen(build):
        return []
    return [{"board": b.slug} for b in _boards(build)]


def board_page_paths(build: Build) -> list[dict[str, Any]]:
    if not _frozen(build):
        return []
    size = topics_per_page()
    return [
        {"board": b.slug, "number": n}
        for b in _boards(build)
        for n in range(2, math.ceil(b.topics_count / size) + 1)
    ]


def topic_paths(build: Build) -> list[dict[str, Any]]:
    if not _frozen(build):
        return []
    return [
        {"board": slug, "topic": pk}
        for pk, slug in Topic.objects.filter(shown_topics(), hidden=False)
        .filter(Q(board__language="") | Q(board__language=build.ctx.language))
        .values_list("pk", "board__slug")
    ]


def topic_page_paths(build: Build) -> list[dict[str, Any]]:
    if not _frozen(build):
        return []
    size = posts_per_page()
    return [
        {"board": slug, "topic": pk, "number": n}
        for pk, slug, count in Topic.objects.filter(shown_topics(), hidden=False)
        .filter(Q(board__language="") | Q(board__language=build.ctx.language))
        .values_list("pk", "board__slug", "posts_count")
        for n in range(2, math.ceil(count / size) + 1)
    ]


# -- on other features' pages ---------------------------------------------------------------------
def nav_link(build: Build, context: Any) -> Markup:
    """ "Forums" in the navigation (slot ``nav_end``, before RSS · Guestbook · Contact)."""
    if _frozen(build):  # baked read-only with the archive
        return Markup('<li><a href="{}">{}</a></li>').format(build.url("forums"), _("Forums"))
    # live pages: a mirror or offline copy (publishing/relative.py) links to the live site
    return Markup('<li><a href="{}" data-live>{}</a></li>').format(build.url("forums"), _("Forums"))


def story_link(build: Build, context: Any) -> Markup:
    """ "Discuss this story" at the end of a story (slot ``story_end``): the live endpoint that
    opens or finds the story's topic. Not in a frozen site."""
    story = context.get("story")
    if story is None or story.card.id is None or _frozen(build):
        return Markup("")
    return build.renderer.render_string(
        "forums/_discuss.html", {"url": build.urls.live("forum-discuss", story=story.card.id)}
    )
