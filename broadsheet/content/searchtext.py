"""Search text normalisation for English, Persian and Arabic, applied at index and query time.

Why our own code: neither SQLite's FTS5 ``unicode61`` tokenizer, nor PostgreSQL's text search
parser, nor Pagefind know that Arabic yeh/kaf (ي ك) and Persian yeh/keheh (ی ک) are the same
letter for a Persian reader, that ``۱۳۸۶`` and ``١٣٨٦`` are ``1386``, or that a zero-width
non-joiner (U+200C, ZWNJ) and a kashida (U+0640, tatweel) sit *inside* a word. SQLite's FTS5
table that Wagtail creates has no stemmer either. So every story gets one extra indexed field of
*search terms* (:func:`index_terms`) and every query is reduced to the same terms
(:func:`query_terms`); whichever backend runs (SQLite FTS5, PostgreSQL, OpenSearch) then only
compares plain tokens. The folding follows what Persian NLP toolkits (Hazm, Parsivar) call
"character normalisation"; English words are stemmed with the Snowball English (Porter 2)
stemmer from the ``snowballstemmer`` package.

Steps (:func:`normalise`): Unicode NFKC (folds Arabic presentation forms and full-width Latin);
ي ى ئ → ی and ك → ک; أ إ ٱ → ا, ة → ه, ۀ → ه; harakat (U+064B–U+065F, U+0670) removed;
ZWNJ, ZWJ and kashida removed (so ``می‌روم`` = ``میروم``); any Unicode decimal digit → ASCII;
typographic apostrophes → ``'``; Latin diacritics removed; case folded.

Tokens (:func:`tokens`) are runs of letters and digits, with an inner apostrophe kept
(``noah's``) so the stemmer can drop a possessive; the emitted terms contain letters and digits
only, so no query can carry search-engine syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24

_LETTER_MAP = {
    "ي": "ی",  # U+064A ARABIC LETTER YEH → U+06CC FARSI YEH
    "ى": "ی",  # U+0649 ALEF MAKSURA
    "ئ": "ی",  # U+0626 YEH WITH HAMZA ABOVE
    "ك": "ک",  # U+0643 ARABIC LETTER KAF → U+06A9 KEHEH
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ۀ": "ه",
    "ؤ": "و",
    "’": "'",  # right single quotation mark, the typographic apostrophe
    "‘": "'",
    "ʼ": "'",  # modifier letter apostrophe
    "`": "'",
    "´": "'",
    "\u200c": "",  # ZERO WIDTH NON-JOINER: joins, never splits a Persian word
    "\u200d": "",  # ZERO WIDTH JOINER
    "\u0640": "",  # ARABIC TATWEEL (kashida)
    "\u00ad": "",  # soft hyphen
}
_LETTER_MAP.update({chr(c): "" for c in range(0x064B, 0x0660)})  # harakat, tanwin, shadda…
_LETTER_MAP["\u0670"] = ""  # superscript alef
_TABLE = str.maketrans(_LETTER_MAP)

# A word of the original text, with whatever :func:`normalise` removes counted as inside it.
_INNER = "\u200c\u200d\u0640\u00ad\u064b-\u065f\u0670"
WORD = re.compile(rf"[^\W_][\w{_INNER}]*(?:['’‘ʼ][\w{_INNER}]+)*")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_LATIN_MAX = 0x024F

_english = snowballstemmer.stemmer("english")


def _fold_digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return str(value) if value is not None else ch


def _strip_latin_diacritics(text: str) -> str:
    if text.isascii():
        return text
    out = []
    for ch in text:
        if "\u00c0" <= ch <= "\u024f":
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out)


def normalise(text: str) -> str:
    """Fold ``text`` for matching (see the module docstring); the result is for comparing,
    never for display. Digits of any script become ASCII digits."""
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    if not text.isascii():
        text = "".join(_fold_digit(ch) if ch.isdecimal() else ch for ch in text)
        text = _strip_latin_diacritics(text)
    return text.casefold()


#: The folding of :func:`normalise` that keeps a text readable: Arabic-script letters and
#: marks, joiners, Arabic-Indic and Persian digits — no case, Latin accents or apostrophes.
#: For an index that shows its own text (Pagefind's excerpts); the static search page applies
#: the same table to the query (it is handed to the page's script, one source of truth).
LETTER_FOLDS: dict[str, str] = {
    k: v for k, v in _LETTER_MAP.items() if not (k.isascii() or k in "’‘ʼ´\u00ad")
}
LETTER_FOLDS.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
LETTER_FOLDS.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
_FOLD_TABLE = str.maketrans(LETTER_FOLDS)


def fold_letters(text: str) -> str:
    """``text`` with :data:`LETTER_FOLDS` applied (``"كِتاب ١٤٠٣"`` → ``"کتاب 1403"``):
    what Pagefind indexes, and what the static search page searches for."""
    return text.translate(_FOLD_TABLE)


#: White space as Python's ``str.split``, JavaScript's ``\s`` (which adds U+FEFF) and Rust's
#: ``split_whitespace`` see it: one split of a text gives the same words in all three.
_SPACE = re.compile(r"[\s\ufeff]+")


def folded_words(text: str) -> tuple[str, str]:
    """``text`` as two strings of the same words, one space apart: the words with their
    letters folded (:func:`fold_letters`: what a static index matches) and the words as written
    (what its excerpts show). Word *n* of one is word *n* of the other however a script splits
    them on white space, so a match's word position in the folded text points at the written
    word; a word that folds to nothing (a lone tatweel or haraka) is left out of both.
    ``"كِتابـ  علي ـ"`` → ``("کتاب علی", "كِتابـ علي")``. A text with nothing to fold (most
    English text) is split and joined once, not folded word by word."""
    if fold_letters(text) == text:  # no word changes: the same words, once
        # str.split() splits on what \s matches (str.isspace); U+FEFF needs the pattern
        words = text.split() if "\ufeff" not in text else _SPACE.split(text)
        same = " ".join(word for word in words if word)
        return same, same
    folded: list[str] = []
    shown: list[str] = []
    for word in _SPACE.split(text):
        fold = fold_letters(word)
        if fold and not _SPACE.search(fold):
            folded.append(fold)
            shown.append(word)
    return " ".join(folded), " ".join(shown)


@lru_cache(maxsize=65536)
def term(token: str) -> str:
    """The index/query term of one normalised token: Latin words stemmed (Snowball English),
    apostrophes dropped; other scripts unchanged. Always letters and digits only."""
    if token.isascii() or all(ord(c) <= _LATIN_MAX for c in token):
        token = _english.stemWord(token)
    return token.replace("'", "")


def tokens(text: str) -> list[str]:
    """The normalised tokens of ``text``, in order (``"Noah’s Ark"`` → ``["noah's", "ark"]``)."""
    return _TOKEN.findall(normalise(text))


def terms(text: str) -> Iterator[str]:
    """The search terms of ``text``, in order (``"Noah’s Ark"`` → ``noah``, ``ark``)."""
    for token in tokens(text):
        t = term(token)
        if t:
            yield t


def index_terms(parts: Iterable[str]) -> str:
    """The text to index for a story made of ``parts`` (headline, standfirst, body text…):
    its search terms separated by spaces."""
    return " ".join(t for part in parts if part for t in terms(part))


def query_terms(query: str) -> list[str]:
    """The distinct search terms of a reader's query, in order; at most
    :data:`MAX_QUERY_TERMS` terms from the first :data:`MAX_QUERY_CHARS` characters.
    An empty list means there is nothing to search for."""
    seen: dict[str, None] = {}
    for t in terms(query[:MAX_QUERY_CHARS]):
        seen.setdefault(t, None)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return list(seen)


@lru_cache(maxsize=65536)
def word_terms(word: str) -> frozenset[str]:
    """The terms one word of the original text stands for (usually one)."""
    return frozenset(terms(word))


def highlight(text: str, wanted: set[str]) -> Markup:
    """``text`` HTML-escaped, with each word whose term is in ``wanted`` wrapped in ``<mark>``.

    Everything is escaped first, then marked, so no input can inject markup."""
    out: list[str] = []
    pos = 0
    for m in WORD.finditer(text):
        if word_terms(m.group()) & wanted:
            out.append(str(escape(text[pos : m.start()])))
            out.append(f"<mark>{escape(m.group())}</mark>")
            pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))  # noqa: S704 - every piece was escaped above


def snippet(text: str, wanted: set[str], words: int = 36) -> Markup:
    """A passage of about ``words`` words from ``text`` around the densest group of matches,
    escaped and highlighted (:func:`highlight`), with "…" where text was cut. Without any match
    it is the start of the text.

    The passage starts a few words before the first of the first 64 matches whose next
    ``words`` words hold the most distinct wanted terms. The text is read only as far as
    needed: once a passage holds every wanted term no later one can do better."""
    iterator = WORD.finditer(text)
    matches: list[re.Match[str]] = []
    hits: list[tuple[int, frozenset[str]]] = []
    best, best_score, full = 0, 0, len(wanted)

    def score(n: int) -> int:
        h = hits[n][0]
        seen: set[str] = set()
        for i, t in hits[n:]:
            if i >= h + words:
                break
            seen |= t
        return len(seen)

    settled = 0  # hits[:settled] have windows complete in what was read
    scored = 0  # min(len(hits), 64): the windows that are scored
    known: dict[str, frozenset[str]] = {}  # word → its wanted terms (words repeat a lot)
    append = matches.append
    for i, m in enumerate(iterator):
        append(m)
        word = m.group()
        found = known.get(word)
        if found is None:
            found = known[word] = word_terms(word) & wanted
        if found:
            hits.append((i, found))
            scored = min(len(hits), 64)
        # windows that can no longer grow: those starting more than `words` words back
        while settled < scored and hits[settled][0] + words <= i + 1:
            current = score(settled)
            if current > best_score:
                best, best_score = hits[settled][0], current
            settled += 1
            if best_score == full:
                break
        if best_score == full and full:
            break
    else:
        while settled < min(len(hits), 64):
            current = score(settled)
            if current > best_score:
                best, best_score = hits[settled][0], current
            settled += 1
    if not matches:
        return highlight(text[:300], wanted)
    start = max(0, best - 6) if hits else 0
    while len(matches) < start + words + 1:  # read on to the end of the passage (and one more)
        m = next(iterator, None)
        if m is None:
            break
        matches.append(m)
    stop = min(len(matches), start + words)
    begin = matches[start].start()
    end = matches[stop - 1].end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if stop < len(matches) else ""
    return escape(prefix) + highlight(text[begin:end], wanted) + escape(suffix)


_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """Plain text of sanitised rich-text HTML (tags become spaces, entities decoded)."""
    import html as htmllib

    return htmllib.unescape(_TAG.sub(" ", html))


def body_text(raw_blocks: Iterable[dict]) -> str:
    """The readable text of a story body given as StreamField raw JSON blocks (paragraphs,
    subheadings, block quotes, fact boxes). Pull quotes are left out: they repeat the body."""
    parts: list[str] = []
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            parts.append(html_to_text(value or ""))
        elif kind == "subheading":
            parts.append(value or "")
        elif kind == "block_quote" and isinstance(value, dict):
            parts.append(value.get("text", ""))
            parts.append(value.get("attribution", ""))
        elif kind == "fact_box" and isinstance(value, dict):
            parts.append(value.get("title", ""))
            parts.append(html_to_text(value.get("body", "")))
    return " ".join(" ".join(p.split()) for p in parts if p)
