"""Who is asking: the client's address behind our own proxies, and what rate limits count.

Used by the reader forms' and the newsletter sign-up's rate limits (``broadsheet.discussion.guard``,
``broadsheet.distribution.views``, both counting with :func:`count_hit`) and the editors' login
throttle (django-axes, ``AXES_CLIENT_IP_CALLABLE``), so all see the same address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> list[IPNetwork]:
    """``BROADSHEET_TRUSTED_PROXIES`` (env ``TRUSTED_PROXIES``): the addresses or networks of
    the reverse proxies in front of the app, e.g. ``["127.0.0.1", "10.0.0.0/8"]``. Raises
    ``ImproperlyConfigured`` for anything that is not an address or network."""
    raw = getattr(settings, "BROADSHEET_TRUSTED_PROXIES", None) or []
    if isinstance(raw, str | int):
        raise ImproperlyConfigured(
            "BROADSHEET_TRUSTED_PROXIES is a list of proxy addresses or networks, e.g. "
            '["127.0.0.1", "10.0.0.0/8"]'
        )
    try:
        return [ipaddress.ip_network(str(p).strip(), strict=False) for p in raw]
    except ValueError as error:
        raise ImproperlyConfigured(f"BROADSHEET_TRUSTED_PROXIES: {error}") from None


def _ip(text: str) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def client_address(request: HttpRequest) -> str:
    """The client's IP address. ``REMOTE_ADDR``, unless it is one of :func:`trusted_proxies`:
    then ``X-Forwarded-For`` is read from the right, skipping our own proxies, and the first
    address not ours is the client (what our outermost proxy saw; anything a client writes
    into the header further left is never believed). ``"0.0.0.0"`` when there is none."""
    client = _ip(request.META.get("REMOTE_ADDR", "") or "")
    if client is None:
        return "0.0.0.0"  # noqa: S104 - not an address to bind; "unknown"
    proxies = trusted_proxies()
    if proxies and any(client in net for net in proxies):
        hops = request.headers.get("X-Forwarded-For", "").split(",")
        for hop in reversed(hops):
            ip = _ip(hop)
            if ip is None:
                break
            client = ip
            if not any(ip in net for net in proxies):
                break
    return str(client)


def rate_key(address: str) -> str:
    """What the rate limits count: an IPv4 address itself, an IPv6 address's /64 network (one
    subscriber's line gets a whole /64, so counting single IPv6 addresses would let one reader
    count as 2**64)."""
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip) if ip is not None else address


def axes_client_ip(request: HttpRequest) -> str:
    """:func:`client_address` for django-axes (``AXES_CLIENT_IP_CALLABLE``)."""
    return client_address(request)


def count_hit(scope: str, key: str, window: int, now: float) -> int:
    """Count one hit of ``key`` in the fixed window of ``window`` seconds that holds ``now``
    (Unix seconds) and return the hits so far in that window, this one included.

    The counter lives in the shared cache (``CACHE_URL``: ``cache.add`` then ``cache.incr``,
    atomic on Redis and the database cache, so processes share it) under
    ``<scope>:rate:<key>:<window number>`` and expires a few seconds after its window.
    ``scope`` keeps apart the limits of different features (``"discussion"``,
    ``"newsletter"``)."""
    bucket = f"{scope}:rate:{key}:{int(now) // window}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 5)
        return 1
