"""Reading broken XML: repaired where it is, reported with its line, the rest kept."""

from __future__ import annotations

from broadsheet.importers.xmlinput import parse_xml

DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss><channel>
<item><title>One &#xD800; ok &#x41;</title></item>
<item><title>Two <b>unclosed</title></item>
<item><title>Three \x01 ctrl</title></item>
<item><title>Four \xff\xfe bad</title></item>
</channel></rss>
"""


def test_every_item_survives_and_every_problem_has_its_line():
    parsed = parse_xml(DOC)
    titles = ["".join(t.itertext()) for t in parsed.root.iter("title")]
    assert titles[0] == "One \ufffd ok A"
    assert titles[2] == "Three \ufffd ctrl"
    assert titles[3] == "Four \ufffd\ufffd bad"
    lines = {(p.line, p.message.split(" ")[0]) for p in parsed.problems}
    assert (3, "character") in lines
    assert (4, "XML:") in lines
    assert (5, "character") in lines
    assert (6, "invalid") in lines


def test_declared_latin1_is_decoded_as_latin1():
    parsed = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>'.encode("latin-1"))
    assert parsed.root.text == "café"
    assert parsed.problems == []


def test_not_xml_at_all():
    parsed = parse_xml(b"")
    assert parsed.root is None
    assert parsed.problems
