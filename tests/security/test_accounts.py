"""Editors' passwords and sessions: validators (12 characters, common passwords), argon2
hashes, an idle timeout, throttled password-reset mails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.settings import base

from .factories import EditorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Tehran2007", "leavemealone", "qazwsxedcrfv"])
def test_short_or_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Paris, 18 June: the wire at noon")


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the tests' own settings use fast MD5
    assert identify_hasher(make_password("Paris, 18 June: the wire at noon")).algorithm == "argon2"


def test_a_session_ends_after_the_idle_time_and_activity_extends_it(client, settings):
    editor = EditorFactory()
    client.force_login(editor)
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/admin/").status_code == 200
    session.refresh_from_db()
    left = session.expire_date - timezone.now()
    assert left > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # moved on by the visit
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_password_reset_mails_are_throttled(client, settings):
    editor = EditorFactory()
    limit = settings.BROADSHEET_PASSWORD_RESETS_PER_HOUR
    answers = [
        client.post("/admin/password_reset/", {"email": editor.email}, REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(1, limit + 3)
    ]
    assert [a.status_code for a in answers] == [302] * limit + [429, 429]
    assert answers[-1]["Retry-After"] == "3600"
    assert len(mail.outbox) == limit
    # and per address, whatever the e-mail address asked for
    for n in range(limit + 1):
        last = client.post(
            "/admin/password_reset/", {"email": f"x{n}@example.org"}, REMOTE_ADDR="203.0.113.4"
        )
    assert last.status_code == 429
