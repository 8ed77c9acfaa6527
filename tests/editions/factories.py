"""factory_boy factories for the editions: the Persian edition's front page, sections and
stories, and translations linked to a story of another edition."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from broadsheet.content.newsroom.tree import ensure_edition_front_page
from tests.content.factories import SectionFactory, StoryFactory


def persian_front():
    """The Persian edition's front page (created on first use)."""
    return ensure_edition_front_page("fa", "خبرگزاری آزمایشی")


class PersianSectionFactory(SectionFactory):
    """A section of the Persian edition."""

    title = factory.Sequence(lambda n: f"بخش {n}")
    slug = factory.Sequence(lambda n: f"bakhsh-{n}")
    parent = factory.LazyFunction(persian_front)


class PersianStoryFactory(StoryFactory):
    """A story of the Persian edition; pass ``translation_of=<story>`` to link it to a story of
    another edition (the same translation key)."""

    title = factory.Sequence(lambda n: f"خبر شماره {n}")
    slug = factory.Sequence(lambda n: f"khabar-{n}")
    standfirst = "آنچه رخ داد، در یک جمله."
    byline_credit = "ایپس"
    dateline_place = "پاریس"
    dateline_agency = "ایپس"
    published_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2007, 6, 18, 12)))
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>نخستین بند این خبر.</p>"}]
    )
    parent = factory.SubFactory(PersianSectionFactory)

    @classmethod
    def _create(cls, model_class, *args, translation_of=None, **kwargs):
        if translation_of is not None:
            kwargs["translation_key"] = translation_of.translation_key
        return super()._create(model_class, *args, **kwargs)
