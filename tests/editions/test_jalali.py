"""Jalali dates and archives of the Persian edition: Persian digits in text only; URLs, feeds
and sitemaps keep ASCII digits and Gregorian RFC dates (the bugs of WordPress's wp-parsidate:
Persian digits in archive URLs, Jalali dates in sitemaps, day 31 lost)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.utils import translation
from lxml import html

from broadsheet.site import dates

PERSIAN_DIGIT = re.compile("[۰-۹٠-٩]")
GREGORIAN_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def test_a_gregorian_day_in_the_jalali_calendar():
    assert dates.calendar_date("jalali", dt.date(2007, 6, 18)) == (1386, 3, 28)
    assert dates.jalali_long(dt.date(2007, 6, 18)) == "دوشنبه ۲۸ خرداد ۱۳۸۶"
    # day 31 of the first six months exists
    assert dates.calendar_date("jalali", dt.date(2020, 5, 20)) == (1399, 2, 31)
    assert dates.to_gregorian("jalali", 1399, 2, 31) == dt.date(2020, 5, 20)


def test_esfand_has_30_days_only_in_a_leap_year():
    assert dates.to_gregorian("jalali", 1403, 12, 30) == dt.date(2025, 3, 20)
    with pytest.raises(ValueError):
        dates.to_gregorian("jalali", 1404, 12, 30)
    with pytest.raises(ValueError):
        dates.to_gregorian("jalali", 1403, 7, 31)  # Mehr has 30 days
    with pytest.raises(ValueError):
        dates.to_gregorian("jalali", 1403, 13, 1)


def test_a_jalali_month_range(settings):
    settings.TIME_ZONE = "UTC"
    start, end = dates.month_range("jalali", 1403, 12)
    assert (start.date(), end.date()) == (dt.date(2025, 2, 19), dt.date(2025, 3, 21))
    assert end - dt.timedelta(days=1) == dt.datetime(2025, 3, 20, tzinfo=end.tzinfo)


def test_new_year_in_tehran():
    # Asia/Tehran has had no summer time since 2023: 2025-03-20T21:00Z is 00:30 on 1 Farvardin
    moment = dt.datetime(2025, 3, 20, 21, tzinfo=dt.UTC).astimezone(
        zoneinfo.ZoneInfo("Asia/Tehran")
    )
    assert (moment.hour, moment.minute) == (0, 30)
    assert dates.calendar_date("jalali", moment.date()) == (1404, 1, 1)


def test_dates_follow_the_calendar_in_use():
    moment = dt.datetime(2007, 6, 18, 12, tzinfo=dt.UTC)
    with translation.override("en"):
        assert dates.long_date(moment) == "Monday, June 18, 2007"
        assert dates.dateline_date(moment) == "18 June"
    with translation.override("fa"), dates.using("jalali"):
        assert dates.long_date(moment) == "دوشنبه ۲۸ خرداد ۱۳۸۶"
        assert dates.dateline_date(moment) == "۲۸ خرداد"
        assert dates.number(1386) == "۱۳۸۶"
        # machine-readable dates never change
        assert dates.iso(moment).startswith("2007-06-18T")


def _get(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}"
    return response.content.decode()


def _visible_text(page: str) -> str:
    tree = html.fromstring(page)
    for bad in tree.xpath("//script|//style|//head"):
        bad.getparent().remove(bad)
    return tree.text_content()


def _machine_values(page: str) -> list[str]:
    tree = html.fromstring(page)
    values = [v for attr in ("href", "src", "datetime") for v in tree.xpath(f"//@{attr}")]
    for script in tree.xpath("//script[@type='application/ld+json']"):
        values += list(_json_ld_machine_values(json.loads(script.text)))
    return values


def _json_ld_machine_values(data):
    """URLs, ids and dates of a JSON-LD object (names and headlines are text)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and (
                key in ("url", "@id", "item") or (key.startswith("date") and key != "dateline")
            ):
                yield value
            else:
                yield from _json_ld_machine_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_ld_machine_values(value)


@pytest.mark.django_db
def test_persian_archives_are_by_jalali_month(client, editions_):
    index = _get(client, "/fa/archives/")
    assert 'href="/fa/archives/1386/"' in index
    assert 'href="/fa/archives/1386/03/"' in index
    assert 'href="/fa/archives/1399/02/"' in index
    assert "خرداد" in index and "۱۳۸۶" in index
    month = _get(client, "/fa/archives/1399/02/")
    assert "<h1>اردیبهشت ۱۳۹۹</h1>" in month
    assert 'href="/fa/archives/1399/02/31/"' in month
    day = _get(client, "/fa/archives/1399/02/31/")
    assert 'href="/fa/iran/ordibehesht-1399/"' in day
    assert "hambastegi" not in day
    # the leap day of Esfand 1403, and the day that does not exist in 1404
    assert 'href="/fa/iran/macron/"' in _get(client, "/fa/archives/1403/12/30/")
    _get(client, "/fa/archives/1404/12/30/", 404)
    _get(client, "/fa/archives/1403/13/", 404)
    _get(client, "/fa/archives/1399/02/32/", 404)
    # Persian digits are never a URL
    assert client.get("/fa/archives/۱۳۹۹/۰۲/").status_code == 404
    # the English edition keeps its Gregorian archives
    assert editions_["seed"].title in _get(client, "/archives/2007/06/18/")
    _get(client, "/archives/1399/02/", 404)


@pytest.mark.django_db
def test_persian_pages_show_no_gregorian_month_nor_machine_persian_digits(client, editions_):
    paths = [
        "/fa/",
        "/fa/iran/",
        "/fa/iran/hambastegi/",
        "/fa/archives/",
        "/fa/archives/1386/",
        "/fa/archives/1386/03/",
        "/fa/archives/1386/03/28/",
        "/fa/latest/",
    ]
    for path in paths:
        page = _get(client, path)
        assert '<html lang="fa" dir="rtl">' in page, path
        assert not GREGORIAN_MONTHS.search(_visible_text(page)), path
        for value in _machine_values(page):
            assert not PERSIAN_DIGIT.search(value), (path, value)
    story = _get(client, "/fa/iran/hambastegi/")
    assert "دوشنبه ۲۸ خرداد ۱۳۸۶" in story
    assert 'datetime="2007-06-18T' in story
    assert "پاریس، ۲۸ خرداد (ایپس)" in story


@pytest.mark.django_db
def test_persian_feeds_and_sitemaps_keep_gregorian_ascii_dates(client, editions_):
    for path in (
        "/fa/feeds/rss.xml",
        "/fa/feeds/atom.xml",
        "/fa/sitemap.xml",
        "/fa/sitemaps/pages.xml",
        "/fa/sitemaps/stories-2020-05.xml",
        "/fa/sitemap-news.xml",
    ):
        body = client.get(path).content.decode()
        values = re.findall(
            r"<(?:pubDate|lastBuildDate|published|updated|lastmod|news:publication_date)>([^<]*)<",
            body,
        )
        values += re.findall(r'(?:href|loc)="?([^"<]*)', body) + re.findall(r"<loc>([^<]*)<", body)
        for value in values:
            assert not PERSIAN_DIGIT.search(value), (path, value)
    sitemap = client.get("/fa/sitemaps/stories-2020-05.xml").content.decode()
    assert "<lastmod>2020-05-20T" in sitemap
    rss = client.get("/fa/feeds/rss.xml").content.decode()
    assert "Wed, 20 May 2020 12:00:00 +0000" in rss


@pytest.mark.django_db
def test_a_mixed_headline_isolates_its_latin_run(client, editions_):
    page = html.fromstring(_get(client, "/fa/iran/macron/"))
    (h1,) = page.xpath("//h1[@class='headline']")
    assert h1.text_content() == "دیدار Emmanuel Macron در پاریس (۲۰۲۵)"
    assert [b.text for b in h1.xpath("bdi")] == ["Emmanuel Macron"]
    # DOM order is the logical order: the bracket follows the Persian text, inside the h1
    assert h1.text == "دیدار " and h1.xpath("bdi")[0].tail == " در پاریس (۲۰۲۵)"
    assert page.getroottree().getroot().get("dir") == "rtl"
