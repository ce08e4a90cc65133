"""Due dates from the deadlines reports print with recommendations.

A deadline is read only where a report prints one as the recommendation's own time (never a
word inside one of its sentences):

- at its **opening** (or its lead-in's): "Within three months, ...", "Within 12 months the
  force should ...", "By 31 March 2015, ...", "Not later than 31 March 2015 ...", "With
  immediate effect, ...", "Immediately, ...";
- as the **time of its verb**, in its first clause: "The force should immediately take steps
  ...", "The force takes immediate steps to ...", "Kent Police must immediately ...";
- at its **close**: "... within six months.", "... by 31 March 2015.", "... immediately."
  (days and weeks only at the opening: "... contacted within 28 days." at the close is what
  the recommendation asks for, not when).

A period counts from the date the finding was made (the document that made it: its report or
notice); a date is the date. Only recommendations have due dates: causes of concern are
answered by their recommendations, and areas for improvement carry no deadline. Anything else
has no due date, and says why.
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

# -- where a recommendation prints its deadline ---------------------------------------------------

_N = r"(?:\d+|[a-z]+(?:-[a-z]+)?)"
_DATED = (
    r"(?:by|not\s+later\s+than|no\s+later\s+than|before)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?"
    r"\s+[a-z]+\s+\d{4}"
)
_OPENING = re.compile(
    rf"^(?P<deadline>within\s+{_N}\s+(?:days?|weeks?|months?|years?)|{_DATED}"
    r"|with\s+immediate\s+effect|immediately)(?=[\s,:;]|$)",
    re.IGNORECASE,
)
# The verb's time in the first clause: a subject of a few words (no punctuation), then
# "should immediately", "takes immediate steps".
_VERB = re.compile(
    r"^[^,.;:()]{0,80}?\b(?P<deadline>(?:should|must|will|is\s+to|are\s+to|needs?\s+to)\s+"
    r"immediately|takes?\s+immediate\s+(?:steps|action))\b",
    re.IGNORECASE,
)
_MODAL = re.compile(r"^(?:should|must|will|is\s+to|are\s+to|needs?\s+to)\s+", re.IGNORECASE)
_CLOSING = re.compile(
    rf"(?:^|[\s,;])(?P<deadline>within\s+{_N}\s+(?:months?|years?)|{_DATED}"
    r"|with\s+immediate\s+effect|immediately)\s*[.;]?\s*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*–]\s+|\(?\d{1,2}[.)]\s+)")


def printed_deadline(text: str | None) -> str | None:
    """The deadline a recommendation (or its lead-in) prints as its own time, as printed: at
    its opening, as its verb's time in its first clause, or at its close; None elsewhere."""
    if not text:
        return None
    stripped = " ".join(_BULLET.sub("", text).split())
    found = _OPENING.search(stripped)
    if found:
        return found["deadline"]
    found = _VERB.search(stripped)
    if found:  # "should immediately" is printed as "immediately"
        return _MODAL.sub("", found["deadline"])
    # The close of a lead-in is its colon ("... should make sure that:"), not a deadline.
    if not stripped.endswith(":"):
        found = _CLOSING.search(stripped)
        if found:
            return found["deadline"]
    return None


@dataclass(frozen=True)
class Due:
    """A finding's due date, the printed phrase it came from and how it was counted."""

    date: dt.date | None
    phrase: str | None  # the deadline as printed
    rule: str  # "period", "date printed", "immediately", or why there is none


NO_DEADLINE = "no deadline printed"
KIND_RULES = {
    "area_for_improvement": "an area for improvement has no due date",
    "cause_of_concern": "a cause of concern has no due date: its recommendations have them",
}


def due_date(printed: str | None, made: dt.date | None) -> Due:
    """The due date a deadline phrase gives, counted from ``made`` (the document's date)."""
    if not printed:
        return Due(None, None, NO_DEADLINE)
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
    return Due(None, None, NO_DEADLINE)


def recommendation_due(
    kind: str,
    *,
    deadline: str | None,
    lead_in: str | None,
    text: str,
    made: dt.date | None,
) -> Due:
    """A followed finding's due date: only a recommendation has one, from the deadline its
    lead-in or text prints as its own time (``printed_deadline``), else the deadline stored with
    it when that was printed elsewhere (a heading over the list, a notice's lead-in) or entered
    by a person. A stored deadline that is only a word inside the recommendation's sentence is
    not its time: no due date, and the rule says so."""
    if kind != "recommendation":
        return Due(None, None, KIND_RULES.get(kind, f"a {kind.replace('_', ' ')} has no due date"))
    phrase = printed_deadline(lead_in) or printed_deadline(text)
    if phrase is not None:
        return due_date(phrase, made)
    if not deadline:
        return Due(None, None, NO_DEADLINE)
    word = deadline.strip().lower()
    inside = " ".join(p for p in (lead_in, text) if p).lower()
    if word in inside or (word == "immediately" and "immediate" in inside):
        return Due(
            None,
            None,
            f"no deadline printed: {deadline!r} is a word inside the recommendation's sentence, "
            "not its time",
        )
    return due_date(deadline, made)


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
