"""factory_boy factories for the editorial workflow: newsroom staff with roles."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from broadsheet.content.editorial.roles import grant


class StaffFactory(factory.django.DjangoModelFactory):
    """A newsroom account; ``roles=[("writer", section), ("webmaster", None)]`` grants roles."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@newsroom.example")
    password = factory.django.Password("pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for key, section in extracted or []:
            grant(self, key, section)
