"""Search fixtures: the seed story imported from its demo story file, and Persian stories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_STORY_FILE


@pytest.fixture
def seed_story(front_page):
    """The Iran Press Service story of 18 June 2007, imported and published as an editor would
    (so the search index is updated by Wagtail's publish signals, not by the test)."""
    from broadsheet.importers.storyfiles import parse_story_file, save_story

    story, _ = save_story(parse_story_file(SEED_STORY_FILE))
    return story


def bake_beside_the_seed_story(
    django_db_blocker, site: Path, bake: Callable[[Path], object]
) -> Path:
    """Bake, with the static search on, a newsroom holding the seed story and what ``bake``
    adds, into ``site``; the rows are made, baked and rolled back at once, the files stay.
    For module-scoped fixtures whose tests only read (and serve) the baked folder."""
    from django.db import transaction
    from django.test import override_settings

    from broadsheet.content.newsroom.tree import ensure_front_page
    from broadsheet.importers.storyfiles import parse_story_file, save_story

    with (
        django_db_blocker.unblock(),
        override_settings(BROADSHEET_STATIC_SEARCH=True),
        transaction.atomic(),
    ):
        ensure_front_page("Test Newsroom")
        save_story(parse_story_file(SEED_STORY_FILE))  # as the seed_story fixture does
        bake(site)
        transaction.set_rollback(True)
    return site
