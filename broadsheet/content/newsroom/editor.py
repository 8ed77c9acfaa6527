"""The story editor as a newsroom expects it (docs/editors.md).

Two tabs: **Story** (headline, standfirst, byline, dateline, body, lead image, tags,
corrections) and **Publishing** (publication and update dates, embargo and expiry, story code,
readers' comments, the address, search-engine texts). Help texts speak of stories, not "pages".

:class:`StoryPageForm` fills the slug (the last part of the story's address) from the headline
when it is left blank, so a story can be published with just a headline and a body, and fixes
it once the story has been published: its address is public by then (RFC 3986 paths; the old
address would answer 410).
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
    TitleFieldPanel,
)

from .slugs import MAX_SLUG_BYTES, fit_slug


class StoryPageForm(WagtailAdminPageForm):
    """The story editor's form: slug optional (filled from the headline), fixed once published."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is None:
            return
        slug.required = False
        if self.instance.pk and self.instance.first_published_at is not None:
            slug.disabled = True
            slug.help_text = (
                "Fixed: the story has been published at this address, and readers, links and "
                "search engines know it."
            )

    def clean(self) -> dict[str, Any]:
        """Before the story is first published, a slug that is blank, the one the admin filled
        in from the headline as it was typed but already taken, or too long for a file name
        (:data:`MAX_SLUG_BYTES`) is made afresh from the headline: cut at a word, ``-2``…
        when taken. A slug the editor typed and that is taken is refused, as Wagtail does."""
        slug = self.cleaned_data.get("slug") or ""
        title = self.cleaned_data.get("title")
        published = self.instance.pk and self.instance.first_published_at is not None
        if title and not published:
            typed_from_headline = slug == slugify(title, allow_unicode=True)
            if (
                not slug
                or len(slug.encode()) > MAX_SLUG_BYTES
                or (typed_from_headline and self._taken(slug))
            ):
                self.cleaned_data["slug"] = self.slug_for(title)
        return super().clean()

    def _taken(self, slug: str) -> bool:
        stories = self._meta.model._default_manager.all()
        siblings = self.parent_page.get_children() if self.parent_page is not None else None
        if self.instance.pk:
            stories = stories.exclude(pk=self.instance.pk)
            siblings = siblings.exclude(pk=self.instance.pk) if siblings is not None else None
        return stories.filter(slug=slug).exists() or (
            siblings is not None and siblings.filter(slug=slug).exists()
        )

    def slug_for(self, headline: str) -> str:
        """A slug from ``headline`` not used by another story (site-wide: importers find
        stories by slug) nor by a page beside it: ``headline``, ``headline-2``…"""
        base = fit_slug(headline, MAX_SLUG_BYTES - 6) or "story"
        candidate, n = base, 1
        while self._taken(candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate


STORY_TAB = [
    TitleFieldPanel(
        "title",
        heading="Headline",
        help_text="The story's headline, as readers see it on the page and in lists.",
    ),
    FieldPanel(
        "standfirst",
        heading="Standfirst",
        help_text="The deck: one or two sentences under the headline that say what happened.",
    ),
    MultiFieldPanel(
        [
            InlinePanel("story_authors", label="Author"),
            FieldPanel(
                "byline_credit",
                heading="Credit",
                help_text='Free-text credit after the authors, e.g. "IPS" or "Staff".',
            ),
        ],
        heading="Byline",
    ),
    FieldRowPanel(
        [
            FieldPanel("dateline_place", heading="Place", help_text='e.g. "Paris"'),
            FieldPanel("dateline_agency", heading="Agency", help_text='e.g. "IPS"'),
        ],
        heading="Dateline",
        help_text="Printed at the start of the body with the publication date: "
        '"Paris, 18 June (IPS)".',
    ),
    FieldPanel("body", heading="Body"),
    MultiFieldPanel(
        [
            FieldPanel("lead_image", heading="Image"),
            FieldPanel("lead_image_caption", heading="Caption"),
            FieldPanel("lead_image_credit", heading="Credit", help_text="Photographer or agency."),
        ],
        heading="Lead image",
    ),
    FieldPanel("tags", help_text="Topics; each tag has its own page and feed."),
    InlinePanel(
        "corrections",
        heading="Corrections and updates",
        label="Correction or update",
        help_text="A dated note at the end of the story, also listed on the corrections page; "
        "it makes the story's \"Updated\" date (and its feeds' date).",
    ),
]

PUBLISHING_TAB = [
    FieldRowPanel(
        [
            FieldPanel(
                "published_at",
                heading="Publication date",
                help_text='Shown as "Published …". Blank: the moment the story is first published.',
            ),
            FieldPanel(
                "updated_at",
                heading="Updated",
                help_text='Set for a substantive update; shown as "Updated …".',
            ),
        ],
        heading="Dates",
    ),
    PublishingPanel(
        heading="Embargo and expiry",
        help_text="Embargo: the story goes live at this time, not before. Expiry: it is taken "
        "down then (its address answers 410 Gone).",
    ),
    FieldPanel(
        "hide_from_front",
        heading="Not on the front page",
        help_text="Keep the story off the front page's lists; it stays in its section, the "
        "archives, the feeds and search.",
    ),
    FieldPanel(
        "story_code",
        heading="Story code",
        help_text='The wire slug line kept with the story, e.g. "IRAN OPPOSITION 18607".',
    ),
    FieldPanel(
        "comments",
        heading="Readers' comments",
        help_text="Open: readers may comment. Closed: comments shown, no form. Hidden: none shown.",
    ),
    FieldPanel(
        "slug",
        heading="Address (slug)",
        help_text="The last part of the story's address. Blank: made from the headline. "
        "Fixed once the story is published. The section is where the story was created; "
        '"Move" puts it in another.',
    ),
    MultiFieldPanel(
        [
            FieldPanel(
                "seo_title",
                heading="Headline for search engines",
                help_text="Blank: the headline.",
            ),
            FieldPanel(
                "search_description",
                heading="Summary for search engines",
                help_text="Blank: the standfirst.",
            ),
        ],
        heading="Search engines",
    ),
]

STORY_EDITOR = TabbedInterface(
    [ObjectList(STORY_TAB, heading="Story"), ObjectList(PUBLISHING_TAB, heading="Publishing")]
)
