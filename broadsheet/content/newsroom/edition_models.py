"""What an edition has of its own beyond its pages: an author's name as the edition writes it
(:class:`AuthorName`) and the edition's masthead and site-wide notice
(:class:`EditionSettings`). Anything an edition does not set falls back to the default
edition's (the site's ``NewsroomSettings``, the author's ``name``): the read model
(``broadsheet.site.live``) applies the fallback. Kept apart from ``models.py`` for its size.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.snippets.models import register_snippet

from .addresses import validate_web_address

__all__ = ["AuthorName", "EditionSettings", "Masthead", "edition_languages", "masthead_panels"]


def edition_languages() -> list[tuple[str, str]]:
    """The content languages (``WAGTAIL_CONTENT_LANGUAGES``), as form choices."""
    from django.conf import settings

    return list(getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES)


class AuthorName(Orderable):
    """An author's name as one edition writes it (``language``: an edition's language)."""

    author = ParentalKey("newsroom.Author", related_name="edition_names", on_delete=models.CASCADE)
    language = models.CharField(max_length=20, choices=edition_languages)
    name = models.CharField(max_length=255)

    panels = [FieldPanel("language"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["author", "language"], name="unique_author_name")
        ]

    def __str__(self) -> str:
        return self.name


class Masthead(models.Model):
    """The masthead and site-wide notice fields, one definition for the site's
    ``NewsroomSettings`` (the default edition's; it overrides ``site_name`` with a default) and
    each edition's :class:`EditionSettings` (blank: fall back to the site's). Abstract: no table
    of its own."""

    site_name = models.CharField(max_length=255, blank=True)
    tagline = models.CharField(max_length=255, blank=True)
    notice_text = models.TextField(blank=True)
    notice_link_url = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_web_address],
        help_text=_("An http:// or https:// address (the notice's link), or blank."),
    )
    notice_link_text = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


def masthead_panels() -> list[FieldPanel | MultiFieldPanel]:
    """The admin panels of :class:`Masthead`'s fields: name, tagline, the notice grouped."""
    return [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldPanel("notice_text"),
                FieldPanel("notice_link_url"),
                FieldPanel("notice_link_text"),
            ],
            heading=_("Site-wide notice"),
        ),
    ]


@register_snippet
class EditionSettings(Masthead):
    """An edition's own masthead and site-wide notice: any field left blank falls back to the
    site's :class:`NewsroomSettings` (which are the default edition's)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=20, choices=edition_languages)

    panels = [FieldPanel("site"), FieldPanel("language"), *masthead_panels()]

    class Meta:
        verbose_name = _("edition settings")
        verbose_name_plural = _("edition settings")
        constraints = [
            models.UniqueConstraint(fields=["site", "language"], name="unique_edition_settings")
        ]

    def __str__(self) -> str:
        return f"{self.site} ({self.language})"
