"""What an edition has of its own besides pages: its masthead and site-wide notice
(EditionSettings), its tips, and its authors' names (AuthorName) — each falling back to the
default edition's when the edition sets none."""

from __future__ import annotations

import pytest
from lxml import html
from wagtail.models import Site

from broadsheet.content.newsroom.models import (
    AuthorName,
    EditionSettings,
    NewsroomSettings,
    StoryAuthor,
    Tip,
)
from broadsheet.site.changes import changes_for
from tests.content.factories import AuthorFactory

pytestmark = pytest.mark.django_db

SEED = "/iran/seed/"
FA_SEED = "/fa/iran/hambastegi/"


def _page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.fromstring(response.content.decode())


def _all(doc, cls: str, tail: str = "") -> list:
    """Elements of class ``cls`` (then the XPath ``tail``: ``//a``, ``/p``)."""
    return doc.xpath(f'//*[contains(concat(" ", @class, " "), " {cls} ")]{tail}')


def _text(doc, cls: str, tail: str = "") -> list[str]:
    return [" ".join(e.text_content().split()) for e in _all(doc, cls, tail)]


@pytest.fixture
def newsroom(editions_):
    site = Site.objects.get(is_default_site=True)
    settings = NewsroomSettings.for_site(site)
    settings.site_name = "Iran Press Service"
    settings.tagline = "News in exile"
    settings.notice_text = "This site is closed."
    settings.save()
    return site


def test_an_edition_shows_its_own_masthead_and_notice(client, newsroom):
    EditionSettings.objects.create(
        site=newsroom, language="fa", site_name="ایران پرس", notice_text="این سایت بسته است."
    )
    fa = _page(client, FA_SEED)
    assert _text(fa, "masthead-name") == ["ایران پرس"]
    assert _text(fa, "site-notice", "/p") == ["این سایت بسته است."]
    assert _text(fa, "masthead-tagline") == ["News in exile"]  # blank: the site's
    assert "ایران پرس" in fa.findtext(".//title")
    en = _page(client, SEED)
    assert _text(en, "masthead-name") == ["Iran Press Service"]
    assert _text(en, "site-notice", "/p") == ["This site is closed."]


def test_an_edition_without_settings_shows_the_sites(client, newsroom):
    fa = _page(client, "/fa/")
    assert _text(fa, "masthead-name") == ["Iran Press Service"]
    assert _text(fa, "site-notice", "/p") == ["This site is closed."]


def test_tips_per_edition_with_the_default_editions_as_fallback(client, newsroom):
    """An edition's tips (its tips page lists them all; a page's sidebar shows one): the
    default edition's while it has none of its own, their own paths taken to the edition."""
    Tip.objects.create(title="Browse the archive", text="By date.", link_url="/archives/")
    Tip.objects.create(title="Write to us", text="Letters.", link_url="https://example.org/x")
    english = ["Browse the archive", "Write to us"]
    fa = _page(client, "/fa/tips/")
    # no Persian tip yet: the default edition's, its own paths taken to the Persian edition
    assert _text(fa, "tips-list", "//h3") == english
    assert [a.get("href") for a in _all(fa, "tips-list", "//a")] == [
        "/fa/archives/",
        "https://example.org/x",
    ]
    assert [a.get("href") for a in _all(_page(client, "/tips/"), "tips-list", "//a")] == [
        "/archives/",
        "https://example.org/x",
    ]
    sidebar = _text(_page(client, "/fa/"), "sidebar", "//h2")
    assert len(sidebar) == 1 and sidebar[0] in english

    Tip.objects.create(
        title="مرور بایگانی", text="بر پایهٔ تاریخ.", link_url="/fa/archives/", language="fa"
    )
    fa = _page(client, "/fa/tips/")
    assert _text(fa, "tips-list", "//h3") == ["مرور بایگانی"]
    assert [a.get("href") for a in _all(fa, "tips-list", "//a")] == ["/fa/archives/"]
    assert _text(_page(client, "/fa/"), "sidebar", "//h2") == ["مرور بایگانی"]
    assert _text(_page(client, "/tips/"), "tips-list", "//h3") == english


def test_an_authors_name_in_the_persian_edition(client, editions_):
    author = AuthorFactory(name="Maryam Sadeghi", slug="maryam-sadeghi")
    for story in (editions_["seed"], editions_["translation"]):
        StoryAuthor.objects.create(story=story, author=author)
    assert "Maryam Sadeghi" in " ".join(_text(_page(client, FA_SEED), "byline"))
    AuthorName.objects.create(author=author, language="fa", name="مریم صادقی")
    fa = _page(client, FA_SEED)
    assert "مریم صادقی" in " ".join(_text(fa, "byline"))
    assert "Maryam Sadeghi" not in fa.text_content()
    en = _page(client, SEED)
    assert "Maryam Sadeghi" in " ".join(_text(en, "byline"))
    assert "مریم صادقی" not in en.text_content()
    assert "مریم صادقی" in _page(client, "/fa/authors/maryam-sadeghi/").findtext(".//h1")
    # the Persian search page's author filter names them the Persian way too
    options = [
        o.text for o in _page(client, "/fa/search/").xpath('//*[@id="search-author"]/option')
    ]
    assert "مریم صادقی" in options and "Maryam Sadeghi" not in options


def test_edition_settings_and_names_queue_the_pages_that_show_them(editions_):
    site = Site.objects.get(is_default_site=True)
    own = EditionSettings.objects.create(site=site, language="fa", site_name="ایران پرس")
    assert [t for t, _, _ in changes_for(own, "saved")] == ["site"]
    author = AuthorFactory(name="Karim Nouri", slug="karim-nouri")
    name = AuthorName.objects.create(author=author, language="fa", name="کریم نوری")
    assert changes_for(name, "saved") == [("author", author.id, {"old_slug": "karim-nouri"})]
