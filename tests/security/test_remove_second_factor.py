"""An administrator removes the second factor of an editor who lost the phone (and the recovery
codes): from the admin's list of users or *Settings → Second factors*, recorded in the site
history; the editor — even one signed in already — must enrol again before using the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from broadsheet.security import twofactor

from .conftest import login
from .factories import PASSWORD, AdministratorFactory, EditorFactory, PublisherFactory
from .test_twofactor import code_for, enrol

pytestmark = pytest.mark.django_db


def signed_in_and_verified(user) -> tuple[Client, TOTPDevice]:
    """A client of ``user`` with an enrolled authenticator, through its second factor."""
    client = Client()
    assert login(client, user.username, PASSWORD).status_code == 302
    enrol(client)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert client.get("/admin/pages/").status_code == 200
    return client, device


def as_verified_admin() -> tuple[Client, object]:
    admin = AdministratorFactory()
    client, _ = signed_in_and_verified(admin)
    return client, admin


def test_an_administrator_removes_the_second_factor_and_the_editor_enrols_again():
    publisher = PublisherFactory()
    publisher_client, old_device = signed_in_and_verified(publisher)
    admin_client, admin = as_verified_admin()

    listed = admin_client.get("/admin/security/second-factors/").content.decode()
    assert f"Remove the second factor of {publisher.username}" in listed
    url = f"/admin/security/second-factors/{publisher.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    assert list(devices_for_user(publisher, confirmed=None)) == []
    assert list(devices_for_user(admin, confirmed=None))  # the administrator's own stay

    # Audit-logged on the account, by the administrator.
    entry = ModelLogEntry.objects.get(action=twofactor.REMOVED_ACTION)
    assert entry.user_id == admin.pk and entry.object_id == str(publisher.pk)
    assert entry.data == {"devices": 2}  # the app and the recovery codes
    assert entry.message == "Second factor removed"

    # The publisher's open session no longer counts as verified: enrol again first.
    asked = publisher_client.get("/admin/pages/")
    assert asked.status_code == 302 and asked["Location"].startswith("/admin/2fa/enrol/")
    # A code of the lost phone opens nothing.
    refused = publisher_client.post("/admin/2fa/verify/", {"code": code_for(old_device)})
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/2fa/enrol/")
    enrol(publisher_client)
    assert publisher_client.get("/admin/pages/").status_code == 200


def test_only_administrators_may_remove_a_second_factor():
    publisher = PublisherFactory()
    signed_in_and_verified(publisher)
    other = PublisherFactory()
    other_client, _ = signed_in_and_verified(other)
    url = f"/admin/security/second-factors/{publisher.pk}/"
    assert other_client.post(url).status_code in (302, 403)
    assert other_client.get("/admin/security/second-factors/").status_code in (302, 403)
    assert list(devices_for_user(publisher, confirmed=True))
    assert not ModelLogEntry.objects.filter(action=twofactor.REMOVED_ACTION).exists()


def test_an_administrator_without_the_second_factor_given_cannot_remove_one(client):
    publisher = PublisherFactory()
    signed_in_and_verified(publisher)
    admin = AdministratorFactory()
    signed_in_and_verified(admin)
    assert login(client, admin.username, PASSWORD).status_code == 302  # password only
    response = client.post(f"/admin/security/second-factors/{publisher.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/verify/")
    assert list(devices_for_user(publisher, confirmed=True))


def test_the_user_list_offers_the_removal_for_enrolled_accounts_only():
    publisher, editor = PublisherFactory(), EditorFactory()
    signed_in_and_verified(publisher)
    admin_client, _ = as_verified_admin()
    html = admin_client.get("/admin/users/").content.decode()
    assert f"/admin/security/second-factors/{publisher.pk}/" in html
    assert f"/admin/security/second-factors/{editor.pk}/" not in html
