"""A per-process memo of the site-wide facts every live page reads: the sections (navigation,
filters), the site's and the edition's settings (masthead, notice), the tips, the authors'
names in an edition, the discussion settings, and any other value a feature asks to keep
(:func:`Snapshot.get`).

Every page costs half a dozen small queries for these otherwise, more than the rest of a
cached-index search. The memo is valid for one *version*, a number in Django's shared cache
(``CACHE_URL``: Redis, Memcached, the database), or in the database when that cache is private
to each process (the demo's; :mod:`.versions`): any save or delete of a model these facts
come from — sections and front pages (and their publish, unpublish, move), the newsroom's and
the editions' settings, tips, authors and their names, the discussion settings, Wagtail sites
and locales — and the content services' bulk ``changed`` signal bump it (:func:`bump`, now
and again when the transaction commits), so every process sharing that cache reloads on its
next page. A live request reads the version once (one cache ``GET``); the memo is emptied when
it moved, and in any case after ``BROADSHEET_SITE_FACTS_SECONDS`` (default 60; 0 turns the
memo off), which bounds staleness for changes that bypass model signals (raw SQL, a
``QuerySet.update``). A management command run in another process (``broadsheet unfreeze``,
an import) bumps the same number, so the web process's next page shows the change.

Only live requests use the memo (:func:`~.views.live_build`); a bake always reads the database,
so what a bake writes never depends on another process's timing.

Why our own code: Django's cache framework would have to pickle and unpickle the facts on
every request (as costly as the queries); this keeps them as Python objects in the process and
uses the shared cache only for the version number, as Django's own ``cache.get_or_set`` users
do with "generational" keys.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction

from . import versions

VERSION_NAME = "site:facts-version"
T = TypeVar("T")

_lock = threading.Lock()
_memo: dict[str, Any] = {"version": None, "loaded": 0.0, "values": {}}


def max_age() -> float:
    """Seconds a process keeps its memo at most (``BROADSHEET_SITE_FACTS_SECONDS``, default 60;
    0: no memo)."""
    return max(0.0, float(getattr(settings, "BROADSHEET_SITE_FACTS_SECONDS", 60)))


def _alias() -> str:
    return getattr(settings, "BROADSHEET_SITE_FACTS_CACHE", "default")


def version() -> int:
    """The current version (:func:`.versions.read`: in the shared cache, or in the database
    when Django's cache is private to each process)."""
    return versions.read(VERSION_NAME, _alias())


def _bump_now() -> None:
    versions.bump(VERSION_NAME, _alias())


def bump() -> None:
    """Invalidate every process's memo: now, and again when the current transaction commits
    (a process that reloaded in between read the state before the commit); in the database,
    once, inside the transaction."""
    _bump_now()
    if not versions.in_database(_alias()):  # the database's row is seen at the commit
        transaction.on_commit(_bump_now)


def clear() -> None:
    """Forget this process's memo (tests; a process that knows it changed the facts)."""
    with _lock:
        _memo.update(version=None, loaded=0.0, values={})


class Snapshot:
    """The memo's values at one version, for the read model of one live request: a value is
    loaded at most once per process and version (``get``)."""

    __slots__ = ("values",)

    def __init__(self, values: dict[Any, Any]) -> None:
        self.values = values

    def get(self, key: Any, load: Callable[[], T]) -> T:
        """The value remembered under ``key`` (hashable; include the site context), else
        ``load()``, remembered. Values must not be changed by their users (they are shared by
        the process's threads and requests)."""
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = load()
            return value


def snapshot() -> Snapshot | None:
    """The process's memo at the shared cache's current version (emptied when the version moved
    or the memo is older than :func:`max_age`), or None when the memo is off."""
    age = max_age()
    if age <= 0:
        return None
    current = version()
    now = time.monotonic()
    with _lock:
        if _memo["version"] != current or now - _memo["loaded"] > age:
            _memo.update(version=current, loaded=now, values={})
        return Snapshot(_memo["values"])


def connect() -> None:
    """Bump the version on every model event that can change a fact (called by the site app's
    ``ready``). Stories are not facts: publishing one bumps nothing."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Locale, Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from broadsheet.content.discussion.models import DiscussionSettings
    from broadsheet.content.newsroom.models import (
        Author,
        AuthorName,
        EditionSettings,
        FrontPage,
        NewsroomSettings,
        SectionPage,
        StoryPage,
        Tip,
    )
    from broadsheet.content.signals import changed

    facts = (
        SectionPage,
        FrontPage,
        NewsroomSettings,
        EditionSettings,
        Tip,
        Author,
        AuthorName,
        DiscussionSettings,
        Site,
        Locale,
    )

    def on_model(sender: Any, instance: Any, **kwargs: Any) -> None:
        bump()

    def on_page(sender: Any, instance: Any, **kwargs: Any) -> None:
        if not isinstance(getattr(instance, "specific_deferred", instance), StoryPage):
            bump()

    def on_page_row_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        if sender is Page and instance.content_type_id != _story_type_id():
            bump()

    def on_bulk(sender: Any, instances: Any = (), **kwargs: Any) -> None:
        if any(isinstance(i, facts) for i in instances):
            bump()

    uid = "broadsheet.site.facts"
    for model in facts:
        for signal, name in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                on_model, sender=model, dispatch_uid=f"{uid}.{name}.{model.__name__}", weak=False
            )
    post_delete.connect(
        on_page_row_deleted, sender=Page, dispatch_uid=f"{uid}.page-del", weak=False
    )
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    ):
        signal.connect(on_page, dispatch_uid=f"{uid}.{name}", weak=False)
    changed.connect(on_bulk, dispatch_uid=f"{uid}.bulk", weak=False)


def _story_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from broadsheet.content.newsroom.models import StoryPage

    return ContentType.objects.get_for_model(StoryPage).id
