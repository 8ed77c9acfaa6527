"""Author names in archived pages: which text is a person's byline, and which is the site's,
an organisation's, a role or a wire agency.

Our own rules (the news trade's; no maintained library does them — trafilatura's author
search reads the markup but keeps "Staff Writer", "dpa" and "Example GmbH" as names):

* :func:`clean_author`: "By"/"Von"/"Par"… and labels ("Autor:", "Written by") taken off;
  not a URL, a placeholder ("admin", "Anonymous", "anónimo"), the site's name
  (:func:`is_site_name`; also the site's name with a department around it: "Sekretariat
  <Site>", "<Site> /PP"), an organisation by its legal form ("Example GmbH", "Acme Inc.",
  "Verein e.V."), or a sentence.
* :func:`byline_names`: the names of a text that is only a byline — "By Jane Doe", "By Jane
  Doe and John Roe", "Von Max Muster, dpa", "By Jane Doe, Staff Writer", "Text von Anna
  Beispiel, Illustration von Max Muster", "به قلم مریم احمدی"; a role after a name is not a
  name, a wire agency after a person's name is the agency's credit, not a co-author.
* :func:`split_names`: "A, B and C" → three names, roles and trailing agencies dropped.
"""

from __future__ import annotations

import re
from typing import Any

from .dates import find_day

PLACEHOLDER_AUTHORS = {
    "admin",
    "administrator",
    "anonym",
    "anonyme",
    "anonymous",
    "anonymus",
    "anónimo",
    "anonimo",
    "anoniem",
    "author",
    "autor",
    "auteur",
    "date",
    "datum",
    "guest",
    "inconnu",
    "name",
    "publisher",
    "unbekannt",
    "unknown",
    "user",
    "webmaster",
}
BYLINE_PREFIX = re.compile(
    r"^(?:(?:written |posted |published )?by|par|von|por|door|di|av|af|"
    r"(?:geschrieben|verfasst|erstellt) von|(?:publicado|escrito) por|(?:publié|écrit) par|"
    r"(?:ein |eine )?(?:beitrag|artikel|interview|text) von|"
    r"autor(?:in)?(?:/in)?|author|auteur|autore|verfasser(?:in)?|автор|текст|"
    r"به قلم|نوشته|نویسنده|بقلم|كتبه?)\s*:?\s+",
    re.I,
)
# A company or association by its legal form: "Example GmbH", "Acme Inc.", "Verein e.V.".
LEGAL_FORM = re.compile(
    r"\s(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|AG|eG|e\.\s?V\.?|SE|KG|KGaA|OHG|Ltd\.?|Inc\.?|"
    r"LLC|LLP|plc|Corp\.?|S\.A\.|SARL|S\.r\.l\.|B\.V\.|N\.V\.)$",
    re.I,
)
# A role after a name: "By Jane Doe, Staff Writer", "Von Max Muster, Redakteur".
ROLE = re.compile(
    r"^(?:(?:senior|chief|staff|special|contributing|political|business|foreign|sports?|"
    r"science|health|deputy|managing|associate|freelance|guest|news|our)\s+)*"
    r"(?:staff|writer|reporter|correspondent|editor|contributor|columnist|journalist(?:in)?|"
    r"photographer|redakteur(?:in)?|korrespondent(?:in)?|chefredakteur(?:in)?|fotograf(?:in)?|"
    r"redaktion|rédaction|rédact(?:eur|rice)|correspondant(?:e)?|redactor(?:a)?|corresponsal)$",
    re.I,
)
# Wire agencies: their credit after a person's name is not a co-author.
AGENCIES = {
    "aap",
    "afp",
    "afx",
    "agence france-presse",
    "agencia efe",
    "anp",
    "ansa",
    "ap",
    "apa",
    "associated press",
    "belga",
    "dpa",
    "dpa-afx",
    "efe",
    "epd",
    "europa press",
    "ips",
    "irna",
    "isna",
    "kna",
    "kyodo",
    "reuters",
    "sda",
    "tass",
    "upi",
    "xinhua",
    "yonhap",
}
# Letters of scripts without capitals (Arabic, Persian, Hebrew, CJK, Hangul): any word of
# them may be a name.
CASELESS = (
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u3040-\u30ff"
    r"\u4e00-\u9fff\uac00-\ud7af]"
)
CAPITAL = r"[A-ZÀ-ÞĀ-ŽА-ЯЁΑ-Ω]"
NAME_WORD = rf"(?:{CAPITAL}[\w'’.-]*|{CASELESS}[\w\u200c'’.-]*)"
PARTICLE = r"(?:van|von|de|da|del|der|den|di|du|la|le|v\.|bin|ibn|al-\w+)"
NAME = re.compile(
    rf"^(?:\d+\s+)?{NAME_WORD}(?:\s+(?:{NAME_WORD}|{PARTICLE})){{0,4}}$",
)
NAME_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+(?:and|und|et|y|e|en|&|و)\s+")
# Credits for other work that may follow the writer's: "Illustration von…", "Photos by…".
OTHER_CREDIT = re.compile(
    r"[\s,;]+(?:(?:photos?|fotos?|bilder?|illustrations?|grafiken?|graphics|images?|pictures?|"
    r"video|kamera|camera)(?:\s*(?:von|by|par|por|:))|mit\s+fotos)\b.*$",
    re.I,
)
KIND_OF_PIECE = (
    r"(?:(?:ein|eine|a|an|un|une)\s+)?(?:blog\s*)?(?:beitrag|artikel|bericht|kommentar|"
    r"gastbeitrag|interview|text|post|article|story|report|column|essay|review|rezension)"
)
BYLINE_START = re.compile(
    rf"^(?:[\d.:/\s,|·–-]*\s|(?i:{KIND_OF_PIECE})\s+)?"
    r"(?i:by|von|par|por|door|di|av|af|written by|geschrieben von|verfasst von|publicado por|"
    r"escrito por|publié par|text(?:\s+von)?:?|автор:?|به قلم|نوشته|نویسنده:?|بقلم:?|"
    r"(?:autor(?:in)?(?:/in)?|author|auteur|verfasser(?:in)?)\s?:)\s+"
    r"(?P<rest>\S.*)$"
)


def squash(text: Any) -> str:
    """Whitespace runs as one space, trimmed; non-strings as ``""``."""
    return re.sub(r"\s+", " ", text).strip() if isinstance(text, str) else ""


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def is_site_name(text: str, site_names: list[str]) -> bool:
    """``text`` is one of the site's names (ignoring case, spaces and punctuation; a name
    with its domain ending, "Example.com", or its legal form, "Example e.V.", counts; so do
    the same words in another order, "Fraktion Die Grünen" for "Die Grünen Fraktion")."""
    key = _key(re.sub(r"\.(?:com|org|net|co\.\w+|\w\w)$", "", text.strip(), flags=re.I))
    if not key:
        return False
    if any(key == _key(n) or _key(text) == _key(n) for n in site_names if _key(n)):
        return True
    bare = _key(LEGAL_FORM.sub("", " " + squash(text)))  # "Example" for "Example e.V."
    if bare and any(bare == _key(LEGAL_FORM.sub("", " " + squash(n))) for n in site_names):
        return True
    words = sorted(_words(text))
    return len(words) >= 2 and any(words == sorted(_words(n)) for n in site_names)


def names_the_site(text: str, site_names: list[str]) -> bool:
    """``text`` holds the whole of a site name of two words or more, with more around it:
    a department or account of the site ("Sekretariat Harbour Herald", "Harbour Herald
    /PP"), not a person."""
    words = _words(text)
    for name in site_names:
        site = _words(name)
        if len(site) < 2 or len(site) >= len(words):
            continue
        if any(words[i : i + len(site)] == site for i in range(len(words) - len(site) + 1)):
            return True
    return False


def is_organisation(name: str) -> bool:
    """``name`` ends with a company's or association's legal form ("GmbH", "e.V.", "Inc.")."""
    return bool(LEGAL_FORM.search(" " + squash(name)))


# A URL, an e-mail address or a bare host name is not a person: "http://…", "www.…",
# "example.com/about", "jane@example.org", "news.example.co.uk", and the dotless host names
# (lower-case words joined by hyphens, "localhost", with or without a port): "example-news".
NOT_A_PERSON = re.compile(
    r"://|^www\.|\w\.\w{2,}/|@"
    r"|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?/?$"
    r"|^(?:[a-z0-9]+(?:-[a-z0-9]+)+|localhost)(?::\d+)?/?$"
)


def clean_author(name: str, site_names: list[str] = ()) -> str:
    """A byline name, or ``""`` when it is not a person's name: without "By"/"Par"/"Von"…
    or a label ("Autor:", "Author:", "Written by", "Publicado por"…) in front; not a URL or
    domain, a template placeholder ("Name", "Author", "admin", "Anonymous"), initials or an
    abbreviation of three letters or fewer ("kj", "NDR"; a wire agency's, "AP", stays), the
    site's name or a department of it, an organisation by its legal form, or a sentence
    (more than six words)."""
    name = BYLINE_PREFIX.sub("", squash(name)).strip(" ,;|-")
    if len(_key(name)) < 2 or NOT_A_PERSON.search(name):
        return ""
    if name.casefold() in PLACEHOLDER_AUTHORS or len(name.split()) > 6:
        return ""
    if is_organisation(name):
        return ""
    short = re.fullmatch(r"[^\W\d_]{1,3}", name) and name.casefold() not in AGENCIES
    if short and (name.isupper() or name.islower()):
        return ""  # initials or an abbreviation ("kj", "PP", "NDR"), not a name
    if is_site_name(name, list(site_names)) or names_the_site(name, list(site_names)):
        return ""
    return name


def split_names(text: str) -> list[str]:
    """The names in a byline's text ("A, B and C", "A; B", "A & B"), a role after a name
    ("Staff Writer") left out, and a wire agency ("dpa", "Reuters") left out when a person
    is named beside it."""
    parts = [squash(p) for p in NAME_SEPARATOR.split(squash(text))]
    parts = [p for p in parts if p and not ROLE.match(p)]
    people = [p for p in parts if p.casefold() not in AGENCIES]
    return list(dict.fromkeys(people or parts))


def byline_names(text: str) -> list[str]:
    """The names of a text that is only a byline ("By Jane Doe and John Roe", "13:30 von
    Olga", "Ein Interview von Max Muster", "By Jane Doe, Staff Writer · 6 January 2020"),
    else ``[]``. What follows the names (a date, "· 6 January 2020", "Photos by …") is not
    part of them; every name must look like one (capitalised words, or words of a script
    without capitals), else the text is a sentence and names nobody."""
    m = BYLINE_START.match(squash(text))
    if not m:
        return []
    rest = OTHER_CREDIT.sub("", m.group("rest"))
    rest = re.split(r"\s+[|·•–—]\s+|\s+[|·•]\s*", rest)[0]
    hit = find_day(rest)
    if hit is not None:
        rest = rest[: hit[1]]
    rest = rest.strip(" ,;:-")
    parts = [squash(p) for p in NAME_SEPARATOR.split(rest)]
    if not rest or len(parts) > 5:
        return []
    for part in parts:
        if not (NAME.match(part) or ROLE.match(part) or part.casefold() in AGENCIES):
            return []
    return split_names(rest)
