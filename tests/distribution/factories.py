"""factory_boy factories for the newsletters: lists, subscribers, subscriptions."""

from __future__ import annotations

import factory
from django.utils import timezone

from broadsheet.content.distribution.models import NewsletterList, Subscriber, Subscription


class NewsletterListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterList
        django_get_or_create = ("language", "section")

    language = "en"
    section = None
    name = "Test Newsroom"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription (confirmed a minute ago, so issues made now include it)."""

    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    list = factory.SubFactory(NewsletterListFactory)
    status = Subscription.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(minutes=1))
