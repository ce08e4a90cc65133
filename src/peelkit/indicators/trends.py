"""The tested recent trend of an indicator for one force (docs/statistics.md).

The last five non-overlapping annual points; a weighted least-squares line with weights 1/SE²
(the standard errors taken as known); the slope is significant only when |slope / SE(slope)|
exceeds the two-sided 99.8% normal quantile and the slope keeps its sign whenever any one
point is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from peelkit.indicators.uncertainty import Z

POINTS = 5
INCREASING = "increasing"
DECREASING = "decreasing"
NO_CHANGE = "no significant change"
CANNOT = "cannot be calculated"


@dataclass(frozen=True)
class TrendInput:
    label: str  # the period, e.g. "12 months to September 2018"
    time: float  # in years
    value: float | None
    standard_error: float | None
    break_before: bool = False  # the series is not comparable with the point before


@dataclass(frozen=True)
class TrendResult:
    call: str
    why: str | None
    slope: float | None  # per year
    z: float | None = None


def weighted_slope(
    times: Sequence[float], values: Sequence[float], weights: Sequence[float]
) -> tuple[float, float]:
    """The weighted least-squares slope and its standard error (variances known)."""
    total = sum(weights)
    t_mean = sum(w * t for w, t in zip(weights, times, strict=True)) / total
    y_mean = sum(w * y for w, y in zip(weights, values, strict=True)) / total
    sxx = sum(w * (t - t_mean) ** 2 for w, t in zip(weights, times, strict=True))
    sxy = sum(
        w * (t - t_mean) * (y - y_mean) for w, t, y in zip(weights, times, values, strict=True)
    )
    return sxy / sxx, 1.0 / math.sqrt(sxx)


def trend_call(series: Sequence[TrendInput]) -> TrendResult:
    """The call for a series of points, oldest first."""
    if len(series) < POINTS:
        return TrendResult(CANNOT, f"fewer than {POINTS} annual points", None)
    points = list(series)[-POINTS:]
    for point in points:
        if point.value is None:
            return TrendResult(CANNOT, f"a missing year: no figure for {point.label}", None)
    for point in points[1:]:
        if point.break_before:
            return TrendResult(CANNOT, f"a series break before {point.label}", None)
    for point in points:
        if point.standard_error is None:
            return TrendResult(CANNOT, "no standard error for this indicator", None)
        if point.standard_error <= 0:
            return TrendResult(CANNOT, f"no standard error for {point.label} (a zero count)", None)
    times = [p.time for p in points]
    values = [float(p.value) for p in points if p.value is not None]
    weights = [1.0 / float(p.standard_error) ** 2 for p in points if p.standard_error]
    slope, error = weighted_slope(times, values, weights)
    z = slope / error
    if abs(z) <= Z["99.8"] or slope == 0:
        return TrendResult(NO_CHANGE, None, slope, z)
    for drop in range(POINTS):
        keep = [i for i in range(POINTS) if i != drop]
        partial, _ = weighted_slope(
            [times[i] for i in keep], [values[i] for i in keep], [weights[i] for i in keep]
        )
        if partial == 0 or (partial > 0) != (slope > 0):
            return TrendResult(
                NO_CHANGE, f"the slope changes sign without {points[drop].label}", slope, z
            )
    return TrendResult(INCREASING if slope > 0 else DECREASING, None, slope, z)
