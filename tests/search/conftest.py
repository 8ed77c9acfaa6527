"""Search fixtures: the seed story imported from its demo story file, and Persian stories."""

from __future__ import annotations

import pytest

from tests.conftest import SEED_STORY_FILE


@pytest.fixture
def seed_story(front_page):
    """The Iran Press Service story of 18 June 2007, imported and published as an editor would
    (so the search index is updated by Wagtail's publish signals, not by the test)."""
    from broadsheet.importers.storyfiles import parse_story_file, save_story

    story, _ = save_story(parse_story_file(SEED_STORY_FILE))
    return story
