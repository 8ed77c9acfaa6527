"""A newsroom with two editions: English at / and Persian at /fa/, one story linked to its
translation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.content.factories import SectionFactory, StoryFactory

from .factories import PersianSectionFactory, PersianStoryFactory, persian_front


@pytest.fixture
def editions_(front_page):
    """English: Iran section, the seed story (2007-06-18) and a story of 2020-05-20. Persian:
    section ایران, the seed story's translation, a story of 2020-05-20 (Jalali 1399/02/31) and
    one of 2025-03-20 (1403/12/30, the leap day of Esfand)."""
    iran = SectionFactory(title="Iran", slug="iran")
    seed = StoryFactory(
        parent=iran,
        title="Iran National Solidarity to create an alternative",
        slug="seed",
        published_at=timezone.make_aware(dt.datetime(2007, 6, 18, 12), dt.UTC),
    )
    StoryFactory(
        parent=iran,
        title="An English story of May 2020",
        slug="may-2020",
        published_at=timezone.make_aware(dt.datetime(2020, 5, 20, 12), dt.UTC),
    )
    fa_front = persian_front()
    fa_iran = PersianSectionFactory(title="ایران", slug="iran", parent=fa_front)
    translation = PersianStoryFactory(
        parent=fa_iran,
        title="همبستگی ملی ایران برای ساختن یک جایگزین",
        slug="hambastegi",
        translation_of=seed,
        published_at=timezone.make_aware(dt.datetime(2007, 6, 18, 12), dt.UTC),
    )
    may = PersianStoryFactory(
        parent=fa_iran,
        title="خبری از اردیبهشت ۱۳۹۹",
        slug="ordibehesht-1399",
        published_at=timezone.make_aware(dt.datetime(2020, 5, 20, 12), dt.UTC),
    )
    leap = PersianStoryFactory(
        parent=fa_iran,
        title="دیدار Emmanuel Macron در پاریس (۲۰۲۵)",
        slug="macron",
        published_at=timezone.make_aware(dt.datetime(2025, 3, 20, 12), dt.UTC),
    )
    return {
        "front": front_page,
        "fa_front": fa_front,
        "seed": seed,
        "translation": translation,
        "may": may,
        "leap": leap,
    }
