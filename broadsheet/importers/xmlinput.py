"""Reading XML that may be broken: invalid bytes, character references to surrogates, control
characters and bad markup are repaired where they are and reported with their line, and lxml
(libxml2 in ``recover`` mode) keeps every element it can.

libxml2 stops at the first byte that is not valid in the declared encoding and rejects a
character reference to a surrogate (``&#xD800;``); both are common in exports of old sites.
So the bytes are decoded here first, each bad spot replaced by U+FFFD and reported, and the
repaired UTF-8 handed to lxml. The place of every libxml2 error is reported too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class XmlProblem:
    """A repaired or reported spot: 1-based ``line`` in the input and a message.
    ``repaired``: the input was fixed on the spot (a byte or character replaced by U+FFFD) and
    nothing else lost — a warning, not a failure."""

    line: int
    message: str
    repaired: bool = False


@dataclass
class ParsedXml:
    """The root element (``None`` if nothing could be read) and every problem found."""

    root: Any
    problems: list[XmlProblem] = field(default_factory=list)


def _xml_char_ok(cp: int) -> bool:
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


def decode_xml_bytes(data: bytes, problems: list[XmlProblem]) -> str:
    """Decode XML bytes in their declared encoding (UTF-8 if none or unknown); every invalid
    byte sequence becomes U+FFFD and is added to ``problems`` with its line."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    m = _DECL_ENCODING.match(data[:300])
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        problems.append(XmlProblem(1, f"unknown encoding {encoding!r}; read as UTF-8", True))
        encoding = "utf-8"
    parts: list[str] = []
    pos = 0
    line = 1
    reported = 0
    while True:
        try:
            parts.append(data[pos:].decode(encoding))
            break
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            parts.append(data[pos:start].decode(encoding))
            line += data.count(b"\n", pos, start)
            if reported < 100:
                problems.append(
                    XmlProblem(line, f"invalid {encoding} bytes {data[start:end]!r} replaced", True)
                )
            reported += 1
            parts.append("\ufffd")
            line += data.count(b"\n", start, end)
            pos = end
    if reported > 100:
        problems.append(
            XmlProblem(line, f"{reported - 100} more invalid byte sequences replaced", True)
        )
    return "".join(parts)


def repair_xml_text(text: str, problems: list[XmlProblem]) -> str:
    """Replace character references to characters XML forbids (surrogates, most control
    characters, beyond U+10FFFF) and such raw characters by U+FFFD, reporting each."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    def fix_ref(m: re.Match[str]) -> str:
        try:
            cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        except ValueError:  # pragma: no cover - the pattern only matches digits
            cp = -1
        if _xml_char_ok(cp):
            return m.group(0)
        problems.append(
            XmlProblem(
                line_of(m.start()),
                f"character reference {m.group(0)} is not allowed: replaced",
                True,
            )
        )
        return "\ufffd"

    text = _CHAR_REF.sub(fix_ref, text)

    def fix_char(m: re.Match[str]) -> str:
        problems.append(
            XmlProblem(
                line_of(m.start()),
                f"character U+{ord(m.group(0)):04X} is not allowed: replaced",
                True,
            )
        )
        return "\ufffd"

    return _BAD_CHARS.sub(fix_char, text)


def parse_xml(data: bytes) -> ParsedXml:
    """Parse possibly broken XML bytes with lxml (``recover=True``, no network, no entity
    expansion from outside). Returns the root and the problems, in input order."""
    problems: list[XmlProblem] = []
    text = decode_xml_bytes(data, problems)
    text = repair_xml_text(text, problems)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    parser = etree.XMLParser(
        recover=True,
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        remove_blank_text=False,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        root = None
        problems.append(XmlProblem(getattr(exc, "lineno", 0) or 0, f"XML: {exc}"))
    for err in parser.error_log:
        if err.level >= etree.ErrorLevels.ERROR:
            problems.append(XmlProblem(err.line, f"XML: {err.message.strip()}"))
    if root is None and not any(p.message.startswith("XML") for p in problems):
        problems.append(XmlProblem(1, "XML: no document element"))
    problems.sort(key=lambda p: p.line)
    return ParsedXml(root, problems)
