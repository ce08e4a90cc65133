"""Rounding as published statistics do: half up (Python's round() rounds half to even)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """2.5 -> 3, -2.5 -> -3 (half away from zero, as ONS tables and HMICFRS reports print)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def display(value: Decimal | None, decimals: int, thousands: bool = True) -> str | None:
    """The figure as a report prints it: rounded half up, with thousands separators."""
    if value is None:
        return None
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"
