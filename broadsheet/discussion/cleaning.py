"""Normalising what readers type, before it is checked and stored.

Text is stored *as typed* (no HTML is parsed or removed: it is plain text, escaped when shown),
with only these changes:

* Unicode NFC (UAX #15), so that the same words compare equal (duplicates, search);
* line ends made ``\\n``; control characters other than tab and line feed removed (they are
  invisible, and PostgreSQL refuses NUL);
* in every field, multi-line text too: the bidirectional embedding, override and isolate
  characters (U+202A–U+202E, U+2066–U+2069) removed — they can make "gnp.exe" display as
  "exe.png" inside a comment, a forum post or the moderation queue. The marks U+200E, U+200F and
  U+061C, which mixed English/Persian text legitimately needs and which cannot reorder a run,
  are kept in multi-line text;
* in one-line fields (names, places, subjects): every control character, the bidirectional
  embedding/override/isolate characters (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F,
  U+061C), and zero-width characters (U+200B–U+200D, U+2060, U+FEFF, U+180E) removed, and runs of
  white space collapsed — a name cannot reverse the text after it or pose as someone else with
  invisible characters (Unicode TR #36, "Unicode Security Considerations"). The joiners U+200C
  (zero-width non-joiner) and U+200D (zero-width joiner) are kept *between two letters*: Persian
  spells with them ("علی‌رضا", "می‌خواهم"), and a name without its ZWNJ is misspelt; only the
  joiners outside a word (at its ends, beside a space) are removed.

Why our own code: these are a few ``str`` operations over :mod:`unicodedata`; nh3/bleach
sanitise HTML, which we do not accept at all.
"""

from __future__ import annotations

import re
import unicodedata

import regex

SPOOFING_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
JOINERS = frozenset("\u200c\u200d")
_LINK = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)|\[url|<a\s")
_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Multi-line text: NFC, ``\\n`` line ends, no control characters but tab and line feed, no
    bidirectional embedding/override/isolate characters (:data:`SPOOFING_BIDI`), surrounding
    white space stripped."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(
        c
        for c in value
        if c not in SPOOFING_BIDI and (c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    )
    return value.strip()


#: what a reader does not see: white space, format characters (Cf: zero-width space and
#: joiners, direction marks), Unicode's Default_Ignorable_Code_Point (the Hangul fillers U+115F,
#: U+1160, U+3164, U+FFA0, the Khmer vowels U+17B4/5, the Mongolian vowel separator and
#: variation selectors, tags…) and the blank-looking symbols U+2800 (braille pattern blank) and
#: U+1D159 (musical null notehead). ``regex`` knows the Unicode property; ``unicodedata`` not.
_INVISIBLE = regex.compile(
    r"[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\U0001D159]"
)


def visible_length(value: str) -> int:
    """How many characters of ``value`` a reader sees: not white space, not a format
    character, not a default-ignorable or blank-looking one (:data:`_INVISIBLE`). A text of
    only such characters is empty to the reader, whatever its length."""
    return len(value) - len(_INVISIBLE.findall(value))


def normalize_line(value: str) -> str:
    """One-line text (a name, place or subject): NFC, without control, bidi-control and
    zero-width characters, white space collapsed to single spaces and stripped."""
    value = unicodedata.normalize("NFC", value)
    kept = [
        c
        for c in value
        if c not in BIDI_CONTROLS
        and (c not in ZERO_WIDTH or c in JOINERS)
        and (unicodedata.category(c) not in ("Cc", "Cs") or c in "\t\n\r")
    ]
    # a joiner stays only inside a word: a letter (or mark) on either side
    kept = [
        c
        for i, c in enumerate(kept)
        if c not in JOINERS or (_in_word(kept, i - 1) and _in_word(kept, i + 1))
    ]
    return _SPACES.sub(" ", "".join(kept)).strip()


def _in_word(chars: list[str], i: int) -> bool:
    return 0 <= i < len(chars) and unicodedata.category(chars[i])[0] in "LM"


def count_links(value: str) -> int:
    """How many links a text holds (``http://``, ``https://``, ``ftp://``, ``www.``,
    ``[url`` and ``<a`` each count once)."""
    return len(_LINK.findall(value))
