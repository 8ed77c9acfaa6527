"""factory_boy factories for editors' accounts: an editor, a publisher (Wagtail's Moderators
group: may publish), an administrator (superuser)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"


class EditorFactory(factory.django.DjangoModelFactory):
    """An editor in Wagtail's "Editors" group (may edit, may not publish)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@newsroom.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    group = "Editors"

    @factory.post_generation
    def joined(self, create, extracted, **kwargs):
        self.save()
        self.groups.add(Group.objects.get(name=self._group))

    @classmethod
    def _create(cls, model_class, *args, group="Editors", **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        user._group = group
        return user


class PublisherFactory(EditorFactory):
    """A publisher: Wagtail's "Moderators" group, which may publish every page."""

    username = factory.Sequence(lambda n: f"publisher{n}")
    group = "Moderators"


class AdministratorFactory(EditorFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True
    is_staff = True
