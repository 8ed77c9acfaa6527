"""The file:// search of a relative folder (``bake --relative``, ``freeze``): search.js, run
under Node as if the baked search page were opened from the folder, searches the plain-script
index (``pagefind/fallback.js``) by whole words and word beginnings, and quoted phrases."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.content.factories import StoryFactory

from .test_static_index import search_page

pytestmark = pytest.mark.django_db

SEED_TITLE = 'Iran National Solidarity To Create An "Alternative"'


@pytest.fixture
def folder(tmp_path, seed_story, settings) -> Path:
    """The seed story ("… a Noah’s Ark filled with …") and a story whose words hold "ark" and
    "noah" only inside other words, baked with relative links."""
    settings.BROADSHEET_STATIC_SEARCH = True
    StoryFactory(
        title="Dark days at the market",
        body=[{"type": "paragraph", "value": "<p>Parking near the bazaar: Noahide, no more.</p>"}],
    )
    out = tmp_path / "copy"
    call_command("bake", relative=True, output=str(out), no_progress=True)
    assert (out / "pagefind" / "fallback.js").is_file()
    return out


def titles(folder: Path, query: str) -> list[str]:
    page = search_page(folder.as_uri() + "/", "search/", query)
    return [h["title"] for h in page["hits"]]


def test_words_match_whole_or_at_their_beginning_never_inside(folder):
    assert titles(folder, "Ark") == [SEED_TITLE]  # not "Dark", "market", "Parking"
    assert titles(folder, "Noah's Ark") == [SEED_TITLE]  # not "Noahide", "no"
    assert titles(folder, "noah’s ark") == [SEED_TITLE]
    assert titles(folder, "mark") == ["Dark days at the market"]  # a word's beginning
    assert titles(folder, "zeppelin") == []


def test_a_quoted_phrase_is_found_in_its_order(folder):
    page = search_page(folder.as_uri() + "/", "search/", '"Noah\'s Ark"')
    assert [h["title"] for h in page["hits"]] == [SEED_TITLE]
    assert page["hits"][0]["marks"][:2] == ["Noah’s", "Ark"]
    assert page["hits"][0]["href"].endswith(
        "/iran/iran-opposition/iran-national-solidarity-to-create-an-alternative/index.html"
    )
    assert titles(folder, "“Noah’s Ark”") == [SEED_TITLE]
    assert titles(folder, '"Ark Noah\'s"') == []  # the words, but not in that order
