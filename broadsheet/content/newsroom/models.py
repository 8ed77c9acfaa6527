"""Newsroom content model (Wagtail pages and snippets).

Page tree::

    FrontPage                     the site root ("/")
      SectionPage                 a section front, e.g. "Iran" (sections nest)
        SectionPage               "Iran Opposition"
          StoryPage               a story (article)
      InfoPage                    about us, contact… (plain pages)

Snippets: :class:`Author`, :class:`Tip`. Site settings: :class:`NewsroomSettings`.

Reader pages are rendered by the site model (:mod:`broadsheet.site`) from plain data; each page
type's ``serve`` delegates to it through :mod:`.hooks`, so the live page and the baked file come
from the same code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import editor, hooks
from .addresses import validate_web_address
from .blocks import RICH_TEXT_FEATURES, StoryBodyBlock
from .edition_models import (  # noqa: F401
    AuthorName,
    EditionSettings,
    Masthead,
    edition_languages,
    masthead_panels,
)
from .mirror_models import Mirror  # noqa: F401
from .slugs import check_slug_length, fit_slug


class CommentsState(models.TextChoices):
    """Whether readers may comment on a story (comments themselves come with discussion)."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (shown, no form)"
    HIDDEN = "hidden", "Hidden"


class ReaderPageMixin:
    """Pages whose reader view is produced by the shared renderer; their slugs fit a file name
    (:data:`MAX_SLUG_BYTES`)."""

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        check_slug_length(self.slug)  # type: ignore[attr-defined]

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return hooks.serve(request, self, **kwargs)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        return hooks.serve(request, self, preview=True)


class FrontPage(ReaderPageMixin, Page):
    """The front page: latest stories and a block per section."""

    intro = models.TextField(blank=True, help_text="Optional line under the masthead.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("top_stories", label="Top story", heading="Top stories (editor's picks)"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["newsroom.SectionPage", "newsroom.InfoPage"]
    max_count = 1

    class Meta:
        verbose_name = _("front page")


class SectionPage(RoutablePageMixin, ReaderPageMixin, Page):
    """A section and its section front; sections nest ("Iran" → "Iran Opposition").

    A section front lists the stories of the section and all its subsections, newest first;
    older stories are on numbered pages ``page/<n>/`` counted from the oldest, so a new story
    never renumbers existing pages (see docs/baking.md).
    """

    #: A new section is in the navigation unless made with ``show_in_menus=False`` (imports).
    show_in_menus_default = True

    description = models.TextField(blank=True, help_text="One or two sentences about the section.")
    lead_story = models.ForeignKey(
        "newsroom.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story shown first on the section front and in the section's block on the "
        "front page, whatever its date. Blank: the newest story.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("lead_story", heading="Lead story"),
    ]
    parent_page_types = ["newsroom.FrontPage", "newsroom.SectionPage"]
    subpage_types = ["newsroom.SectionPage", "newsroom.StoryPage"]

    class Meta:
        verbose_name = _("section")

    def clean(self) -> None:
        super().clean()
        parent = self.get_parent() if self.path else None
        at_top = parent is not None and parent.specific_class is FrontPage
        if at_top and self.slug in hooks.reserved_slugs():
            raise ValidationError(
                {"slug": f"/{self.slug}/ is used by the site itself; choose another slug."}
            )

    @path("")
    def front(self, request: HttpRequest) -> HttpResponse:
        return hooks.serve(request, self)

    @path("page/<int:number>/")
    def numbered_page(self, request: HttpRequest, number: int) -> HttpResponse:
        return hooks.serve(request, self, number=number)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return RoutablePageMixin.serve(self, request, *args, **kwargs)


class InfoPage(ReaderPageMixin, Page):
    """A plain page (about us, corrections policy…)."""

    body = RichTextField(features=[*RICH_TEXT_FEATURES, "h2", "h3"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["newsroom.FrontPage", "newsroom.InfoPage"]
    subpage_types = ["newsroom.InfoPage"]

    class Meta:
        verbose_name = _("information page")


@register_snippet
class Author(index.Indexed, ClusterableModel):
    """A writer, translator or photographer. The e-mail address is private: it is used only to
    relay readers' messages and never appears on any page. ``name`` is shown in every edition
    that has no name of its own for the author (:class:`AuthorName`: "Ahmad Rafat" and
    "احمد رافت" in Persian)."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True, help_text="Private: never shown to readers.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("email"),
        InlinePanel("edition_names", heading="Name in other editions", label="Name"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Author, self.name)
        super().save(*args, **kwargs)


def unique_slug(model: type[models.Model], text: str, field: str = "slug") -> str:
    """Return a slug for ``text`` not yet used in ``model.<field>`` (``name``, ``name-2``…)."""
    base = fit_slug(text) or "item"
    candidate, n = base, 1
    while model._default_manager.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class StoryTag(TaggedItemBase):
    """The through model tagging stories."""

    content_object = ParentalKey(
        "newsroom.StoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class StoryPage(ReaderPageMixin, Page):
    """A story: headline (the page title), standfirst, byline, dateline, dates, story code,
    tags, lead image, comments state and a body of blocks.

    ``published_at`` is the editorial first-publication date shown to readers (set on first
    publish when empty, or taken from an import); ``updated_at`` is set by an editor when a
    story is substantively updated and shows as "Updated …".
    """

    standfirst = models.TextField(blank=True, help_text="The deck: one or two sentences.")
    byline_credit = models.CharField(
        max_length=255, blank=True, help_text='Free-text credit, e.g. "IPS" or "Staff".'
    )
    dateline_place = models.CharField(max_length=120, blank=True, help_text='e.g. "Paris"')
    dateline_agency = models.CharField(max_length=60, blank=True, help_text='e.g. "IPS"')
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    story_code = models.CharField(
        max_length=120, blank=True, help_text='Wire slug line, e.g. "IRAN OPPOSITION 18607".'
    )
    tags = ClusterTaggableManager(through=StoryTag, blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=500, blank=True)
    lead_image_credit = models.CharField(max_length=255, blank=True)
    comments = models.CharField(
        max_length=8, choices=CommentsState.choices, default=CommentsState.OPEN
    )
    body = StreamField(StoryBodyBlock(), blank=True)
    hide_from_front = models.BooleanField(
        default=False,
        help_text="Not in the front page's lists; the story stays in its section, the archives, "
        "the feeds and search.",
    )

    # The editor's two tabs, "Story" and "Publishing", and its form (slug from the headline):
    # .editor, docs/editors.md.
    edit_handler = editor.STORY_EDITOR
    base_form_class = editor.StoryPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.SearchField("story_code"),
        index.SearchField("search_terms"),
        index.FilterField("published_at"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    @property
    def headline(self) -> str:
        return self.title

    def search_terms(self) -> str:
        """Normalised, stemmed search terms of the story (Persian/Arabic letters and digits
        folded), indexed so every search backend matches them (:mod:`..searchtext`)."""
        from broadsheet.content.searchtext import body_text, index_terms

        raw = self.body.raw_data if hasattr(self.body, "raw_data") else self.body
        parts = [self.title, self.standfirst, body_text(raw or []), self.story_code]
        return index_terms([*parts, self.byline_credit, self.dateline_place])

    def first_publication_date(self, now: dt.datetime) -> dt.datetime | None:
        """The publication date a story gets when it is first saved as live without one: its
        go-live time (the embargo) once that has come, else the moment it was first published;
        ``None`` while its go-live time is still ahead. Wagtail's admin saves a new page as
        live for an instant before it schedules it: that instant (when the editor pressed
        "Publish") must not become the date, nor be kept in the revision that goes live."""
        if self.go_live_at is not None:
            return self.go_live_at if self.go_live_at <= now else None
        return self.first_published_at or now

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.live and self.published_at is None:
            self.published_at = self.first_publication_date(timezone.now())
        noted = [c.noted_at for c in self.corrections.all() if c.noted_at is not None]
        if noted and (self.updated_at is None or max(noted) > self.updated_at):
            self.updated_at = max(noted)  # a correction or update is the story's last update
        super().save(*args, **kwargs)


class CorrectionKind(models.TextChoices):
    """What a note on a published story says: it corrects an error, or adds news."""

    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"


class StoryCorrection(Orderable):
    """A dated correction or update note on a published story, shown at the end of the story,
    listed on the site's corrections page, and making the story's "Updated" date."""

    story = ParentalKey(StoryPage, related_name="corrections", on_delete=models.CASCADE)
    kind = models.CharField(
        max_length=10, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    noted_at = models.DateTimeField(
        default=timezone.now, help_text="When the correction was made; shown with it."
    )
    text = models.TextField(
        help_text='What was wrong and what is right, e.g. "An earlier version of this story '
        'gave the wrong date for the meeting. It was on 18 June."'
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("noted_at")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")


class StoryAuthor(Orderable):
    """An author in a story's byline, in byline order."""

    story = ParentalKey(StoryPage, related_name="story_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, related_name="+", on_delete=models.CASCADE)

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["story", "author"], name="unique_story_author")
        ]


@register_snippet
class Tip(models.Model):
    """Short reusable micro-content for sidebars ("Got a story? Write to the editor").

    A tip without a section shows on every page of its edition (``language``; blank: the
    default edition's); an edition with no tip of its own shows the default edition's. One
    with a section shows on that section's front and its stories."""

    title = models.CharField(max_length=255)
    text = models.TextField(max_length=600)
    link_url = models.CharField(max_length=500, blank=True, help_text="A path or full URL.")
    link_text = models.CharField(max_length=120, blank=True)
    section = models.ForeignKey(
        SectionPage, null=True, blank=True, on_delete=models.CASCADE, related_name="tips"
    )
    live = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)
    language = models.CharField(
        max_length=20,
        blank=True,
        default="",
        choices=edition_languages,
        help_text="The edition that shows it (blank: the default edition). An edition with no "
        "tip of its own shows the default edition's.",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("link_url"),
        FieldPanel("link_text"),
        FieldPanel("language"),
        FieldPanel("section"),
        FieldPanel("live"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class FrontPageTopStory(Orderable):
    """A story the editor puts at the top of the front page, whatever its date."""

    front_page = ParentalKey(FrontPage, related_name="top_stories", on_delete=models.CASCADE)
    story = models.ForeignKey(StoryPage, related_name="+", on_delete=models.CASCADE)

    panels = [FieldPanel("story")]


#: The longest closing notice (characters): it stands at the top and foot of every page.
CLOSING_NOTICE_MAX = 500


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting, Masthead):
    """Per-site settings: the masthead and the site-wide notice shown on every page
    (:class:`Masthead`'s fields, shared with each edition's ``EditionSettings``)."""

    site_name = models.CharField(max_length=255, default="Broadsheet")
    notice_text = models.TextField(
        blank=True, help_text='Site-wide notice, e.g. "As of January 2009, this site is closed…"'
    )
    # Archive (sunset) mode, set by `broadsheet freeze` and cleared by `broadsheet unfreeze`
    # (docs/archive.md): reader forms closed, the closing notice shown instead of the notice
    # above (which is kept, and shown again on unfreeze).
    frozen = models.BooleanField(
        default=False,
        help_text="Archive mode: reader forms are closed and the closing notice is on every page.",
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    closing_notice = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(CLOSING_NOTICE_MAX)],
        help_text=f"The closing notice shown on every page while the site is frozen (at most "
        f"{CLOSING_NOTICE_MAX} characters: it stands at the top of every page).",
    )
    closing_notice_url = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_web_address],
        help_text="Where the closing notice links to: an http:// or https:// address, or blank.",
    )

    panels = [
        *masthead_panels(),
        MultiFieldPanel(
            [
                FieldPanel("frozen", read_only=True),
                FieldPanel("closing_notice"),
                FieldPanel("closing_notice_url"),
            ],
            heading="Archive mode (broadsheet freeze / unfreeze)",
        ),
    ]

    class Meta:
        verbose_name = _("newsroom settings")


class RetiredPath(models.Model):
    """A public URL path that once had a page and is gone for good: answered with 410 Gone."""

    path = models.CharField(max_length=1000, unique=True)
    retired_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.path


__all__ = [
    "Author",
    "CommentsState",
    "CorrectionKind",
    "FrontPage",
    "FrontPageTopStory",
    "InfoPage",
    "NewsroomSettings",
    "RetiredPath",
    "SectionPage",
    "StoryAuthor",
    "StoryCorrection",
    "StoryPage",
    "StoryTag",
    "Tip",
]
