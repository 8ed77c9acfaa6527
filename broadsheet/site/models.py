"""The listing index: the site model's read-side tables, kept up to date on every write.

A public story is *entered* in every listing that shows it — the site's (``all``), its section
and each section above it (``section:<id>``), each author's (``author:<id>``), each tag's
(``tag:<id>``) — with its publication date and last-modified date. Each listing and each month of
the archive has a :class:`ListingStat` row (count, newest publication, latest modification).

With them, a listing page, a count, a story's place in a listing, the archive's months, the
authors' and tags' indexes and the sitemaps' dates are indexed lookups whose cost does not grow
with the archive; without them each is a scan of every story (docs/performance.md). They are
maintained by :mod:`.listings` from model signals, in the writer's transaction, and can be
rebuilt from the content at any time (``broadsheet bake --reindex``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ListingEntry(models.Model):
    """A story in a listing of the site whose front page is ``root_id``."""

    root_id = models.BigIntegerField()
    scope = models.CharField(max_length=40)
    story_id = models.BigIntegerField()
    published_at = models.DateTimeField()
    lastmod = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["root_id", "scope", "story_id"], name="listing_entry_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["root_id", "scope", "published_at", "story_id"], name="listing_order"
            ),
            models.Index(fields=["story_id"], name="listing_story"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.story_id}"


class ListingStat(models.Model):
    """A listing's (``scope``) or an archive month's (``month:YYYY-MM``) story count, newest
    publication date and latest modification date."""

    root_id = models.BigIntegerField()
    scope = models.CharField(max_length=40)
    count = models.IntegerField(default=0)
    newest = models.DateTimeField(null=True)
    lastmod = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["root_id", "scope"], name="listing_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"


class ListingIndexState(models.Model):
    """When the index was last rebuilt, and for which time zone (months are local)."""

    time_zone = models.CharField(max_length=64)
    version = models.IntegerField(default=1)
    rebuilt_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"rebuilt {self.rebuilt_at:%Y-%m-%d %H:%M} for {self.time_zone}"


class Version(models.Model):
    """A named version number (:mod:`.versions`) kept in the database for when Django's default
    cache is private to each process: the site facts' and the search pages' generations."""

    name = models.CharField(max_length=40, primary_key=True)
    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.number}"
