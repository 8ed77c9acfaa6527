"""Django's Redis cache backend, keeping one ``redis.Redis`` client per connection pool.

Why our own code: Django's ``RedisCacheClient.get_client()`` makes a new ``redis.Redis`` for
every cache operation, and ``redis.Redis.__init__`` (redis-py 5–8) builds its table of
response callbacks each time: about 0.6 ms of CPU per ``get`` on the project's machines, most
of a cached search page's cost (two gets). A ``redis.Redis`` over a connection pool is safe to
share, so it is made once per pool. Everything else is Django's backend unchanged
(``CACHE_URL``, docs/search.md).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    """:class:`RedisCacheClient` whose :meth:`get_client` reuses one client per pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusingRedisCacheClient`."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
