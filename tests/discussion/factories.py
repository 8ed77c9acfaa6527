"""factory_boy factories for the discussion: comments, guestbook entries, letters."""

from __future__ import annotations

import factory

from broadsheet.content.discussion.models import Comment, CommentStatus, GuestbookEntry, Letter
from tests.content.factories import StoryFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    story = factory.SubFactory(StoryFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    text = factory.Sequence(lambda n: f"A thoughtful comment, number {n}.")
    status = CommentStatus.APPROVED


class GuestbookEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuestbookEntry

    name = factory.Sequence(lambda n: f"Visitor {n}")
    place = "Oslo"
    text = factory.Sequence(lambda n: f"Thank you for the news, entry {n}.")
    status = CommentStatus.APPROVED


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    name = factory.Sequence(lambda n: f"Letter writer {n}")
    email = factory.Sequence(lambda n: f"writer{n}@example.org")
    subject = factory.Sequence(lambda n: f"On the election, letter {n}")
    text = "Dear editor,\n\nYour report was fair.\nThank you."
