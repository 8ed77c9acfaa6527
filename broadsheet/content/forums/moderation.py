"""What moderators do to the forums; every action is written to Wagtail's audit log
(``wagtail.log_actions.log`` → ``ModelLogEntry``, shown in the admin's history and reports).

Posts have the comments' moderation states and go through the same admin queue and bulk
actions (Approve, Spam, Remove: ``broadsheet.discussion.wagtail_hooks``). Topics are hidden,
shown, locked, unlocked, pinned, unpinned, moved to another board or merged into another
topic. Bans (``.bans``) are snippets; creating one is logged by Wagtail as any snippet is.
Each change saves rows one by one, so the count keepers (``.services``) hear of every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from broadsheet.content.discussion.models import CommentStatus

from .bans import held_posts_under
from .models import Ban, Board, MergedTopic, Post, Report, Topic
from .services import recount_board

#: the audit log's actions (registered with their labels by the discussion feature's hooks)
ACTIONS = {
    "broadsheet.forums.moderate": (_("Moderate post"), _("Post moderated")),
    "broadsheet.forums.hide": (_("Hide topic"), _("Topic hidden")),
    "broadsheet.forums.show": (_("Show topic"), _("Topic shown")),
    "broadsheet.forums.lock": (_("Lock topic"), _("Topic locked")),
    "broadsheet.forums.unlock": (_("Unlock topic"), _("Topic unlocked")),
    "broadsheet.forums.pin": (_("Pin topic"), _("Topic pinned")),
    "broadsheet.forums.unpin": (_("Unpin topic"), _("Topic unpinned")),
    "broadsheet.forums.move": (_("Move topic"), _("Topic moved")),
    "broadsheet.forums.merge": (_("Merge topics"), _("Topics merged")),
}

FLAGS = {
    "hide": ("hidden", True),
    "show": ("hidden", False),
    "lock": ("locked", True),
    "unlock": ("locked", False),
    "pin": ("pinned", True),
    "unpin": ("pinned", False),
}


def _ids(model: type, items: Iterable[Any]) -> list[int]:
    return [i.pk if isinstance(i, model) else int(i) for i in items]


@transaction.atomic
def moderate_posts(posts: Iterable[Post] | Iterable[int], status: str, user: Any = None) -> int:
    """Set ``status`` (a ``CommentStatus`` value) on posts, each saved and logged; their open
    reports are resolved. Returns how many posts changed; ``ValueError`` for an unknown
    status."""
    if status not in CommentStatus.values:
        raise ValueError(f"unknown status {status!r}")
    changed = 0
    ids = _ids(Post, posts)
    for post in Post.objects.filter(pk__in=ids).order_by("pk"):
        if post.status != status:
            before = post.status
            post.status = status
            post.save(update_fields=["status"])
            log(post, "broadsheet.forums.moderate", user=user, data={"from": before, "to": status})
            changed += 1
    Report.objects.filter(post_id__in=ids, resolved=False).update(resolved=True)
    return changed


def remove_held_posts(ban: Ban, user: Any = None) -> int:
    """Remove the posts of the moderation queue that ``ban`` covers (its account's held posts,
    and those sent from its address range): each is moderated to *removed* and logged as any
    moderator's action, so a moderator can still find and approve one deliberately (the
    "removed" filter). Returns how many."""
    posts = held_posts_under(ban)
    return moderate_posts(posts, CommentStatus.REMOVED, user=user) if posts else 0


@transaction.atomic
def flag_topics(topics: Iterable[Topic] | Iterable[int], action: str, user: Any = None) -> int:
    """Hide, show, lock, unlock, pin or unpin topics (``action``, a key of :data:`FLAGS`),
    each logged; hiding or showing recounts their boards. Returns how many changed."""
    field, value = FLAGS[action]
    changed = 0
    boards: set[int] = set()
    for topic in Topic.objects.filter(pk__in=_ids(Topic, topics)).order_by("pk"):
        if getattr(topic, field) != value:
            setattr(topic, field, value)
            topic.save(update_fields=[field])
            log(topic, f"broadsheet.forums.{action}", user=user)
            boards.add(topic.board_id)
            changed += 1
    if field == "hidden":  # a board counts only its visible topics
        for board_id in sorted(boards):
            recount_board(board_id)
    return changed


@transaction.atomic
def move_topic(topic: Topic, board: Board, user: Any = None) -> None:
    """Move ``topic`` to ``board``; both boards' counts follow. Logged."""
    old = topic.board
    if old.pk == board.pk:
        return
    topic.board = board
    topic.save(update_fields=["board"])
    recount_board(old)
    recount_board(board)
    log(topic, "broadsheet.forums.move", user=user, data={"from": old.pk, "to": board.pk})


@transaction.atomic
def merge_topics(target: Topic, others: Iterable[Topic], user: Any = None) -> int:
    """Move every post of ``others`` into ``target`` (kept in time order) and delete the
    emptied topics, each leaving a :class:`MergedTopic` record (their old addresses redirect to
    ``target``, also those of topics merged into them before); counts follow. Logged on the
    target. Returns how many topics merged."""
    merged = [t for t in others if t.pk != target.pk]
    boards = {target.board_id, *(t.board_id for t in merged)}
    Post.objects.filter(topic__in=merged).update(topic=target)
    MergedTopic.objects.filter(into__in=merged).update(into=target)
    MergedTopic.objects.bulk_create([MergedTopic(old_id=t.pk, into=target) for t in merged])
    names = [t.title for t in merged]
    for topic in merged:
        topic.delete()
    from .services import recount_topic

    recount_topic(target)
    for board in Board.objects.filter(pk__in=boards):
        recount_board(board)
    log(target, "broadsheet.forums.merge", user=user, data={"merged": names})
    return len(merged)
