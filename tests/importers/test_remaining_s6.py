"""Issue 17, what was left (session 6): scheduled WordPress posts, comment outcomes on a
re-import, comments without dates, archived pages' addresses, bylines that are host names,
and media in the import fingerprints. Small inputs written for these tests."""

from __future__ import annotations

import pytest

from broadsheet.importers.pagemeta import clean_author


@pytest.mark.parametrize(
    "byline",
    [
        "By example-news",
        "By localhost",
        "localhost:8000",
        "By example.com",
        "Example.org",
        "news.example.co.uk",
        "By https://example.org/staff",
        "www.example.org",
        "jane@example.org",
    ],
)
def test_a_byline_that_is_a_host_name_url_or_e_mail_is_not_a_person(byline):
    assert clean_author(byline) == ""


@pytest.mark.parametrize(
    "name", ["Jane Doe", "Jean-Pierre Dupont", "Anna-Lena", "J.R.R. Tolkien", "St.John Smith"]
)
def test_names_with_hyphens_and_dots_are_still_names(name):
    assert clean_author(f"By {name}") == name
