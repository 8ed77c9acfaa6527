"""Reader accounts (django-allauth): sign-up with e-mail confirmation, sign-in and -out,
password reset, the profile, deleting the account; the reader site's look; readers kept out
of the admin whatever their flags; sign-in throttled per address and per account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from broadsheet.content.readers.models import Reader

from .conftest import link_in, reader_login
from .factories import PASSWORD, ReaderUserFactory

User = get_user_model()


def sign_up(client, email="new@readers.example", name="New Reader", language="en", **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": name,
        "language": language,
        **extra,
    }
    return client.post("/accounts/signup/", data, REMOTE_ADDR="198.51.100.40")


def test_sign_up_confirm_by_mail_then_signed_in(client):
    answer = sign_up(client)
    assert answer.status_code == 302
    user = User.objects.get(email="new@readers.example")
    assert user.reader.display_name == "New Reader"
    assert "_auth_user_id" not in client.session  # not before the address is confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@readers.example"]
    confirm = link_in(mail.outbox[0].body, "/accounts/confirm-email/")
    page = client.get(confirm)
    assert page.status_code == 200  # a page with a button: a mail scanner confirms nothing
    assert "_auth_user_id" not in client.session
    assert client.post(confirm).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "New Reader" in client.get("/accounts/profile/").content.decode()


def test_an_unconfirmed_reader_cannot_sign_in(client):
    sign_up(client)
    mail.outbox.clear()
    answer = reader_login(client, "new@readers.example", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert answer.status_code == 302 and "confirm-email" in answer["Location"]
    assert mail.outbox == []  # not sent again within ACCOUNT_RATE_LIMITS["confirm_email"]


def test_sign_up_without_a_display_name_comes_back_with_the_values(client):
    answer = sign_up(client, name="\u200b\u0007 ")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Please give a name to show on your posts." in html
    assert 'value="new@readers.example"' in html
    assert not User.objects.filter(email="new@readers.example").exists()


def test_account_pages_wear_the_reader_sites_look(client, front_page):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'class="masthead"' in html and 'class="site-footer"' in html
    assert "@@broadsheet" not in html
    assert re.search(r"<title>\s*Sign In\s*— [^<]+</title>", html)
    assert 'name="csrfmiddlewaretoken"' in html


def test_account_pages_speak_persian_when_coming_from_the_persian_edition(client):
    from tests.editions.factories import persian_front

    persian_front()
    html = client.get("/accounts/login/?next=/fa/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود" in html  # allauth's own Persian, and ours


def test_sign_in_and_out(client):
    reader = ReaderUserFactory()
    answer = reader_login(client, reader.email, PASSWORD)
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_an_editor_cannot_sign_in_as_a_reader(client):
    from tests.security.factories import PASSWORD as EDITOR_PASSWORD
    from tests.security.factories import EditorFactory

    editor = EditorFactory()
    reader_login(client, editor.email, EDITOR_PASSWORD)
    assert "_auth_user_id" not in client.session


def test_password_reset_by_mail(client):
    reader = ReaderUserFactory()
    client.post("/accounts/password/reset/", {"email": reader.email})
    assert len(mail.outbox) == 1
    key_url = link_in(mail.outbox[0].body, "/accounts/password/reset/key/")
    form_url = client.get(key_url)["Location"]  # allauth moves the key out of the address
    new = "another long passphrase of mine"
    answer = client.post(form_url, {"password1": new, "password2": new})
    assert answer.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(new)


def test_profile_is_saved_and_a_refused_one_comes_back(client):
    from tests.editions.factories import persian_front

    persian_front()
    reader = ReaderUserFactory()
    client.force_login(reader)
    answer = client.post(
        "/accounts/profile/", {"display_name": "Sara", "bio": "Reads <b>all</b>", "language": "fa"}
    )
    assert answer.status_code == 302
    profile = Reader.objects.get(user=reader)
    assert (profile.display_name, profile.bio, profile.language) == (
        "Sara",
        "Reads <b>all</b>",
        "fa",
    )
    page = client.get("/accounts/profile/").content.decode()
    assert "Reads &lt;b&gt;all&lt;/b&gt;" in page
    assert '<html lang="fa" dir="rtl">' in page  # the profile's language
    refused = client.post(
        "/accounts/profile/", {"display_name": "", "bio": "kept text", "language": "xx"}
    )
    assert refused.status_code == 400
    assert "kept text" in refused.content.decode()
    assert Reader.objects.get(user=reader).display_name == "Sara"


def test_deleting_the_account_asks_for_the_password(client):
    reader = ReaderUserFactory()
    client.force_login(reader)
    refused = client.post("/accounts/delete/", {"posts": "keep", "password": "wrong"})
    assert refused.status_code == 400
    assert User.objects.filter(pk=reader.pk).exists()
    done = client.post("/accounts/delete/", {"posts": "delete", "password": PASSWORD})
    assert done.status_code == 200
    assert not User.objects.filter(pk=reader.pk).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "flags", [{}, {"is_staff": True}, {"is_superuser": True, "is_staff": True}]
)
def test_a_reader_never_reaches_the_admin_whatever_the_flags(flags):
    reader = ReaderUserFactory()
    User.objects.filter(pk=reader.pk).update(**flags)
    client = Client()
    client.force_login(User.objects.get(pk=reader.pk))
    for path in ("/admin/", "/admin/pages/", "/admin/users/", "/admin/snippets/"):
        assert client.get(path).status_code == 403, path


def test_the_admin_login_refuses_a_reader_even_a_superuser_one(client):
    reader = ReaderUserFactory()
    User.objects.filter(pk=reader.pk).update(is_staff=True, is_superuser=True)
    answer = client.post("/admin/login/", {"username": reader.username, "password": PASSWORD})
    assert answer.status_code == 200  # the form again, with the wrong-password message
    assert "_auth_user_id" not in client.session


def test_the_same_flags_on_an_editor_do_reach_the_admin(client, settings):
    """The test above is not passing because superusers are refused anyway."""
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    user = User.objects.create_user("chief", "chief@newsroom.example", PASSWORD)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get("/admin/").status_code == 200


def test_sign_in_is_locked_out_per_account_from_any_address(client, settings):
    reader, other = ReaderUserFactory(), ReaderUserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        reader_login(client, reader.email, "wrong", ip=f"192.0.2.{n + 1}")
    assert reader_login(client, reader.email, PASSWORD, ip="203.0.113.5").status_code == 429
    assert "_auth_user_id" not in client.session
    # another reader from that address is not affected
    assert reader_login(Client(), other.email, PASSWORD, ip="203.0.113.5").status_code == 302


def test_sign_in_is_locked_out_per_address_whatever_the_account(client, settings):
    reader = ReaderUserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        reader_login(client, f"nobody{n}@readers.example", "wrong", ip="203.0.113.66")
    assert reader_login(client, reader.email, PASSWORD, ip="203.0.113.66").status_code == 429
    assert reader_login(Client(), reader.email, PASSWORD, ip="198.51.100.1").status_code == 302


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_keep_the_strict_policy(client, path):
    from tests.conftest import executable_scripts

    answer = client.get(path)
    html = answer.content.decode()
    assert executable_scripts(html) == []
    assert " style=" not in html and "<style" not in html
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert "no-store" in answer["Cache-Control"]
