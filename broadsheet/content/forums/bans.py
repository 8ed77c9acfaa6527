"""Bans from the forums, by account and by address range (docs/forums.md).

An IPv4 address is banned as itself; an IPv6 address by its /64 (one subscriber's line gets a
whole /64: banning one address of it would ban nothing), as the rate limits count it
(``broadsheet.site.clients.rate_key``). A ban takes effect on the next request: it is read on
every post, never cached.

A banned reader's posts still waiting in the moderation queue are the ban's business too: the
ban form removes them (``moderation.remove_held_posts``, unless the moderator unticks it), and
the queue marks every post a ban in force covers (:func:`matching`), so that approving one is
never an accident.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .models import Ban
from .networks import normalise_network


def ban_address(address: str, reason: str = "", until: Any = None) -> Ban:
    """Ban the range of ``address`` (see :func:`normalise_network`)."""
    return Ban.objects.create(network=normalise_network(address), reason=reason, expires_at=until)


def ban_account(user: Any, reason: str = "", until: Any = None) -> Ban:
    """Ban a reader's account."""
    return Ban.objects.create(user=user, reason=reason, expires_at=until)


def active() -> Any:
    """The bans in force now: permanent, or ending later (a queryset)."""
    return Ban.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def _address(address: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(str(address or ""))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _covers(ban: Ban, user_id: int | None, ip: Any) -> bool:
    if ban.user_id is not None and ban.user_id == user_id and user_id is not None:
        return True
    if ban.network and ip is not None:
        try:
            return ip in ipaddress.ip_network(ban.network, strict=False)
        except (ValueError, TypeError):
            return False
    return False


def matching(bans: list[Ban], user_id: int | None, address: Any) -> Ban | None:
    """The first of ``bans`` that covers the account ``user_id`` or the client ``address``
    (no query: for a page of the moderation queue, checked against the bans read once)."""
    ip = _address(address)
    for ban in bans:
        if _covers(ban, user_id, ip):
            return ban
    return None


def ban_for(user: Any, address: str) -> Ban | None:
    """The ban in force against ``user`` (a user or None) or the client ``address``, if any
    (one query)."""
    mine = Q(network__gt="")
    user_id = None
    if user is not None and getattr(user, "is_authenticated", False):
        user_id = user.pk
        mine |= Q(user_id=user_id)
    ip = _address(address)
    for ban in active().filter(mine).order_by("pk"):
        if not ban.network:
            return ban
        if _covers(ban, user_id, ip):
            return ban
    return None


def held_posts_under(ban: Ban) -> list[Any]:
    """The posts waiting in the moderation queue (held) that ``ban`` covers: by its account,
    or sent from an address in its range."""
    from broadsheet.content.discussion.models import CommentStatus

    from .models import Post

    held = Post.objects.filter(status=CommentStatus.HELD)
    if not ban.network:
        return list(held.filter(author_id=ban.user_id)) if ban.user_id else []
    candidates = held.filter(Q(author_id=ban.user_id) | Q(ip_address__isnull=False)).only(
        "pk", "author_id", "ip_address"
    )
    return [p for p in candidates if _covers(ban, p.author_id, _address(p.ip_address))]
