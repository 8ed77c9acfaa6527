"""Digests and "send this story now": what an issue holds, per edition and section; CSV out
and in; hostile headlines still make valid MIME."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from broadsheet.content.distribution import sending, subscribers
from broadsheet.content.distribution.models import Issue, NewsletterList, Subscription
from broadsheet.distribution import issues
from tests.content.factories import SectionFactory, StoryFactory

from .factories import NewsletterListFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def today_story(**kwargs):
    return StoryFactory(published_at=timezone.now() - timezone.timedelta(hours=1), **kwargs)


def parsed(issue: Issue, sub: Subscription):
    raw = sending.message_for(issue, sub).message().as_bytes()
    return message_from_bytes(raw, policy=policy.default)


def test_a_section_list_carries_only_its_section(front_page):
    iran, sport = SectionFactory(title="Iran"), SectionFactory(title="Sport")
    inside, outside = today_story(parent=iran), today_story(parent=sport)
    StoryFactory(parent=iran, published_at=timezone.now() - timezone.timedelta(days=3))
    newsletter = NewsletterListFactory(section=iran, name="Iran")
    issue = issues.make_digest(newsletter)
    assert inside.title in issue.text and outside.title not in issue.text
    assert issue.text.count("Read the story") == 1  # not the story of three days ago
    whole = issues.make_digest(NewsletterListFactory())
    assert inside.title in whole.text and outside.title in whole.text


def test_a_digest_is_made_once_a_day_and_the_next_starts_where_it_ended(front_page):
    newsletter = NewsletterListFactory()
    first = today_story()
    issue = issues.make_digest(newsletter)
    assert issues.make_digest(newsletter) is None  # the day's digest exists
    second = StoryFactory(published_at=timezone.now() + timezone.timedelta(hours=1))
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    issue2 = issues.make_digest(newsletter, tomorrow)
    assert second.title in issue2.text and first.title not in issue2.text
    assert issue.key != issue2.key
    assert issues.make_digest(newsletter, tomorrow + timezone.timedelta(days=1)) is None


def test_the_persian_digest_is_right_to_left(front_page):
    from tests.editions.factories import PersianSectionFactory, PersianStoryFactory

    story = PersianStoryFactory(
        parent=PersianSectionFactory(), published_at=timezone.now() - timezone.timedelta(hours=1)
    )
    newsletter = NewsletterListFactory(language="fa", name="خبرنامه")
    issue = issues.make_digest(newsletter)
    message = parsed(issue, SubscriptionFactory(list=newsletter))
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in html and '<body dir="rtl">' in html
    assert story.title in html and "/fa/" in html
    plain = message.get_body(("plain",)).get_content()
    assert story.standfirst in plain and "لغو اشتراک" in plain  # the footer, in Persian


def test_send_this_story_now_once_per_list(
    front_page, mailoutbox, django_capture_on_commit_callbacks
):
    section = SectionFactory()
    story = today_story(parent=section)
    newsletter = NewsletterListFactory()
    SubscriptionFactory.create_batch(2, list=newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        issue = issues.make_story_issue(newsletter, story)
    assert issue.subject == story.title and len(mailoutbox) == 2
    assert issues.make_story_issue(newsletter, story) is None
    other = NewsletterListFactory(section=SectionFactory(), name="Other")
    with pytest.raises(ValueError):
        issues.make_story_issue(other, story)
    draft = StoryFactory(parent=section, live=False)
    with pytest.raises(ValueError):
        issues.make_story_issue(newsletter, draft)


def test_csv_export_and_import_move_a_list(front_page):
    source = NewsletterListFactory()
    SubscriptionFactory.create_batch(3, list=source)
    SubscriptionFactory(list=source, status=Subscription.Status.UNSUBSCRIBED)
    text = subscribers.export_csv(source)
    assert text.splitlines()[0] == "email,status,subscribed_at,confirmed_at"
    target = NewsletterList.objects.create(language="fa", name="target")
    extra = "no-at-sign,confirmed,,\r\nz@example.org,maybe,,\r\n"
    report = subscribers.import_csv(target, text + extra)
    assert report.added == 4 and report.updated == 0
    assert [line for line, _ in report.skipped] == [6, 7]
    statuses = sorted(target.subscriptions.values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["unsubscribed"]
    again = subscribers.import_csv(target, text)  # importing again changes nothing
    assert (again.added, again.updated) == (0, 0)
    with pytest.raises(ValueError):
        subscribers.import_csv(target, "name,address\r\nA,a@example.org\r\n")


def test_an_import_never_resubscribes_who_left(front_page):
    newsletter = NewsletterListFactory()
    left = SubscriptionFactory(list=newsletter, status=Subscription.Status.UNSUBSCRIBED)
    subscribers.import_csv(newsletter, f"email\n{left.subscriber.email}\n")
    left.refresh_from_db()
    assert left.status == Subscription.Status.UNSUBSCRIBED


def blns(shared):
    path = shared / "fixtures" / "hostile" / "blns.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return [s for s in json.loads(path.read_text(encoding="utf-8")) if s.strip()]


def check_hostile(strings, front_page):
    section = SectionFactory()
    newsletter = NewsletterListFactory()
    sub = SubscriptionFactory(list=newsletter)
    for n, text in enumerate(strings):
        story = today_story(parent=section, title=text[:255], standfirst=text, slug=f"h-{n}")
        issue = issues.make_story_issue(newsletter, story)
        message = parsed(issue, sub)
        assert message.get_content_type() == "multipart/alternative", repr(text)
        assert not message.defects, (repr(text), message.defects)
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "\n" not in message["Subject"]
        assert "<script" not in html.lower() or "&lt;script" in html.lower()
        assert "<img" not in html.lower()
        words = [w for w in text.split() if w.isalnum()][:3]
        assert all(w in plain for w in words), repr(text)


def test_hostile_strings_make_valid_mime_sample(front_page, shared):
    strings = blns(shared)
    check_hostile(strings[::40], front_page)


@pytest.mark.slow
def test_hostile_strings_make_valid_mime_all(front_page, shared, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the full list runs on PostgreSQL (slow); a sample runs everywhere")
    check_hostile(blns(shared), front_page)
