"""Where an imported story came from: its source and the entry's identity there.

An importer finds a story again by this pair, never by slug alone: two feeds whose links
both end in ``/amp`` are two stories, and an import never changes a story that came from
another source or was written in the newsroom (docs/importers.md, "Identity").
"""

from __future__ import annotations

from django.db import models


class ImportOrigin(models.Model):
    """What every imported item's origin holds (abstract): ``source``, ``entry``,
    ``fingerprint`` (SHA-1, 40 hex digits) and when it was last imported."""

    source = models.CharField(max_length=500)
    entry = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=40, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.source} {self.entry}"


class ImportedStory(ImportOrigin):
    """One imported story's origin.

    ``source`` names the input: ``feed:<feed URL or site URL>``, ``wxr:<site URL>`` or
    ``html:<site host>``; ``entry`` is the entry's identity in it (the feed entry's GUID /
    Atom id, else its link, else a hash of its content; ``post:<wp:post_id>``; the page's
    canonical URL). ``fingerprint`` is a SHA-1 of what was saved last, so that importing an
    unchanged entry again writes no revision.
    """

    story = models.OneToOneField(
        "newsroom.StoryPage", on_delete=models.CASCADE, related_name="import_origin"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "entry"], name="unique_import_identity")
        ]
        verbose_name_plural = "imported stories"


class ImportedPage(ImportOrigin):
    """One imported information page's origin (a WordPress page: ``source`` ``wxr:<site>``,
    ``entry`` ``page:<wp:post_id>``), the pages' counterpart of :class:`ImportedStory`: an
    import finds the page again by this pair, and ``fingerprint`` (SHA-1 of what was saved
    last) lets an unchanged page be left alone, with no new revision."""

    page = models.OneToOneField(
        "newsroom.InfoPage", on_delete=models.CASCADE, related_name="import_origin"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "entry"], name="unique_imported_page")
        ]
