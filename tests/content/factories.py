"""factory_boy factories for the newsroom: authors, tips, mirrors, sections and stories.

Pages are added to the tree under their parent and published through a revision, as an editor
would."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from broadsheet.content.newsroom.models import (
    Author,
    Mirror,
    SectionPage,
    StoryAuthor,
    StoryPage,
    Tip,
)
from broadsheet.content.newsroom.tree import ensure_front_page


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Writer {n}")
    bio = "Covers the region."
    email = factory.Sequence(lambda n: f"writer{n}@newsroom.example")


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    title = factory.Sequence(lambda n: f"Tip {n}")
    text = "Send us your story."


class MirrorFactory(factory.django.DjangoModelFactory):
    """A mirror of the site (kind ``mirror``) on a CDN host of its own."""

    class Meta:
        model = Mirror

    url = factory.Sequence(lambda n: f"https://d{n:04d}.cdn.example.net/")
    kind = Mirror.Kind.MIRROR


class PageFactory(factory.Factory):
    """Base for Wagtail pages: ``parent`` is where the page goes; published unless live=False."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        authors = kwargs.pop("authors", [])
        tags = kwargs.pop("tags", [])
        page = model_class(*args, **kwargs)
        for i, author in enumerate(authors):
            page.story_authors.add(StoryAuthor(author=author, sort_order=i))
        if tags:
            page.tags.set(tags)
        page.live = False
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page


class SectionFactory(PageFactory):
    class Meta:
        model = SectionPage

    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    parent = factory.LazyFunction(lambda: ensure_front_page())


class StoryFactory(PageFactory):
    class Meta:
        model = StoryPage

    title = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    standfirst = "What happened, in one sentence."
    byline_credit = "IPS"
    dateline_place = "Paris"
    dateline_agency = "IPS"
    published_at = factory.Sequence(
        lambda n: (
            timezone.make_aware(dt.datetime(2007, 6, 1, 12)) + dt.timedelta(days=n % 180)
        )  # within 2007
    )
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>The first paragraph of the story.</p>"}]
    )
    parent = factory.SubFactory(SectionFactory)
