"""Two-factor sign-in (django-otp): a publisher without a second factor cannot publish until
enrolled; enrolment gives recovery codes; afterwards each sign-in asks for the code."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from broadsheet.content.newsroom.models import StoryPage
from tests.content.factories import StoryFactory

from .conftest import login
from .factories import PASSWORD, AdministratorFactory, EditorFactory, PublisherFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    number = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{number:0{device.digits}d}"


def publish(client, story: StoryPage):
    return client.post(f"/admin/bulk/wagtailcore/page/publish/?id={story.pk}&next=/admin/")


def enrol(client) -> list[str]:
    """Enrol an authenticator as the signed-in user; returns the recovery codes shown."""
    assert client.get("/admin/2fa/enrol/").status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    shown = client.post("/admin/2fa/enrol/", {"code": code_for(device), "next": "/admin/"})
    assert shown.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", shown.content.decode())


def test_publisher_without_second_factor_cannot_publish_until_enrolled(client):
    publisher = PublisherFactory()
    story = StoryFactory(live=False)
    assert login(client, publisher.username, PASSWORD).status_code == 302

    refused = publish(client, story)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/2fa/enrol/")
    assert client.get("/admin/pages/").status_code == 302  # nothing of the admin either
    story.refresh_from_db()
    assert not story.live

    codes = enrol(client)
    assert len(codes) == 10
    assert publish(client, story).status_code == 302
    story.refresh_from_db()
    assert story.live


def test_administrator_must_enrol_too_and_an_editor_need_not(client):
    admin, editor = AdministratorFactory(), EditorFactory()
    login(client, admin.username, PASSWORD)
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/enrol/")
    client.logout()
    login(client, editor.username, PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_after_enrolment_every_sign_in_asks_for_the_code(client):
    publisher = PublisherFactory()
    login(client, publisher.username, PASSWORD)
    enrol(client)
    client.logout()

    login(client, publisher.username, PASSWORD)
    asked = client.get("/admin/pages/")
    assert asked["Location"] == "/admin/2fa/verify/?next=%2Fadmin%2Fpages%2F"
    device = TOTPDevice.objects.get(user=publisher)
    right = client.post(
        "/admin/2fa/verify/", {"code": code_for(device, steps_ahead=1), "next": "/admin/pages/"}
    )
    assert right["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_wrong_code_does_not_sign_in(client):
    publisher = PublisherFactory()
    login(client, publisher.username, PASSWORD)
    enrol(client)
    client.logout()
    login(client, publisher.username, PASSWORD)
    wrong = client.post("/admin/2fa/verify/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode()
    assert client.get("/admin/pages/").status_code == 302


def test_a_recovery_code_signs_in_once(client):
    publisher = PublisherFactory()
    login(client, publisher.username, PASSWORD)
    code = enrol(client)[0]
    client.logout()
    login(client, publisher.username, PASSWORD)
    assert client.post("/admin/2fa/verify/", {"code": code})["Location"] == "/admin/"
    client.logout()
    login(client, publisher.username, PASSWORD)
    assert client.post("/admin/2fa/verify/", {"code": code}).status_code == 400


def test_a_wrong_code_does_not_enrol(client):
    publisher = PublisherFactory()
    login(client, publisher.username, PASSWORD)
    client.get("/admin/2fa/enrol/")
    answer = client.post("/admin/2fa/enrol/", {"code": "123"})
    assert answer.status_code == 400
    assert not TOTPDevice.objects.filter(user=publisher, confirmed=True).exists()


def test_next_cannot_send_the_editor_to_another_site(client):
    publisher = PublisherFactory()
    login(client, publisher.username, PASSWORD)
    client.get("/admin/2fa/enrol/")
    device = TOTPDevice.objects.get(user=publisher)
    shown = client.post(
        "/admin/2fa/enrol/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert "https://evil.example/" not in shown.content.decode()
