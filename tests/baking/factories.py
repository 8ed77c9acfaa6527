"""Factories for baking tests: the newsroom's factories plus queued changes."""

from __future__ import annotations

import factory

from broadsheet.baking.models import BakeRequest
from tests.newsroom.factories import AuthorFactory, SectionFactory, StoryFactory, TipFactory

__all__ = ["AuthorFactory", "BakeRequestFactory", "SectionFactory", "StoryFactory", "TipFactory"]


class BakeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BakeRequest

    kind = "story"
