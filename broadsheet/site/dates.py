"""Dates as readers see them: the newsroom's time zone, long dates, datelines, and RFC 3339
timestamps for machines.

Machine-readable dates (``<time datetime>``, feeds, sitemaps, JSON-LD) are always RFC 3339 with
ASCII digits and the Gregorian calendar; dates written for readers follow the site's language.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils import dateformat, timezone, translation


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the newsroom's time zone."""
    return timezone.localtime(value)


def long_date(value: dt.datetime | None) -> str:
    """ "Monday, June 18, 2007" in the newsroom's time zone ("" for None)."""
    return _long_date(local(value).date(), translation.get_language()) if value else ""


@lru_cache(maxsize=8192)
def _long_date(day: dt.date, language: str | None) -> str:
    # cached per day and language: Django's dateformat is a hot spot of bulk rendering
    return dateformat.format(day, "l, F j, Y")


def dateline_date(value: dt.datetime | None) -> str:
    """ "18 June", the date as a dateline gives it."""
    return dateformat.format(local(value), "j F") if value else ""


@lru_cache(maxsize=65536)
def _iso(value: dt.datetime, zone: str) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def iso(value: dt.datetime | None) -> str:
    """RFC 3339 timestamp in the newsroom's time zone, whole seconds ("" for None)."""
    return _iso(value, timezone.get_current_timezone_name()) if value else ""


def dateline_text(place: str, agency: str, published: dt.datetime | None) -> str:
    """The dateline that opens the body: "Paris, 18 June (IPS) –". Empty without a place."""
    if not place:
        return ""
    text = f"{place}, {dateline_date(published)}" if published else place
    if agency:
        text += f" ({agency})"
    return text + " –"


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a day in the newsroom's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
