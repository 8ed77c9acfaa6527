"""Writing to the forums: topics, posts, counts, read markers.

Every count of posts (a topic's, its board's) and "newest post" time counts approved posts
only, and a board's counts only its visible topics (not hidden ones): a board's count of topics
counts the visible topics with at least one approved post (a topic whose first post is held is
not shown, nor counted, until it is approved). A new approved post is counted by the model
signals connected here (:func:`connect`) with ``F()`` expressions — atomic in the database, so
two readers posting to one topic at once are both counted — whichever way a post's state
changed (a reader's post, the admin's moderation queue, the shell). Whatever takes posts or
topics away — a post moderated away or deleted, a topic hidden or shown, moved, merged, an
account deleted with its posts — rebuilds the board's counts and newest-post time from the
rows with :func:`recount_board` (the newest post may be the one that went). :func:`recount`
rebuilds them all.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from broadsheet.content.discussion.models import CommentStatus
from broadsheet.content.readers.services import reader_leaving
from broadsheet.content.searchtext import index_terms

from . import markup
from .models import Board, Post, Report, Topic, TopicRead

APPROVED = CommentStatus.APPROVED

post_published = Signal()
"""Sent once per post, after the commit that first showed it (created approved, or approved
from the queue): ``post_id`` as keyword argument. The discussion feature mails the topic's
subscribers on it (``broadsheet.discussion.forums.mail``)."""


def terms_of(text: str) -> str:
    """A post's search terms, space-padded (see ``Post.search_terms``)."""
    return f" {index_terms([text])} "


def held_first_posts() -> int:
    """How many of a new member's first posts are held for moderation
    (``BROADSHEET_FORUM_HELD_FIRST_POSTS``, default 1): until an editor has approved that many
    of their posts, each new one waits in the queue."""
    return int(getattr(settings, "BROADSHEET_FORUM_HELD_FIRST_POSTS", 1))


def is_new_member(user: Any) -> bool:
    """Whether ``user``'s next post is held: fewer approved posts than
    :func:`held_first_posts`."""
    wanted = held_first_posts()
    if wanted <= 0:
        return False
    return Post.objects.filter(author=user, status=APPROVED).count() < wanted


@transaction.atomic
def add_post(topic: Topic, user: Any, text: str, ip_address: str | None = None) -> Post:
    """Store ``user``'s post in ``topic``: approved, or held when the author is a new member.
    The counts follow (:func:`connect`)."""
    status = CommentStatus.HELD if is_new_member(user) else APPROVED
    return Post.objects.create(
        topic=topic,
        author=user,
        text=text,
        html=markup.render(text),
        search_terms=terms_of(text),
        status=status,
        ip_address=ip_address,
    )


@transaction.atomic
def start_topic(
    board: Board, user: Any, title: str, text: str, ip_address: str | None = None, story: Any = None
) -> tuple[Topic, Post]:
    """Open a topic on ``board`` with its first post (held like any post of a new member).
    The board counts the topic once it has an approved post (:func:`_count`)."""
    topic = Topic.objects.create(board=board, title=title, author=user, story=story)
    post = add_post(topic, user, text, ip_address)
    return topic, post


def edit_post(post: Post, text: str) -> Post:
    """Replace a post's text (by its author or a moderator; the caller checks who), through
    the same markup as a new post; its moderation state is left as it is."""
    post.text = text
    post.html = markup.render(text)
    post.search_terms = terms_of(text)
    post.edited_at = timezone.now()
    post.save(update_fields=["text", "html", "search_terms", "edited_at"])
    return post


@transaction.atomic
def delete_own_post(post: Post) -> str:
    """An author deletes their post. Returns what became of it:

    * ``"removed"`` — it was never shown (held, spam, removed): the row goes;
    * ``"topic"`` — it was the only post of a topic its author started: the topic goes;
    * ``"marked"`` — otherwise the row stays, shown as "deleted by its author", so the
      thread's numbering and the quotes of it in later posts still make sense; its text,
      markup and search terms are emptied (``deleted_at`` set)."""
    if post.status != APPROVED:
        post.delete()
        return "removed"
    topic = post.topic
    alone = not Post.objects.filter(topic_id=topic.pk).exclude(pk=post.pk).exists()
    if alone and topic.author_id is not None and topic.author_id == post.author_id:
        topic.delete()
        return "topic"
    post.text, post.html, post.search_terms = "", "", " "
    post.deleted_at = timezone.now()
    post.save(update_fields=["text", "html", "search_terms", "deleted_at"])
    return "marked"


def _published(post: Post) -> None:
    """Stamp ``published_at`` on a post's first approval and, after the commit, send
    :data:`post_published` (once per post: the stamp is written only where it is empty)."""
    now = timezone.now()
    if Post.objects.filter(pk=post.pk, published_at__isnull=True).update(published_at=now):
        post.published_at = now
        pk = post.pk
        transaction.on_commit(lambda: post_published.send(sender=Post, post_id=pk))


#: while set (:func:`boards_recounted_after`): the boards to recount once, at the end
_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "forums_deferred_recounts", default=None
)


@contextlib.contextmanager
def boards_recounted_after() -> Iterator[None]:
    """Within the block, boards are recounted once at its end rather than after each post
    taken away (an account deleted with its thousand posts recounts each board once)."""
    boards: set[int] = set()
    token = _deferred.set(boards)
    try:
        yield
    finally:
        _deferred.reset(token)
    for board_id in sorted(boards):
        recount_board(board_id)


def _count(post: Post, delta: int) -> None:
    if not delta:
        return
    newest = Post.objects.filter(topic_id=post.topic_id, status=APPROVED).aggregate(
        at=Max("created_at")
    )["at"]
    Topic.objects.filter(pk=post.topic_id).update(
        posts_count=F("posts_count") + delta, **({"last_post_at": newest} if newest else {})
    )
    # read after our own update (the row is locked by it until the commit): the count it left
    row = (
        Topic.objects.filter(pk=post.topic_id)
        .values_list("board_id", "posts_count", "hidden")
        .first()
    )
    if row is None:
        return
    board_id, count, hidden = row
    if hidden:  # a board counts only its visible topics
        return
    if delta < 0:  # the board's newest post may be the one that went: rebuild it
        deferred = _deferred.get()
        if deferred is None:
            recount_board(board_id)
        else:
            deferred.add(board_id)
        return
    # the topic's first approved post shows it (a board counts it)
    shown = int(count == delta)
    Board.objects.filter(pk=board_id).update(
        posts_count=F("posts_count") + delta, topics_count=F("topics_count") + shown
    )
    if newest:
        Board.objects.filter(pk=board_id).filter(
            Q(last_post_at__isnull=True) | Q(last_post_at__lt=newest)
        ).update(last_post_at=newest)


def _on_post_saved(sender: Any, instance: Post, created: bool = False, **kwargs: Any) -> None:
    before = None if created else getattr(instance, "_counted_status", None)
    delta = int(instance.status == APPROVED) - int(before == APPROVED)
    _count(instance, delta)
    instance._counted_status = instance.status
    if delta > 0 and instance.published_at is None:
        _published(instance)


def _on_post_deleted(sender: Any, instance: Post, **kwargs: Any) -> None:
    if getattr(instance, "_counted_status", instance.status) == APPROVED:
        _count(instance, -1)


def _on_reader_leaving(sender: Any, user: Any, delete_posts: bool, **kwargs: Any) -> None:
    if delete_posts:
        with boards_recounted_after():
            for post in Post.objects.filter(author=user).select_for_update():
                post.delete()


def connect() -> None:
    """Connect the count keepers (called by the app's ``ready``)."""
    uid = "broadsheet.content.forums"
    post_save.connect(_on_post_saved, sender=Post, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_on_post_deleted, sender=Post, dispatch_uid=f"{uid}.deleted")
    reader_leaving.connect(_on_reader_leaving, dispatch_uid=f"{uid}.leaving")


def recount() -> None:
    """Rebuild every count and newest-post time from the rows."""
    approved = Q(posts__status=APPROVED)
    for topic in Topic.objects.annotate(
        n=Count("posts", filter=approved), newest=Max("posts__created_at", filter=approved)
    ):
        Topic.objects.filter(pk=topic.pk).update(
            posts_count=topic.n, last_post_at=topic.newest or topic.created_at
        )
    for board_id in Board.objects.values_list("pk", flat=True):
        recount_board(board_id)


def recount_topic(topic: Topic) -> None:
    """Rebuild one topic's count and newest-post time from its posts."""
    approved = Post.objects.filter(topic=topic, status=APPROVED)
    newest = approved.aggregate(at=Max("created_at"))["at"]
    Topic.objects.filter(pk=topic.pk).update(
        posts_count=approved.count(), last_post_at=newest or topic.created_at
    )


def recount_board(board: Board | int) -> None:
    """Rebuild one board's counts and newest-post time from its visible topics (not hidden,
    with an approved post: their ``posts_count`` and ``last_post_at`` are read, so a topic
    changed in the same transaction is recounted first) and their approved posts."""
    board_id = board.pk if isinstance(board, Board) else int(board)
    shown = Topic.objects.filter(board_id=board_id, hidden=False, posts_count__gt=0)
    Board.objects.filter(pk=board_id).update(
        topics_count=shown.count(),
        posts_count=Post.objects.filter(
            topic__board_id=board_id, topic__hidden=False, status=APPROVED
        ).count(),
        last_post_at=shown.aggregate(at=Max("last_post_at"))["at"],
    )


def mark_read(user: Any, topic: Topic, upto: dt.datetime) -> None:
    """Remember that ``user`` has seen ``topic`` up to the post of time ``upto``."""
    updated = TopicRead.objects.filter(user=user, topic=topic, read_at__lt=upto).update(
        read_at=upto
    )
    if not updated:
        TopicRead.objects.get_or_create(user=user, topic=topic, defaults={"read_at": upto})


def unread_topic_ids(user: Any, topics: list[Topic]) -> set[int]:
    """Among ``topics``, those with an approved post newer than what ``user`` has read (a
    topic never opened is unread). One query."""
    if not topics or user is None or not user.is_authenticated:
        return set()
    seen = dict(
        TopicRead.objects.filter(user=user, topic__in=topics).values_list("topic_id", "read_at")
    )
    return {
        t.pk for t in topics if t.posts_count and (t.pk not in seen or seen[t.pk] < t.last_post_at)
    }


def report_post(post: Post, user: Any, reason: str) -> Report:
    """Record ``user``'s report of ``post`` (once per reader and post: a second report adds
    its reason on a new line after the first, which stays, and reopens a resolved report);
    the post is in the moderation queue until a moderator acts."""
    report, created = Report.objects.get_or_create(
        post=post, reporter=user, defaults={"reason": reason}
    )
    if not created:
        reasons = report.reason.split("\n")
        if reason not in reasons:
            report.reason = "\n".join([*reasons, reason])[
                : Report._meta.get_field("reason").max_length
            ]
        report.resolved = False
        report.save(update_fields=["reason", "resolved"])
    return report
