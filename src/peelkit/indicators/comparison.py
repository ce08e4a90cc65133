"""Intervals, significance, rank intervals and trends for the engine's results.

The engine (compute.py) gives the published figures; this module adds the uncertainty beside
them without changing any of them. Formulas: uncertainty.py, ranks.py, trends.py and
docs/statistics.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import Indicator, catalogue
from peelkit.indicators.compute import Engine, MsgMethod, Result
from peelkit.indicators.ranks import RankRange, rank_intervals
from peelkit.indicators.trends import CANNOT, POINTS, TrendInput, trend_call
from peelkit.indicators.uncertainty import (
    BYAR_FROM,
    LEVELS,
    Interval,
    Z,
    judgement,
    rate_interval,
    rate_standard_error,
    significance_call,
    wilson,
)

SIGNIFICANCE_COMPARATORS = ("england_and_wales", "most_similar_group", "region")
POPULATION_DENOMINATORS = ("population", "households")


def empty_fields(indicator: Indicator, force: str) -> dict[str, Any]:
    """The statistics keys of a row, before (or without) computing them."""
    return {
        "ci95_lower": None,
        "ci95_upper": None,
        "ci998_lower": None,
        "ci998_upper": None,
        "interval_note": indicator.interval_note if indicator.interval == "none" else None,
        "polarity": indicator.polarity,
        "population_note": population_note(indicator, force),
        "significance": [],
        "rank_interval": None,
        "trend": None,
    }


def population_note(indicator: Indicator, force: str) -> str | None:
    """The catalogue's note for a force whose population misleads a rate."""
    if indicator.kind != "rate" or indicator.denominator not in POPULATION_DENOMINATORS:
        return None
    return catalogue().population_notes.get(force)


def intervals(indicator: Indicator, numerator: float, denominator: float) -> dict[str, Interval]:
    """The force's intervals at each level (in the indicator's unit)."""
    if indicator.interval == "poisson":
        return {
            level: rate_interval(numerator, denominator, indicator.multiplier, level)
            for level in LEVELS
        }
    if indicator.interval == "wilson":
        scale = float(indicator.multiplier)
        out: dict[str, Interval] = {}
        for level in LEVELS:
            found = wilson(numerator, denominator, level)
            out[level] = Interval(found.lower * scale, found.upper * scale)
        return out
    return {}


def _all_intervals(
    indicator: Indicator, counts: dict[str, tuple[float, float]]
) -> dict[str, dict[str, Interval]]:
    """Every force's intervals; Byar's formula at once over the forces with 10 events or more
    (the same formula as :func:`uncertainty.byar`, on arrays)."""
    if indicator.interval != "poisson" or not counts:
        return {f: intervals(indicator, top, bottom) for f, (top, bottom) in counts.items()}
    forces = list(counts)
    o = np.array([counts[f][0] for f in forces])
    scale = indicator.multiplier / np.array([counts[f][1] for f in forces])
    big = o >= BYAR_FROM
    safe = np.where(big, o, BYAR_FROM)
    out: dict[str, dict[str, Interval]] = {f: {} for f in forces}
    for level in LEVELS:
        z = Z[level]
        lower = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3 * scale
        up = safe + 1
        upper = up * (1 - 1 / (9 * up) + z / (3 * np.sqrt(up))) ** 3 * scale
        for i, force in enumerate(forces):
            if big[i]:
                out[force][level] = Interval(float(lower[i]), float(upper[i]))
            else:
                top, bottom = counts[force]
                out[force][level] = rate_interval(top, bottom, indicator.multiplier, level)
    return out


class Statistics:
    """Everything beside the published figures, for one indicator and period over all forces."""

    def __init__(
        self,
        engine: Engine,
        indicator: Indicator,
        period: Period,
        results: Sequence[Result],
        population_year: int,
        msg_method: MsgMethod,
    ) -> None:
        self.engine = engine
        self.indicator = indicator
        self.period = period
        self.population_year = population_year
        self.msg_method = msg_method
        self.by_force = {r.force: r for r in results}
        self.counts: dict[str, tuple[float, float]] = {
            r.force: (float(r.numerator), float(r.denominator))
            for r in results
            if r.value is not None and r.numerator is not None and r.denominator is not None
        }
        self.intervals = _all_intervals(indicator, self.counts)
        self._pooled: dict[tuple[str, ...], float | None] = {}
        self.ew_members = [f for f in engine.forces if f in self.counts]
        self._ranges: dict[str, RankRange] | None = None

    # --- comparators ------------------------------------------------------------------------

    def pooled(self, members: Sequence[str]) -> float | None:
        """The published pooled figure over ``members`` (None when one has no data)."""
        key = tuple(members)
        if key not in self._pooled:
            if any(m not in self.counts for m in members) or not members:
                self._pooled[key] = None
            else:
                top = sum(self.counts[m][0] for m in members)
                bottom = sum(self.counts[m][1] for m in members)
                self._pooled[key] = top * self.indicator.multiplier / bottom
        return self._pooled[key]

    def comparator_value(self, result: Result, comparator: str) -> float | None:
        if result.comparator == comparator and result.comparator_value is not None:
            return float(result.comparator_value)
        if comparator == "england_and_wales":
            return self.pooled(self.ew_members)
        if comparator == "most_similar_group":
            peers = self.engine.group_of(result.force, result.period)
            return None if peers is None else self.pooled([result.force, *peers])
        region = self.engine.regions.get(result.force)
        if region is None:
            return None
        return self.pooled(self.engine.region_members[region])

    # --- rank intervals ---------------------------------------------------------------------

    def rank_ranges(self) -> dict[str, RankRange]:
        if self._ranges is not None:
            return self._ranges
        key = ("rank_intervals", self.indicator.id, self.period.key, self.population_year)
        cached = self.engine.cache.get(key)
        if cached is None:
            ranks = {f: r.rank for f, r in self.by_force.items() if r.rank is not None}
            counted = {f: c for f, c in self.counts.items() if f in ranks}
            found = (
                rank_intervals(counted, ranks, self.indicator.better == "higher")
                if self.indicator.interval == "poisson" and len(counted) == len(ranks)
                else {}
            )
            self.engine.cache[key] = found
            cached = found
        assert isinstance(cached, dict)
        self._ranges = cached
        return cached

    # --- one force's fields -----------------------------------------------------------------

    def fields(self, result: Result, with_trend: bool = False) -> dict[str, Any]:
        out = empty_fields(self.indicator, result.force)
        found = self.intervals.get(result.force)
        if found:
            out["ci95_lower"], out["ci95_upper"] = found["95"].lower, found["95"].upper
            out["ci998_lower"], out["ci998_upper"] = found["99.8"].lower, found["99.8"].upper
            calls = []
            for comparator in SIGNIFICANCE_COMPARATORS:
                value = self.comparator_value(result, comparator)
                if value is None:
                    continue
                for level in LEVELS:
                    call = significance_call(value, found[level])
                    calls.append(
                        {
                            "comparator": comparator,
                            "level": level,
                            "comparator_value": value,
                            "call": call,
                            "judgement": judgement(call, self.indicator.polarity),
                        }
                    )
            out["significance"] = calls
        elif result.value is not None and self.indicator.interval != "none":
            out["interval_note"] = "no count and population to compute an interval from"
        ranked = self.rank_ranges().get(result.force)
        if ranked is not None and result.rank_display is not None:
            out["rank_interval"] = {
                "lower": ranked.lower,
                "upper": ranked.upper,
                "of": ranked.of,
                "display": ranked.display(result.rank_display),
            }
        if with_trend:
            out["trend"] = self.trend(result.force)
        return out

    def trend(self, force: str) -> dict[str, Any]:
        """The tested trend over the last five annual points ending with this period."""
        indicator = self.indicator
        inputs: list[TrendInput] = []
        points: list[dict[str, Any]] = []
        previous_end: dt.date | None = None
        for back in range(POINTS - 1, -1, -1):
            period = self.period.shifted(-back)
            parts = self.engine.parts(indicator, force, period, self.population_year - back)
            value = se = None
            ci: Interval | None = None
            if parts is not None:
                top, bottom = parts
                value = float(self.engine._value(indicator, top, bottom))
                if indicator.interval == "poisson" and bottom is not None:
                    se = rate_standard_error(float(top), float(bottom), indicator.multiplier)
                    ci = intervals(indicator, float(top), float(bottom))["95"]
            broken = previous_end is not None and any(
                previous_end < _month(b) <= period.end for b in indicator.series_breaks
            )
            previous_end = period.end
            inputs.append(TrendInput(period.label(), -float(back), value, se, broken))
            points.append(
                {
                    "period": period.label(),
                    "period_end": period.end.isoformat(),
                    "value": value,
                    "ci95_lower": ci.lower if ci else None,
                    "ci95_upper": ci.upper if ci else None,
                }
            )
        if indicator.interval == "none":
            why = f"no standard error: {indicator.interval_note}"
            return {"call": CANNOT, "why": why, "slope": None, "points": points}
        result = trend_call(inputs)
        return {"call": result.call, "why": result.why, "slope": result.slope, "points": points}


def _month(text: str) -> dt.date:
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)
