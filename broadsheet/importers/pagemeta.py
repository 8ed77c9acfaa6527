"""What an archived page says about itself: structured data first, then the page's own shape.

Sources, in order of trust: schema.org JSON-LD (``NewsArticle``, ``Article``, ``BlogPosting``…,
also inside ``@graph``), microdata, Open Graph and ``article:*`` properties, ``<meta
name="author">``; then what trafilatura and htmldate find. Rules of our own (no library does
them, they are the news trade's): the site's name is taken out of titles (" | Site",
" - Site", "Site: "), known from ``og:site_name``, the JSON-LD publisher, the host name, or the
part of ``<title>`` that the page's ``<h1>`` does not have; an ``<h1>`` that is the site's
name or a logo is never the headline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.utils import timezone

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "webpage",
}
NAV_LEVELS = 3  # how far up from an <h1> a navigation container is looked for
SITE_NAME_WORDS = 5  # a longer part of a <title> is not taken for the site's name
SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|•|/)\s+")


def squash(text: Any) -> str:
    """Whitespace runs as one space, trimmed; non-strings as ``""``."""
    return re.sub(r"\s+", " ", text).strip() if isinstance(text, str) else ""


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def parse_date(value: Any) -> dt.datetime | None:
    """An ISO 8601 date or date-time (``Z`` accepted) as an aware datetime, else ``None``.
    A bare date is noon in the newsroom's time zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)", text)
        if not m:
            return None
        parsed = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


@dataclass
class PageMeta:
    """The facts a page declares (empty when it declares none)."""

    headline: str = ""
    og_title: str = ""
    html_title: str = ""
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | None = None
    site_names: list[str] = field(default_factory=list)
    mastheads: list[str] = field(default_factory=list)  # texts of links to the front page
    url: str = ""
    description: str = ""


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type") or ""
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).casefold() for k in kinds}


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, ``@graph`` members and nested values included."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        cur = stack.pop(0)
        if isinstance(cur, dict):
            found.append(cur)
            stack.extend(v for v in cur.values() if isinstance(v, dict | list))
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def _person_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        if isinstance(v, str):
            names.append(squash(v))
        elif isinstance(v, dict) and "organization" not in _types(v):
            names.append(squash(v.get("name")))
    return [n for n in names if n and not re.match(r"^https?://", n)]


def read_meta(tree: Any, url: str = "") -> PageMeta:
    """The :class:`PageMeta` of a parsed page (an lxml tree)."""
    meta = PageMeta()
    article: dict[str, Any] | None = None
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, TypeError):
            continue
        for obj in _objects(data):
            kinds = _types(obj)
            is_org = "organization" in kinds or "newsmediaorganization" in kinds
            if is_org and squash(obj.get("name")):
                meta.site_names.append(squash(obj.get("name")))
            candidate = kinds & ARTICLE_TYPES and (obj.get("headline") or obj.get("datePublished"))
            better = article is None or ("webpage" in _types(article) and "webpage" not in kinds)
            if candidate and better:
                article = obj
    if article is not None:
        meta.headline = squash(article.get("headline"))
        meta.authors = _person_names(article.get("author"))
        meta.published = parse_date(article.get("datePublished"))
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and squash(publisher.get("name")):
            meta.site_names.insert(0, squash(publisher.get("name")))
        meta.url = squash(article.get("url")) if isinstance(article.get("url"), str) else ""
        meta.description = squash(article.get("description"))

    def content(xpath: str) -> str:
        for value in tree.xpath(xpath):
            if squash(value):
                return squash(value)
        return ""

    meta.og_title = content('//meta[@property="og:title" or @name="og:title"]/@content')
    for name in (
        content('//meta[@property="og:site_name" or @name="og:site_name"]/@content'),
        content('//meta[@name="application-name"]/@content'),
    ):
        if name:
            meta.site_names.append(name)
    titles = tree.xpath("//title")
    meta.html_title = squash(titles[0].text_content()) if titles else ""
    if meta.published is None:
        meta.published = parse_date(
            content(
                '//meta[@property="article:published_time" or @name="article:published_time"'
                ' or @property="og:article:published_time" or @itemprop="datePublished"'
                ' or @name="pubdate" or @name="publishdate" or @name="dc.date.issued"]/@content'
            )
            or content('//*[@itemprop="datePublished"]/@datetime')
        )
    if not meta.authors:
        author = content('//meta[@name="author" or @property="article:author"]/@content')
        if author and not re.match(r"^https?://", author):
            meta.authors = [author]
    meta.url = meta.url or content(
        '//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content'
    )
    # The masthead: what links to the front page ("<a href="/">Kestrel Post</a>").
    for a in tree.xpath("//a[@href]")[:200]:
        href = (a.get("href") or "").strip()
        if re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", href):
            text = squash(a.text_content())
            if text and len(text.split()) <= 6 and text.casefold() not in ("home", "start"):
                meta.mastheads.append(text)
    host = urlparse(meta.url or url).hostname or ""
    if host:
        label = host.removeprefix("www.").split(".")[0]
        meta.site_names.append(label)
    meta.site_names = [n for n in dict.fromkeys(meta.site_names) if n]
    meta.authors = [
        a for a in dict.fromkeys(clean_author(a, meta.site_names) for a in meta.authors) if a
    ]
    return meta


PLACEHOLDER_AUTHORS = {
    "admin",
    "administrator",
    "author",
    "autor",
    "auteur",
    "date",
    "datum",
    "name",
    "publisher",
    "user",
    "webmaster",
}
# A URL, an e-mail address or a bare host name is not a person: "http://…", "www.…",
# "example.com/about", "jane@example.org", "news.example.co.uk", and the dotless host names
# (lower-case words joined by hyphens, "localhost", with or without a port): "example-news".
NOT_A_PERSON = re.compile(
    r"://|^www\.|\w\.\w{2,}/|@"
    r"|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?/?$"
    r"|^(?:[a-z0-9]+(?:-[a-z0-9]+)+|localhost)(?::\d+)?/?$"
)
BYLINE_PREFIX = re.compile(
    r"^(?:(?:written |posted |published )?by|par|von|por|door|di|av|af|"
    r"(?:geschrieben|verfasst|erstellt) von|(?:publicado|escrito) por|(?:publié|écrit) par|"
    r"autor(?:in)?|author|auteur|autore|verfasser(?:in)?)\s*:?\s+",
    re.I,
)


def clean_author(name: str, site_names: list[str] = ()) -> str:
    """A byline name, or ``""`` when it is not a person's name: without "By"/"Par"/"Von"…
    or a label ("Autor:", "Author:", "Written by", "Publicado por"…) in front; not a URL or
    domain, a template placeholder ("Name", "Author", "admin"), the site's name, or a
    sentence (more than six words)."""
    name = BYLINE_PREFIX.sub("", squash(name)).strip(" ,;|-")
    if not name or NOT_A_PERSON.search(name):
        return ""
    if name.casefold() in PLACEHOLDER_AUTHORS or len(name.split()) > 6:
        return ""
    if is_site_name(name, list(site_names)):
        return ""
    return name


def is_site_name(text: str, site_names: list[str]) -> bool:
    """``text`` is one of the site's names (ignoring case, spaces and punctuation; a name
    with its domain ending, "Example.com", counts)."""
    key = _key(re.sub(r"\.(?:com|org|net|co\.\w+|\w\w)$", "", text.strip(), flags=re.I))
    return bool(key) and any(key == _key(n) or _key(text) == _key(n) for n in site_names if _key(n))


def strip_site_name(title: str, site_names: list[str], h1s: list[str] = ()) -> str:
    """``title`` without the site's name: a part before or after a separator (" | ", " - ",
    " – ", " — ", " · ", " :: ", " » ") or before a colon that is a site name, or that no
    ``<h1>`` of the page contains while the rest is one. The title unchanged when unsure."""
    title = squash(title)
    if not title:
        return ""
    parts = SEPARATORS.split(title)
    if len(parts) > 1:
        kept = [p for p in parts if not is_site_name(p, site_names)]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
        # The part that an <h1> shows is the headline; the rest is the site's name.
        for p in (parts[0], parts[-1]):
            if len(p.split()) >= 3 and any(_key(p) and _key(p) == _key(h) for h in h1s):
                return p
        # "Headline | Section | Site": the last part is short and repeats on every page.
        if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 4 and len(parts) >= 2:
            last_is_name = any(
                _key(parts[-1]) in _key(n) or _key(n) in _key(parts[-1])
                for n in site_names
                if _key(n)
            )
            if last_is_name:
                return " - ".join(parts[:-1])
    m = re.match(r"^([^:]{2,40}):\s+(.+)$", title)
    if m and is_site_name(m.group(1), site_names):
        return m.group(2).strip()
    return title


def title_part(title: str, other: str) -> str:
    """``other`` when it is one part of ``title`` between separators and has two words or
    more ("Gregory's Home | A Headline", "A Headline" → "A Headline"): the other parts are
    the site's name. ``title`` otherwise."""
    parts = SEPARATORS.split(title)
    other = squash(other)
    if len(parts) > 1 and len(other.split()) >= 2 and any(_key(p) == _key(other) for p in parts):
        return other
    return title


def words(text: str) -> set[str]:
    """The set of words of ``text``, case folded."""
    return set(re.findall(r"\w+", text.casefold()))


def overlap(a: str, b: str) -> float:
    """The words two texts share, as a share of the longer one's words (0.0–1.0)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / max(len(wa), len(wb))


def is_logo_h1(h1: Any, text: str, site_names: list[str]) -> bool:
    """An ``<h1>`` that is the site's masthead or navigation: its text is a site name, it is
    in a ``<nav>`` or in an element whose class or id starts with "nav", "menu" or "skip"
    (also after "-"/"_"; itself or up to three levels up), or it holds an image or a link
    to the front page and only a few words."""
    if not text:
        return True
    if is_site_name(text, site_names):
        return True
    # A "skip to navigation" heading: in a <nav>, or in an element whose class or id starts
    # with nav / menu / skip — itself or up to NAV_LEVELS elements up (not <body>, whose
    # classes often say "nav-open" on every page).
    for el in (h1, *list(h1.iterancestors("*"))[:NAV_LEVELS]):
        if el.tag in ("body", "html"):
            break
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag == "nav" or re.search(r"(?:^|\s|[-_])(?:nav|menu|skip)", marks, re.I):
            return True
    short = len(text.split()) <= 3
    if short and h1.xpath(".//img | .//svg"):
        return True
    hrefs = [a.get("href") or "" for a in h1.xpath(".//a | ancestor::a")]
    home = any(re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", h) for h in hrefs)
    return home and len(text.split()) <= 8


def choose_headline(meta: PageMeta, h1s: list[tuple[Any, str]], fallback: str) -> str:
    """The headline. The metadata titles (JSON-LD ``headline``, ``og:title``, ``<title>``,
    ``fallback``) lose the site's name; the first ``<h1>`` that is not the masthead is the
    headline when it agrees with one of them (half its words or more) — unless one of them
    is the ``<h1>`` without a kicker in front ("Topic : Headline"), then that one. The
    ``<h1>`` too loses the site's name. With no such ``<h1>``, the first metadata title."""
    texts = [t for _, t in h1s]
    parts = SEPARATORS.split(meta.html_title) if meta.html_title else []
    names = [*meta.site_names, *meta.mastheads]
    if (
        len(parts) > 1
        and len(parts[0].split()) >= 3
        and len(parts[-1].split()) <= SITE_NAME_WORDS
        and any(_key(parts[-1]) == _key(t) for t in texts)
    ):
        names.append(parts[-1])  # "Headline | Site" where an <h1> is "Site": the masthead
    titles = [
        strip_site_name(t, names, texts)
        for t in (meta.headline, meta.og_title, meta.html_title, fallback)
        if t and not is_site_name(t, names)
    ]
    titles = [t for t in dict.fromkeys(titles) if t]
    titles = [title_part(t, fallback) for t in titles]
    for el, text in h1s:
        if is_logo_h1(el, text, names):
            continue
        text = strip_site_name(text, names)  # a hidden <h1> may repeat the whole <title>
        if not titles:
            return text
        for title in titles:
            if _key(title) == _key(text):
                return text
        for title in titles:
            if len(words(title)) >= 3 and _key(title) and _key(text).endswith(_key(title)):
                return title  # the <h1> adds a kicker in front
        if any(overlap(text, title) >= 0.5 for title in titles):
            return text
        break
    return titles[0] if titles else ""
