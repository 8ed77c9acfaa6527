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

from .names import (
    byline_names,
    clean_author,
    is_organisation,
    is_site_name,
    names_the_site,
    squash,
)

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
    # the site's names and its owner's and publisher's: never a byline
    publisher_names: list[str] = field(default_factory=list)
    # JSON-LD authors only referenced by ``@id`` (the CMS account that posted the story)
    account_authors: list[str] = field(default_factory=list)
    # declared authors refused as the site's or an organisation's name
    refused_authors: list[str] = field(default_factory=list)
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


def _person_names(value: Any, ids: dict[str, dict[str, Any]]) -> list[tuple[str, bool, bool]]:
    """``(name, declared a Person, only referenced)`` for each author of a JSON-LD
    ``author`` value: a string, an object or a list of them; an object that only points at
    another one (``{"@id": …}``, as Yoast's ``@graph`` does for the CMS account that posted
    the story) is read from that one. Organisations and URLs are left out."""
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        if isinstance(v, str):
            names.append((squash(v), False, False))
        elif isinstance(v, dict):
            referenced = not squash(v.get("name")) and isinstance(v.get("@id"), str)
            if referenced:
                v = ids.get(v["@id"], v)
            kinds = _types(v)
            if kinds & {"organization", "newsmediaorganization"} and "person" not in kinds:
                continue
            names.append((squash(v.get("name")), "person" in kinds, referenced))
    return [(n, p, r) for n, p, r in names if n and not re.match(r"^https?://", n)]


BLOG_HOSTS = re.compile(
    r"\.(?:wordpress\.com|blogspot\.\w+(?:\.\w+)?|tumblr\.com|substack\.com|medium\.com|"
    r"livejournal\.com|typepad\.com|over-blog\.\w+|wixsite\.com|jimdo\w*\.com|"
    r"blogger\.com|hatenablog\.com|ghost\.io|github\.io|bearblog\.dev)$",
    re.I,
)


def _microdata_author(tree: Any) -> tuple[list[str], list[str]]:
    """The first ``itemprop="author"`` of the page that is not a reader's comment's:
    ``(names, organisations)`` — its ``itemprop="name"`` (or its text, a byline perhaps:
    "By Jane Doe, John Roe"), in the organisations when its ``itemtype`` is one."""
    for el in tree.xpath('//body//*[@itemprop="author"]'):
        around = " ".join(
            f"{a.get('itemtype') or ''} {a.get('class') or ''} {a.get('id') or ''}"
            for a in el.iterancestors()
        )
        if re.search(r"comment", around, re.I):
            continue
        names = el.xpath('.//*[@itemprop="name"]')
        text = (
            squash(names[0].get("content") or names[0].text_content())
            if names
            else squash(el.get("content") or el.text_content())
        )
        if not text:
            continue
        if "organization" in (el.get("itemtype") or "").casefold():
            return [], [text]
        return byline_names("By " + re.sub(r"^(?i:by|von|par|por)\s+", "", text)) or [text], []
    return [], []


def read_meta(tree: Any, url: str = "") -> PageMeta:
    """The :class:`PageMeta` of a parsed page (an lxml tree)."""
    meta = PageMeta()
    article: dict[str, Any] | None = None
    ids: dict[str, dict[str, Any]] = {}
    organisations: list[str] = []  # the JSON-LD's organisations (not also a Person)
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, TypeError):
            continue
        for obj in _objects(data):
            kinds = _types(obj)
            if isinstance(obj.get("@id"), str) and len(obj) > 2:
                ids.setdefault(obj["@id"], obj)
            is_org = "organization" in kinds or "newsmediaorganization" in kinds
            if is_org and squash(obj.get("name")):
                meta.site_names.append(squash(obj.get("name")))
                if "person" not in kinds:
                    organisations.append(squash(obj.get("name")))
            candidate = kinds & ARTICLE_TYPES and (obj.get("headline") or obj.get("datePublished"))
            better = article is None or ("webpage" in _types(article) and "webpage" not in kinds)
            if candidate and better:
                article = obj
    persons: set[str] = set()  # names the page declares a schema.org Person's
    referenced: list[str] = []
    if article is not None:
        meta.headline = squash(article.get("headline"))
        declared = _person_names(article.get("author"), ids)
        meta.authors = [n for n, _, ref in declared if not ref]
        referenced = [n for n, _, ref in declared if ref]
        persons.update(n for n, person, _ in declared if person)
        meta.published = parse_date(article.get("datePublished"))
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("@id"), str):
            publisher = ids.get(publisher["@id"], publisher)
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
    # The site's names are never its byline: also the parts of its og:site_name
    # ("Infoportal - Example"), an author marked as an organisation, its host name. (Not
    # the copyright holder or the declared publisher: on a writer's own site that is the
    # writer.)
    owners: list[str] = []
    for name in list(meta.site_names):
        owners.extend(SEPARATORS.split(name))
    microdata, marked = _microdata_author(tree)
    owners.extend(marked)
    if not meta.authors:
        meta.authors = microdata
    if not meta.authors:
        meta.authors = [
            a
            for a in dict.fromkeys(
                squash(v)
                for v in tree.xpath('//meta[@name="author" or @property="article:author"]/@content')
            )
            if a and not re.match(r"^https?://", a)
        ]
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
    host = (urlparse(meta.url or url).hostname or "").removeprefix("www.")
    if host:
        label = host.split(".")[0]
        meta.site_names.append(label)
        owners.append(host)
    meta.site_names = [n for n in dict.fromkeys(meta.site_names) if n]
    # On a blog host (jane.wordpress.com) the first label is the blogger's, not a site's.
    blogger = host.split(".")[0] if BLOG_HOSTS.search(host) else ""
    meta.publisher_names = [
        n for n in dict.fromkeys([*meta.site_names, *owners]) if n and n != blogger
    ]

    def cleaned(names: list[str]) -> list[str]:
        # A writer's own site bears their name: a Person's name is refused as the site's
        # only when an organisation of the page has it.
        return [
            a
            for a in dict.fromkeys(
                clean_author(a, organisations if a in persons else meta.publisher_names)
                for a in names
            )
            if a
        ]

    kept = cleaned(meta.authors)
    meta.refused_authors = [
        a
        for a in meta.authors
        if a not in persons
        and (
            is_organisation(a)
            or is_site_name(a, meta.publisher_names)
            or names_the_site(a, meta.publisher_names)
        )
    ]
    meta.authors = kept
    meta.account_authors = cleaned(referenced)
    return meta


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
