"""Intervals, significance, funnels, trends and rank intervals, each against an independent
computation: scipy.stats for the exact Poisson and gamma quantiles, Byar's and Wilson's formulas
written out here, and series constructed to have a known answer."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from scipy import special, stats

from peelkit.domain.periods import Period
from peelkit.errors import PeelkitError
from peelkit.indicators.catalogue import _indicator, catalogue
from peelkit.indicators.ranks import RankRange, rank_intervals
from peelkit.indicators.service import compute_rows, make_engine
from peelkit.indicators.trends import TrendInput, trend_call
from peelkit.indicators.uncertainty import (
    Interval,
    byar,
    chi2_quantile,
    count_interval,
    exact_poisson,
    funnel_limits,
    gamma_cdf,
    judgement,
    significance_call,
    wilson,
)
from peelkit.reference import shipped_groups
from peelkit.sources.dataset import embedded

DOCS = Path(__file__).resolve().parents[2] / "docs"
ALPHA = {"95": 0.05, "99.8": 0.002}
PERIODS = [
    (Period.year_ending(2016, 6), 2015),
    (Period.year_ending(2018, 9), 2018),
    (Period.year_ending(2014, 3), 2014),
]
RATES = [i.id for i in catalogue().indicators.values() if i.interval == "poisson"]


def scipy_exact(count: float, level: str) -> tuple[float, float]:
    a = ALPHA[level]
    lower = stats.chi2.ppf(a / 2, 2 * count) / 2 if count > 0 else 0.0
    return lower, stats.chi2.ppf(1 - a / 2, 2 * count + 2) / 2


def byar_by_hand(o: float, z: float) -> tuple[float, float]:
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def wilson_by_hand(x: float, n: float, z: float) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


Z = {"95": stats.norm.ppf(0.975), "99.8": stats.norm.ppf(0.999)}


@pytest.fixture(scope="module")
def engine() -> Any:
    return make_engine(embedded(), list(shipped_groups()))


@pytest.fixture(scope="module")
def national(engine: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for period, year in PERIODS:
        for indicator in RATES:
            try:
                rows += compute_rows(
                    engine, [indicator], period, None, "england_and_wales", year, "pooled"
                )
            except PeelkitError:
                continue
    return rows


# --- intervals -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 9, 10, 37, 101, 958, 20397, 826308])
@pytest.mark.parametrize("level", ["95", "99.8"])
def test_exact_poisson_agrees_with_scipy(count: int, level: str) -> None:
    ours = exact_poisson(count, level)  # type: ignore[arg-type]
    lower, upper = scipy_exact(count, level)
    assert ours.lower == pytest.approx(lower, rel=1e-9, abs=1e-12)
    assert ours.upper == pytest.approx(upper, rel=1e-9)


@pytest.mark.parametrize("p", [0.001, 0.025, 0.5, 0.975, 0.999])
@pytest.mark.parametrize("df", [0.5, 2, 7, 200, 2e6])
def test_chi2_quantile_agrees_with_scipy(p: float, df: float) -> None:
    assert chi2_quantile(p, df) == pytest.approx(stats.chi2.ppf(p, df), rel=1e-9)


@pytest.mark.parametrize("a", [0.5, 3.0, 99.9, 100.0, 1234.5, 87_654.3, 2.5e6])
def test_gamma_cdf_agrees_with_scipy_on_both_sides_of_the_mean(a: float) -> None:
    """Below the mean the series (summed in numpy blocks from a shape of 100), above it the
    continued fraction: each against scipy's regularized incomplete gamma function, from 3.1
    standard deviations below the mean to 3.1 above (where the 95% and 99.8% limits lie). The
    series' factor, exp(a log x - x - lgamma(a)), loses digits to cancellation at the largest
    shapes (4e-9 at a = 2.5 million): hence 1e-8."""
    for z in (-3.1, -1.96, -0.5, -1 / math.sqrt(a), 0.0, 0.9 / math.sqrt(a), 1.96, 3.1):
        x = a + z * math.sqrt(a)
        if x <= 0:
            continue
        assert gamma_cdf(a, x) == pytest.approx(special.gammainc(a, x), rel=1e-8, abs=1e-15)


@pytest.mark.parametrize("count", [101, 150, 500, 5000, 10**6])
@pytest.mark.parametrize("level", ["95", "99.8"])
def test_byar_within_half_a_percent_of_exact_above_100(count: int, level: str) -> None:
    b = byar(count, level)  # type: ignore[arg-type]
    lower, upper = scipy_exact(count, level)
    assert abs(b.lower - lower) / lower < 0.005
    assert abs(b.upper - upper) / upper < 0.005
    assert (b.lower, b.upper) == pytest.approx(byar_by_hand(count, Z[level]), rel=1e-9)


def test_every_force_and_period_has_the_interval_of_its_count(
    national: list[dict[str, Any]],
) -> None:
    """All forces, three periods, every rate: Byar by hand at 10 or more, scipy's exact below."""
    checked = small = 0
    for row in national:
        if row["value"] is None:
            assert row["ci95_lower"] is None
            continue
        count, population = row["numerator"], row["denominator"]
        multiplier = catalogue().get(row["indicator"]).multiplier
        for level, keys in (
            ("95", ("ci95_lower", "ci95_upper")),
            ("99.8", ("ci998_lower", "ci998_upper")),
        ):
            if count >= 10:
                expected = byar_by_hand(count, Z[level])
            else:
                expected = scipy_exact(count, level)
                small += 1
            got = (row[keys[0]] / multiplier * population, row[keys[1]] / multiplier * population)
            assert got == pytest.approx(expected, rel=1e-8, abs=1e-9), row["force"]
            assert row[keys[0]] <= row["value"] <= row[keys[1]]
        checked += 1
    assert checked > 43 * len(RATES) * 2  # every force, most indicators, several periods


def test_a_small_forces_sexual_offences_rate(engine: Any) -> None:
    """City of London: 107 sexual offences over 8,700 residents in the 12 months to September
    2018 (the embedded data) -> Byar's limits over the resident population."""
    [row] = compute_rows(
        engine,
        ["sexual_offences_per_1000"],
        Period.year_ending(2018, 9),
        "city-of-london",
        "england_and_wales",
        2018,
        "pooled",
    )
    assert (row["numerator"], row["denominator"]) == (107, 8700)
    lower, upper = byar_by_hand(107, Z["95"])
    assert row["ci95_lower"] == pytest.approx(lower / 8.7)
    assert row["ci95_upper"] == pytest.approx(upper / 8.7)
    assert row["population_note"] and "transient" in row["population_note"]
    assert "city-of-london" in row["comparator_forces"]  # kept in England and Wales


def test_a_zero_count() -> None:
    found = count_interval(0, "95")
    assert found.lower == 0
    assert found.upper == pytest.approx(-math.log(0.025))  # P(0 events | mean) = 2.5%
    assert count_interval(0, "99.8").upper == pytest.approx(-math.log(0.001))


@pytest.mark.parametrize("x,n", [(0, 50), (50, 50), (1, 20), (13, 40), (999, 1000)])
@pytest.mark.parametrize("level", ["95", "99.8"])
def test_wilson_against_the_formula(x: int, n: int, level: str) -> None:
    ours = wilson(x, n, level)  # type: ignore[arg-type]
    lower, upper = wilson_by_hand(x, n, Z[level])
    assert (ours.lower, ours.upper) == pytest.approx((lower, upper), abs=1e-12)
    if x == 0:
        assert ours.lower == 0 and ours.upper > 0
    if x == n:
        assert ours.upper == 1 and ours.lower < 1


def test_stock_measures_say_why_there_is_no_interval(engine: Any) -> None:
    rows = compute_rows(
        engine,
        ["police_officers_fte"],
        Period.year_ending(2019, 3),
        "metropolitan",
        "england_and_wales",
        None,
        "pooled",
    )
    assert rows[0]["ci95_lower"] is None and rows[0]["significance"] == []
    assert "not a sample" in rows[0]["interval_note"]
    assert rows[0]["trend"]["call"] == "cannot be calculated"


# --- significance and funnels ----------------------------------------------------------


def test_significance_calls_on_constructed_cases() -> None:
    interval = Interval(10.0, 12.0)
    assert significance_call(9.0, interval) == "higher"
    assert significance_call(13.0, interval) == "lower"
    assert significance_call(10.0, interval) == "similar"
    assert significance_call(12.0, interval) == "similar"
    assert judgement("higher", "low_is_good") == "worse"
    assert judgement("lower", "low_is_good") == "better"
    assert judgement("higher", "high_is_good") == "better"
    assert judgement("similar", "high_is_good") == "similar"
    assert judgement("higher", "no_judgement") is None


def test_a_difference_significant_at_95_but_not_at_998() -> None:
    """400 events against an expectation of 350: outside the 95% interval, inside the 99.8%."""
    assert significance_call(350.0, count_interval(400, "95")) == "higher"
    assert significance_call(350.0, count_interval(400, "99.8")) == "similar"


def test_rows_call_each_comparator_from_the_pooled_figures(national: list[dict[str, Any]]) -> None:
    for row in national[:200]:
        for call in row["significance"]:
            level = "95" if call["level"] == "95" else "998"
            low, high = row[f"ci{level}_lower"], row[f"ci{level}_upper"]
            value = call["comparator_value"]
            expected = "higher" if value < low else "lower" if value > high else "similar"
            assert call["call"] == expected
            if call["comparator"] == "england_and_wales":
                assert value == pytest.approx(row["comparator_value"])


def test_funnel_limits_against_scipy() -> None:
    populations = [1e4, 1e5, 1e6, 8.9e6]
    found = funnel_limits("rate", 85.0, populations)
    for i, n in enumerate(populations):
        expected = 85.0 * n / 1000
        low, high = scipy_exact(expected, "99.8")
        assert found.lower998[i] == pytest.approx(low * 1000 / n, rel=1e-9)
        assert found.upper998[i] == pytest.approx(high * 1000 / n, rel=1e-9)
        assert found.lower998[i] < found.lower95[i] < 85.0 < found.upper95[i] < found.upper998[i]
    widths = [u - lo for u, lo in zip(found.upper95, found.lower95, strict=True)]
    assert widths == sorted(widths, reverse=True)  # the funnel narrows with population
    share = funnel_limits("proportion", 0.3, [200])
    assert (share.lower95[0], share.upper95[0]) == pytest.approx(wilson_by_hand(60, 200, Z["95"]))


# --- trends ------------------------------------------------------------------------------


def _series(values: list[float | None], se: float = 1.0) -> list[TrendInput]:
    return [TrendInput(f"year {i}", float(i), v, se) for i, v in enumerate(values)]


def test_a_steady_rise_is_increasing() -> None:
    found = trend_call(_series([10, 12, 14, 16, 18], se=0.5))
    assert found.call == "increasing" and found.slope == pytest.approx(2.0)
    assert trend_call(_series([18, 16, 14, 12, 10], se=0.5)).call == "decreasing"


def test_a_rise_within_the_noise_is_not_significant() -> None:
    # slope 1 with SE(slope) = 1/sqrt(10) = 0.32 -> z = 3.16 > 3.09: significant;
    # with se=1.2, SE(slope) = 0.38 -> z = 2.6: not.
    assert trend_call(_series([10, 11, 12, 13, 14], se=1.0)).call == "increasing"
    found = trend_call(_series([10, 11, 12, 13, 14], se=1.2))
    assert found.call == "no significant change"


def test_a_trend_carried_by_one_point_is_not_significant() -> None:
    # Strong overall slope, but without the last point the slope turns negative.
    found = trend_call(_series([10.2, 10.1, 10.0, 9.9, 30.0], se=0.1))
    assert found.call == "no significant change"
    assert found.why and "without year 4" in found.why


def test_a_broken_series_cannot_be_calculated() -> None:
    missing = trend_call(_series([10, 12, None, 16, 18]))
    assert missing.call == "cannot be calculated" and "missing year" in (missing.why or "")
    points = _series([10, 12, 14, 16, 18])
    points[3] = TrendInput("year 3", 3.0, 16, 1.0, break_before=True)
    broken = trend_call(points)
    assert broken.call == "cannot be calculated" and "series break" in (broken.why or "")
    assert trend_call(_series([10, 12, 14], se=0.1)).call == "cannot be calculated"


def test_the_weighted_slope_against_numpy_polyfit() -> None:
    import numpy as np

    times, values, ses = [0, 1, 2, 3, 4], [5.0, 6.5, 6.0, 8.0, 9.5], [0.2, 0.4, 0.3, 0.5, 0.2]
    found = trend_call(
        [TrendInput(str(t), t, v, s) for t, v, s in zip(times, values, ses, strict=True)]
    )
    slope = np.polyfit(times, values, 1, w=[1 / s for s in ses])[0]  # polyfit weights 1/sigma
    assert found.slope == pytest.approx(slope)


# --- rank intervals ----------------------------------------------------------------------


def test_rank_intervals_reproducible_and_contain_the_rank(national: list[dict[str, Any]]) -> None:
    rows = [
        r
        for r in national
        if r["indicator"] == "sexual_offences_per_1000" and r["period_end"] == "2018-09-30"
    ]
    assert len(rows) == 43
    for row in rows:
        interval = row["rank_interval"]
        assert interval["lower"] <= row["rank"] <= interval["upper"]
        assert interval["of"] == 43
        assert interval["display"] == (
            f"rank {row['rank_display']} ({interval['lower']}\u2013{interval['upper']}) of 43"
        )
    counts = {r["force"]: (r["numerator"], r["denominator"]) for r in rows}
    ranks = {r["force"]: r["rank"] for r in rows}
    first = rank_intervals(counts, ranks, higher_is_first=False)
    assert first == rank_intervals(counts, ranks, higher_is_first=False)
    assert first["city-of-london"] == RankRange(43, 43, 43)  # 12 per 1,000, far the highest


def test_a_small_force_has_a_wider_rank_interval_than_a_large_one() -> None:
    """Ten forces at rates 1.0 to 1.9 per 1,000; the one at 1.5 with 50 events ranges over more
    ranks than the one at 1.4 with 50,000."""
    counts = {f"f{i}": ((10 + i) * 5000.0, 5e7) for i in range(10)}
    counts["f5"] = (75.0, 5e4)
    ranks = {f"f{i}": i + 1 for i in range(10)}
    found = rank_intervals(counts, ranks, higher_is_first=False)
    assert found["f0"] == RankRange(1, 1, 10)
    assert found["f4"].upper - found["f4"].lower <= 1  # moved only by the small force
    assert found["f5"].lower <= 3 and found["f5"].upper >= 8


def test_equal_forces_share_the_ranks_between_them() -> None:
    counts = {f"f{i}": (1000.0, 100000.0) for i in range(5)}
    found = rank_intervals(counts, {f: 3 for f in counts}, higher_is_first=False)
    assert all(r.lower <= 2 and r.upper >= 4 for r in found.values())


# --- the catalogue ---------------------------------------------------------------------


def test_every_indicator_has_a_polarity() -> None:
    for indicator in catalogue().indicators.values():
        assert indicator.polarity in ("low_is_good", "high_is_good", "no_judgement")
        if indicator.interval == "none":
            assert indicator.interval_note


@pytest.mark.parametrize(
    "change,message",
    [
        ({"polarity": "good"}, "polarity must be one of"),
        ({"polarity": "high_is_good"}, "disagrees with better"),
        ({"interval": "normal"}, "interval must be one of"),
        ({"interval": "none", "interval_note": None}, "needs an interval_note"),
        ({"series_breaks": ["2015"]}, "YYYY-MM"),
    ],
)
def test_a_bad_catalogue_entry_is_a_one_line_error(change: dict[str, Any], message: str) -> None:
    raw = {
        "label": "x",
        "kind": "rate",
        "numerator": "crimes.robbery",
        "denominator": "population",
        "multiplier": 1000,
        "unit": "per 1,000 population",
        "decimals": 0,
        "better": "lower",
        "polarity": "low_is_good",
        "interval": "poisson",
    }
    raw.update(change)
    raw = {k: v for k, v in raw.items() if v is not None}
    with pytest.raises(PeelkitError, match=message) as caught:
        _indicator("x", raw, {"comparators": ["england_and_wales"]})
    assert "indicators.x" in str(caught.value) and "\n" not in str(caught.value)


# --- the worked example in docs/statistics.md -------------------------------------------


def test_the_worked_example_of_the_docs(engine: Any) -> None:
    text = (DOCS / "statistics.md").read_text(encoding="utf-8")
    example = text[text.index("### Worked example: Dyfed-Powys") :]
    example = example[: example.index("\n## ")]
    counts, populations = [], []
    for back in range(4, -1, -1):
        parts = engine.parts(
            catalogue().get("sexual_offences_per_1000"),
            "dyfed-powys",
            Period.year_ending(2018 - back, 9),
            2018 - back,
        )
        counts.append(float(parts[0]))
        populations.append(float(parts[1]))
    o, n = counts[-1], populations[-1]

    def printed(pattern: str) -> list[float]:
        found = re.search(pattern, example, re.S)
        assert found, pattern
        return [float(g.replace(",", "")) for g in found.groups()]

    assert printed(r"O = ([\d,]+) sexual offences, N = ([\d,]+)") == [o, n]
    assert printed(r"= ([\d.]+) per 1,000\n") == [pytest.approx(o / n * 1000, abs=5e-4)]
    low, high = byar_by_hand(o, Z["95"])
    assert printed(r"\)³ = ([\d.]+) and") == [pytest.approx(low, abs=5e-3)]
    assert printed(r"\*\*([\d.]+) to ([\d.]+)\*\* per 1,000") == [
        pytest.approx(low / n * 1000, abs=5e-4),
        pytest.approx(high / n * 1000, abs=5e-4),
    ]
    low998, high998 = byar_by_hand(o, Z["99.8"])
    assert printed(r"At 99.8%: ([\d.]+) to ([\d.]+) events, \*\*([\d.]+) to ([\d.]+)\*\*") == [
        pytest.approx(low998, abs=5e-3),
        pytest.approx(high998, abs=5e-3),
        pytest.approx(low998 / n * 1000, abs=5e-4),
        pytest.approx(high998 / n * 1000, abs=5e-4),
    ]
    exact = scipy_exact(o, "95")
    assert printed(r"Exact Poisson: ([\d.]+) to ([\d.]+)") == [
        pytest.approx(exact[0], abs=5e-3),
        pytest.approx(exact[1], abs=5e-3),
    ]
    # England and Wales pooled by hand over the rows of every force
    rows = compute_rows(
        engine,
        ["sexual_offences_per_1000"],
        Period.year_ending(2018, 9),
        None,
        "england_and_wales",
        2018,
        "pooled",
        statistics=False,
    )
    pooled = sum(r["numerator"] for r in rows) / sum(r["denominator"] for r in rows) * 1000
    assert printed(r"England and Wales: \*\*([\d.]+)\*\*") == [pytest.approx(pooled, abs=5e-4)]
    listed = re.search(r"counts ([\d, ]+) over\s+populations ([\d, ]+)\):", example)
    assert listed
    assert [float(x) for x in listed.group(1).split(", ")] == counts
    assert [float(x.replace(",", "")) for x in listed.group(2).split(", ")] == populations
    import numpy as np

    rates = [c / p * 1000 for c, p in zip(counts, populations, strict=True)]
    ses = [math.sqrt(c) / p * 1000 for c, p in zip(counts, populations, strict=True)]
    slope = np.polyfit(range(5), rates, 1, w=[1 / s for s in ses])[0]
    assert printed(r"weighted slope \*\*([\d.]+)\*\*") == [pytest.approx(slope, abs=5e-4)]
    t = np.arange(5.0)
    w = 1 / np.array(ses) ** 2
    z = slope * math.sqrt(float(np.sum(w * (t - np.average(t, weights=w)) ** 2)))
    assert printed(r"z = ([\d.]+) >") == [pytest.approx(z, abs=5e-3)]
    assert "**increasing**" in example


def test_the_quick_rank_order_keeps_ties_in_force_order() -> None:
    # Zero counts tie in every round; quicksort alone may order them any way, the stable sort
    # by force order, and the rank intervals use the latter.
    import numpy as np

    from peelkit.indicators.ranks import _stable_order

    generator = np.random.Generator(np.random.PCG64(7))
    values = generator.poisson(0.3, size=(500, 43)).astype(np.float32)  # mostly 0 and 1
    # rows without ties too: distinct values, well apart (the rank order counts values within
    # 1 part in 131,072 of each other as equal)
    values[:100] = generator.permuted(np.tile(np.arange(43) * 0.37 - 5.0, (100, 1)), axis=1)
    expected = np.argsort(values, axis=1, kind="stable")
    assert (_stable_order(values) == expected).all()
