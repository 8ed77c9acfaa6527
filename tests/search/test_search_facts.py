"""The search page's site-wide facts (the filter form's authors and sections, the one-site
test) come from the process's memo (broadsheet.site.facts) and follow every change."""

from __future__ import annotations

import pytest

from tests.content.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.BROADSHEET_SEARCH_CACHE_SECONDS = 0  # every request renders its page
    settings.BROADSHEET_SITE_FACTS_SECONDS = 60  # the memo as deployed (off in test settings)


def test_a_new_author_and_section_reach_the_filter_form(client_ok, seed_story):
    page = client_ok.get_html("/search/?q=iran")
    assert "Mina Haddad" not in page
    assert "Culture Desk" not in page
    AuthorFactory(name="Mina Haddad", slug="mina-haddad")
    SectionFactory(title="Culture Desk", slug="culture-desk")
    page = client_ok.get_html("/search/?q=iran")
    assert "Mina Haddad" in page
    assert "Culture Desk" in page


def test_a_renamed_author_is_found_by_the_new_slug_only(rf, seed_story):
    from broadsheet.search.query import SearchRequest, StorySearch
    from broadsheet.site.views import live_build

    def author_of(slug: str):
        build = live_build(rf.get("/search/"))
        return StorySearch(build.read).run(SearchRequest(q="iran", author=slug)).author

    author = AuthorFactory(name="Mina Haddad", slug="mina-haddad")
    assert author_of("mina-haddad") == author
    author.slug = "mina-h"
    author.save()
    assert author_of("mina-haddad") is None
    assert author_of("mina-h") == author
