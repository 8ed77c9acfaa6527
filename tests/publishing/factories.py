"""Factories for baking tests: the newsroom's factories plus queued changes."""

from __future__ import annotations

import factory

from broadsheet.publishing.models import BakeRequest
from tests.content.factories import AuthorFactory, SectionFactory, StoryFactory, TipFactory

__all__ = ["AuthorFactory", "BakeRequestFactory", "SectionFactory", "StoryFactory", "TipFactory"]


class BakeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BakeRequest

    kind = "story"
