"""Every interface string of the Persian edition is Persian: the reader pages reachable from
/fa/ (front, sections, stories with their comments, archives, authors, tags, guestbook,
letters, corrections, search…) are crawled and their visible text and labels checked

* against the English msgids of the Persian catalogue (broadsheet/locale/fa/…/django.po): none
  may appear, so a string that is in the catalogue but not passed through gettext is caught;
* for any Latin word outside names and other languages' runs (``<bdi>``, ``lang="en"``): a
  string never added to the catalogue is caught too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from lxml import html

from broadsheet.content.newsroom.models import StoryAuthor
from tests.content.factories import AuthorFactory

from .factories import PersianStoryFactory

pytestmark = pytest.mark.django_db

PO = Path(settings.PACKAGE_DIR) / "locale" / "fa" / "LC_MESSAGES" / "django.po"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Latin words of the fixtures' content (a headline's name, a search query), not interface
CONTENT = {"Emmanuel", "Macron", "zzz"}
LABELS = ("aria-label", "title", "placeholder", "alt")
MAX_PAGES = 400


def msgids() -> list[str]:
    """The English strings of the Persian catalogue (singular and plural forms)."""
    found = []
    for m in re.finditer(r'^msgid(?:_plural)? "(.*)"$', PO.read_text(), re.M):
        text = m.group(1).encode().decode("unicode_escape").encode("latin-1").decode()
        if re.search("[A-Za-z]", text):
            found.append(text)
    return found


def _pattern(msgid: str) -> re.Pattern[str]:
    """A msgid as it would appear rendered: placeholders match anything."""
    parts = re.split(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}", msgid)
    body = ".+?".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")


def visible(doc) -> tuple[str, list[str]]:
    """The page's text readers see or hear (labels included), without names and other
    languages' runs; and the Latin words left in it."""
    for el in doc.xpath("//script|//style|//bdi|//*[@lang and not(starts-with(@lang, 'fa'))]"):
        if el.getparent() is not None and el.tag != "html":
            el.drop_tree()
    body = doc.find("body")
    parts = [body.text_content(), doc.findtext(".//title") or ""]
    for attr in LABELS:
        parts += body.xpath(f".//@{attr}")
    parts += body.xpath(".//input[@type='submit' or @type='button']/@value")
    text = " ".join(" ".join(parts).split())
    return text, [w for w in LATIN_WORD.findall(text) if w not in CONTENT]


@pytest.fixture
def persian_newsroom(editions_):
    """The editions' newsroom with a Persian author named the Persian way on a Persian story
    with comments open, and a correction."""
    from wagtail.models import Site

    from broadsheet.content.newsroom.models import AuthorName, EditionSettings

    site = Site.objects.get(is_default_site=True)
    EditionSettings.objects.create(site=site, language="fa", site_name="خبرگزاری آزمایشی")
    author = AuthorFactory(name="Maryam Sadeghi", slug="maryam-sadeghi", bio="خبرنگار پاریس.")
    AuthorName.objects.create(author=author, language="fa", name="مریم صادقی")
    story = PersianStoryFactory(
        parent=editions_["may"].get_parent(),
        title="خبری با دیدگاه",
        slug="ba-didgah",
        comments="open",
        tags=["پاریس"],
    )
    StoryAuthor.objects.create(story=story, author=author)
    return editions_


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every /fa/ page reachable from ``start`` (links ending in "/", no query string)."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            seen[path] = ""
            continue
        seen[path] = response.content.decode()
        for href in html.fromstring(seen[path]).xpath("//a/@href"):
            if href.startswith("/fa/") and href.endswith("/") and href not in seen:
                queue.append(href)
    return {p: body for p, body in seen.items() if body}


def test_the_persian_pages_carry_no_english_interface_string(client, persian_newsroom):
    pages = crawl(
        client,
        ["/fa/", "/fa/search/", "/fa/guestbook/", "/fa/letters/", "/fa/contact/"],
    )
    pages["/fa/search/?q=خبر"] = client.get("/fa/search/", {"q": "خبر"}).content.decode()
    pages["/fa/search/?q=zeppelin"] = client.get("/fa/search/", {"q": "zzz"}).content.decode()
    expected = {"/fa/", "/fa/iran/ba-didgah/", "/fa/archives/", "/fa/authors/", "/fa/tags/"}
    assert expected <= set(pages), sorted(pages)
    patterns = [(m, _pattern(m)) for m in msgids()]
    assert len(patterns) > 50
    problems = []
    for path, body in sorted(pages.items()):
        text, latin = visible(html.fromstring(body))
        english = [m for m, p in patterns if p.search(text)]
        if english or latin:
            problems.append((path, english, sorted(set(latin))))
    assert not problems, "\n".join(f"{p}: {e} {w}" for p, e, w in problems)


def test_the_check_finds_an_english_string(client, persian_newsroom):
    """The check above is not blind: the English edition's pages fail it."""
    text, latin = visible(html.fromstring(client.get("/").content.decode()))
    assert latin
    assert any(_pattern(m).search(text) for m in msgids())
