"""A linear axis' ticks and their labels, as matplotlib's default locator and formatter place
and print them (``AutoLocator``, ``ScalarFormatter``), for charts written as SVG directly
(peelkit.reports.trend_chart).

Only what those charts need: a view that includes zero (so no offset is ever used), at most
``bins`` intervals between ticks (matplotlib's ``nbins='auto'``: the axis length over twice the
label size, at most 9), steps of 1, 2, 2.5 and 5 times a power of ten.
tests/reports/test_trend_svg.py holds both to matplotlib's own on many views.
"""

from __future__ import annotations

import math

_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0)  # matplotlib's staircase
MINUS = "\u2212"  # matplotlib's axes.unicode_minus


def auto_bins(axis_length: float, label_size: float) -> int:
    """matplotlib's ``nbins='auto'`` for a vertical axis: the ticks that fit, 1 to 9."""
    return max(1, min(9, math.floor(axis_length / (label_size * 2))))


def _nonsingular(low: float, high: float) -> tuple[float, float]:
    if not (math.isfinite(low) and math.isfinite(high)):
        return -1e-13, 1e-13
    if high < low:
        low, high = high, low
    largest = max(abs(low), abs(high))
    if largest < (1e6 / 1e-14) * 2.2250738585072014e-308:
        return -1e-13, 1e-13
    if high - low <= largest * 1e-14:
        if high == 0 and low == 0:
            return -1e-13, 1e-13
        low -= 1e-13 * abs(low)
        high += 1e-13 * abs(high)
    return low, high


def _edge_le(x: float, step: float) -> float:
    d, m = divmod(x, step)
    return d + 1 if abs(m / step - 1) < 1e-10 else d


def _edge_ge(x: float, step: float) -> float:
    d, m = divmod(x, step)
    return d if abs(m / step) < 1e-10 else d + 1


def raw_ticks(low: float, high: float, bins: int) -> list[float]:
    """The locator's ticks for the view ``low``..``high``: those inside it and, as
    matplotlib's ``MaxNLocator`` gives them, up to one beyond each end (the formatter counts
    them in its choice of decimals)."""
    low, high = _nonsingular(low, high)
    span = high - low
    middle = (high + low) / 2
    if abs(middle) / span >= 100:
        raise ValueError("a view far from zero needs matplotlib's offset: not supported")
    scale = 10 ** (math.log10(span / bins) // 1)
    steps = [s * scale for s in _STEPS]
    raw = span / bins
    first = next((i for i, s in enumerate(steps) if s >= raw), len(steps) - 1)
    ticks: list[float] = []
    for step in reversed(steps[: first + 1]):
        best = (low // step) * step
        start = _edge_le(low - best, step)
        stop = _edge_ge(high - best, step)
        ticks = [n * step + best for n in range(int(start), int(stop) + 1)]
        if sum(1 for t in ticks if low <= t <= high) >= 2:
            break
    return ticks


def in_view(ticks: list[float], low: float, high: float) -> list[float]:
    """The ticks drawn: those in the view (matplotlib's tolerance, a 1e-10th of it)."""
    low, high = min(low, high), max(low, high)
    slack = 1e-10 * (high - low)
    return [t for t in ticks if low - slack <= t <= high + slack]


def tick_labels(ticks: list[float], low: float, high: float) -> list[str]:
    """The locator's ticks (:func:`raw_ticks`) as matplotlib's ScalarFormatter prints them:
    the same decimals for all, the fewest that tell them apart at the axis' scale; a minus
    sign for negatives. Values of a million or more, which matplotlib prints over a "1e6"
    written above the axis, are printed whole here."""
    locs = ticks if len(ticks) >= 2 else [*ticks, low, high]
    spread = max(locs) - min(locs)
    if spread == 0:
        spread = max(abs(v) for v in locs)
    if spread == 0:
        spread = 1
    magnitude = math.floor(math.log10(spread))
    places = max(0, 3 - magnitude)
    threshold = 1e-3 * 10**magnitude
    while places >= 0:
        if max(abs(v - round(v, places)) for v in locs) < threshold:
            places -= 1
        else:
            break
    places += 1
    labels = []
    for tick in ticks:
        value = 0.0 if abs(tick) < 1e-8 else tick
        labels.append(f"{value:1.{places}f}".replace("-", MINUS))
    return labels
