"""A new user's findings in the forums' moderation admin (issue 13): a row's Approve comes
back to the queue it was pressed in; readers named by display name and address, never the
username; the Ban form lists readers' accounts only; a permanent ban says so; the
moderators' mails come from the newsroom's name as the readers' do."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from broadsheet.content.forums.models import Ban

from .factories import ReaderUserFactory, TopicFactory, post


@pytest.fixture
def moderator(settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    user = get_user_model().objects.create_superuser("chief", "chief@newsroom.example", "x" * 16)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def held():
    author = ReaderUserFactory(username="newbie", reader__display_name="Sara Reads")
    return post(TopicFactory(opened=True), author, text="approve me", status="held")


def row_links(client, url: str, item) -> dict[str, str]:
    doc = lxml.html.fromstring(client.get(url).content)
    links = doc.xpath(f"//a[contains(@href, 'id={item.pk}')]")
    return {a.text_content().strip(): a.get("href") for a in links if "/bulk/" in a.get("href")}


def test_approve_from_the_held_queue_comes_back_to_the_held_queue(moderator, held):
    queue = moderator.get("/admin/forums/")["Location"]
    assert queue == "/admin/snippets/forums/post/?status=held"
    approve = row_links(moderator, queue, held)["Approve"]
    assert moderator.get(approve).status_code == 200  # the confirmation
    answer = moderator.post(approve)
    assert answer.status_code == 302 and answer["Location"] == queue
    held.refresh_from_db()
    assert held.status == "approved"


def test_the_queues_results_part_gives_the_queues_own_address(moderator, held):
    url = "/admin/snippets/forums/post/results/?status=held"
    approve = row_links(moderator, url, held)["Approve"]
    assert "next=%2Fadmin%2Fsnippets%2Fforums%2Fpost%2F%3Fstatus%3Dheld" in approve


def test_the_queue_names_the_author_by_display_name_and_address(moderator, held):
    html = moderator.get("/admin/snippets/forums/post/?status=held").content.decode()
    assert "\u2068Sara Reads\u2069 &lt;newbie@readers.example&gt;" in html
    assert ">newbie<" not in html and "newbie</" not in html


def test_the_ban_form_takes_readers_accounts_only(moderator, held):
    """The account is picked with the reader chooser (tests/forums/
    test_new_user_moderation_s6.py), which lists readers only; an editor's account sent
    anyway is refused."""
    editor = get_user_model().objects.create_user("deskeditor", "desk@newsroom.example", "y" * 16)
    refused = moderator.post(
        "/admin/snippets/forums/ban/add/",
        {"user": editor.pk, "network": "", "reason": "", "expires_at": ""},
    )
    assert refused.status_code == 200 and not Ban.objects.exists()
    taken = moderator.post(
        "/admin/snippets/forums/ban/add/",
        {"user": held.author_id, "network": "", "reason": "", "expires_at": ""},
    )
    assert taken.status_code == 302 and Ban.objects.get().user_id == held.author_id
    edit = moderator.get(f"/admin/snippets/forums/ban/edit/{Ban.objects.get().pk}/")
    assert "\u2068Sara Reads\u2069 &lt;newbie@readers.example&gt;" in edit.content.decode()


def test_a_permanent_ban_says_permanent(moderator, held):
    Ban.objects.create(user=held.author, reason="spam")
    doc = lxml.html.fromstring(moderator.get("/admin/snippets/forums/ban/").content)
    cells = [td.text_content().strip() for td in doc.xpath("//tbody//td")]
    assert "permanent" in cells
    assert "\u2068Sara Reads\u2069 <newbie@readers.example>" in cells


def test_moderators_mail_comes_from_the_newsrooms_name_as_the_readers_does(settings):
    from broadsheet.content.discussion.models import Letter
    from broadsheet.content.discussion.moderation import mail_letter, newsroom_name

    settings.DEFAULT_FROM_EMAIL = "newsroom@localhost"
    settings.MANAGERS = [("Editor", "editor@newsroom.example")]
    letter = Letter.objects.create(
        name="Ana", email="ana@readers.example", subject="Hello", text="A letter."
    )
    mail_letter(letter)
    (message,) = mail.outbox
    assert message.from_email == f"{newsroom_name()} <newsroom@localhost>"
    assert newsroom_name() and message.from_email != "newsroom@localhost"
