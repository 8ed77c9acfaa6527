"""What a new user's tries showed the forums let through: a text a reader cannot see, a ban
on every address, Persian names of the newsroom's roles."""

from __future__ import annotations

import pytest
from django import forms

from broadsheet.content.forums.models import Ban, Post
from broadsheet.content.forums.networks import normalise_network
from broadsheet.discussion.accounts.forms import check_look_alike

from .factories import ReaderUserFactory, TopicFactory, post


def test_a_post_of_only_invisible_characters_is_refused_with_its_text(client):
    reader = ReaderUserFactory()
    post(TopicFactory(opened=True), reader, text="An earlier approved post.")
    topic = TopicFactory(opened=True)
    client.force_login(reader)
    invisible = "\u200c\u200f \u200b\u2060"
    answer = client.post(
        f"/forums/post/{topic.pk}/", {"text": invisible}, REMOTE_ADDR="198.51.100.9"
    )
    assert answer.status_code == 400
    assert not Post.objects.filter(topic=topic, author=reader).exists()
    # a real Persian word with a zero-width non-joiner is text, and is published
    answer = client.post(
        f"/forums/post/{topic.pk}/", {"text": "می\u200cخواهم"}, REMOTE_ADDR="198.51.100.9"
    )
    assert answer.status_code == 303
    assert Post.objects.get(topic=topic, author=reader).text == "می\u200cخواهم"


@pytest.mark.parametrize("network", ["0.0.0.0/0", "10.0.0.0/8", "::/0", "2001:db8::/16"])
def test_a_range_wider_than_a_provider_is_not_a_ban(network):
    with pytest.raises(ValueError, match="too wide"):
        normalise_network(network)
    ban = Ban(network=network)
    with pytest.raises(Exception) as refused:
        ban.full_clean()
    assert "network" in refused.value.message_dict


@pytest.mark.parametrize(
    ("network", "kept"),
    [
        ("192.0.2.0/16", "192.0.0.0/16"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:db8::1", "2001:db8::/64"),
    ],
)
def test_ranges_up_to_the_widest_are_kept(network, kept):
    assert normalise_network(network) == kept


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ناظر", "مدیر سایت", "تحریریه", "ادمين", "سردبير"])
def test_persian_names_of_the_newsrooms_roles_are_reserved(name):
    with pytest.raises(forms.ValidationError, match="kept for the newsroom"):
        check_look_alike(name)


@pytest.mark.django_db
def test_an_ordinary_persian_name_is_free():
    check_look_alike("سارا رحیمی")


@pytest.mark.django_db
def test_a_new_ban_that_has_already_ended_is_refused():
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    ended = Ban(network="192.0.2.7", expires_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        ended.full_clean()
    assert "expires_at" in refused.value.message_dict
    Ban(network="192.0.2.7", expires_at=timezone.now() + dt.timedelta(days=1)).full_clean()
