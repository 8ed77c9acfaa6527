"""``bake --output OTHER``: a copy elsewhere is not the site's own output; ``bundle`` takes only
a relative (or frozen) folder."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.publishing import engine
from broadsheet.publishing.engine import is_site_output
from broadsheet.publishing.models import BakedStory, BakeRequest, BakeRun
from broadsheet.publishing.relative import RelativeOutput


@pytest.fixture
def one_story(front_page, settings, tmp_path):
    from tests.content.factories import StoryFactory

    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    return StoryFactory(title="Only story")


def test_which_output_is_the_sites_own(settings, tmp_path):
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    assert is_site_output(None)
    assert is_site_output(tmp_path / "site")
    assert is_site_output(str(tmp_path / "x" / ".." / "site"))  # the same folder, spelt apart
    assert not is_site_output(tmp_path / "copy")
    assert not is_site_output(RelativeOutput(tmp_path / "site"))  # relative: never the site's
    assert not is_site_output("s3://bucket/site")
    settings.BROADSHEET_BAKE_DIR = "s3://bucket/site"
    assert is_site_output("s3://bucket/site/") and is_site_output(None)
    assert not is_site_output(tmp_path / "site")


@pytest.mark.django_db
def test_a_bake_into_another_folder_leaves_the_sites_own_state(one_story, tmp_path, monkeypatch):
    purged: list[list[str]] = []
    monkeypatch.setattr(engine.purge, "purge", lambda build, paths: purged.append(paths) or [])
    BakeRequest.objects.create(kind="all")
    out = io.StringIO()
    call_command("bake", output=str(tmp_path / "copy"), no_progress=True, stdout=out)
    assert (tmp_path / "copy" / "index.html").is_file()
    assert (
        tmp_path / "copy" / one_story.url_path.strip("/").split("/", 1)[1] / "index.html"
    ).is_file()
    # nothing of the site's own: queue, baked stories, runs, CDN, its folder
    assert BakeRequest.objects.filter(kind="all").count() == 1
    assert not BakedStory.objects.exists()
    assert not BakeRun.objects.exists()
    assert purged == []
    assert not (tmp_path / "site").exists()
    assert "left alone" in out.getvalue()
    # the site's own bake records all of it
    call_command("bake", no_progress=True, stdout=io.StringIO())
    assert not BakeRequest.objects.exists()
    assert BakedStory.objects.filter(story_id=one_story.id).exists()
    assert BakeRun.objects.get().status == BakeRun.Status.DONE
    assert purged and "/" in purged[0]


@pytest.mark.django_db
def test_pending_into_another_folder_is_refused(one_story, tmp_path):
    BakeRequest.objects.create(kind="story", object_id=one_story.id)
    with pytest.raises(CommandError, match="site's own output"):
        call_command("bake", pending=True, output=str(tmp_path / "copy"))
    assert BakeRequest.objects.count() == 1  # still queued for the site
    assert not (tmp_path / "copy").exists()


@pytest.mark.django_db
def test_bundle_refuses_a_plain_bake_and_takes_a_relative_one(one_story, tmp_path):
    plain, relative = tmp_path / "plain", tmp_path / "relative"
    call_command("bake", output=str(plain), no_progress=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"not a relative bake.*/static/"):
        call_command("bundle", source=str(plain), output=str(tmp_path / "p.zip"))
    assert not (tmp_path / "p.zip").exists()
    quiet = io.StringIO()
    call_command("bake", relative=True, output=str(relative), no_progress=True, stdout=quiet)
    out = io.StringIO()
    call_command("bundle", source=str(relative), output=str(tmp_path / "r.zip"), stdout=out)
    assert (tmp_path / "r.zip").is_file() and "sha256" in out.getvalue()
