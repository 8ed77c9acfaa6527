"""factory_boy factories for reader accounts (and, later, the forums)."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from broadsheet.content.readers.models import Reader

PASSWORD = "a reader's long passphrase"


class ReaderUserFactory(factory.django.DjangoModelFactory):
    """A reader's account with a confirmed e-mail address and a profile."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@readers.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def reader(self, create, extracted, **kwargs):
        self.save()
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        Reader.objects.create(
            user=self,
            display_name=kwargs.get("display_name", f"Reader {self.pk}"),
            language=kwargs.get("language", "en"),
        )


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Board"

    title = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    description = "Talk about the news."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Topic"
        skip_postgeneration_save = True  # the first post's counts are written by the signals

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")

    @factory.post_generation
    def opened(self, create, extracted, **kwargs):
        """A topic is shown once it has an approved post: ``opened=True`` gives it one (by
        its author; ``opened__created_at=…`` and the like go to :func:`post`); the default is an
        empty topic, which only its author sees."""
        if create and extracted:
            kwargs.setdefault("text", "The topic's first post.")
            post(self, self.author, **kwargs)


def post(topic, user=None, text="A post.", status="approved", **extra):
    """An approved (or ``status``) post through the service's count keeping."""
    from broadsheet.content.forums.markup import render
    from broadsheet.content.forums.models import Post
    from broadsheet.content.forums.services import terms_of

    return Post.objects.create(
        topic=topic,
        author=user,
        text=text,
        html=render(text),
        search_terms=terms_of(text),
        status=status,
        **extra,
    )
