"""The site context: one bake's address changes its links, never the ids of feed items."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from broadsheet.content.newsroom.tree import ensure_front_page
from broadsheet.site.context import for_site

pytestmark = pytest.mark.django_db


def test_the_base_url_comes_from_the_bake_then_the_environment_then_the_site(settings):
    ensure_front_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "newsroom.example.org", 443
    settings.BROADSHEET_BASE_URL = ""
    assert for_site(site).base_url == "https://newsroom.example.org"
    settings.BROADSHEET_BASE_URL = "http://127.0.0.1:8000/"
    assert for_site(site).base_url == "http://127.0.0.1:8000"
    assert for_site(site, "https://mirror.example/").base_url == "https://mirror.example"


def test_feed_item_ids_keep_the_newsrooms_domain_whatever_address_is_baked(settings):
    """Without ``BROADSHEET_TAG_URI_AUTHORITY``, the Wagtail site's host name: the demo server
    (``BROADSHEET_BASE_URL``) and a plain bake (the site's address) name items alike."""
    ensure_front_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "newsroom.example.org"
    settings.BROADSHEET_TAG_URI_AUTHORITY = ""
    settings.BROADSHEET_BASE_URL = "http://127.0.0.1:8000"
    authorities = {
        for_site(site).tag_authority,
        for_site(site, "https://mirror.example").tag_authority,
    }
    settings.BROADSHEET_BASE_URL = ""
    authorities.add(for_site(site).tag_authority)
    assert authorities == {"newsroom.example.org"}
    settings.BROADSHEET_TAG_URI_AUTHORITY = "news.example.org"
    assert for_site(site).tag_authority == "news.example.org"
