"""Search excerpts of the Persian edition show the text as written: the server search matches
folded terms ("کتاب" finds "كِتابـ") but its headline and snippet are the story's own letters,
highlighted where they matched. (The static search's excerpts: tests/search/
test_static_index_editions.py.)"""

from __future__ import annotations

import pytest
from lxml import html

from .factories import PersianStoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(editions_):
    return PersianStoryFactory(
        parent=editions_["translation"].get_parent(),
        title="گزارش نمایشگاه",
        slug="ketab",
        body=[{"type": "paragraph", "value": "<p>كِتابـ علي ١٤٠٣ در تهران.</p>"}],
    )


def hit_snippets(client, query: str) -> list[tuple[str, list[str]]]:
    """The text and the marked words of each hit's snippet on /fa/search/?q=query."""
    response = client.get("/fa/search/", {"q": query})
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    return [
        (" ".join(s.text_content().split()), [m.text_content() for m in s.xpath(".//mark")])
        for s in doc.find_class("search-snippet")
    ]


@pytest.mark.parametrize(
    ("query", "marked"),
    [("کتاب", ["كِتابـ"]), ("علی", ["علي"]), ("۱۴۰۳", ["١٤٠٣"]), ("1403", ["١٤٠٣"])],
)
def test_the_server_snippet_shows_the_written_letters(client, book, query, marked):
    [(text, marks)] = hit_snippets(client, query)
    assert "كِتابـ علي ١٤٠٣ در تهران" in text
    assert marks == marked
    assert "کتاب علی" not in text and "1403" not in text
