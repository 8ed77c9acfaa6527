"""Editions: English at /, Persian at /fa/, live; translations linked both ways."""

from __future__ import annotations

import re

import feedparser
import pytest
from django.utils import translation
from lxml import etree, html

from broadsheet.site import editions
from broadsheet.site.context import contexts, default_site

SEED = "/iran/seed/"
FA_SEED = "/fa/iran/hambastegi/"
PERSIAN_DIGIT = re.compile("[۰-۹٠-٩]")


def _get(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}"
    return response.content.decode()


def test_the_editions_setting():
    found = editions.editions()
    assert [(e.language, e.prefix, e.calendar) for e in found] == [
        ("en", "", "gregorian"),
        ("fa", "fa", "jalali"),
    ]
    assert editions.for_path("/fa/archives/").language == "fa"
    assert editions.for_path("/fashion/").language == "en"
    assert editions.local_path("/fa/iran/x/") == "/iran/x/"
    assert editions.local_path("/fashion/x/") == "/fashion/x/"


def test_fa_ir_is_right_to_left():
    assert editions.Edition("fa-ir").direction == "rtl"
    assert editions.Edition("fa").direction == "rtl"
    assert editions.Edition("en").direction == "ltr"
    assert translation.get_language_info("fa-ir")["bidi"] is True


def test_a_bad_editions_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.BROADSHEET_EDITIONS = [{"language": "de", "prefix": "de"}]
    with pytest.raises(ImproperlyConfigured, match="not in LANGUAGES"):
        editions.editions()
    settings.BROADSHEET_EDITIONS = [{"language": "en", "prefix": "", "calendar": "mayan"}]
    with pytest.raises(ImproperlyConfigured, match="calendar"):
        editions.editions()
    settings.BROADSHEET_EDITIONS = [{"language": "fa", "prefix": "fa"}]
    with pytest.raises(ImproperlyConfigured, match="exactly one"):
        editions.editions()


@pytest.mark.django_db
def test_each_edition_has_its_own_context(editions_):
    ctxs = contexts(default_site())
    assert [(c.language, c.direction, c.calendar, c.prefix) for c in ctxs] == [
        ("en", "ltr", "gregorian", ""),
        ("fa", "rtl", "jalali", "/fa"),
    ]
    assert ctxs[1].root_id == editions_["fa_front"].id


@pytest.mark.django_db
def test_persian_pages_are_right_to_left_and_separate(client, editions_):
    front = _get(client, "/fa/")
    assert '<html lang="fa" dir="rtl">' in front
    assert editions_["translation"].title in front
    assert editions_["seed"].title not in front
    english = _get(client, "/")
    assert '<html lang="en" dir="ltr">' in english
    assert editions_["translation"].title not in english
    story = _get(client, FA_SEED)
    assert '<html lang="fa" dir="rtl">' in story
    assert 'href="/fa/iran/"' in story
    # a section of the Persian edition is not reachable at the English edition's path
    assert client.get("/iran/hambastegi/").status_code == 404
    assert client.get("/fa/iran/seed/").status_code == 404


@pytest.mark.django_db
def test_translation_links_are_symmetric(client, editions_):
    english = html.fromstring(_get(client, SEED))
    persian = html.fromstring(_get(client, FA_SEED))
    (to_fa,) = english.xpath("//ul[@class='story-translations']//a")
    assert to_fa.get("href") == FA_SEED
    assert to_fa.text == "این خبر به فارسی"
    assert (to_fa.get("lang"), to_fa.get("dir"), to_fa.get("hreflang")) == ("fa", "rtl", "fa")
    (to_en,) = persian.xpath("//ul[@class='story-translations']//a")
    assert to_en.get("href") == SEED
    assert to_en.text == "This story in English"
    assert (to_en.get("lang"), to_en.get("dir")) == ("en", "ltr")

    def hreflang(tree):
        return {
            (link.get("hreflang"), link.get("href").split("://", 1)[1].split("/", 1)[1])
            for link in tree.xpath("//head/link[@hreflang]")
        }

    pairs = {("en", SEED.lstrip("/")), ("fa", FA_SEED.lstrip("/"))}
    assert hreflang(english) == hreflang(persian) == pairs
    # a story without a translation has no alternates
    assert not html.fromstring(_get(client, "/iran/may-2020/")).xpath("//link[@hreflang]")
    # nor once its translation is a draft
    editions_["translation"].unpublish()
    assert not html.fromstring(_get(client, SEED)).xpath("//ul[@class='story-translations']")


@pytest.mark.django_db
def test_front_pages_name_each_other(client, editions_):
    english = html.fromstring(_get(client, "/"))
    langs = {
        (link.get("hreflang"), link.get("href")[-4:]) for link in english.xpath("//link[@hreflang]")
    }
    assert {lang for lang, _ in langs} == {"en", "fa"}


@pytest.mark.django_db
def test_persian_feeds(client, editions_):
    for path in ("/fa/feeds/rss.xml", "/fa/feeds/atom.xml", "/fa/iran/feed/rss.xml"):
        body = client.get(path).content
        parsed = feedparser.parse(body)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.get("language", "fa") == "fa" or b'xml:lang="fa"' in body
        titles = {e.title for e in parsed.entries}
        assert editions_["translation"].title in titles
        assert editions_["seed"].title not in titles
        assert not PERSIAN_DIGIT.search(
            " ".join(e.get("published", "") + e.get("updated", "") for e in parsed.entries)
        )
    assert b"<language>fa</language>" in client.get("/fa/feeds/rss.xml").content
    assert b"<language>en</language>" in client.get("/feeds/rss.xml").content


@pytest.mark.django_db
def test_sitemaps_have_hreflang_alternates(client, editions_):
    index = _get(client, "/fa/sitemap.xml")
    assert "/fa/sitemaps/stories-2007-06.xml" in index
    ns = {
        "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    for path, own in (
        ("/fa/sitemaps/stories-2007-06.xml", FA_SEED),
        ("/sitemaps/stories-2007-06.xml", SEED),
    ):
        tree = etree.fromstring(client.get(path).content)
        (url,) = tree.findall("sm:url", ns)
        assert url.findtext("sm:loc", namespaces=ns).endswith(own)
        alts = {
            (a.get("hreflang"), a.get("href").split("/", 3)[3]) for a in url.findall("x:link", ns)
        }
        assert alts == {("en", SEED.lstrip("/")), ("fa", FA_SEED.lstrip("/"))}
        assert not PERSIAN_DIGIT.search(
            etree.tostring(tree, encoding="unicode").split("?>")[-1].replace("%", "")
        )
    assert "robots" not in _get(client, "/fa/", 200)[:0]
    assert client.get("/fa/robots.txt").status_code == 404


@pytest.mark.django_db
def test_a_latin_comment_on_a_persian_story_runs_left_to_right(client, editions_):
    from tests.discussion.factories import CommentFactory

    CommentFactory(story=editions_["translation"], name="John_99", text="OK, thanks")
    CommentFactory(story=editions_["translation"], name="علی\u200cرضا", text="ممنون")
    page = html.fromstring(_get(client, FA_SEED))
    texts = page.xpath("//div[@class='comment-text']")
    assert {t.text_content().strip() for t in texts} == {"OK, thanks", "ممنون"}
    assert all(t.get("dir") == "auto" for t in texts)
    names = [b.text for b in page.xpath("//span[@class='comment-author']//bdi")]
    assert sorted(names) == sorted(["John_99", "علی\u200cرضا"])


@pytest.mark.django_db
def test_the_persian_interface_is_translated(client, editions_):
    page = _get(client, FA_SEED)
    for text in ("خانه", "انتشار", "پرش به محتوا", "بایگانی"):
        assert text in page
    for text in ("Skip to content", ">Published<", ">Home<"):
        assert text not in page
    assert ">Skip to content<" in _get(client, SEED)


def test_the_persian_font_is_ours(settings):
    from pathlib import Path

    static = Path(settings.STATICFILES_DIRS[0]) / "broadsheet"
    css = (static / "site.css").read_text()
    assert 'font-family: "Vazirmatn"' in css
    for url in re.findall(r"url\(\"?([^\")]+)", css):
        assert "://" not in url and (static / url).is_file(), url
    assert "SIL OPEN FONT LICENSE" in (static / "fonts/vazirmatn/OFL.txt").read_text().upper()


@pytest.mark.django_db
def test_wagtail_page_urls_are_the_public_ones(editions_):
    # "View live" in the admin, Page.url in code: the same URL readers use
    assert editions_["translation"].get_url() == FA_SEED
    assert editions_["seed"].get_url() == SEED
    assert editions_["fa_front"].get_url() == "/fa/"


@pytest.mark.django_db
def test_each_edition_searches_its_own_stories(client, editions_):
    from .factories import PersianStoryFactory

    book = PersianStoryFactory(
        parent=editions_["translation"].get_parent(),
        title="كِتابـ علي ١٤٠٣",
        slug="ketab",
        body=[{"type": "paragraph", "value": "<p>معرفی یک كتاب.</p>"}],
    )
    for query in ("کتاب", "۱۴۰۳", "1403"):
        page = _get(client, f"/fa/search/?q={query}")
        assert '<html lang="fa" dir="rtl">' in page
        assert f'href="{book.get_url()}"' in page, query
    assert 'href="/fa/iran/ketab/"' not in _get(client, "/search/?q=1403")


@pytest.mark.django_db
def test_an_edition_without_its_front_page_answers_404(client, front_page):
    assert client.get("/fa/").status_code == 404
    assert client.get("/fa/archives/").status_code == 404
    assert [c.language for c in contexts(default_site())] == ["en"]


def test_the_tips_page_has_a_persian_counterpart(client_ok, editions_):
    from tests.content.factories import TipFactory

    TipFactory(title="Send us your story", text="Write to the editor.")
    html = client_ok.get_html("/fa/tips/")
    assert 'lang="fa"' in html and 'dir="rtl"' in html
    assert "<h1>نکته‌ها</h1>" in html
    assert "Send us your story" in html
    assert 'href="/fa/tips/"' in client_ok.get_html("/fa/")


@pytest.mark.django_db
def test_persian_sitemap_index_and_news_sitemap_are_valid(client, editions_, shared, tmp_path):
    """The Persian edition's sitemap index and news sitemap pass the sitemaps.org and Google
    News XSDs (the monthly files carry xhtml:link alternates, checked above)."""
    from tests.syndication.conftest import Validators

    check = Validators(shared / "fixtures" / "schemas", tmp_path)
    index = check.index(client.get("/fa/sitemap.xml").content)
    locs = index.findall(".//{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    assert locs and all("/fa/" in loc.text for loc in locs)
    check.news(client.get("/fa/sitemap-news.xml").content)
