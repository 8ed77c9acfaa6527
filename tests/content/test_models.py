"""The newsroom model: sections nest, stories get their dates, authors their slugs."""

from __future__ import annotations

import pytest

from broadsheet.content.newsroom.models import Author, SectionPage, StoryPage
from broadsheet.content.newsroom.tree import ensure_front_page, ensure_section, section_titles

from .factories import AuthorFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_front_page_replaces_wagtail_placeholder_and_is_idempotent(front_page):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_page.specific == front_page
    assert ensure_front_page() == front_page


def test_sections_nest_and_are_found_again(front_page):
    opposition = ensure_section(["Iran", "Iran Opposition"])
    assert section_titles(opposition) == ["Iran", "Iran Opposition"]
    assert opposition.get_parent().specific.title == "Iran"
    assert ensure_section(["Iran", "Iran Opposition"]).id == opposition.id
    assert SectionPage.objects.count() == 2
    with pytest.raises(ValueError):
        ensure_section(["Iran", " "])


def test_published_at_is_set_on_first_publish(front_page):
    story = StoryFactory(published_at=None)
    story.refresh_from_db()
    assert story.published_at is not None
    assert story.published_at == story.first_published_at


def test_draft_keeps_no_publication_date(front_page):
    story = StoryFactory(published_at=None, live=False)
    assert StoryPage.objects.get(id=story.id).published_at is None


def test_author_slug_is_unique(db):
    a = AuthorFactory(name="Leila Farahani")
    b = Author(name="Leila Farahani")
    b.save()
    assert a.slug == "leila-farahani" and b.slug == "leila-farahani-2"


def test_stories_only_in_sections(front_page, client):
    """The admin offers a story only under a section, and refuses to create one elsewhere."""
    from django.contrib.auth import get_user_model

    section = ensure_section(["Iran"])
    assert StoryPage.can_create_at(section)
    assert not StoryPage.can_create_at(front_page)
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    add = "/admin/pages/add/newsroom/storypage/{}/"
    assert client.get(add.format(section.id)).status_code == 200
    refused = client.get(add.format(front_page.id))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # "not allowed here"
    assert not StoryPage.objects.child_of(front_page).exists()


def test_sections_never_take_the_sites_own_paths(front_page):
    from django.core.exceptions import ValidationError

    tags = ensure_section(["Tags"])
    assert tags.slug == "tags-section" and tags.url == "/tags-section/"
    assert ensure_section(["Tags"]).id == tags.id
    nested = ensure_section(["Culture", "Tags"])
    assert nested.slug == "tags"  # only the first path segment is reserved
    clash = SectionPage(title="Archives", slug="archives")
    clash.path, clash.depth = front_page.path + "9999", front_page.depth + 1
    with pytest.raises(ValidationError, match="used by the site itself"):
        clash.clean()


@pytest.mark.django_db(transaction=True)
def test_the_newsroom_is_built_on_a_flushed_database():
    """``flush`` empties what Wagtail's migrations filled (the tree root, the default locale);
    the importers and the demo still build the front page and sections on it."""
    from django.core.management import call_command
    from wagtail.models import Locale, Page

    call_command("flush", "--no-input", verbosity=0)
    assert Page.get_first_root_node() is None and not Locale.objects.exists()
    section = ensure_section(["World"])
    front = ensure_front_page()
    assert section.get_parent().specific == front
    assert front.get_parent().is_root() and front.locale.language_code == "en"
