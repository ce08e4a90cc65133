"""Assessment years as the reports write them: "2004/05", "2018/19", "2017", "2023-25"."""

from __future__ import annotations

import re

from peelkit.errors import PeelkitError

_RANGE = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_SINGLE = re.compile(r"^(\d{4})$")


class InvalidYear(PeelkitError):
    code = "invalid_year"

    def __init__(self, text: str) -> None:
        super().__init__(
            f"invalid year {text!r} (expected a year such as 2017, or a range such as 2018/19)"
        )


def normalise_year(text: str) -> str:
    """``2018-19``, ``2018/2019`` and ``2018/19`` all become ``2018/19``; ``2017`` stays.

    A range that spans more than one year keeps its hyphen, as HMICFRS writes ``2023-25``.
    """
    value = str(text).strip()
    if _SINGLE.match(value):
        return value
    match = _RANGE.match(value)
    if not match:
        raise InvalidYear(value)
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if end_year < start + 1 and len(end) == 2:
        end_year += 100  # 1999/00
    if end_year <= start or end_year - start > 9:
        raise InvalidYear(value)
    if end_year == start + 1:
        return f"{start}/{end_year % 100:02d}"
    return f"{start}-{end_year % 100:02d}"


def start_year(year: str) -> int:
    """The calendar year an assessment year starts in, for ordering."""
    return int(normalise_year(year)[:4])
