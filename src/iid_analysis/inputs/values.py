"""Cell values as other systems write them: dates and scores.

Dates are read from ISO text (``2023-09-28``, ``2023-09-28 00:00:00`` as a workbook's date cell
reads), day-first numbers (``28/08/2023``, ``28-08-2023``, ``28.08.2023``), Indonesian or English
month names (``28 Agustus 2023``, ``28 Agt 2023``, ``Sept 28, 2023``) and Excel serial numbers
(``45166``), and written ISO (``2023-08-28``). A score is read from ``46.00 dari 111`` (SIMONDA's
export), ``87,5`` or ``87.5``.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
"""Month names and their usual abbreviations, Indonesian and English."""

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SCORE_OUT_OF = re.compile(r"^\s*(.+?)\s*(?:dari|/|of|dr\.?)\s*(\d+(?:[.,]\d+)?)\s*$", re.I)


def parse_date(value: object) -> dt.date | None:
    """The date a cell holds, or None when it holds no date we can read (blank included)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text or text.lower() == "nan":
        return None
    match = _ISO.match(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _DAY_FIRST.match(text)
    if match:
        return _date(int(match[3]), int(match[2]), int(match[1]))
    match = _DAY_MONTH_NAME.match(text)
    if match and match[2].lower() in MONTHS:
        return _date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    match = _MONTH_NAME_DAY.match(text)
    if match and match[1].lower() in MONTHS:
        return _date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    if _SERIAL.match(text):
        serial = int(float(text))
        if 20_000 <= serial <= 80_000:  # 1954..2119: a date, not a count
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    return None


def iso_date_text(value: object) -> str:
    """A date cell written ISO (``2023-08-28``); blank stays blank; text that is not a date we
    can read is kept as written (so that a reader can name it)."""
    date = parse_date(value)
    if date is not None:
        return date.isoformat()
    return "" if value is None else str(value).strip()


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def score_text(value: object) -> tuple[str, float | None]:
    """(the number's text, the scale it is out of or None): ``46.00 dari 111`` -> (``46.00``,
    111.0); ``87,5`` -> (``87,5``, None)."""
    text = "" if value is None else str(value).strip()
    match = _SCORE_OUT_OF.match(text)
    if match:
        return match[1], float(match[2].replace(",", "."))
    return text, None


__all__ = ["MONTHS", "iso_date_text", "parse_date", "score_text"]
