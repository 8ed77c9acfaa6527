"""Onion-Location: every page names itself on the onion address when one is set."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.content.factories import StoryFactory

pytestmark = pytest.mark.django_db
ONION = "http://broadshtxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq.onion"


def onion_meta(html: str) -> list[str]:
    doc = lxml.html.document_fromstring(html)
    return doc.xpath("//meta[@http-equiv='onion-location']/@content")


def test_every_page_has_its_own_onion_location(front_page, client_ok, settings):
    settings.BROADSHEET_ONION_URL = ONION
    story = StoryFactory()
    for path in ("/", story.url, "/archives/", "/guestbook/"):
        found = onion_meta(client_ok.get_html(path))
        assert found == [ONION + path], path
        parts = urlsplit(found[0])
        assert parts.hostname.endswith(".onion") and parts.path == path


def test_no_onion_location_without_an_address(front_page, client_ok, settings):
    settings.BROADSHEET_ONION_URL = ""
    assert onion_meta(client_ok.get_html("/")) == []


@pytest.mark.parametrize(
    "value", ["https://news.example.org", "ftp://x.onion", "http://x.onion/path", "x.onion"]
)
def test_a_wrong_onion_address_is_refused(front_page, settings, value):
    from broadsheet.site.context import default_site, for_site

    settings.BROADSHEET_ONION_URL = value
    with pytest.raises(ImproperlyConfigured, match="BROADSHEET_ONION_URL"):
        for_site(default_site())
