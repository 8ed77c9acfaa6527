"""Bans from the forums, by account and by address range (docs/forums.md).

An IPv4 address is banned as itself; an IPv6 address by its /64 (one subscriber's line gets a
whole /64: banning one address of it would ban nothing), as the rate limits count it
(``broadsheet.site.clients.rate_key``). A ban takes effect on the next request: it is read on
every post, never cached.
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


def ban_for(user: Any, address: str) -> Ban | None:
    """The ban in force against ``user`` (a user or None) or the client ``address``, if any
    (one query)."""
    now = timezone.now()
    active = Ban.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    mine = Q(network__gt="")
    if user is not None and getattr(user, "is_authenticated", False):
        mine |= Q(user_id=user.pk)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for ban in active.filter(mine).order_by("pk"):
        if not ban.network:
            return ban
        if ip is not None:
            try:
                if ip in ipaddress.ip_network(ban.network, strict=False):
                    return ban
            except (ValueError, TypeError):
                continue
    return None
