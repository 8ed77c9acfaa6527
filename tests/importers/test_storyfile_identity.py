"""Story files are found by their slug as an import identity: a story with that slug imported
from a feed (or WordPress, or archived pages) is never overwritten by a story file."""

from __future__ import annotations

import pytest

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.feeds import import_feed
from broadsheet.importers.models import ImportedStory
from broadsheet.importers.storyfiles import import_story_files

from .factories import write

pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>
<link>https://wire.example/</link><description>d</description>
<item><title>Flood in the valley</title><link>https://wire.example/flood/amp</link>
<guid>w-1</guid><description>The river rose overnight.</description></item>
</channel></rss>"""


def story_file(headline: str, text: str) -> str:
    return (
        f"---\nheadline: {headline}\nslug: flood\nsection: [News]\n"
        f"published: 2024-05-01T10:00:00+00:00\n---\n\n{text}\n"
    )


def test_a_story_file_never_overwrites_a_feed_story_with_its_slug(tmp_path, front_page):
    import_feed(write(tmp_path, FEED, "wire.xml"))
    feed_story = StoryPage.objects.get(slug="flood")
    folder = tmp_path / "files"
    folder.mkdir()
    write(folder, story_file("Our own flood report", "Written here."), "flood.md")

    report = import_story_files([folder])

    feed_story.refresh_from_db()
    assert feed_story.title == "Flood in the valley"  # untouched
    assert report.created == 1 and report.updated == 0
    assert any("imported from feed:" in w.reason for w in report.warnings)
    ours = StoryPage.objects.get(slug="flood-2")
    assert ours.title == "Our own flood report"
    # Importing the file again finds its own story, not the feed's.
    write(folder, story_file("Our own flood report, revised", "Written here."), "flood.md")
    again = import_story_files([folder])
    assert (again.created, again.updated) == (0, 1)
    ours.refresh_from_db()
    feed_story.refresh_from_db()
    assert ours.title == "Our own flood report, revised"
    assert feed_story.title == "Flood in the valley"
    assert StoryPage.objects.count() == 2


def test_a_newsroom_story_with_the_slug_is_the_files_story(tmp_path, front_page):
    folder = tmp_path / "files"
    folder.mkdir()
    write(folder, story_file("First version", "One."), "flood.md")
    import_story_files([folder])
    ImportedStory.objects.all().delete()  # as an import made before identities were kept
    write(folder, story_file("Second version", "Two."), "flood.md")

    report = import_story_files([folder])

    assert (report.created, report.updated) == (0, 1)
    assert list(StoryPage.objects.values_list("slug", "title")) == [("flood", "Second version")]
    assert ImportedStory.objects.get().source == "storyfile"
