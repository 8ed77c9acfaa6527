"""Topic subscriptions: who is mailed about new posts, and the signed unsubscribe links.

A signed-in reader subscribes to a topic (the topic page's button, or by replying: the reply
form's box is ticked by default) and chooses mail at once or a daily digest. The mail itself
is the discussion feature's (``broadsheet.discussion.forums.mail``: it knows the site's
URLs and templates); what is here is the data it works from:

* :func:`immediate_recipients` — the subscriptions to mail about a post now shown: that
  topic's ``immediate`` ones, never the post's author;
* :func:`digest_for` — each digest reader's posts published since their last digest;
* :func:`unsubscribe_token` / :func:`read_token` / :func:`unsubscribe` — the one-click
  unsubscribe link (``content.mailing``'s signed tokens, purpose ``forum-unsubscribe``): a
  token names the account and the topic (or 0: every forum subscription of the account,
  the digest's link). No login: the signature is the proof.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from broadsheet.content import mailing
from broadsheet.content.discussion.models import CommentStatus

from .models import Post, Subscription, Topic

UNSUBSCRIBE = "forum-unsubscribe"
Mode = Subscription.Mode


def subscribe(user: Any, topic: Topic, mode: str = Mode.IMMEDIATE) -> Subscription:
    """Subscribe ``user`` to ``topic`` with ``mode`` (a :class:`Subscription.Mode` value;
    ``ValueError`` otherwise), or change the mode of the subscription they have."""
    if mode not in Mode.values:
        raise ValueError(f"unknown mode {mode!r}")
    sub, _created = Subscription.objects.update_or_create(
        user=user, topic=topic, defaults={"mode": mode}
    )
    return sub


def subscription_of(user: Any, topic: Topic) -> Subscription | None:
    """``user``'s subscription to ``topic``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Subscription.objects.filter(user=user, topic=topic).first()


def immediate_recipients(post: Post) -> list[Subscription]:
    """The subscriptions to mail about ``post`` at once: its topic's ``immediate`` ones, but
    the author's; none for a post not shown (not approved, deleted, or in a hidden topic)."""
    if post.status != CommentStatus.APPROVED or post.deleted_at or post.topic.hidden:
        return []
    subs = Subscription.objects.filter(topic_id=post.topic_id, mode=Mode.IMMEDIATE)
    if post.author_id is not None:
        subs = subs.exclude(user_id=post.author_id)
    return list(subs.select_related("user", "user__reader").order_by("pk"))


@dataclass
class Digest:
    """One reader's digest: their ``user``, the ``posts`` (with ``topic`` and its board
    loaded; oldest first) and the ``subscriptions`` it covers."""

    user: Any
    posts: list[Post] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)


def digest_for(now: dt.datetime | None = None) -> list[Digest]:
    """Every digest reader's posts published (first shown) since each subscription's last
    digest (or since it was made) and up to ``now``: approved, not deleted, in a visible
    topic, not their own. One query for the subscriptions and one per reader; readers with
    nothing new are listed with no posts (their subscriptions are still moved on)."""
    now = now or timezone.now()
    by_user: dict[int, Digest] = {}
    subs = (
        Subscription.objects.filter(mode=Mode.DIGEST)
        .select_related("user", "user__reader")
        .order_by("user_id", "pk")
    )
    for sub in subs:
        by_user.setdefault(sub.user_id, Digest(sub.user)).subscriptions.append(sub)
    for digest in by_user.values():
        since: Q = Q()
        for sub in digest.subscriptions:
            since |= Q(topic_id=sub.topic_id, published_at__gt=sub.digested_upto or sub.created_at)
        digest.posts = list(
            Post.objects.filter(since, status=CommentStatus.APPROVED, published_at__lte=now)
            .filter(deleted_at__isnull=True, topic__hidden=False)
            .exclude(author_id=digest.user.pk)
            .select_related("topic", "topic__board")
            .order_by("topic_id", "published_at", "id")
        )
    return list(by_user.values())


def digested(digest: Digest, upto: dt.datetime) -> None:
    """Remember that ``digest``'s reader has been told of every post up to ``upto``."""
    Subscription.objects.filter(pk__in=[s.pk for s in digest.subscriptions]).update(
        digested_upto=upto
    )


def unsubscribe_token(user_id: int, topic_id: int = 0) -> str:
    """The token of an unsubscribe link: ``topic_id`` 0 for every forum subscription."""
    return mailing.sign(UNSUBSCRIBE, {"u": int(user_id), "t": int(topic_id)})


@dataclass
class Unsubscribing:
    """What a token names: the account, the topic (None: every topic), the subscriptions
    that exist now (their topics' titles) and, after :func:`unsubscribe`, how many went."""

    user_id: int
    topic_id: int | None
    titles: list[str]
    removed: int = 0


def read_token(token: str) -> Unsubscribing:
    """What ``token`` would unsubscribe; ``mailing.LinkForged`` for a token this site did not
    sign for this purpose (or one altered)."""
    data = mailing.unsign(UNSUBSCRIBE, token)
    try:
        user_id, topic_id = int(data["u"]), int(data["t"])
    except (KeyError, TypeError, ValueError):
        raise mailing.LinkForged(UNSUBSCRIBE) from None
    subs = Subscription.objects.filter(user_id=user_id)
    if topic_id:
        subs = subs.filter(topic_id=topic_id)
    titles = list(subs.order_by("pk").values_list("topic__title", flat=True))
    return Unsubscribing(user_id, topic_id or None, titles)


@transaction.atomic
def unsubscribe(token: str) -> Unsubscribing:
    """End the subscriptions ``token`` names (see :func:`read_token`); doing it twice
    removes nothing the second time."""
    found = read_token(token)
    subs = Subscription.objects.filter(user_id=found.user_id)
    if found.topic_id:
        subs = subs.filter(topic_id=found.topic_id)
    found.removed, _per_model = subs.delete()
    return found
