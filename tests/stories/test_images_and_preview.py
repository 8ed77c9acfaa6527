"""Images in story files (lead and body) and Wagtail's preview of an unsaved revision."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory
from PIL import Image as PILImage

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.storyfiles import import_story_files
from tests.content.factories import SectionFactory, StoryFactory

pytestmark = pytest.mark.django_db


def png(path, color: str) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), color).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())


def test_lead_and_body_images_from_a_story_file(tmp_path, front_page, client):
    (tmp_path / "images").mkdir()
    png(tmp_path / "images" / "lead.png", "red")
    png(tmp_path / "images" / "body.png", "blue")
    (tmp_path / "story.md").write_text(
        "---\nheadline: With pictures\nsection: Culture\npublished: 2008-01-02\n"
        "lead_image: {file: images/lead.png, caption: The hall, credit: IPS, alt: A hall}\n---\n\n"
        'Text.\n\n![Blue square](images/body.png "A caption | Photo: Ann")\n\nMore text.\n',
        encoding="utf-8",
    )
    report = import_story_files([tmp_path])
    assert report.failed == 0, report.failures
    again = import_story_files([tmp_path])
    assert again.failed == 0
    from wagtail.images import get_image_model

    assert get_image_model().objects.count() == 2  # same files: images reused, not duplicated
    story = StoryPage.objects.get(slug="with-pictures")
    html = client.get(story.url).content.decode()
    assert '<figure class="lead-image">' in html and "The hall" in html and "IPS" in html
    assert 'width="1200" height="675"' in html  # the lead rendition
    assert '<figure class="body-image">' in html and "A caption" in html and "Photo: Ann" in html
    assert [b["type"] for b in story.body.raw_data] == ["paragraph", "image", "paragraph"]
    front = client.get("/").content.decode()
    assert 'class="card-image"' in front and 'width="480" height="270"' in front


def test_missing_image_file_is_reported_with_its_line(tmp_path, front_page):
    (tmp_path / "story.md").write_text(
        "---\nheadline: Broken picture\nsection: Culture\npublished: 2008-01-02\n---\n\n"
        "Text.\n\n![Gone](images/nowhere.png)\n",
        encoding="utf-8",
    )
    report = import_story_files([tmp_path])
    assert report.failed == 1
    assert report.failures[0].place.endswith("story.md:9")
    assert "image file not found" in report.failures[0].reason
    assert not StoryPage.objects.filter(slug="broken-picture").exists()


def test_preview_renders_unsaved_changes(front_page, rf: RequestFactory):
    section = SectionFactory(title="Culture")
    story = StoryFactory(parent=section, title="Saved headline")
    story.title = "Edited but unsaved headline"
    story.standfirst = "A new standfirst"
    request = rf.get("/")
    request.user = None
    response = story.serve_preview(request, "")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Edited but unsaved headline" in html and "A new standfirst" in html
    assert StoryPage.objects.get(id=story.id).title == "Saved headline"


def test_preview_of_a_new_story_before_first_save(front_page, rf: RequestFactory):
    section = SectionFactory(title="Culture")
    story = StoryPage(title="Brand new", slug="brand-new", dateline_place="Rome")
    story.path = section.path + "0001"
    story.depth = section.depth + 1
    story.url_path = section.url_path + "brand-new/"
    response = story.serve_preview(rf.get("/"), "")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brand new" in html and '<span class="dateline">Rome, ' in html
