"""Mail and cache settings from one URL each (``EMAIL_URL``, ``CACHE_URL``), 12-factor style.

Why not dj-email-url: its ``smtp://`` sends in plain text, so ``smtp://user:pass@host:587``
would hand the password to anyone on the path. Here ``smtp://`` means STARTTLS unless the URL
says ``?tls=0`` (only for a server on this machine, e.g. a test's), and ``smtps://`` means TLS
from the first byte (port 465).
"""

from __future__ import annotations

import urllib.parse
from typing import Any

EMAIL_SCHEMES = {
    "smtp": "broadsheet.security.mail.EmailBackend",  # Django's, with ?cafile=
    "smtps": "broadsheet.security.mail.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
#: Mail backends that never reach a reader or an editor: refused in production.
NON_DELIVERING_MAIL = frozenset(EMAIL_SCHEMES[s] for s in ("console", "locmem", "dummy"))
#: Cache backends private to one process: refused in production (limits would not hold).
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
DATABASE_CACHE_TABLE = "broadsheet_cache"
_FALSE = {"0", "false", "no", "off"}


def email_settings(url: str) -> dict[str, Any]:
    """Django's ``EMAIL_*`` settings for a mail URL.

    ``smtp://user:password@host:587`` (STARTTLS; user and password percent-encoded),
    ``smtps://user:password@host:465`` (implicit TLS), ``smtp://127.0.0.1:1025?tls=0`` (plain,
    for a local server), ``console://``, ``locmem://``, ``dummy://``. A ``timeout`` query
    parameter sets the connection timeout in seconds (default 10); ``cafile`` a PEM file of
    the certificates to trust for the server instead of the system's authorities
    (``EMAIL_SSL_CAFILE``). The server's certificate and name are always checked. Raises
    ``ValueError`` for an unknown scheme or a malformed URL.
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        raise ValueError(
            f"EMAIL_URL: unknown scheme {parts.scheme!r} "
            "(use smtp, smtps, console, locmem or dummy)"
        )
    result: dict[str, Any] = {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme not in {"smtp", "smtps"}:
        return result
    if not parts.hostname:
        raise ValueError("EMAIL_URL: no host, e.g. smtp://user:password@mail.example.org:587")
    query = dict(urllib.parse.parse_qsl(parts.query))
    plain = scheme == "smtp" and query.get("tls", "").lower() in _FALSE
    try:
        port = parts.port
        timeout = float(query.get("timeout", 10))
    except ValueError as error:
        raise ValueError(f"EMAIL_URL: {error}") from None
    result.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if scheme == "smtps" else 25 if plain else 587),
        EMAIL_HOST_USER=urllib.parse.unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=urllib.parse.unquote(parts.password or ""),
        EMAIL_USE_TLS=scheme == "smtp" and not plain,
        EMAIL_USE_SSL=scheme == "smtps",
        EMAIL_TIMEOUT=timeout,
        EMAIL_SSL_CAFILE=query.get("cafile", ""),
    )
    return result


def cache_settings(url: str) -> dict[str, Any]:
    """Django's ``CACHES["default"]`` for a cache URL.

    ``redis://[:password@]host:6379/0`` or ``rediss://…`` (Redis, shared by every process),
    ``db://`` (the database's table ``broadsheet_cache``; ``broadsheet createcachetable``
    makes it), ``locmem://`` or "" (each process's own memory: development only). Raises
    ``ValueError`` for an unknown scheme.
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if not url or scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "broadsheet.search.rediscache.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        }
    raise ValueError(f"CACHE_URL: unknown scheme {scheme!r} (use redis, rediss, db or locmem)")
