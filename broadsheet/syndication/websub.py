"""WebSub (W3C Recommendation, 2018): the feeds name a hub, and the worker tells the hub
when a publish changed them, so feed readers and aggregators update at once instead of
polling hourly.

* :func:`hub_url` — ``BROADSHEET_WEBSUB_HUB`` (environment; empty: no hub). The feeds declare
  it beside their ``rel="self"`` link (WebSub §4: ``<atom:link rel="hub">`` in RSS 2.0,
  ``<link rel="hub">`` in Atom), see :mod:`.feeds`.
* :func:`announce` — after a bake of the site's own output (publishing's engine), the feed
  paths it wrote or removed are queued for :func:`ping_hub`.
* :func:`ping_hub` — a task: for each feed URL, ``POST hub.mode=publish&hub.url=<feed URL>``
  (``application/x-www-form-urlencoded``; the publish ping hubs such as Superfeedr, Google's
  pubsubhubbub hub and WebSub.Rocks accept — the Recommendation leaves the ping to the hub).
  A hub that does not answer 2xx is tried again after 1, 5 and 30 minutes, then given up
  (logged): the next publish pings again, and subscribers poll anyway.

Why our own code: a form POST with ``urllib`` is all a publisher does; the libraries for WebSub
are hubs and subscribers.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

FEED_PATH = re.compile(r"/feeds?/(rss|atom)\.xml\Z")
RETRY_DELAYS = (60, 300, 1800)
TIMEOUT = 10.0


def hub_url() -> str:
    """The WebSub hub the feeds declare and the worker pings ("" = none)."""
    return (getattr(settings, "BROADSHEET_WEBSUB_HUB", "") or "").strip()


def feed_paths(paths: Iterable[str]) -> list[str]:
    """The feeds among URL ``paths`` (``/feeds/rss.xml``, ``/fa/iran/feed/atom.xml``…)."""
    return sorted({p for p in paths if FEED_PATH.search(p)})


def announce(build: Any, changed: Iterable[str]) -> list[str]:
    """Queue a ping of the hub for the feeds among the ``changed`` URL paths of a bake (after
    the transaction commits); returns the feed URLs (none without a hub)."""
    if not hub_url():
        return []
    urls = [build.absolute(p) for p in feed_paths(changed)]
    if urls:
        transaction.on_commit(lambda: ping_hub.enqueue(urls))
    return urls


def _post(hub: str, topic: str) -> int:
    data = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
    request = urllib.request.Request(  # noqa: S310 - the newsroom's configured hub
        hub, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@task()
def ping_hub(urls: list[str], attempt: int = 1) -> list[str]:
    """Tell the hub that the feeds ``urls`` changed (one POST each). Returns the URLs the hub
    did not take (queued again after :data:`RETRY_DELAYS` when the backend can defer)."""
    hub = hub_url()
    if not hub:
        return []
    failed = []
    for url in urls:
        try:
            status = _post(hub, url)
        except (OSError, ValueError) as error:
            logger.warning("WebSub hub %s: %s for %s", hub, error, url)
            failed.append(url)
            continue
        if not 200 <= status < 300:
            logger.warning("WebSub hub %s answered %s for %s", hub, status, url)
            failed.append(url)
    if failed:
        if attempt <= len(RETRY_DELAYS) and ping_hub.get_backend().supports_defer:
            run_after = timezone.now() + dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
            ping_hub.using(run_after=run_after).enqueue(failed, attempt=attempt + 1)
        else:
            logger.error("WebSub hub %s: gave up pinging %s", hub, failed)
    return failed
