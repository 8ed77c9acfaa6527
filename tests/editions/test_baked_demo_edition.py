"""The demo newsroom, baked, read back as files: every page of its Persian edition is Persian
and right to left, its visible text names no Gregorian month, and no machine-readable value
(href, src, srcset, datetime, meta content, JSON-LD URLs and dates, feed dates and links,
sitemap values, file names) carries a Persian or Arabic-Indic digit. The feeds of both
editions parse cleanly (feedparser, bozo 0) and every sitemap of both editions validates
against the sitemaps.org / Google News XSDs of ../shared/fixtures/schemas.

The demo is set up and baked once (one test, the checks below in turn: setting the demo up
is the slow part).
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import feedparser
import pytest
from django.core.management import call_command
from lxml import etree, html

PERSIAN_DIGIT = re.compile("[۰-۹٠-٩]")
GREGORIAN_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
    # the Gregorian months as Persian writes them
    # (not inside a longer word; a mark or joiner may follow: "ژانویهٔ")
    r"|(?<![\u0621-\u063a\u0641-\u064a\u0671-\u06d3])(?:ژانویه|فوریه|مارس|آوریل|مه|ژوئن|"
    r"ژوئیه|اوت|آگوست|سپتامبر|اکتبر|نوامبر|دسامبر)(?![\u0621-\u063a\u0641-\u064a\u0671-\u06d3])"
)
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: <meta> whose content is for machines (a URL, a time, a locale), not words for readers
MACHINE_META = re.compile(r"url|time|image|locale|date|refresh|language", re.I)
#: feed and sitemap elements that hold URLs, dates and codes (the others are words for readers)
MACHINE_ELEMENTS = {
    "loc",
    "lastmod",
    "link",
    "guid",
    "id",
    "pubDate",
    "lastBuildDate",
    "updated",
    "published",
    "publication_date",
    "language",
    "docs",
    "url",
    "uri",
}
#: The XHTML ``link`` element that carries a sitemap URL's language alternates (Google's
#: hreflang-in-sitemaps form): sitemap.xsd accepts other namespaces' elements strictly, so the
#: validator needs its declaration.
XHTML_LINK_XSD = """<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.w3.org/1999/xhtml" elementFormDefault="qualified">
  <xsd:element name="link"><xsd:complexType>
    <xsd:attribute name="rel" use="required"><xsd:simpleType>
      <xsd:restriction base="xsd:string"><xsd:enumeration value="alternate"/></xsd:restriction>
    </xsd:simpleType></xsd:attribute>
    <xsd:attribute name="hreflang" type="xsd:language" use="required"/>
    <xsd:attribute name="href" type="xsd:anyURI" use="required"/>
  </xsd:complexType></xsd:element>
</xsd:schema>"""


@pytest.fixture
def baked(settings, tmp_path) -> Path:
    """The folder the demo newsroom was baked into."""
    settings.VAR_DIR = tmp_path
    settings.BROADSHEET_BAKE_DIR = tmp_path / "site"
    call_command("demo", "--no-serve", stdout=StringIO())
    assert (tmp_path / "site" / "fa" / "index.html").is_file()
    return tmp_path / "site"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, etree.XMLSchema]:
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "schemas"
    if not shared.is_dir():
        pytest.skip(f"../shared is absent (looked for {shared}); sitemap XSDs not checked")
    tmp = tmp_path_factory.mktemp("xsd")
    (tmp / "xhtml-link.xsd").write_text(XHTML_LINK_XSD)
    imports = {
        "http://www.sitemaps.org/schemas/sitemap/0.9": shared / "sitemap.xsd",
        "http://www.google.com/schemas/sitemap-news/0.9": shared / "sitemap-news.xsd",
        "http://www.w3.org/1999/xhtml": tmp / "xhtml-link.xsd",
    }
    (tmp / "all.xsd").write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        + "".join(
            f'<xsd:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
            for ns, path in imports.items()
        )
        + "</xsd:schema>"
    )
    return {
        "urlset": etree.XMLSchema(etree.parse(str(tmp / "all.xsd"))),
        "sitemapindex": etree.XMLSchema(etree.parse(str(shared / "siteindex.xsd"))),
    }


def pages(site: Path, prefix: str) -> dict[str, Path]:
    """The baked files under ``prefix`` (``fa``), by URL path; the static search bundle left out."""
    folder = site / prefix
    return {
        "/" + str(p.relative_to(site)): p
        for p in folder.rglob("*")
        if p.is_file() and "pagefind" not in p.parts
    }


def visible_text(doc) -> str:
    """What a reader sees or hears, without scripts and other languages' runs (``lang``)."""
    for el in doc.xpath("//script|//style|//*[@lang and not(starts-with(@lang, 'fa'))]"):
        if el.tag != "html" and el.getparent() is not None:
            el.drop_tree()
    body = doc.find("body")
    parts = [body.text_content(), doc.findtext(".//title") or ""]
    for attr in ("aria-label", "title", "placeholder", "alt"):
        parts += body.xpath(f".//@{attr}")
    return " ".join(" ".join(parts).split())


def machine_values(ld) -> list[str]:
    """The URL and date values of a JSON-LD document (any depth)."""
    found = []
    if isinstance(ld, dict):
        for key, value in ld.items():
            if isinstance(value, str) and (
                key in ("@id", "url", "sameAs", "item", "contentUrl", "inLanguage")
                or key in ("dateCreated", "datePublished", "dateModified")
                or value.startswith(("http://", "https://", "/"))
            ):
                found.append(value)
            else:
                found += machine_values(value)
    elif isinstance(ld, list):
        for value in ld:
            found += machine_values(value)
    return found


def check_every_persian_page_is_persian_and_its_machine_values_ascii(baked):
    files = pages(baked, "fa")
    html_pages = {p: f for p, f in files.items() if f.suffix == ".html"}
    assert len(html_pages) > 20, sorted(files)
    assert {"/fa/index.html", "/fa/archives/index.html", "/fa/search/index.html"} <= set(files)
    problems: list[tuple[str, str]] = []
    for path, file in sorted(files.items()):
        if PERSIAN_DIGIT.search(path):
            problems.append((path, "file name"))
        if file.suffix != ".html":
            continue
        doc = html.fromstring(file.read_bytes())
        root = doc.getroottree().getroot()
        if (root.get("lang"), root.get("dir")) != ("fa", "rtl"):
            problems.append((path, f"html lang={root.get('lang')} dir={root.get('dir')}"))
        values = doc.xpath("//@href|//@src|//@srcset|//@datetime|//@action")
        values += [
            meta.get("content", "")
            for meta in doc.xpath("//meta[@property or @name or @http-equiv]")
            if MACHINE_META.search(
                meta.get("property") or meta.get("name") or meta.get("http-equiv") or ""
            )
        ]
        for script in doc.xpath("//script[@type='application/ld+json']"):
            values += machine_values(json.loads(script.text))
        problems += [(path, v) for v in values if PERSIAN_DIGIT.search(v)]
        months = GREGORIAN_MONTHS.findall(visible_text(doc))
        problems += [(path, f"Gregorian month {m!r}") for m in months]
    assert not problems, "\n".join(f"{p}: {v}" for p, v in problems)


def check_persian_feeds_and_sitemaps_keep_ascii_digits(baked):
    files = pages(baked, "fa")
    xml = {p: f for p, f in files.items() if f.suffix == ".xml"}
    assert any("/feeds/" in p for p in xml) and "/fa/sitemap-news.xml" in xml
    problems = []
    for path, file in xml.items():
        tree = etree.parse(str(file))
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if name in MACHINE_ELEMENTS and el.text and PERSIAN_DIGIT.search(el.text):
                problems.append((path, name, el.text))
            problems += [
                (path, f"@{k}", v) for k, v in el.attrib.items() if PERSIAN_DIGIT.search(v)
            ]
    assert not problems, problems


def check_the_feeds_of_both_editions_parse_cleanly(baked):
    feeds = [f for f in baked.rglob("*.xml") if f.name in ("rss.xml", "atom.xml")]
    persian = [f for f in feeds if f.relative_to(baked).parts[0] == "fa"]
    assert persian and len(feeds) > len(persian)
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        if feed.parent.name == "feeds":  # the edition's own feeds (an author's may be empty)
            assert parsed.entries, feed
        language = "fa" if feed in persian else "en"
        if feed.name == "rss.xml":
            assert parsed.feed.language == language, feed


def check_every_sitemap_of_both_editions_validates(baked, schemas):
    sitemaps = [
        f
        for f in baked.rglob("*.xml")
        if f.name.startswith("sitemap") or f.parent.name == "sitemaps"
    ]
    persian = {f for f in sitemaps if f.relative_to(baked).parts[0] == "fa"}
    names = {str(f.relative_to(baked)) for f in persian}
    assert {"fa/sitemap.xml", "fa/sitemap-news.xml"} <= names
    assert any(n.startswith("fa/sitemaps/stories-") for n in names), names
    errors = []
    for file in sitemaps:
        tree = etree.parse(str(file))
        kind = etree.QName(tree.getroot()).localname
        if not schemas[kind].validate(tree):
            errors.append((str(file.relative_to(baked)), str(schemas[kind].error_log)))
    assert not errors, errors
    # the index of each edition lists its own files, which all exist
    for prefix in ("", "fa/"):
        index = etree.parse(str(baked / prefix / "sitemap.xml"))
        for loc in index.iter(f"{SM}loc"):
            path = loc.text.split("://", 1)[1].split("/", 1)[1]
            assert path.startswith(prefix) and (baked / path).is_file(), loc.text
            assert prefix or not path.startswith("fa/"), loc.text


@pytest.mark.django_db
def test_the_baked_demo_editions(baked, schemas):
    check_every_persian_page_is_persian_and_its_machine_values_ascii(baked)
    check_persian_feeds_and_sitemaps_keep_ascii_digits(baked)
    check_the_feeds_of_both_editions_parse_cleanly(baked)
    check_every_sitemap_of_both_editions_validates(baked, schemas)
