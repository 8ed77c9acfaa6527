"""Look-alike display names: the *skeleton* two names share when a reader would take one for
the other.

:func:`skeleton` follows the idea of Unicode TR39's confusable skeleton, in three steps:

1. Unicode NFKC (fullwidth ``Ｍ``, mathematical ``𝐌`` and ligatures become plain letters);
2. each character replaced by its plain look-alike from Unicode's confusables table, shipped by
   the `confusable-homoglyphs <https://pypi.org/project/confusable-homoglyphs/>`_ package
   (Cyrillic ``а`` → ``a``, Greek ``Ο`` → ``O``, ``0`` → ``O``, ``I`` and ``1`` → ``l``), and
   the Arabic letters Persian writes otherwise (``ي`` → ``ی``, ``ك`` → ``ک``) folded as the
   site search folds them;
3. case folded (``str.casefold``), and everything that is not a letter or digit dropped
   (spaces, punctuation, joiners, marks that a reader does not see, and the kashida ``ـ``
   that only stretches a Persian word: ``ناظـر`` is ``ناظر``).

Cherokee capitals that look like Latin ones and that the table lacks (``Ꮖ``, ``Ꮑ``) are
added in :data:`LOOK_ALIKES` (``ᎪᎠᎷᏆᏁ`` reads "ADMIN").

The newsroom's reserved names (:func:`reserved_in`) are compared more coarsely still: ``i``,
``l``, ``I``, ``1`` and ``|`` are one letter (``Adm1n``, ``ADMlN``, ``lran Press Servlce``),
and a name is refused when any run of its words is one (``The Admin``, ``ناظر ارشد``, "<the
newsroom's name> Staff"), while a word that only begins like one (``Adminton``,
``Moderato``, ``مدیری``) is a name like any other.

The table is a well-kept library's (it follows Unicode's data); what is ours is the choice of
one representative per character — an ASCII look-alike if there is one (letters before digits
and symbols, lower case first), else the character itself — one step only, not the table's
transitive closure (which would make ``r``, ``t``, ``u``, ``y`` and ``z`` one letter).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

#: Arabic letters and their Persian forms, one letter for names as for search
PERSIAN = {"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه"}

#: look-alikes of Latin capitals missing from Unicode's confusables table (Cherokee)
LOOK_ALIKES = {"Ꮖ": "I", "ꮖ": "I", "Ꮑ": "N", "ꮑ": "N"}

#: the kashida (tatweel), a letter to Unicode that only stretches a Persian or Arabic word
KASHIDA = "\u0640"

#: names no reader may take (nor look-alikes of them): with the newsroom's own name(s)
RESERVED = ("moderator", "moderators", "moderation", "admin", "administrator", "editor",
            "newsroom", "staff", "former member",
            # the same words in Persian (and the English ones as Persian writes them)
            "ناظر", "ناظران", "مدیر", "مدیر سایت", "مدیریت", "ادمین", "آدمین", "سردبیر", "ویراستار",
            "تحریریه", "کارکنان", "عضو پیشین")  # fmt: skip


def _ascii_key(char: str) -> tuple[bool, bool, str]:
    return (not char.isalpha(), not char.islower(), char)


@functools.lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """The representative of ``char``: its own or a look-alike's ASCII form, else itself."""
    char = LOOK_ALIKES.get(char, PERSIAN.get(char, char))
    alike = [h["c"] for h in confusables_data.get(char, ()) if len(h["c"]) == 1]
    ascii_alike = [c for c in (char, *alike) if c.isascii() and c.isprintable()]
    return min(ascii_alike, key=_ascii_key) if ascii_alike else char


def _key(text: str, fold_first: bool) -> str:
    if fold_first:
        text = text.casefold()
    plain = "".join(_plain(c) for c in text if c.isalnum() and c != KASHIDA).casefold()
    plain = "".join(_plain(c) for c in plain)  # a folded letter may have a look-alike too
    return "".join(c for c in unicodedata.normalize("NFKC", plain) if c.isalnum())


def skeleton(name: str) -> str:
    """The look-alike key of a display name, case folded first (see the module docstring):
    two names with the same skeleton read the same. ``""`` for a name with no letter or
    digit. This is the key kept with each reader's name."""
    return _key(unicodedata.normalize("NFKC", name or ""), fold_first=True)


def skeletons(name: str) -> frozenset[str]:
    """:func:`skeleton` and the key with look-alikes replaced *before* case folding, where an
    upper-case ``I`` still reads as ``l`` (``AIi`` is ``Ali``): a new name is refused when
    either is taken."""
    text = unicodedata.normalize("NFKC", name or "")
    return frozenset(k for k in (_key(text, True), _key(text, False)) if k)


def reserved_skeletons(extra_names: tuple[str, ...] = ()) -> frozenset[str]:
    """Every key of :data:`RESERVED` and of ``extra_names`` (the newsroom's names)."""
    return frozenset(k for name in (*RESERVED, *extra_names) for k in skeletons(name))


#: the characters that look like one upright stroke, one class for reserved names
_STROKES = str.maketrans({"i": "l", "1": "l", "|": "l", "ı": "l"})


def _coarse(name: str) -> frozenset[str]:
    return frozenset(k.translate(_STROKES) for k in skeletons(name))


def _words(name: str) -> list[str]:
    """The words of ``name``, split at spaces, punctuation and symbols (not at the invisible
    joiners and marks, which :func:`skeleton` drops, nor at the kashida)."""
    text = unicodedata.normalize("NFKC", name or "")
    words, word = [], []
    for char in text:
        if char.isspace() or unicodedata.category(char)[0] in "PSZ":
            if word:
                words.append("".join(word))
            word = []
        else:
            word.append(char)
    if word:
        words.append("".join(word))
    return words


def reserved_in(name: str, extra_names: tuple[str, ...] = ()) -> bool:
    """Whether display ``name`` reads as one of :data:`RESERVED` or ``extra_names`` (the
    newsroom's names), or holds one as a run of its words: each run of words is compared
    by its :func:`skeletons` with ``i``, ``l``, ``I``, ``1`` and ``|`` as one letter (see the
    module docstring). "Moderator Team", "The Admin", "Adm1n" and "ناظر ارشد" are reserved;
    "Adminton Smith", "Olin" and "مهران مدیری" are not."""
    reserved = frozenset(k for n in (*RESERVED, *extra_names) for k in _coarse(n))
    words = _words(name)
    runs = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    return any(_coarse(run) & reserved for run in (name, *runs))


# --- links in display names ---------------------------------------------------------------
#
# A display name is quoted in the newsroom's mails ("user … has given your address", "… wrote
# in"), where a mail client turns any address or domain into a link: a name like "visit
# http://evil.example" would make the newsroom's own mail carry a phishing link. Sign-up and
# the profile refuse such names (:func:`link_in`); a name from before the rule is written
# into mails with its links broken (:func:`unlinked`).

#: a URL scheme ("http://", "hxxp://", "mailto:") or "www."
_SCHEME = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|mailto:|www[.．。｡\u2024])")
#: the dots of a domain: the full stop and the dots IDNA and mail clients read as one
_DOTS = ".．。｡\u2024"
#: labels joined by dots, with no space (as a mail client links them: "Mr. Com" is no
#: link): "evil.example", "bit.ly", "خبر.ایران"
_DOMAIN = re.compile(rf"[\w-]+(?:[{_DOTS}][\w-]+)+")
#: special-use names (RFC 6761, RFC 7686, RFC 9476…) that no public suffix list holds but
#: that are links all the same for some readers (``.onion`` in Tor Browser)
SPECIAL_TLDS = frozenset({"example", "test", "invalid", "localhost", "onion", "local", "alt",
                          "internal", "arpa", "i2p"})  # fmt: skip


def _is_tld(label: str) -> bool:
    from tld import is_tld

    label = label.casefold()
    return label in SPECIAL_TLDS or (label.isalpha() and len(label) >= 2 and is_tld(label))


def link_in(name: str) -> str:
    """The part of ``name`` a mail client would make a link of — a URL scheme (``http://``,
    ``mailto:``), ``www.``, or labels joined by dots that end in a top-level domain
    (``evil.example``, ``bit.ly``; the public suffix list of the ``tld`` package, and the
    special-use names of :data:`SPECIAL_TLDS`) — or ``""``. Read after Unicode NFKC, so a
    fullwidth ``ｈｔｔｐ：／／`` or a one-dot leader ``․`` is no way round; "Dr. Smith", "J.R.
    Tolkien" and "Sara.K" hold none."""
    text = unicodedata.normalize("NFKC", name or "")
    scheme = _SCHEME.search(text)
    if scheme:
        return scheme.group(0)
    for match in _DOMAIN.finditer(text):
        labels = re.split(rf"[{_DOTS}]", match.group(0))
        if _is_tld(labels[-1]) and all(labels):
            return match.group(0)
    return ""


def unlinked(name: str) -> str:
    """``name`` as mails write it: unchanged when it holds no link (:func:`link_in`), else
    with its links broken the way security notices write them — ``http[:]//evil[.]example``
    — so that no mail client can make a link of a reader's name."""
    if not link_in(name):
        return name
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"(?i)([a-z][a-z0-9+.-]*):(//)", r"\1[:]\2", text)
    text = re.sub(r"(?i)\bmailto:", "mailto[:]", text)
    return re.sub(rf"(?<=[\w-])[{_DOTS}](?=[\w-])", "[.]", text)
