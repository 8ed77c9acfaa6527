"""Text encodings of imported files: detect an undeclared one, and catch mojibake.

A feed or page that does not say its encoding and is not UTF-8 is read by most parsers as
windows-1252, which turns GB2312, KOI8-R, Shift_JIS or EUC-KR into mojibake. We detect the
encoding first with charset-normalizer (a well-kept library, already installed with
requests), on the whole file, and hand the parser UTF-8. What still looks like mojibake after
that is caught by :func:`looks_like_mojibake` — our own small test, because detection on a
single headline is unreliable (too few bytes) and the damage has recognisable shapes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# UTF-8 read as windows-1252 / Latin-1: "Ã©", "â€™", "Â " …
UTF8_AS_LATIN = re.compile(
    "[ÂÃ][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac\u2122]|â€"
)
CP1252_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Decoded:
    """Bytes ready for a parser (UTF-8 when we re-encoded them) and what we found: the
    ``encoding`` we detected when the file declared none (``""`` when nothing was needed)."""

    data: bytes
    encoding: str = ""


def declared_encoding(data: bytes, html: bool = False) -> str:
    """The encoding the file declares (BOM, XML declaration, or for HTML ``<meta charset>``
    in its first 4 KB), lower case, or ``""``."""
    if data.startswith(BOMS):
        return "bom"
    m = XML_DECLARATION.match(data[:200])
    if m:
        return m.group(1).decode("ascii").lower()
    if html:
        m = HTML_CHARSET.search(data[:4096])
        if m:
            return m.group(1).decode("ascii").lower()
    return ""


def detect_undeclared(data: bytes, html: bool = False) -> Decoded:
    """``data`` unchanged if it declares its encoding or is valid UTF-8; else re-encoded as
    UTF-8 from the encoding charset-normalizer finds (an XML declaration saying so is put in
    front; for HTML a ``<meta charset="utf-8">``). Never raises: undetectable bytes are returned
    unchanged."""
    if declared_encoding(data, html=html):
        return Decoded(data)
    try:
        data.decode("utf-8")
        return Decoded(data)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return Decoded(data)
    best = _prefer_web_encodings(results)
    text = str(best)
    if html:
        return Decoded(b'<meta charset="utf-8">' + text.encode("utf-8"), best.encoding)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    return Decoded(b'<?xml version="1.0" encoding="utf-8"?>' + text.encode("utf-8"), best.encoding)


# Encodings by how common they are on the web: among near-equal detections (the same chaos,
# coherence within 0.05), the more common one wins — mac_cyrillic and cp1251 differ in a few
# letters only, and web pages were written in cp1251.
WEB_ENCODINGS = [
    "utf_8",
    "cp1252",
    "cp1251",
    "gb18030",
    "gb2312",
    "cp932",
    "shift_jis",
    "euc_jp",
    "cp949",
    "euc_kr",
    "big5",
    "koi8_r",
    "koi8_u",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "iso8859_2",
    "iso8859_5",
    "iso8859_7",
    "iso8859_9",
    "tis_620",
]


def _prefer_web_encodings(results: list) -> Any:  # charset_normalizer CharsetMatch objects
    top = results[0]
    ties = [r for r in results if r.chaos <= top.chaos and r.coherence >= top.coherence - 0.05]

    def rank(match: Any) -> int:
        name = match.encoding.lower()
        return WEB_ENCODINGS.index(name) if name in WEB_ENCODINGS else len(WEB_ENCODINGS)

    return min(ties, key=rank)


def looks_like_mojibake(text: str) -> bool:
    """True when ``text`` shows the shapes of text decoded with the wrong encoding: U+FFFD,
    C1 control characters, UTF-8 read as windows-1252 ("Ã©", "â€™"), or a text made mostly of
    Latin-1 letters and symbols (GB2312, KOI8-R, Shift_JIS, EUC-KR read as windows-1252).
    Genuine Latin-script text (French, Icelandic, Turkish…) has far fewer of them."""
    if "\ufffd" in text or re.search("[\u0080-\u009f]", text):
        return True
    if UTF8_AS_LATIN.search(text):
        return True
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    if any(ord(c) > 0xFF and c not in CP1252_EXTRA for c in chars):
        return False  # a real script outside Latin-1: not a windows-1252 misreading
    high = [c for c in chars if ord(c) >= 0xA0 or c in CP1252_EXTRA]
    symbols = [c for c in high if "\u00a1" <= c <= "\u00bf" or c in "×÷"]
    if len(high) >= 4 and len(high) >= 0.6 * len(chars):
        return True
    return len(symbols) >= 3 and len(symbols) >= 0.15 * len(chars)


def strip_control_characters(text: str) -> str:
    """``text`` without C0/C1 control characters (tab, line feed and carriage return kept)."""
    return CONTROL.sub("", text)
