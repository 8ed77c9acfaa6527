"""Archive mode (``broadsheet freeze``) closes every reader form on the live site too: the
pages show no form and the endpoints refuse what is posted, keeping nothing; ``unfreeze``
opens them again."""

from __future__ import annotations

import pytest

from broadsheet.content.discussion.models import AuthorMessage, Comment, GuestbookEntry, Letter
from broadsheet.publishing import archive
from tests.content.factories import AuthorFactory, StoryFactory

pytestmark = pytest.mark.django_db

NOTICE = "This newsroom closed in January 2009."


def test_a_frozen_site_shows_no_form_and_refuses_posts(front_page, post_form, client_ok):
    story = StoryFactory(comments="open")
    author = AuthorFactory(name="Ana Writer")
    archive.set_frozen(NOTICE)
    for path in (story.url, "/guestbook/", "/contact/", f"/authors/{author.slug}/"):
        html = client_ok.get_html(path)
        assert NOTICE in html, path
        assert 'class="reader-form"' not in html, path
    assert "Comments on this page are closed" in client_ok.get_html(story.url)
    sent = [
        post_form("comment", story.id, name="Ana", email="a@example.org", text="Hello."),
        post_form("guestbook", name="Mina", place="Shiraz", text="Hello from Shiraz"),
        post_form("letter", name="Mina", email="m@example.org", subject="S", text="A."),
        post_form("author", author.slug, name="Mina", email="m@example.org", subject="S", text="A"),
    ]
    assert [r.status_code for r in sent] == [403, 403, 403, 403]
    assert not Comment.objects.exists() and not GuestbookEntry.objects.exists()
    assert not Letter.objects.exists() and not AuthorMessage.objects.exists()

    assert archive.unfreeze()
    assert 'class="reader-form"' in client_ok.get_html("/contact/")
    assert NOTICE not in client_ok.get_html("/contact/")
    response = post_form("guestbook", name="Mina", place="Shiraz", text="Hello from Shiraz")
    assert response.status_code == 303 and GuestbookEntry.objects.count() == 1
