"""Safety of ``broadsheet freeze`` and of bakes into other folders (issue 12, a new user's
findings): a folder of someone else's is refused rather than emptied."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.content.newsroom.models import NewsroomSettings
from broadsheet.publishing.archive import unfreeze
from broadsheet.publishing.files import foreign_files

BASE = "https://ips.example.org"


@pytest.fixture
def one_story(front_page, settings, tmp_path):
    """A small site (the front page, a story) whose own output is ``tmp_path/site``."""
    from tests.content.factories import StoryFactory

    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return StoryFactory(title="The seed story", slug="seed")


def someone_elses(folder: Path) -> Path:
    """A folder with a newsroom's own notes in it, as the new user made it."""
    (folder / "sub").mkdir(parents=True)
    (folder / "README-mine.txt").write_text("notes")
    (folder / "sub" / "keep.txt").write_text("k")
    return folder


def freeze(folder: Path, **options) -> str:
    out = io.StringIO()
    try:
        call_command(
            "freeze", output=str(folder), base_url=BASE, no_progress=True, stdout=out, **options
        )
    finally:
        unfreeze()
    return out.getvalue()


def assert_untouched(folder: Path) -> None:
    assert (folder / "README-mine.txt").read_text() == "notes"
    assert (folder / "sub" / "keep.txt").read_text() == "k"


# -- W1: a folder of someone else's ---------------------------------------------------------------
def test_foreign_files_of_empty_missing_and_our_folders(tmp_path):
    assert foreign_files(tmp_path / "missing") == []
    (tmp_path / "empty").mkdir()
    assert foreign_files(tmp_path / "empty") == []
    other = someone_elses(tmp_path / "other")
    assert foreign_files(other) == ["README-mine.txt", "sub/keep.txt"]
    (other / "empty-dir").mkdir()
    assert foreign_files(other) == ["README-mine.txt", "empty-dir/", "sub/keep.txt"]
    for n in range(10):
        (other / f"many-{n}.txt").write_text("x")
    assert len(foreign_files(other, limit=3)) == 4  # stops early: a few, and "more"
    baked = someone_elses(tmp_path / "baked")
    (baked / ".bake").mkdir()
    (baked / ".bake" / "config.json").write_text("{}")
    assert foreign_files(baked) == []
    frozen = someone_elses(tmp_path / "frozen")
    (frozen / "SHA256SUMS").write_text("")
    assert foreign_files(frozen) == ["README-mine.txt", "SHA256SUMS", "sub/keep.txt"]
    (frozen / "archive.warc.gz").write_bytes(b"")
    assert foreign_files(frozen) == []


@pytest.mark.django_db
def test_freeze_refuses_a_folder_of_someone_elses_and_changes_nothing(one_story, tmp_path):
    folder = someone_elses(tmp_path / "X")
    with pytest.raises(CommandError) as caught:
        freeze(folder, notice="Closed", notice_url="https://example.org/farewell")
    message = str(caught.value)
    assert "README-mine.txt" in message and "sub/keep.txt" in message
    assert "not empty" in message
    assert_untouched(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["README-mine.txt", "sub"]
    settings_ = NewsroomSettings.objects.get()
    assert not settings_.frozen and settings_.closing_notice == ""  # refused before anything


@pytest.mark.django_db
@pytest.mark.parametrize("relative", [False, True])
def test_bake_elsewhere_refuses_a_folder_of_someone_elses(one_story, tmp_path, relative):
    folder = someone_elses(tmp_path / "X")
    with pytest.raises(CommandError) as caught:
        call_command(
            "bake", output=str(folder), relative=relative, no_progress=True, stdout=io.StringIO()
        )
    assert "README-mine.txt" in str(caught.value)
    assert_untouched(folder)
    assert not (folder / ".bake").exists() and not (folder / "index.html").exists()


@pytest.mark.django_db
def test_our_own_folders_are_baked_and_frozen_again(one_story, tmp_path):
    """A relative bake's folder (its ``.bake/config.json``) may be frozen; a frozen folder (no
    ``.bake/`` left, its SHA256SUMS and WARC) may be frozen again and baked into again."""
    folder = tmp_path / "mirror"
    call_command("bake", output=str(folder), relative=True, no_progress=True, stdout=io.StringIO())
    assert (folder / ".bake" / "config.json").is_file()
    (folder / "stale.html").write_text("an old page")  # a bake of ours prunes what is gone
    freeze(folder)
    assert not (folder / ".bake").exists() and not (folder / "stale.html").exists()
    assert (folder / "SHA256SUMS").is_file()
    freeze(folder)
    assert (folder / "index.html").is_file() and (folder / "archive.warc.gz").is_file()
