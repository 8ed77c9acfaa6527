"""Display names holding a web address or a domain (a new user's check, sixth session): a
name like "visit http://evil.example" was quoted verbatim in the sign-up confirmation mail,
where a mail client makes a link of it. Sign-up and the profile refuse it, with the text kept;
a name from before the rule is written into mails with its links broken."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from broadsheet.content.forums import subscriptions
from broadsheet.content.readers.models import Reader
from broadsheet.discussion.accounts.adapter import user_display
from broadsheet.discussion.forums.mail import post_message

from .factories import PASSWORD, ReaderUserFactory, TopicFactory, post

User = get_user_model()
PHISHING = "visit http://evil.example"


def sign_up(client, name: str):
    data = {
        "email": "new@readers.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": name,
        "language": "en",
    }
    return client.post("/accounts/signup/", data, REMOTE_ADDR="198.51.100.41")


@pytest.mark.parametrize(
    "name",
    [PHISHING, "Sara from evil.com", "see bit.ly/x", "ｈｔｔｐｓ：／／x.example", "www.evil.org"],
)
def test_sign_up_refuses_a_name_holding_an_address_and_keeps_the_text(client, name):
    answer = sign_up(client, name)
    page = html.unescape(answer.content.decode())
    assert answer.status_code in (200, 400)
    assert "cannot hold a web address or a domain" in page
    assert f'value="{name}"' in page  # the reader's text comes back
    assert not User.objects.filter(email="new@readers.example").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["Dr. Smith", "J.R. Tolkien", "Sara.K", "سارا"])
def test_names_with_dots_but_no_domain_are_taken(client, name):
    assert sign_up(client, name).status_code == 302
    assert Reader.objects.get(user__email="new@readers.example").display_name == name


def test_the_profile_refuses_a_name_holding_an_address_and_keeps_the_text(client):
    reader = ReaderUserFactory(reader__display_name="Sara Reads")
    client.force_login(reader)
    answer = client.post(
        "/accounts/profile/", {"display_name": PHISHING, "bio": "kept bio", "language": "en"}
    )
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 400
    assert "cannot hold a web address or a domain" in page
    assert PHISHING in page and "kept bio" in page
    assert Reader.objects.get(user=reader).display_name == "Sara Reads"


def test_mails_never_carry_a_readers_name_as_a_link():
    """A name saved before the rule (or by the shell) is written with its links broken."""
    writer = ReaderUserFactory(reader__display_name=PHISHING)
    follower = ReaderUserFactory()
    topic = TopicFactory(opened=True)
    subscriptions.subscribe(follower, topic)
    message = post_message(post(topic, writer, text="Hello."), follower)
    body, html_part = message.body, message.alternatives[0][0]
    for part in (body, html_part):
        assert "http://evil" not in part and "evil.example" not in part
        assert "evil[.]example" in part
    assert not re.search(r'href="[^"]*evil', html_part)
    assert "evil.example" not in user_display(writer)
    assert "http://" not in user_display(writer)
