"""Statistical periods: a 12-month rolling year, a point in time, a mid-year estimate.

Published statistics count crimes over the 12 months ending a quarter ("12 months to 30
September 2018"; a financial year is the 12 months to 31 March), count the workforce at a date
("31 March 2019"), and estimate population at the middle of a year ("mid-2018").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from peelkit.errors import PeelkitError

PeriodKind = Literal["year_ending", "at_date", "mid_year", "month"]


class InvalidPeriod(PeelkitError):
    code = "invalid_period"

    def __init__(self, text: str, expected: str) -> None:
        super().__init__(f"invalid period {text!r} (expected {expected})")


@dataclass(frozen=True, order=True)
class Period:
    end: dt.date
    kind: PeriodKind = "year_ending"

    @classmethod
    def year_ending(cls, year: int, month: int) -> Period:
        """The 12 months ending on the last day of ``month`` of ``year``."""
        return cls(dt.date(year, month, calendar.monthrange(year, month)[1]), "year_ending")

    @classmethod
    def financial_year(cls, text: str) -> Period:
        """``2017/18`` (or ``2017-18``): the 12 months to 31 March 2018."""
        match = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*", text)
        if not match:
            raise InvalidPeriod(text, "a financial year such as 2017/18")
        start = int(match.group(1))
        end = int(match.group(2))
        end = end if end > 99 else (start // 100) * 100 + end
        if end != start + 1:
            raise InvalidPeriod(text, "a financial year such as 2017/18")
        return cls.year_ending(end, 3)

    @classmethod
    def from_month(cls, text: str) -> Period:
        """``2018-09``: the 12 months ending September 2018."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2:
            # Year 1 is the first a date can have, and a year ending needs the year before it.
            raise InvalidPeriod(text, "a month YYYY-MM")
        return cls.year_ending(int(match.group(1)), int(match.group(2)))

    @classmethod
    def at(cls, date: dt.date) -> Period:
        return cls(date, "at_date")

    @classmethod
    def mid_year(cls, year: int) -> Period:
        return cls(dt.date(year, 6, 30), "mid_year")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month (police.uk publishes crimes by month)."""
        return cls(dt.date(year, month, calendar.monthrange(year, month)[1]), "month")

    def shifted(self, years: int) -> Period:
        """The same period ``years`` earlier (negative) or later."""
        year = self.end.year + years
        day = min(self.end.day, calendar.monthrange(year, self.end.month)[1])
        return Period(dt.date(year, self.end.month, day), self.kind)

    @property
    def is_financial_year(self) -> bool:
        return self.kind == "year_ending" and (self.end.month, self.end.day) == (3, 31)

    @property
    def key(self) -> str:
        """A stable text key: ``ye2018-09``, ``at2019-03-31``, ``mid2018``."""
        if self.kind == "year_ending":
            return f"ye{self.end:%Y-%m}"
        if self.kind == "at_date":
            return f"at{self.end.isoformat()}"
        if self.kind == "month":
            return f"m{self.end:%Y-%m}"
        return f"mid{self.end.year}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        if key.startswith("ye"):
            return cls.from_month(key[2:])
        if key.startswith("at"):
            return cls.at(dt.date.fromisoformat(key[2:]))
        if key.startswith("mid"):
            return cls.mid_year(int(key[3:]))
        if key.startswith("m"):
            month = cls.from_month(key[1:])
            return cls.month(month.end.year, month.end.month)
        raise InvalidPeriod(key, "a period key such as ye2018-09, at2019-03-31 or mid2018")

    def label(self) -> str:
        """As reports print it: "12 months to 30 September 2018", "2017/18", "31 March 2019"."""
        if self.kind == "mid_year":
            return f"mid-{self.end.year}"
        if self.kind == "at_date":
            return f"{self.end.day} {self.end:%B %Y}"
        if self.kind == "month":
            return f"{self.end:%B %Y}"
        if self.is_financial_year:
            return f"{self.end.year - 1}/{self.end.year % 100:02d}"
        return f"12 months to {self.end.day} {self.end:%B %Y}"
