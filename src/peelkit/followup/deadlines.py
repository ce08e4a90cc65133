"""Due dates from the deadlines reports print with recommendations.

"Within three months", "within 12 months", "immediately", "With immediate effect", "by 31 March
2015", "Not later than 31 March 2015": a period counts from the date of the document that made
the recommendation (its report or letter); a date is the date. Anything else has no due date,
and says why.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks"}
_UNITS |= {"month": "months", "months": "months", "year": "years", "years": "years"}

_WITHIN = re.compile(
    r"\bwithin\s+(?P<n>\d+|[a-z-]+)\s+(?P<unit>days?|weeks?|months?|years?)\b", re.IGNORECASE
)
_IMMEDIATE = re.compile(r"\b(immediately|immediate effect|immediate steps)\b", re.IGNORECASE)
_BY_DATE = re.compile(
    r"\b(?:by|not later than|no later than|before)\s+(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Due:
    """A finding's due date, the printed phrase it came from and how it was counted."""

    date: dt.date | None
    phrase: str | None  # the deadline as printed
    rule: str  # "period from the document's date", "date printed", "immediately", or why none


def due_date(printed: str | None, made: dt.date | None) -> Due:
    """The due date a printed deadline gives, counted from ``made`` (the document's date)."""
    if not printed:
        return Due(None, None, "no deadline printed")
    found = _BY_DATE.search(printed)
    if found:
        month = _MONTHS.get(found["month"].lower())
        if month is not None:
            try:
                day = dt.date(int(found["year"]), month, int(found["day"]))
            except ValueError:
                return Due(None, found.group(0), "the printed date does not exist")
            return Due(day, found.group(0), "date printed")
    found = _WITHIN.search(printed)
    if found:
        raw = found["n"].lower()
        amount = int(raw) if raw.isdigit() else _NUMBERS.get(raw)
        if amount is None:
            return Due(None, found.group(0), f"cannot read the number {found['n']!r}")
        if made is None:
            return Due(None, found.group(0), "the date of the document that made it is unknown")
        return Due(_add(made, amount, _UNITS[found["unit"].lower()]), found.group(0), "period")
    found = _IMMEDIATE.search(printed)
    if found:
        if made is None:
            return Due(None, found.group(0), "the date of the document that made it is unknown")
        return Due(made, found.group(0), "immediately")
    return Due(None, None, "no deadline printed")


def _add(start: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    months = amount * (12 if unit == "years" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    # The same day of the month, or the month's last day (31 January + 1 month = 28 February).
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
