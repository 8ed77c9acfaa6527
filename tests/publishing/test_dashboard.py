"""The editor's dashboard panel: waiting comments and letters, stories in review, scheduled
stories, the last bakes."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.utils import timezone

from broadsheet.content.discussion.models import CommentStatus
from broadsheet.publishing.models import BakeRun
from tests.content.editorial.factories import StaffFactory
from tests.content.factories import SectionFactory, StoryFactory
from tests.discussion.factories import CommentFactory, LetterFactory

pytestmark = pytest.mark.django_db


def desk(client) -> dict[str, str]:
    html = client.get("/admin/").content
    doc = lxml.html.fromstring(html)
    panel = doc.get_element_by_id("newsroom-desk-content", None)
    if panel is None:
        panel = doc.xpath("//*[starts-with(@id, 'newsroom-desk')]")[0].getparent()
    return " ".join(panel.text_content().split()), {
        " ".join(tr.xpath(".//th")[0].text_content().split()): tr.xpath(".//td")[0].text_content()
        for tr in panel.xpath(".//tr")
    }


def test_the_desk_counts_what_waits_and_lists_what_is_scheduled(client, front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    story = StoryFactory(parent=iran, title="Oil strike")
    CommentFactory.create_batch(2, story=story, status=CommentStatus.HELD)
    CommentFactory(story=story, status=CommentStatus.APPROVED)
    LetterFactory()
    embargoed = StoryFactory(parent=iran, title="Embargoed budget", live=False)
    embargoed.go_live_at = timezone.now() + dt.timedelta(days=1)
    embargoed.save_revision().publish()
    BakeRun.objects.create(kind=BakeRun.Kind.FULL, status=BakeRun.Status.DONE, output="x")

    client.force_login(StaffFactory(roles=[("editor", iran)]))
    text, rows = desk(client)
    assert rows["Comments to moderate"] == "2"
    assert rows["New letters to the editor"] == "1"
    assert rows["Stories in review"] == "0"
    assert "Embargoed budget goes live" in text
    assert "Done" in text


def test_a_writer_sees_no_moderation_figures(client, front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    client.force_login(StaffFactory(roles=[("writer", iran)]))
    _, rows = desk(client)
    assert "Comments to moderate" not in rows
    assert "Stories in review" in rows
