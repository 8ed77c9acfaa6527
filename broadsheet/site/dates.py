"""Dates as readers see them: the newsroom's time zone, long dates, datelines, and RFC 3339
timestamps for machines.

Machine-readable dates (``<time datetime>``, feeds, sitemaps, JSON-LD) are always RFC 3339 with
ASCII digits and the Gregorian calendar; dates written for readers follow the edition's language
and calendar: in the Jalali calendar (jdatetime) with Persian digits, "دوشنبه ۲۸ خرداد ۱۳۸۶".
The renderer sets the calendar of the page being rendered (:func:`using`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

import jdatetime
from django.utils import dateformat, timezone, translation

_calendar: contextvars.ContextVar[str] = contextvars.ContextVar("calendar", default="gregorian")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = tuple(jdatetime.date.j_months_fa)
JALALI_WEEKDAYS = tuple(jdatetime.date.j_weekdays_fa)  # Saturday first


@contextlib.contextmanager
def using(calendar: str) -> Iterator[None]:
    """Dates written for readers inside the block are in ``calendar`` (``gregorian`` or
    ``jalali``)."""
    token = _calendar.set(calendar)
    try:
        yield
    finally:
        _calendar.reset(token)


def calendar() -> str:
    """The calendar of the dates written for readers now."""
    return _calendar.get()


def persian_digits(text: str) -> str:
    """``text`` with ASCII digits as Persian (Extended Arabic-Indic) digits: for text only,
    never for URLs or machine-readable values."""
    return text.translate(PERSIAN_DIGITS)


def jalali(day: dt.date) -> jdatetime.date:
    """The Jalali (Solar Hijri) date of a Gregorian ``day``."""
    return jdatetime.date.fromgregorian(date=day)


def jalali_month_name(month: int) -> str:
    """The Persian name of Jalali month ``month`` (1 = فروردین)."""
    return JALALI_MONTHS[month - 1]


def jalali_long(day: dt.date) -> str:
    """ "دوشنبه ۲۸ خرداد ۱۳۸۶": weekday, day, month, year, Persian digits."""
    j = jalali(day)
    weekday = JALALI_WEEKDAYS[j.weekday()]
    return persian_digits(f"{weekday} {j.day} {jalali_month_name(j.month)} {j.year}")


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the newsroom's time zone (``TIME_ZONE``: pages are always shown in
    it, never in a time zone activated for a request)."""
    return value.astimezone(timezone.get_default_timezone())


def long_date(value: dt.datetime | None) -> str:
    """ "Monday, June 18, 2007" in the newsroom's time zone ("" for None)."""
    if not value:
        return ""
    return _long_date(local(value).date(), translation.get_language(), _calendar.get())


@lru_cache(maxsize=8192)
def _long_date(day: dt.date, language: str | None, calendar: str) -> str:
    # cached per day, language and calendar: dateformat is a hot spot of bulk rendering
    if calendar == "jalali":
        return jalali_long(day)
    return dateformat.format(day, "l, F j, Y")


def dateline_date(value: dt.datetime | None) -> str:
    """ "18 June" (Jalali: "۲۸ خرداد"), the date as a dateline gives it."""
    if not value:
        return ""
    if _calendar.get() == "jalali":
        j = jalali(local(value).date())
        return persian_digits(f"{j.day} {jalali_month_name(j.month)}")
    return dateformat.format(local(value), "j F")


@lru_cache(maxsize=65536)
def _iso(value: dt.datetime, zone: dt.tzinfo) -> str:
    return value.astimezone(zone).isoformat(timespec="seconds")


def iso(value: dt.datetime | None) -> str:
    """RFC 3339 timestamp in the newsroom's time zone, whole seconds ("" for None)."""
    return _iso(value, timezone.get_default_timezone()) if value else ""


def dateline_text(place: str, agency: str, published: dt.datetime | None) -> str:
    """The dateline that opens the body: "Paris, 18 June (IPS) –". Empty without a place."""
    if not place:
        return ""
    comma = translation.gettext(", ")  # "، " in Persian
    text = f"{place}{comma}{dateline_date(published)}" if published else place
    if agency:
        text += f" ({agency})"
    return text + " –"


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a day in the newsroom's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)


# -- archives in a calendar ----------------------------------------------------------------------
def calendar_date(calendar: str, day: dt.date) -> tuple[int, int, int]:
    """``(year, month, day)`` of a Gregorian ``day`` in ``calendar`` (``jalali``: 2007-06-18 →
    (1386, 3, 28))."""
    if calendar == "jalali":
        j = jalali(day)
        return j.year, j.month, j.day
    return day.year, day.month, day.day


def archive_date(calendar: str, value: dt.datetime) -> tuple[int, int, int]:
    """``(year, month, day)`` in ``calendar`` of an aware datetime, in the newsroom's time zone:
    the archive pages that list a story published then."""
    return calendar_date(calendar, local(value).date())


def to_gregorian(calendar: str, year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a date in ``calendar``; ``ValueError`` if there is no such day
    (1404/12/30: Esfand 1404 has 29 days; 2025-02-30)."""
    if not (1 <= year <= 9998 and 1 <= month <= 12):
        raise ValueError(f"no month {year}/{month}")
    if calendar == "jalali":
        return jdatetime.date(year, month, day).togregorian()
    return dt.date(year, month, day)


def month_range(calendar: str, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a month of ``calendar`` in the newsroom's time
    zone (Jalali 1403/12: 2025-02-19 to 2025-03-21); ``ValueError`` for a month that does not
    exist."""
    start = to_gregorian(calendar, year, month, 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    end = to_gregorian(calendar, *nxt, 1) if nxt[0] <= 9998 else dt.date(9999, 12, 31)
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end, dt.time(), tzinfo=tz),
    )


def month_title(calendar: str, year: int, month: int) -> str:
    """ "June 2007", or "خرداد ۱۳۸۶" in the Jalali calendar."""
    if calendar == "jalali":
        return persian_digits(f"{jalali_month_name(month)} {year}")
    return dateformat.format(dt.date(year, month, 1), "F Y")


def month_label(calendar: str, month: int) -> str:
    """The name of month ``month`` of ``calendar`` in the active language."""
    if calendar == "jalali":
        return jalali_month_name(month)
    return dateformat.format(dt.date(2000, month, 1), "F")


def number(value: int | str) -> str:
    """A number written for readers: Persian digits when the active language is Persian."""
    text = str(value)
    return persian_digits(text) if (translation.get_language() or "").startswith("fa") else text
