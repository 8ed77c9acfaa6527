"""The admin fetches no avatar from Gravatar (another origin, and broken offline):
``WAGTAIL_GRAVATAR_PROVIDER_URL = None``. The same page with a provider set shows its address,
so the check below would catch one."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_admin_page_has_no_gravatar_address(admin_client, front_page, settings):
    settings.BROADSHEET_SECOND_FACTOR_REQUIRED = False
    response = admin_client.get("/admin/")
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"
    shown = admin_client.get("/admin/").content.decode()
    assert "www.gravatar.com/avatar" in shown  # what the setting keeps out
