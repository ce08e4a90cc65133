"""The fast statistics (comparison.Statistics, ranks.rank_intervals) against plain
re-computations written out here: every force's intervals one force at a time, the
significance calls from uncertainty.significance_call and the comparators pooled by hand, and
rank intervals by ranking each round with a stable argsort and reading the percentiles off
each force's sorted ranks. Every value must be the same float (no tolerance)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.comparison import Statistics
from peelkit.indicators.compute import Engine, NoData, Result
from peelkit.indicators.national import every_indicator_period
from peelkit.indicators.ranks import DRAWS, NORMAL_FROM, SEED, _stable_order, rank_intervals
from peelkit.indicators.service import make_engine
from peelkit.indicators.uncertainty import (
    LEVELS,
    Interval,
    Level,
    Z,
    byar,
    judgement,
    rate_interval,
    significance_call,
)
from peelkit.reference import shipped_groups
from peelkit.sources.dataset import embedded


@pytest.fixture(scope="module")
def engine() -> Engine:
    return make_engine(embedded(), list(shipped_groups()))


@pytest.fixture(scope="module")
def sample(engine: Engine) -> list[tuple[str, Any, int]]:
    """Every 25th indicator-period of the national set (rates, changes and values)."""
    return every_indicator_period(engine)[::25]


# --- plain re-computations ----------------------------------------------------------------


def order_bits_by_hand(values: np.ndarray) -> np.ndarray:
    """What rates are compared by: each float32 as an integer in the floats' order (-0.0 as
    +0.0; a negative float's magnitude bits reversed below zero), floor-divided by 2**shift,
    shift the bits that tell 0..n-1 forces apart (rates within 1 part in 2**(23 - shift) of
    each other count as equal)."""
    n = values.shape[1]
    shift = max(1, (n - 1).bit_length())
    as_int = (np.asarray(values, dtype=np.float32) + np.float32(0)).view(np.int32).astype(np.int64)
    ordered = np.where(as_int < 0, -(as_int & 0x7FFFFFFF) - 1, as_int)
    coarse: np.ndarray = ordered // (1 << shift)
    return coarse


def plain_rank_intervals(
    counts: dict[str, tuple[float, float]], ranks: dict[str, int], higher_is_first: bool
) -> dict[str, tuple[int, int, int]]:
    """The method as docs/statistics.md gives it: normal draws from PCG64(SEED), exact Poisson
    draws below NORMAL_FROM events from PCG64(SEED + 1), each round ranked by a stable
    argsort of the rates' order bits (negated when higher is first), each force's 2.5th and
    97.5th percentile rank, widened to hold its rank."""
    forces = sorted(counts)
    n = len(forces)
    observed = np.array([counts[f][0] for f in forces], dtype=np.float32)
    population = np.array([counts[f][1] for f in forces], dtype=np.float32)
    normals = np.random.Generator(np.random.PCG64(SEED)).standard_normal(
        size=(DRAWS, n), dtype=np.float32
    )
    simulated = observed + np.sqrt(observed) * normals
    small = observed < NORMAL_FROM
    if small.any():
        poisson = np.random.Generator(np.random.PCG64(SEED + 1))
        drawn = poisson.poisson(observed[small], size=(DRAWS, int(small.sum())))
        simulated[:, small] = drawn.astype(np.float32)
    keys = order_bits_by_hand(simulated / population)
    if higher_is_first:
        keys = -keys
    order = np.argsort(keys, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(1, n + 1)[None, :], axis=1)
    rank.sort(axis=0)
    low = rank[math.floor(0.025 * (DRAWS - 1))]
    high = rank[math.ceil(0.975 * (DRAWS - 1))]
    return {
        f: (min(int(low[i]), ranks[f]), max(int(high[i]), ranks[f]), n)
        for i, f in enumerate(forces)
    }


def plain_interval(count: float, population: float, multiplier: int, level: Level) -> Interval:
    """Byar's formula on a one-force array (the method's arithmetic), the exact method below
    10 events."""
    if count < 10:
        return rate_interval(count, population, multiplier, level)
    o = np.array([count])
    scale = multiplier / np.array([population])
    z = Z[level]
    lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3 * scale
    up = o + 1
    upper = up * (1 - 1 / (9 * up) + z / (3 * np.sqrt(up))) ** 3 * scale
    found = Interval(float(lower[0]), float(upper[0]))
    scalar = byar(count, level)
    assert found.lower == pytest.approx(scalar.lower * multiplier / population, rel=1e-12)
    return found


def plain_pooled(results: list[Result], members: list[str], multiplier: int) -> float | None:
    by_force = {r.force: r for r in results}
    parts = []
    for member in members:
        r = by_force.get(member)
        if r is None or r.value is None or r.numerator is None or r.denominator is None:
            return None
        parts.append((float(r.numerator), float(r.denominator)))
    if not parts:
        return None
    return sum(p[0] for p in parts) * multiplier / sum(p[1] for p in parts)


def plain_ranks(results: list[Result]) -> dict[str, tuple[int, int, int]] | None:
    """The rank intervals of an indicator-period's results (None where there are none)."""
    indicator = catalogue().get(results[0].indicator)
    ranks = {r.force: r.rank for r in results if r.rank is not None}
    counts = {
        r.force: (float(r.numerator), float(r.denominator))
        for r in results
        if r.rank is not None
        and r.value is not None
        and r.numerator is not None
        and r.denominator is not None
    }
    if indicator.interval != "poisson" or len(counts) != len(ranks):
        return None
    return plain_rank_intervals(counts, ranks, indicator.better == "higher")


def plain_fields(
    engine: Engine,
    results: list[Result],
    result: Result,
    ranked: dict[str, tuple[int, int, int]] | None,
) -> dict[str, Any]:
    indicator = catalogue().get(result.indicator)
    assert indicator.interval in ("poisson", "none")  # no proportion in the national set
    counted = (
        result.value is not None and result.numerator is not None and result.denominator is not None
    )
    out: dict[str, Any] = {
        "ci95_lower": None,
        "ci95_upper": None,
        "ci998_lower": None,
        "ci998_upper": None,
        "interval_note": indicator.interval_note if indicator.interval == "none" else None,
        "polarity": indicator.polarity,
        "population_note": (
            catalogue().population_notes.get(result.force)
            if indicator.kind == "rate" and indicator.denominator in ("population", "households")
            else None
        ),
        "significance": [],
        "rank_interval": None,
        "trend": None,
    }
    if counted and indicator.interval == "poisson":
        assert result.numerator is not None and result.denominator is not None
        top, bottom = float(result.numerator), float(result.denominator)
        found = {
            level: plain_interval(top, bottom, indicator.multiplier, level) for level in LEVELS
        }
        out["ci95_lower"], out["ci95_upper"] = found["95"].lower, found["95"].upper
        out["ci998_lower"], out["ci998_upper"] = found["99.8"].lower, found["99.8"].upper
        with_data = [
            r.force
            for r in results
            if r.value is not None and r.numerator is not None and r.denominator is not None
        ]
        peers = engine.group_of(result.force, result.period)
        region = engine.regions.get(result.force)
        pooled = {
            "england_and_wales": plain_pooled(
                results, [f for f in engine.forces if f in with_data], indicator.multiplier
            ),
            "most_similar_group": None
            if peers is None
            else plain_pooled(results, [result.force, *peers], indicator.multiplier),
            "region": None
            if region is None
            else plain_pooled(results, engine.region_members[region], indicator.multiplier),
        }
        if result.comparator in pooled and result.comparator_value is not None:
            pooled[result.comparator] = float(result.comparator_value)
        for comparator, value in pooled.items():
            if value is None:
                continue
            for level in LEVELS:
                call = significance_call(value, found[level])
                out["significance"].append(
                    {
                        "comparator": comparator,
                        "level": level,
                        "comparator_value": value,
                        "call": call,
                        "judgement": judgement(call, indicator.polarity),
                    }
                )
    elif result.value is not None and indicator.interval != "none":
        out["interval_note"] = "no count and population to compute an interval from"
    if ranked is not None and result.force in ranked and result.rank_display is not None:
        lower, upper, of = ranked[result.force]
        out["rank_interval"] = {
            "lower": lower,
            "upper": upper,
            "of": of,
            "display": f"rank {result.rank_display} ({lower}\u2013{upper}) of {of}",
        }
    return out


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types and the same key order throughout."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# --- the statistics of rows ------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "msg_method"),
    [
        ("england_and_wales", "pooled"),
        ("most_similar_group", "mean"),
        ("region", "pooled"),
    ],
)
def test_fields_are_the_plain_computation(
    engine: Engine, sample: list[tuple[str, Any, int]], comparator: str, msg_method: Any
) -> None:
    engine.cache.clear()
    rows = with_rank = 0
    for indicator_id, period, year in sample:
        indicator = catalogue().get(indicator_id)
        if comparator not in (*indicator.comparators, "region"):
            continue
        try:
            results = engine.compute(indicator_id, period, comparator, year, msg_method)
        except NoData:
            continue
        statistics = Statistics(engine, indicator, period, results, year, msg_method)
        ranked = plain_ranks(results)
        for result in results:
            fast = statistics.fields(result)
            plain = plain_fields(engine, results, result, ranked)
            assert same(fast, plain), (indicator_id, period.key, result.force)
            rows += 1
            with_rank += fast["rank_interval"] is not None
    assert rows > 200 and with_rank > 100


def test_the_intervals_property_gives_every_forces_interval(engine: Engine) -> None:
    period = every_indicator_period(engine)[0][1]
    indicator = catalogue().get("sexual_offences_per_1000")
    results = engine.compute(indicator.id, period, population_year=period.end.year)
    statistics = Statistics(engine, indicator, period, results, period.end.year, "pooled")
    for force, found in statistics.intervals.items():
        fields = statistics.fields(statistics.by_force[force])
        assert found["95"] == Interval(fields["ci95_lower"], fields["ci95_upper"])
        assert found["99.8"] == Interval(fields["ci998_lower"], fields["ci998_upper"])


# --- rank intervals ----------------------------------------------------------------------


def _as_tuples(found: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    for r in found.values():
        assert type(r.lower) is int and type(r.upper) is int and type(r.of) is int
    return {f: (r.lower, r.upper, r.of) for f, r in found.items()}


def _check(counts: dict[str, tuple[float, float]], ranks: dict[str, int]) -> None:
    for higher_is_first in (False, True):
        assert _as_tuples(rank_intervals(counts, ranks, higher_is_first)) == (
            plain_rank_intervals(counts, ranks, higher_is_first)
        )


def test_rank_intervals_of_the_national_set(
    engine: Engine, sample: list[tuple[str, Any, int]]
) -> None:
    done = 0
    for indicator_id, period, year in sample:
        if catalogue().get(indicator_id).interval != "poisson":
            continue
        try:
            results = engine.compute(indicator_id, period, population_year=year)
        except NoData:
            continue
        counts = {
            r.force: (float(r.numerator), float(r.denominator))
            for r in results
            if r.rank is not None and r.numerator is not None and r.denominator is not None
        }
        ranks = {r.force: r.rank for r in results if r.force in counts and r.rank is not None}
        _check(counts, ranks)
        done += 1
    assert done >= 10


def test_rank_intervals_with_ties_zero_counts_and_few_forces() -> None:
    # counts of 0 to 3: most rounds have forces tied at a rate of 0, ranked in force order
    small = {f"f{i:02d}": (float(i % 4), 1000.0) for i in range(30)}
    _check(small, {f: 1 + i for i, f in enumerate(sorted(small))})
    # equal counts and populations tie in every round
    _check({f"f{i}": (5000.0, 1e6) for i in range(6)}, {f"f{i}": 1 for i in range(6)})
    _check({"only": (12.0, 100.0)}, {"only": 1})
    _check({"a": (1500.0, 1e5), "b": (1490.0, 1e5)}, {"a": 2, "b": 1})
    # normal draws only, over 43 forces
    many = {f"f{i:02d}": (1000.0 + 37.0 * i, 1e5 + 1e3 * i) for i in range(43)}
    _check(many, {f: 1 + i for i, f in enumerate(sorted(many))})


def test_rank_intervals_of_negative_rates() -> None:
    # not data one meets, but the order must still be the rates' order: negative populations
    # give negative rates, and a rate of 0 divided by a negative population is -0.0
    counts = {f"f{i}": (float(3 * i), -1000.0 - i) for i in range(8)}
    counts |= {f"g{i}": (float(2 * i), 900.0 + i) for i in range(8)}
    _check(counts, {f: 1 + i for i, f in enumerate(sorted(counts))})


def test_the_rank_order_of_float32_rounds_is_a_stable_argsort() -> None:
    generator = np.random.Generator(np.random.PCG64(11))
    values = generator.standard_normal((300, 43)).astype(np.float32)
    values[:100] = np.round(values[:100])  # ties, and -0.0 beside 0.0
    values[100:150] = -values[100:150]
    values[150, :5] = [np.inf, -np.inf, 0.0, -0.0, 0.0]
    expected = np.argsort(order_bits_by_hand(values), axis=1, kind="stable")
    assert (_stable_order(values) == expected).all()
    # where no two values of a row are within 1 part in 10,000, the order is the values' own
    finite = np.where(np.isfinite(values), values, 0.0).astype(np.float64)
    ordered = np.sort(finite, axis=1)
    gaps = np.diff(ordered, axis=1) / np.maximum(np.abs(ordered[:, 1:]), 1e-30)
    apart = (gaps > 1e-4).all(axis=1) & np.isfinite(values).all(axis=1)
    assert apart.sum() > 50
    own = np.argsort(values[apart], axis=1, kind="stable")
    assert (_stable_order(values[apart]) == own).all()
