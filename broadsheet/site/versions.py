"""Named version numbers ("generations") that every process of the site sees: a memo or a
page cache keyed by one is stale as soon as any process bumps it.

They live in Django's cache when that cache is shared between processes (``CACHE_URL``:
Redis, the database, Memcached: one cache ``GET`` a read), and in the database
(:class:`~.models.Version`, one indexed ``SELECT`` a read) when it is private to each process
(Django's default ``LocMemCache``, the demo and development: ``PER_PROCESS_CACHES``), so a
management command (``broadsheet freeze``/``unfreeze``, an import) run in another process
reaches the web process's next request at once. ``BROADSHEET_VERSIONS_IN`` (``"auto"``,
``"cache"`` or ``"database"``) overrides the choice.

Why our own code: Django's cache framework has no cross-process counter for a per-process
backend, and this is a dozen lines over its ``incr`` and one table.

While the table does not exist yet (``migrate`` on a new database, where a data migration such
as the search index's first fill saves content before this app's migration has run), a read is
0 and a bump does nothing: no process can have remembered anything against it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connections, router
from django.db.models import F

from broadsheet.settings.envurls import PER_PROCESS_CACHES


def _cache(alias: str) -> BaseCache:
    return caches[alias]


def cache_key(name: str) -> str:
    """The key version ``name`` has in the cache (when kept there)."""
    return f"broadsheet:{name}"


def in_database(alias: str = "default") -> bool:
    """Whether versions are kept in the database for cache ``alias`` (see the module)."""
    where = getattr(settings, "BROADSHEET_VERSIONS_IN", "auto")
    if where in ("cache", "database"):
        return where == "database"
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return backend in PER_PROCESS_CACHES


_tables_seen: set[tuple[str, str]] = set()


def _table_ready() -> bool:
    """Whether the versions table exists in the database it is written to (asked of the
    database until it has been seen once per database, so only while migrating)."""
    from .models import Version

    alias = router.db_for_write(Version)
    connection = connections[alias]
    key = (alias, str(connection.settings_dict.get("NAME")))
    if key in _tables_seen:
        return True
    if Version._meta.db_table in connection.introspection.table_names():
        _tables_seen.add(key)
        return True
    return False


def read(name: str, alias: str = "default") -> int:
    """The current number of version ``name`` (at most 40 characters); started from the clock
    when there is none yet (a restarted or evicted counter never returns to a number used)."""
    if in_database(alias):
        from .models import Version

        if not _table_ready():
            return 0
        number = Version.objects.filter(name=name).values_list("number", flat=True).first()
        if number is None:
            Version.objects.get_or_create(name=name, defaults={"number": time.time_ns()})
            number = Version.objects.filter(name=name).values_list("number", flat=True).first()
        return int(number or 0)
    key = cache_key(name)
    cache = _cache(alias)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, 0)
    return int(value)


def bump(name: str, alias: str = "default") -> None:
    """Move version ``name`` on, for every process. In the database the change is part of the
    current transaction (seen by others when it commits)."""
    if in_database(alias):
        from .models import Version

        if not _table_ready():
            return
        if not Version.objects.filter(name=name).update(number=F("number") + 1):
            Version.objects.get_or_create(name=name, defaults={"number": time.time_ns()})
        return
    key = cache_key(name)
    cache = _cache(alias)
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or evicted)
        cache.set(key, time.time_ns(), timeout=None)
