"""The admin's publishing status page, and publishing through the task queue."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.models import BakeRequest, BakeRun


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_status_page_shows_queue_runs_and_failures(editor_client):
    BakeRun.objects.create(
        kind="full",
        status="done",
        output="/x",
        duration=1.5,
        pages_rendered=1234,
        pages_written=17,
    )
    BakeRun.objects.create(
        kind="incremental", status="failed", output="/x", error="/iran/: KeyError: 'boom'"
    )
    BakeRequest.objects.create(kind="story", object_id=42)
    html = editor_client.get("/admin/baking/").content.decode()
    assert "1 change waiting to be baked" in html
    assert "1234" in html and "1.50 s" in html
    assert "KeyError: &#x27;boom&#x27;" in html or "KeyError: 'boom'" in html


@pytest.mark.django_db
def test_status_page_is_in_the_admin_menu_and_needs_a_login(editor_client, client):
    # the admin's sidebar menu is data for its JavaScript: the item's URL and label are there
    dashboard = editor_client.get("/admin/").content.decode()
    assert "/admin/baking/" in dashboard and "Publishing" in dashboard
    client.logout()
    assert client.get("/admin/baking/").status_code == 302


@pytest.mark.django_db
def test_bake_everything_button_queues_a_full_bake(editor_client, settings, tmp_path):
    settings.BROADSHEET_BAKE_DIR = tmp_path
    settings.BROADSHEET_BAKE_ON_CHANGE = False
    response = editor_client.post("/admin/baking/")
    assert response.status_code == 302
    assert BakeRequest.objects.filter(kind="all").exists()


@pytest.mark.django_db
def test_a_publish_is_baked_by_the_task_once_committed(
    newsroom, baking_on, django_capture_on_commit_callbacks
):
    full_bake(baking_on)
    story = StoryPage.objects.get(slug="story-5")
    story.title = "Published through the queue"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    page = (baking_on / "middle-east" / "story-5" / "index.html").read_text()
    assert "Published through the queue" in page
    assert not BakeRequest.objects.exists()
    assert BakeRun.objects.filter(kind="incremental", status="done").exists()


@pytest.mark.django_db
def test_many_queued_stories_are_baked_by_one_full_bake(newsroom, baking_on, settings):
    full_bake(baking_on)
    settings.BROADSHEET_BAKE_FULL_THRESHOLD = 1
    for slug in ("story-1", "story-2"):
        story = StoryPage.objects.get(slug=slug)
        story.title = f"New headline of {slug}"
        story.save_revision().publish()
    from broadsheet.publishing.engine import process_pending

    run = process_pending(baking_on)
    assert run.kind == BakeRun.Kind.FULL and run.status == BakeRun.Status.DONE
    assert "New headline of story-2" in (baking_on / "middle-east/story-2/index.html").read_text()
    assert not BakeRequest.objects.exists()
