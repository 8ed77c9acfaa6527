"""``broadsheet backup`` → ``broadsheet restore`` into an empty database gives back every
story, comment, account and image (bytes included), and the derived indexes."""

from __future__ import annotations

import io
import json
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from broadsheet.content.discussion.models import Comment
from broadsheet.content.newsroom.models import StoryPage
from broadsheet.site.models import ListingEntry
from tests.content.factories import StoryFactory
from tests.discussion.factories import CommentFactory, LetterFactory


def snapshot() -> dict:
    """Everything the round trip must keep, as plain data."""
    return {
        "stories": sorted(
            (
                s.slug,
                s.title,
                s.url_path,
                s.live,
                str(s.published_at),
                s.standfirst,
                json.dumps(s.body.get_prep_value(), sort_keys=True),
            )
            for s in StoryPage.objects.all()
        ),
        "comments": sorted(
            (c.story.slug, c.name, c.email, c.text, c.status) for c in Comment.objects.all()
        ),
        "users": sorted((u.username, u.password) for u in get_user_model().objects.all()),
        "images": sorted(
            (i.title, i.file.name, default_storage.open(i.file.name).read())
            for i in Image.objects.all()
        ),
        "listings": ListingEntry.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database(front_page, tmp_path):
    stories = StoryFactory.create_batch(3)
    StoryFactory(live=False, title="A draft")
    CommentFactory(story=stories[0], text="Persian too: سلام")
    CommentFactory(story=stories[1], status="held")
    LetterFactory()
    if Collection.get_first_root_node() is None:  # a database flushed by an earlier test
        Collection.add_root(name="Root")
    get_user_model().objects.create_user("editor", "ed@newsroom.example", "Paris 18 June 2007!")
    Image.objects.create(title="Paris", file=get_test_image_file(filename="paris.png"))
    before = snapshot()
    assert before["listings"] > 0 and before["images"]

    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["media_files"] >= 1

    call_command("flush", interactive=False, verbosity=0)  # an empty database …
    for name in list(default_storage.listdir("original_images")[1]):  # … and no media
        default_storage.delete(f"original_images/{name}")
    assert not StoryPage.objects.exists()

    out = io.StringIO()
    call_command("restore", str(target), stdout=out)
    assert "Restored" in out.getvalue()
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_content_and_a_changed_backup(front_page, tmp_path):
    StoryFactory()
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds stories"):
        call_command("restore", str(target), stdout=io.StringIO())
    assert StoryPage.objects.count() == 1
    database = target / "database.json"
    database.write_text(database.read_text().replace("Headline", "Forged"))
    with pytest.raises(CommandError, match="missing or changed"):
        call_command("restore", str(target), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(target), stdout=io.StringIO())
