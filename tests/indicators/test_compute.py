"""The indicator engine on small synthetic data, each case named after the rule it checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest

from peelkit.domain.periods import Period
from peelkit.indicators.compute import Engine, NoData
from peelkit.indicators.observations import ObservationIndex
from peelkit.indicators.rounding import display, round_half_up
from peelkit.reference import territorial_forces
from peelkit.sources.model import Cell, Observation

SEP_2018 = Period.year_ending(2018, 9)
MID_2018 = Period.mid_year(2018)
FORCES = [f.id for f in territorial_forces()]


def _obs(measure: str, force: str, period: Period, value: float) -> Observation:
    return Observation(measure, force, period, value, "sha", Cell(None, 2, "value"))


def _engine(
    observations: list[Observation], groups: Mapping[str, Sequence[str]] | None = None
) -> Engine:
    lookup = groups or {}
    return Engine(ObservationIndex(observations, []), lambda f, _p: lookup.get(f))


def _crime_and_population(crimes: dict[str, float], people: dict[str, float]) -> list[Observation]:
    rows = [_obs("crimes.robbery", f, SEP_2018, v) for f, v in crimes.items()]
    rows += [_obs("population", f, MID_2018, v) for f, v in people.items()]
    return rows


def test_round_half_up_not_to_even() -> None:
    assert round_half_up(Decimal("2.5"), 0) == 3
    assert round_half_up(Decimal("6.5"), 0) == 7
    assert round(6.5) == 6  # why: Python's round is half to even
    assert round_half_up(Decimal("-2.5"), 0) == -3
    assert display(Decimal("30435.4"), 0) == "30,435"
    assert display(Decimal("-0.04"), 1) == "0.0"


def test_england_and_wales_is_pooled_and_excludes_btp() -> None:
    crimes = dict.fromkeys(FORCES, 10.0) | {"metropolitan": 900.0, "btp": 5000.0}
    people = dict.fromkeys(FORCES, 1000.0) | {"metropolitan": 9000.0, "btp": 1.0}
    engine = _engine(_crime_and_population(crimes, people))
    results = {r.force: r for r in engine.compute("robbery_per_1000", SEP_2018)}
    assert "btp" not in results
    met = results["metropolitan"]
    assert met.value == Decimal(100)
    # Pooled: (42 x 10 + 900) / (42 x 1000 + 9000) x 1000, not the mean of the 43 rates.
    assert met.comparator_value == Decimal(1320) * 1000 / Decimal(51000)
    assert met.comparator_display == "25.88"
    assert len(met.comparator_forces) == 43


def test_most_similar_group_pooled_with_the_force_or_mean() -> None:
    crimes = dict.fromkeys(FORCES, 1.0) | {"metropolitan": 93.0, "west-midlands": 40.0}
    people = dict.fromkeys(FORCES, 1000.0) | {"west-midlands": 500.0}
    groups = {"metropolitan": ["west-midlands"]}
    engine = _engine(_crime_and_population(crimes, people), groups)
    pooled = next(
        r
        for r in engine.compute("robbery_per_1000", SEP_2018, "most_similar_group")
        if r.force == "metropolitan"
    )
    assert pooled.comparator_forces == ("metropolitan", "west-midlands")
    assert pooled.comparator_value == Decimal(133) * 1000 / Decimal(1500)
    mean = next(
        r
        for r in engine.compute(
            "robbery_per_1000", SEP_2018, "most_similar_group", msg_method="mean"
        )
        if r.force == "metropolitan"
    )
    assert mean.comparator_value == (Decimal(93) + Decimal(80)) / 2
    no_group = next(
        r
        for r in engine.compute("robbery_per_1000", SEP_2018, "most_similar_group")
        if r.force == "city-of-london"
    )
    assert no_group.comparator_value is None
    assert no_group.missing == "no most similar group for this force"


def test_ranks_ties_and_bands() -> None:
    # Rates 1..43 per 1,000, with two forces tied; lower is better for robbery.
    crimes = {f: float(i) for i, f in enumerate(FORCES, start=1)}
    crimes[FORCES[9]] = crimes[FORCES[8]]
    people = dict.fromkeys(FORCES, 1000.0)
    results = {
        r.force: r
        for r in _engine(_crime_and_population(crimes, people)).compute(
            "robbery_per_1000", SEP_2018
        )
    }
    assert results[FORCES[0]].rank_display == "1"
    assert results[FORCES[8]].rank_display == "9="
    assert results[FORCES[9]].rank_display == "9="
    assert results[FORCES[10]].rank_display == "11"
    assert all(r.of == 43 for r in results.values())
    # 25% of 43 is 10.75: the 10 highest values are "one of the highest", the 10 lowest "one of
    # the lowest", the 23 between "broadly in line".
    bands = [results[f].band for f in FORCES]
    assert bands[:10] == ["one of the lowest"] * 10
    assert bands[-10:] == ["one of the highest"] * 10
    assert bands[10:33] == ["broadly in line"] * 23


def test_a_force_missing_for_a_period_is_said_not_hidden() -> None:
    crimes = dict.fromkeys(FORCES, 10.0)
    del crimes["greater-manchester"]
    people = dict.fromkeys(FORCES, 1000.0)
    results = {
        r.force: r
        for r in _engine(_crime_and_population(crimes, people)).compute(
            "robbery_per_1000", SEP_2018
        )
    }
    gmp = results["greater-manchester"]
    assert gmp.value is None and gmp.rank is None
    assert gmp.missing is not None and "robbery" in gmp.missing
    kent = results["kent"]
    assert kent.of == 42
    assert kent.note is not None and "42 forces" in kent.note and "greater-manchester" in kent.note


def test_change_over_years_and_stocks_at_the_period_end() -> None:
    rows = []
    for force in FORCES:
        rows.append(_obs("workforce.police_officers_fte", force, Period.at(SEP_2018.end), 110.0))
        rows.append(
            _obs("workforce.police_officers_fte", force, Period.at(SEP_2018.shifted(-1).end), 100.0)
        )
    engine = _engine(rows)
    change = engine.compute("police_officers_change_1_year", SEP_2018)[0]
    assert change.value == Decimal(10)
    assert change.display == "10"
    value = engine.compute("police_officers_fte", SEP_2018)[0]
    assert value.value == Decimal(110)
    assert value.comparator_value == Decimal(110) * 43


def test_derived_measure_sums_its_parts_unless_published() -> None:
    parts = [
        "crimes.domestic_burglary",
        "crimes.non_domestic_burglary",
        "crimes.vehicle_offences",
        "crimes.theft_from_the_person",
        "crimes.bicycle_theft",
        "crimes.shoplifting",
        "crimes.all_other_theft_offences",
        "crimes.robbery",
    ]
    rows = [_obs(p, f, SEP_2018, 1.0) for p in parts for f in FORCES]
    rows += [_obs("population", f, MID_2018, 1000.0) for f in FORCES]
    rows.append(_obs("crimes.theft_offences", "kent", SEP_2018, 100.0))  # printed as a group
    results = {r.force: r for r in _engine(rows).compute("theft_and_robbery_per_1000", SEP_2018)}
    assert results["essex"].value == Decimal(8)
    assert results["kent"].value == Decimal(101)
    assert len(results["essex"].sources) == 9  # 8 parts and the population


def test_no_data_names_the_period_and_coverage() -> None:
    people = dict.fromkeys(FORCES, 1000.0)
    engine = _engine(_crime_and_population({"kent": 1.0}, people))
    with pytest.raises(NoData, match="no robbery for 12 months to 31 December 2030"):
        engine.compute("robbery_per_1000", Period.year_ending(2030, 12), population_year=2018)


def test_change_in_a_proportion_is_in_points(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from peelkit.indicators import catalogue as catalogue_module

    real = catalogue_module.catalogue()
    points = replace(real.get("police_officers_change_1_year"), unit="percentage points")
    patched = replace(real, indicators={**real.indicators, points.id: points})
    monkeypatch.setattr("peelkit.indicators.compute.catalogue", lambda: patched)
    rows = [_obs("workforce.police_officers_fte", f, Period.at(SEP_2018.end), 31.5) for f in FORCES]
    rows += [
        _obs("workforce.police_officers_fte", f, Period.at(SEP_2018.shifted(-1).end), 30.0)
        for f in FORCES
    ]
    result = _engine(rows).compute(points.id, SEP_2018)[0]
    assert result.value == Decimal("1.5")
