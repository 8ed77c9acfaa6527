"""Undeclared encodings and mojibake (importers/encoding.py)."""

from __future__ import annotations

import pytest

from broadsheet.importers.archived import extract_page
from broadsheet.importers.encoding import (
    detect_undeclared,
    looks_like_mojibake,
    strip_control_characters,
)

GENUINE = [
    "Élections à Paris : l'été déçoit",
    "Þjóðverjar í Úkraínu á föstudaginn",
    "Müller über Größe",
    "İstanbul'da şiddetli yağış",
    "Ærø får ny færge",
    "£5m budget © 2020 — “quoted”",
    "北京发生地震",
    "Президент подписал закон",
    "انتخابات مبكرة في البلاد",
]


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_text_is_not_mojibake(text):
    assert not looks_like_mojibake(text)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("北京发生地震", "gb2312"),
        ("Президент подписал закон", "koi8-r"),
        ("東京で大雨警報が発表された", "shift_jis"),
        ("서울에서 대규모 집회가 열렸다", "euc-kr"),
        ("Élections à Paris", "utf-8"),
    ],
)
def test_text_read_in_the_wrong_encoding_is_mojibake(text, encoding):
    assert looks_like_mojibake(text.encode(encoding).decode("latin-1"))


def test_declared_or_utf8_input_is_left_alone():
    declared = '<?xml version="1.0" encoding="koi8-r"?><a>\xf0</a>'.encode("latin-1")
    assert detect_undeclared(declared).data == declared
    utf8 = "<a>é</a>".encode()
    assert detect_undeclared(utf8).encoding == ""


def test_undeclared_legacy_html_page_is_decoded():
    sentence = "Президент подписал закон о бюджете страны на следующий год. "
    html = (
        "<html><head><title>Закон о бюджете подписан</title></head><body>"
        "<h1>Закон о бюджете подписан</h1>"
        f"<p>{sentence * 5}</p><p>{sentence * 4}</p></body></html>"
    ).encode("cp1251")
    page = extract_page(html)
    assert page.headline == "Закон о бюджете подписан"


def test_control_characters_removed_tab_and_newlines_kept():
    assert strip_control_characters("a\x07b\tc\nd\x85e\x1bf") == "ab\tc\ndef"
