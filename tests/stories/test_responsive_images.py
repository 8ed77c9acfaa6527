"""Responsive images from Wagtail renditions: ``srcset`` of several widths, width and height set
(no layout shift), lazy below the fold only, a 1200 px rendition for ``max-image-preview:large``
and og:image; and the rendition files a baked page shows are in the baked folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image as PILImage
from wagtail.images.models import get_rendition_storage

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.importers.storyfiles import import_story_files
from broadsheet.publishing.engine import full_bake
from broadsheet.publishing.media import media_paths
from broadsheet.publishing.models import BakeRun
from broadsheet.publishing.outputs import FolderOutput

pytestmark = pytest.mark.django_db


@pytest.fixture
def pictured(tmp_path, front_page, settings):
    """A story with a lead image and a body image (1600×900), imported from a story file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    files = tmp_path / "stories"
    (files / "images").mkdir(parents=True)
    for name, colour in (("lead", "red"), ("body", "blue")):
        buffer = io.BytesIO()
        PILImage.new("RGB", (1600, 900), colour).save(buffer, "PNG")
        (files / "images" / f"{name}.png").write_bytes(buffer.getvalue())
    (files / "story.md").write_text(
        "---\nheadline: With pictures\nsection: Culture\npublished: 2008-01-02\n"
        "lead_image: {file: images/lead.png, caption: The hall, credit: IPS, alt: A hall}\n---\n\n"
        'Text.\n\n![Blue square](images/body.png "A caption | Photo: Ann")\n\nMore text.\n',
        encoding="utf-8",
    )
    report = import_story_files([files])
    assert report.failed == 0, report.failures
    return StoryPage.objects.get(slug="with-pictures")


def widths(srcset: str) -> list[int]:
    return sorted(int(part.split()[1].removesuffix("w")) for part in srcset.split(","))


def test_the_story_page_images_are_responsive(client, pictured):
    page = lxml_html.fromstring(client.get(pictured.url).content)
    lead = page.xpath('//figure[@class="lead-image"]//img')[0]
    assert widths(lead.get("srcset")) == [480, 800, 1200]
    assert (lead.get("width"), lead.get("height")) == ("1200", "675")
    assert "1200x675" in lead.get("src"), "the src is the large rendition"
    assert lead.get("sizes") and lead.get("loading") is None, "the lead is above the fold"
    body = page.xpath('//figure[@class="body-image"]//img')[0]
    assert widths(body.get("srcset")) == [480, 800, 1200]
    assert body.get("loading") == "lazy" and body.get("width") == "1200"
    assert body.get("height") == "675"
    robots = page.xpath('//meta[@name="robots"]')[0].get("content")
    assert "max-image-preview:large" in robots
    og = page.xpath('//meta[@property="og:image"]')[0].get("content")
    assert og.endswith(lead.get("src")) and "1200x675" in og


def test_the_front_page_lead_image_is_loaded_at_once_the_others_lazily(client, pictured):
    page = lxml_html.fromstring(client.get("/").content)
    lead = page.xpath('//div[@class="front-lead-story"]//img[@class="card-image"]')[0]
    assert lead.get("loading") is None and lead.get("fetchpriority") == "high"
    assert widths(lead.get("srcset")) == [480, 800, 1200]
    assert lead.get("width") and lead.get("height")
    section = lxml_html.fromstring(client.get("/culture/").content)
    assert section.xpath(
        '//img[@class="card-image"]'
    )  # the section front's lead story has its image


def test_a_bake_carries_the_renditions_its_pages_show(tmp_path, pictured):
    out = tmp_path / "site"
    run = full_bake(out)
    assert run.status == BakeRun.Status.DONE, run.error
    story_html = (out / pictured.url.strip("/") / "index.html").read_bytes()
    used = media_paths(story_html)
    assert len(used) >= 4, used  # lead and body at 3 widths (some shared), og:image
    for path in used:
        carried = out / path.lstrip("/")
        assert carried.is_file(), f"{path} not in the baked folder"
        with get_rendition_storage().open(path.removeprefix("/media/"), "rb") as source:
            assert carried.read_bytes() == source.read()
    assert not any(p.startswith("/media/") for p in FolderOutput(out).pages()), "not pages"
    originals = {Path(pictured.lead_image.file.name).name}
    assert not {Path(p).name for p in used} & originals, "the uploaded originals stay private"


def test_media_paths_finds_src_srcset_and_absolute_urls():
    data = (
        b'<img src="/media/images/a.fill-480x270.jpg" srcset="/media/images/a.480.jpg 480w, '
        b'/media/images/a.800.jpg 800w"><meta property="og:image" '
        b'content="https://news.example/media/images/a.1200.jpg"><a href="/media/../secret">x</a>'
    )
    assert media_paths(data) == {
        "/media/images/a.fill-480x270.jpg",
        "/media/images/a.480.jpg",
        "/media/images/a.800.jpg",
        "/media/images/a.1200.jpg",
    }
    assert media_paths(b"<p>no pictures</p>") == set()
