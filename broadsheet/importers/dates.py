"""Whole dates in the text of a page: the shapes news pages print ("6 January 2020",
"06.01.2020", "January 6, 2020", "2020年1月6日", "1. Februar 2022"…), for the date shown
under the headline (:mod:`~broadsheet.importers.pagehead`) and for what follows a byline
(:mod:`~broadsheet.importers.names`). Month names in English, German, French, Spanish,
Portuguese, Italian and Dutch; a slashed date only when its order is certain
(``25/12/2020``).
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janvier enero janeiro gennaio januari jän",
        "february feb februar février fevrier febrero fevereiro febbraio februari",
        "march mar märz maerz mars marzo março marco maart mär",
        "april apr avril abril aprile",
        "may mai mayo maio maggio mei",
        "june jun juni juin junio junho giugno",
        "july jul juli juillet julio julho luglio",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setembro settembre",
        "october oct oktober octobre octubre outubro ottobre okt",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dezembro dicembre dez",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_SHAPES = [
    re.compile(rf"\b{YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?{YEAR}\b"),
    re.compile(rf"\b{YEAR}\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})\b"),
    re.compile(rf"\b{YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"),
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/" + YEAR + r"\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?{YEAR}\b",
        re.I,
    ),
    re.compile(rf"\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR}\b", re.I),
]


def find_day(text: str) -> tuple[dt.date, int] | None:
    """The first whole date in ``text`` (the shapes in the module's docstring) and where it
    starts, else ``None``."""
    found: list[tuple[int, dt.date]] = []
    for shape in DATE_SHAPES:
        for m in shape.finditer(text):
            parts = m.groupdict()
            year = int(parts["year"])
            if parts.get("a"):
                a, b = int(parts["a"]), int(parts["b"])
                if a <= 12 and b <= 12 and a != b:
                    continue  # 03/04/2020: the order is not certain
                day, month = (a, b) if a > 12 else (b, a)
            else:
                day = int(parts["d"])
                month = MONTHS[parts["month"].casefold()] if parts.get("month") else int(parts["m"])
            try:
                found.append((m.start(), dt.date(year, month, day)))
            except ValueError:
                continue
            break
    if not found:
        return None
    start, day = min(found)
    return day, start
