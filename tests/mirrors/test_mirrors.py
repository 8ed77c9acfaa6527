"""Other ways to reach us: ``/mirrors.json`` (Bypass Censorship's mirror list, version 2.0), the
readers' page per edition, the footer link, and the bakes that follow the newsroom's list."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from lxml import html

from broadsheet.content.newsroom.models import Mirror
from tests.content.factories import MirrorFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "bypass-mirrors-v2.schema.json").read_text("utf-8")
)
ONION = "http://" + "a2" * 28 + ".onion/"


def validate(document: dict) -> None:
    """Validate against the JSON Schema of the mirror list, version 2.0, which the test data
    holds: written from OpenTechFund's github.com/OpenTechFund/bypass-mirrors — its README's
    "v2 Format" (``main_domain``, ``available_alternatives[]`` with ``proto``, ``type``,
    ``created_at``, ``url``) and its published list ``mirrorSites.js`` (top level ``sites`` and
    ``"version": "2.0"``, ``updated_at`` on every alternative, ``tor``/``eotk`` for onions)."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


@pytest.fixture
def mirrors(front_page):
    return [
        MirrorFactory(url="https://d1abc.cloudfront.example.net/", note="Updated every hour"),
        MirrorFactory(url=ONION, kind=Mirror.Kind.ONION, note="Tor Browser"),
        MirrorFactory(url="https://ipfs.example.io/ipns/news/", kind=Mirror.Kind.IPFS),
        MirrorFactory(url="https://hidden.example.net/", live=False),
    ]


def test_the_schema_is_no_rubber_stamp():
    good = {
        "version": "2.0",
        "sites": [
            {
                "main_domain": "example.org",
                "available_alternatives": [
                    {
                        "proto": "tor",
                        "type": "eotk",
                        "url": ONION,
                        "created_at": "2022-03-09 12:47:07.607398+00:00",
                        "updated_at": "2025-04-23T05:34:06.298332+00:00",
                    }
                ],
            }
        ],
    }
    validate(good)
    for break_it in (
        lambda d: d.pop("version"),
        lambda d: d.update(version="1.0"),
        lambda d: d["sites"][0].pop("main_domain"),
        lambda d: d["sites"][0].update(main_domain="https://example.org/"),
        lambda d: d["sites"][0]["available_alternatives"][0].pop("updated_at"),
        lambda d: d["sites"][0]["available_alternatives"][0].update(proto="https"),
        lambda d: d["sites"][0]["available_alternatives"][0].update(url="http://x.example/"),
        lambda d: d["sites"][0]["available_alternatives"][0].update(created_at="yesterday"),
        lambda d: d["sites"][0]["available_alternatives"][0].update(type="onion"),
    ):
        bad = copy.deepcopy(good)
        break_it(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


def test_mirrors_json_is_the_v2_list_of_the_live_mirrors(mirrors, client, settings):
    settings.BROADSHEET_BASE_URL = "https://www.iran-press-service.com"
    response = client.get("/mirrors.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    validate(document)
    (site,) = document["sites"]
    assert site["main_domain"] == "iran-press-service.com"
    got = {(a["proto"], a["type"], a["url"]) for a in site["available_alternatives"]}
    assert got == {
        ("https", "mirror", "https://d1abc.cloudfront.example.net/"),
        ("tor", "eotk", ONION),
        ("https", "ipfs", "https://ipfs.example.io/ipns/news/"),
    }
    first = site["available_alternatives"][0]
    assert first["created_at"] == mirrors[0].created_at.isoformat()
    assert client.get("/fa/mirrors.json").status_code == 404  # one list, at the site's root


def test_an_empty_list_is_still_a_valid_list(front_page, client):
    document = json.loads(client.get("/mirrors.json").content)
    validate(document)
    assert document["sites"][0]["available_alternatives"] == []


def test_the_readers_page_lists_them_by_kind(mirrors, client):
    doc = html.fromstring(client.get("/mirrors/").content)
    assert doc.findtext(".//h1") == "Other ways to reach us"
    headings = [h.text_content() for h in doc.xpath("//main//h2")]
    assert headings == ["Mirrors", "Onion service (open it in Tor Browser)", "IPFS"]
    links = doc.xpath("//main//li/a/@href")
    assert links == [
        "https://d1abc.cloudfront.example.net/",
        ONION,
        "https://ipfs.example.io/ipns/news/",
    ]
    assert "Updated every hour" in doc.text_content()
    assert "hidden.example.net" not in doc.text_content()  # not live: not listed
    assert doc.xpath("//main//a[text()='mirrors.json' or .//text()='mirrors.json']/@href") == [
        "/mirrors.json"
    ]
    # linked from every page's footer
    front = html.fromstring(client.get("/").content)
    assert front.xpath("//footer//a[@href='/mirrors/']/text()") == ["Other ways to reach us"]


def test_no_mirrors_yet(front_page, client):
    doc = html.fromstring(client.get("/mirrors/").content)
    assert "This site has no other addresses yet." in doc.text_content()
    assert "at these addresses too" not in doc.text_content()  # no list to point to
    assert not doc.xpath("//main//h2")


def test_no_mirrors_yet_in_persian(front_page, client):
    from tests.editions.factories import persian_front

    persian_front()
    fa = html.fromstring(client.get("/fa/mirrors/").content)
    paragraphs = [p.text_content() for p in fa.xpath("//main//p")]
    assert len(paragraphs) == 2  # "no other addresses yet", then the file's link
    assert "mirrors.json" in paragraphs[1]
    assert "These addresses" not in fa.text_content() and "no other" not in fa.text_content()


def test_the_persian_edition_has_its_own_page_in_persian(mirrors, client):
    from tests.editions.factories import persian_front

    persian_front()
    doc = html.fromstring(client.get("/fa/mirrors/").content)
    assert doc.get("lang") == "fa" and doc.get("dir") == "rtl"
    assert doc.findtext(".//h1") == "راه‌های دیگر دسترسی به ما"
    assert doc.xpath("//main//h2")[0].text_content() == "نسخه‌های آینه‌ای"
    assert doc.xpath("//main//li/a/@href")[1] == ONION
    assert doc.xpath("//main//a[.//text()='mirrors.json']/@href") == ["/mirrors.json"]
    front = html.fromstring(client.get("/fa/").content)
    assert front.xpath("//footer//a[@href='/fa/mirrors/']/text()") == ["راه‌های دیگر دسترسی به ما"]


@pytest.mark.parametrize(
    ("url", "kind", "field_error"),
    [
        ("https://mirror.example.net/", Mirror.Kind.ONION, "onion service"),
        ("http://short.onion/", Mirror.Kind.ONION, "onion service"),
        (ONION, Mirror.Kind.MIRROR, ".onion address"),
        ("ftp://mirror.example.net/", Mirror.Kind.MIRROR, "http"),
        ("https://user:pw@mirror.example.net/", Mirror.Kind.MIRROR, "password"),
    ],
)
def test_a_wrong_address_is_refused_with_a_clear_error(url, kind, field_error):
    with pytest.raises(ValidationError) as caught:
        Mirror(url=url, kind=kind).full_clean()
    assert field_error.lower() in " ".join(caught.value.message_dict["url"]).lower()
    assert not Mirror.objects.exists()
    Mirror(url=ONION, kind=Mirror.Kind.ONION).full_clean()  # the right one passes
