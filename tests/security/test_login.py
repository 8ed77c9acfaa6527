"""The admin's login under brute force (django-axes): locked out after the configured
failures, per account and per address; the lockout page says so; an administrator unlocks."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from .conftest import login
from .factories import PASSWORD, AdministratorFactory, EditorFactory

pytestmark = pytest.mark.django_db


def test_brute_force_on_one_account_is_locked_out_even_with_the_right_password(client, settings):
    editor = EditorFactory()
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        assert login(client, editor.username, f"guess {n}").status_code == 200
    locked = login(client, editor.username, f"guess {limit}")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    right = login(client, editor.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_from_any_address(client, settings):
    editor, colleague = EditorFactory(), EditorFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, editor.username, "wrong", ip=f"192.0.2.{n + 1}")
    assert login(client, editor.username, PASSWORD, ip="203.0.113.77").status_code == 429
    # the account is locked, not the newsroom: a colleague signs in from the same address
    assert login(client, colleague.username, PASSWORD, ip="203.0.113.77").status_code == 302


def test_lockout_is_per_address_whatever_the_account(client, settings):
    editor = EditorFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"nobody{n}", "wrong", ip="203.0.113.66")
    assert login(client, editor.username, PASSWORD, ip="203.0.113.66").status_code == 429
    assert login(client, editor.username, PASSWORD, ip="198.51.100.1").status_code == 302


def test_an_administrator_unlocks_the_account(client, settings):
    editor = EditorFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, editor.username, "wrong", ip=f"192.0.2.{n + 1}")
    assert login(client, editor.username, PASSWORD, ip="192.0.2.9").status_code == 429
    call_command("axes_reset_username", editor.username)
    assert login(client, editor.username, PASSWORD, ip="192.0.2.9").status_code == 302


def test_login_fields_let_password_managers_and_paste_work(client):
    html = client.get("/admin/login/").content.decode()
    assert 'autocomplete="current-password"' in html or 'type="password"' in html
    assert "onpaste" not in html.lower()


def test_an_administrator_unlocks_in_the_admin(client, settings):
    from django.test import Client

    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False  # the screen, not the second factor
    editor, admin = EditorFactory(), AdministratorFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, editor.username, "wrong", ip=f"192.0.2.{n + 1}")
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get("/admin/security/lockouts/").content.decode()
    assert f"Unlock {editor.username}" in page
    answer = admin_client.post("/admin/security/lockouts/", {"username": editor.username})
    assert answer.status_code == 302
    assert login(client, editor.username, PASSWORD, ip="192.0.2.9").status_code == 302


def test_only_administrators_see_the_lockouts(client, settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    client.force_login(EditorFactory())
    refused = client.get("/admin/security/lockouts/")  # Wagtail: back to the dashboard
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
