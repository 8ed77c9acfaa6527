"""The moderation queue row by row: Approve, Spam and Remove on each held comment (the ones
that change its status), the story's headline in a comment's title, plain labels."""

from __future__ import annotations

import lxml.html
import pytest

from broadsheet.content.discussion.models import CommentStatus
from tests.content.editorial.factories import StaffFactory
from tests.content.factories import SectionFactory, StoryFactory

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(front_page):
    iran = SectionFactory(title="Iran", slug="iran")
    story = StoryFactory(parent=iran, title="Oil strike spreads")
    comment = CommentFactory(story=story, status=CommentStatus.HELD, text="Well reported.")
    return iran, comment


def row_links(client, comment, query: str = "?status=held") -> dict[str, str]:
    """The row's moderation links (label → URL) in the comment queue."""
    html = client.get(f"/admin/snippets/discussion/comment/{query}").content
    doc = lxml.html.fromstring(html)
    links = doc.xpath(f"//a[contains(@href, 'id={comment.pk}')]")
    return {
        a.text_content().strip(): a.get("href") for a in links if "/admin/bulk/" in a.get("href")
    }


def test_each_held_comment_has_approve_spam_remove_and_approve_works(client, held):
    iran, comment = held
    client.force_login(StaffFactory(roles=[("editor", iran)]))
    links = row_links(client, comment)
    assert set(links) == {"Approve", "Spam", "Remove"}
    confirm = client.get(links["Approve"])
    assert confirm.status_code == 200
    response = client.post(links["Approve"])
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    links = row_links(client, comment)  # the held queue no longer lists it…
    assert links == {}
    links = row_links(client, comment, "")
    assert set(links) == {"Spam", "Remove"}, "no Approve on an approved comment"


def test_a_comment_is_named_by_its_storys_headline(held):
    _, comment = held
    assert str(comment) == f"{comment.name} on “Oil strike spreads”: {comment.text[:40]}"


def test_the_edit_form_speaks_plainly(client, held):
    iran, comment = held
    client.force_login(StaffFactory(roles=[("editor", iran)]))
    html = client.get(f"/admin/snippets/discussion/comment/edit/{comment.pk}/").content.decode()
    assert "E-mail address" in html and "Web site" in html
    assert "Oil strike spreads" in html


def test_no_row_actions_for_those_who_may_not_moderate(client, held):
    iran, _ = held
    client.force_login(StaffFactory(roles=[("writer", iran)]))
    assert client.get("/admin/snippets/discussion/comment/").status_code == 302
