"""What a cell must hold to be stored as a figure, whatever the publication.

A reader parses a cell's text as a number; these are the numbers it must still refuse: one
that is not finite (``1e400`` parses as infinity, ``nan`` as no number), one too large for the
database to hold exactly (past 2^53 a float is not the printed whole number), and a count that
is not whole (12.5 crimes). Each is a data problem naming the cell, and the figure is not
stored: the rest of the file still is.
"""

from __future__ import annotations

import math

# Past this, a float no longer holds every whole number: the figure stored would not be the
# number printed.
LARGEST_EXACT = 2**53
# Units whose figures are whole numbers (sources/measures.yaml).
WHOLE_UNITS = frozenset({"count", "people", "households", "headcount"})


def figure_problem(number: float, printed: object, unit: str | None) -> tuple[str, str] | None:
    """(code, message) of the problem with ``number`` (read from ``printed``) as a figure of
    ``unit``, or None when it may be stored."""
    if not math.isfinite(number):
        return "not_a_number", f"{printed!r} is not a finite number"
    if abs(number) >= LARGEST_EXACT:
        return (
            "figure_out_of_range",
            f"{printed!r} is too large for a figure (2^53 or more cannot be stored exactly)",
        )
    if unit in WHOLE_UNITS and number != int(number):
        return "not_a_count", f"{printed!r} is not a whole number, as a {unit} must be"
    return None
