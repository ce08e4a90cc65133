"""Intervals, significance, rank intervals and trends for the engine's results.

The engine (compute.py) gives the published figures; this module adds the uncertainty beside
them without changing any of them. Formulas: uncertainty.py, ranks.py, trends.py and
docs/statistics.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
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
    Call,
    Interval,
    Z,
    count_interval,
    judgement,
    rate_interval,
    rate_standard_error,
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


Bounds = tuple[float, float, float, float]  # 95% lower and upper, 99.8% lower and upper

# z by level (rows) and limit (lower, upper), with the sign Byar's formula gives it
_SIGNED_Z = np.array([[[-Z[level]], [Z[level]]] for level in LEVELS])

# The exact interval of a count below BYAR_FROM events (a pure function, cached: small counts
# repeat across indicators and periods).
_count_interval = lru_cache(maxsize=4096)(count_interval)


def _all_intervals(
    indicator: Indicator, counts: dict[str, tuple[float, float]]
) -> dict[str, Bounds]:
    """Every force's interval bounds at both levels; Byar's formula at once over the forces
    with 10 events or more (the same formula as :func:`uncertainty.byar`, on arrays), the exact
    method (as :func:`uncertainty.rate_interval` gives it) below."""
    if indicator.interval != "poisson" or not counts:
        out: dict[str, Bounds] = {}
        for force, (top, bottom) in counts.items():
            found = intervals(indicator, top, bottom)
            if found:
                i95, i998 = found["95"], found["99.8"]
                out[force] = (i95.lower, i95.upper, i998.lower, i998.upper)
        return out
    forces = list(counts)
    o = np.array([top for top, _ in counts.values()])
    scale = indicator.multiplier / np.array([bottom for _, bottom in counts.values()])
    big = o >= BYAR_FROM
    safe = np.where(big, o, BYAR_FROM)
    # Byar's formula for both levels and both limits at once, each term computed as the
    # formula computes it: rows (o, o + 1) for the lower and upper limits, against z with the
    # sign each limit takes (a - b and a + -b are the same float)
    events = np.stack((safe, safe + 1))
    base = 1 - 1 / (9 * events)
    root = 3 * np.sqrt(events)
    limits = events * (base + _SIGNED_Z / root) ** 3 * scale
    bounds = limits.reshape(2 * len(LEVELS), len(forces)).tolist()
    out = dict(zip(forces, zip(*bounds, strict=True), strict=True))
    multiplier = indicator.multiplier
    for i in np.flatnonzero(~big).tolist():
        # as rate_interval: the count's exact limits times multiplier / population
        force = forces[i]
        top, bottom = counts[force]
        limits95, limits998 = _count_interval(top, "95"), _count_interval(top, "99.8")
        k = multiplier / bottom
        out[force] = (
            limits95.lower * k,
            limits95.upper * k,
            limits998.lower * k,
            limits998.upper * k,
        )
    return out


CALLS: tuple[Call, ...] = ("higher", "lower", "similar")


def _judgements(polarity: str) -> dict[str, str | None]:
    return {call: judgement(call, polarity) for call in CALLS}


def _group(engine: Engine, force: str, period: Period) -> tuple[str, ...] | None:
    """The force and its most similar group's peers (what the group's figure pools)."""
    peers = engine.group_of(force, period)
    return None if peers is None else (force, *peers)


def _groups(engine: Engine, period: Period) -> dict[str, tuple[str, ...] | None]:
    """:func:`_group` of each force, kept per engine and period (every indicator of a period
    has the same groups)."""
    key = ("most_similar_groups", period)
    found = engine.cache.get(key)
    if not isinstance(found, dict):
        found = engine.cache[key] = {}
    return found


class Statistics:
    """Everything beside the published figures, for one indicator and period over all forces.

    What the forces share is made once: every force's intervals at once, the comparators'
    pooled values (England and Wales once, each force's group and region once), the judgement
    of each call; :meth:`fields` then compares and fills in.
    """

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
        self.bounds = _all_intervals(indicator, self.counts)
        self._pooled: dict[tuple[str, ...], float | None] = {}
        self.ew_members = [f for f in engine.forces if f in self.counts]
        self._ranges: dict[str, RankRange] | None = None
        # for fields(): what the forces' rows share
        self._judgement = _judgements(indicator.polarity)
        self._notes = (
            catalogue().population_notes
            if indicator.kind == "rate" and indicator.denominator in POPULATION_DENOMINATORS
            else None
        )
        self._interval_note = indicator.interval_note if indicator.interval == "none" else None
        self._ew: list[float | None] = []  # England and Wales pooled, once made
        self._regions: dict[str, float | None] = {}  # each region's pooled figure
        self._groups: dict[str, tuple[str, ...] | None] | None = None  # force -> _group
        self._decimal: object = None  # the last comparator value converted, and its float
        self._float = 0.0

    @property
    def intervals(self) -> dict[str, dict[str, Interval]]:
        """Each force's interval at each level."""
        return {
            force: {"95": Interval(b[0], b[1]), "99.8": Interval(b[2], b[3])}
            for force, b in self.bounds.items()
        }

    # --- comparators ------------------------------------------------------------------------

    def pooled(self, members: Sequence[str]) -> float | None:
        """The published pooled figure over ``members`` (None when one has no data)."""
        key = tuple(members)
        if key in self._pooled:
            return self._pooled[key]
        counts = self.counts
        found: float | None = None
        if members and all(m in counts for m in members):
            parts = [counts[m] for m in members]
            top = sum([part[0] for part in parts])
            bottom = sum([part[1] for part in parts])
            found = top * self.indicator.multiplier / bottom
        self._pooled[key] = found
        return found

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

    def _pooled_values(self, result: Result) -> tuple[float | None, float | None, float | None]:
        """The pooled England and Wales, group and region figures of ``result``'s force, as
        :meth:`comparator_value` makes them when the result carries no value of its own
        (England and Wales and each region made once)."""
        force = result.force
        engine = self.engine
        if not self._ew:
            self._ew.append(self.pooled(self.ew_members))
        if result.period is self.period:
            if self._groups is None:
                self._groups = _groups(engine, self.period)
            if force in self._groups:
                group = self._groups[force]
            else:
                group = self._groups[force] = _group(engine, force, self.period)
        else:
            group = _group(engine, force, result.period)
        region = engine.regions.get(force)
        if region is None:
            in_region = None
        elif region in self._regions:
            in_region = self._regions[region]
        else:
            in_region = self._regions[region] = self.pooled(engine.region_members[region])
        return (
            self._ew[0],
            None if group is None else self.pooled(group),
            in_region,
        )

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
        """The statistics keys of ``result``'s row (those :func:`empty_fields` lists)."""
        force = result.force
        note = self._interval_note
        significance: list[dict[str, Any]] = []
        lo95: float | None
        up95: float | None
        lo998: float | None
        up998: float | None
        found = self.bounds.get(force)
        if found is not None:
            lo95, up95, lo998, up998 = found
            ew, group, region = self._pooled_values(result)
            given = result.comparator_value
            if given is not None:  # the result's own comparator value, as comparator_value
                if given is not self._decimal:  # most forces share one (the same Decimal)
                    self._decimal, self._float = given, float(given)
                own = result.comparator
                if own == "england_and_wales":
                    ew = self._float
                elif own == "most_similar_group":
                    group = self._float
                elif own == "region":
                    region = self._float
            judged = self._judgement
            for comparator, value in (
                ("england_and_wales", ew),
                ("most_similar_group", group),
                ("region", region),
            ):
                if value is None:
                    continue
                # significance_call at each level: the comparator outside the interval
                call = "higher" if value < lo95 else "lower" if value > up95 else "similar"
                wide = "higher" if value < lo998 else "lower" if value > up998 else "similar"
                significance += (
                    {
                        "comparator": comparator,
                        "level": "95",
                        "comparator_value": value,
                        "call": call,
                        "judgement": judged[call],
                    },
                    {
                        "comparator": comparator,
                        "level": "99.8",
                        "comparator_value": value,
                        "call": wide,
                        "judgement": judged[wide],
                    },
                )
        else:
            lo95 = up95 = lo998 = up998 = None
            if result.value is not None and self.indicator.interval != "none":
                note = "no count and population to compute an interval from"
        ranges = self._ranges if self._ranges is not None else self.rank_ranges()
        ranked = ranges.get(force)
        rank_interval = None
        if ranked is not None and result.rank_display is not None:
            rank_interval = {
                "lower": ranked.lower,
                "upper": ranked.upper,
                "of": ranked.of,
                "display": ranked.display(result.rank_display),
            }
        notes = self._notes
        return {
            "ci95_lower": lo95,
            "ci95_upper": up95,
            "ci998_lower": lo998,
            "ci998_upper": up998,
            "interval_note": note,
            "polarity": self.indicator.polarity,
            "population_note": None if notes is None else notes.get(force),
            "significance": significance,
            "rank_interval": rank_interval,
            "trend": self.trend(force) if with_trend else None,
        }

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
