"""The story editor: two tabs in the trade's words, the slug made from the headline and fixed
once published, and a story published with just a headline and a body in one POST."""

from __future__ import annotations

import lxml.html
import pytest

from broadsheet.content.newsroom.models import StoryPage
from tests.content.factories import SectionFactory, StoryFactory

from .admin import errors, form_fields, post_editor
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_client(client, front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    client.force_login(StaffFactory(roles=[("publisher", iran)]))
    client.section = iran
    return client


def add_url(section) -> str:
    return f"/admin/pages/add/newsroom/storypage/{section.id}/"


def test_headline_and_body_publish_in_one_post(publisher_client):
    url = add_url(publisher_client.section)
    response = post_editor(
        publisher_client, url, "publish", title="Iran: opposition forms a council"
    )
    assert response.status_code == 302, errors(response)
    story = StoryPage.objects.get()
    assert story.live
    assert story.slug == "iran-opposition-forms-a-council"
    assert story.published_at is not None
    assert publisher_client.get("/iran/iran-opposition-forms-a-council/").status_code == 200


def test_a_second_story_with_the_same_headline_gets_its_own_slug(publisher_client):
    StoryFactory(parent=publisher_client.section, title="Strike", slug="strike")
    response = post_editor(
        publisher_client, add_url(publisher_client.section), "publish", title="Strike"
    )
    assert response.status_code == 302, errors(response)
    assert StoryPage.objects.get(title="Strike", slug="strike-2").live


def test_a_persian_headline_makes_a_persian_slug(publisher_client):
    post_editor(publisher_client, add_url(publisher_client.section), "publish", title="اعتصاب نفت")
    assert StoryPage.objects.get().slug == "اعتصاب-نفت"


def test_the_slug_is_fixed_once_published(publisher_client):
    story = StoryFactory(parent=publisher_client.section, title="Strike", slug="strike")
    url = f"/admin/pages/{story.id}/edit/"
    response = post_editor(publisher_client, url, "publish", title="Strike ends", slug="moved")
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert (story.title, story.slug) == ("Strike ends", "strike")


def test_the_slug_of_a_draft_can_still_be_chosen(publisher_client):
    url = add_url(publisher_client.section)
    post_editor(publisher_client, url, None, title="Draft story", slug="chosen")
    story = StoryPage.objects.get()
    assert not story.live
    response = post_editor(
        publisher_client, f"/admin/pages/{story.id}/edit/", "publish", slug="chosen-again"
    )
    assert response.status_code == 302, errors(response)
    story.refresh_from_db()
    assert story.slug == "chosen-again"


def test_the_editor_has_a_story_tab_and_a_publishing_tab_in_the_trades_words(publisher_client):
    html = publisher_client.get(add_url(publisher_client.section)).content.decode()
    doc = lxml.html.fromstring(html)
    tabs = [t.text_content().split()[0] for t in doc.xpath("//*[@role='tab']")]
    assert tabs == ["Story", "Publishing"]
    assert "Promote" not in tabs
    fields = form_fields(html)
    assert "show_in_menus" not in fields
    assert {"go_live_at", "expire_at", "published_at", "story_code", "comments", "slug"} <= set(
        fields
    )
    assert "Blank: the moment the story is first published." in html
    assert "Blank: made from the headline." in html
    assert "automatically generated menus" not in html


def test_the_slug_the_admin_fills_in_from_a_taken_headline_is_made_unique(publisher_client):
    """The admin's script copies the headline into the slug as it is typed: a second "Strike"
    posts ``slug=strike``, which is made ``strike-2`` instead of refused on the other tab."""
    StoryFactory(parent=publisher_client.section, title="Strike", slug="strike")
    response = post_editor(
        publisher_client,
        add_url(publisher_client.section),
        "publish",
        title="Strike",
        slug="strike",
    )
    assert response.status_code == 302, errors(response)
    assert StoryPage.objects.get(title="Strike", slug="strike-2").live


def test_a_long_persian_headline_publishes_with_a_slug_that_fits(publisher_client):
    from django.utils.text import slugify

    from broadsheet.content.newsroom.slugs import MAX_SLUG_BYTES

    headline = " ".join(["گزارش", "روزنامه‌نگاران", "تبعیدی", "درباره", "آزادی", "بیان"] * 8)[:200]
    typed = slugify(headline, allow_unicode=True)  # what the admin's script fills in
    assert len(typed.encode()) > MAX_SLUG_BYTES
    response = post_editor(
        publisher_client, add_url(publisher_client.section), "publish", title=headline, slug=typed
    )
    assert response.status_code == 302, errors(response)
    story = StoryPage.objects.get()
    assert story.live and typed.startswith(story.slug)
    assert len(story.slug.encode()) <= MAX_SLUG_BYTES
