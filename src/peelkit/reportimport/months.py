"""The month names and abbreviations documents print in dates ("22 March 2018", "4 Sept 2014"),
for every reader that reads a printed date."""

from __future__ import annotations

MONTH_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
# A month's name or abbreviation, lower case -> its number.
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
