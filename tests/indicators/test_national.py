"""The national set over arrays gives what the exact, per-indicator engine gives.

``Engine.compute`` works in exact decimals, one indicator at a time, with the reproduction
tests checking it against the published reports; the national set (indicators.national) is
the same rules over float arrays. Compared here on every indicator and period of the embedded
dataset, against both comparators, and on small cases named after the quirks floats bring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pytest

from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.compute import Engine, NoData, comparators_of
from peelkit.indicators.national import every_indicator_period, national_set
from peelkit.indicators.observations import ObservationIndex
from peelkit.indicators.service import make_engine
from peelkit.reference import shipped_groups, territorial_forces
from peelkit.sources.dataset import embedded
from peelkit.sources.model import Cell, Observation

SEP_2018 = Period.year_ending(2018, 9)
MID_2018 = Period.mid_year(2018)
FORCES = [f.id for f in territorial_forces() if f.in_england_and_wales_totals]


def _close(a: float | None, b: float) -> bool:
    if a is None:
        return math.isnan(b)
    return not math.isnan(b) and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _engine(
    observations: list[Observation], groups: Mapping[str, Sequence[str]] | None = None
) -> Engine:
    lookup = groups or {}
    return Engine(ObservationIndex(observations, []), lambda f, _p: lookup.get(f))


def _obs(measure: str, force: str, period: Period, value: float) -> Observation:
    return Observation(measure, force, period, value, "sha", Cell(None, 2, "value"))


def _mismatches(engine: Engine, work: list[tuple[str, Period, int]]) -> tuple[int, list[str]]:
    table = national_set(engine, work)
    checked = 0
    wrong: list[str] = []
    for row, (indicator_id, period, year) in enumerate(work):
        indicator = catalogue().get(indicator_id)
        for comparator in ("england_and_wales", "most_similar_group"):
            if comparator not in comparators_of(indicator):
                continue
            try:
                results = engine.compute(indicator_id, period, comparator, year)
            except NoData:
                if table.of[row] != 0:
                    wrong.append(f"{indicator_id} {period.key}: no data, but {table.of[row]}")
                continue
            pooled = (
                [table.england_and_wales[row]] * len(results)
                if comparator == "england_and_wales"
                else list(table.most_similar_group[row])
            )
            for column, result in enumerate(results):
                checked += 1
                value = None if result.value is None else float(result.value)
                pooled_value = result.comparator_value
                compared = None if pooled_value is None else float(pooled_value)
                got = (
                    _close(value, table.value[row, column]),
                    table.rank_display(row, column) == result.rank_display,
                    table.band_name(row, column) == result.band,
                    result.of is None or result.of == table.of[row],
                    _close(compared, pooled[column]),
                )
                if not all(got):
                    wrong.append(f"{indicator_id} {period.key} {comparator} {result.force}: {got}")
    return checked, wrong


def test_the_national_set_equals_the_exact_engine_on_the_embedded_dataset() -> None:
    engine = make_engine(embedded(), list(shipped_groups()))
    work = every_indicator_period(engine)
    assert len(work) > 500  # every indicator, every period: hundreds of rows
    checked, wrong = _mismatches(engine, work)
    assert checked > 40_000
    assert wrong == []


def test_a_sum_of_decimals_ties_with_the_same_figure_printed() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in floats but 0.3 in the published decimals: the
    # force whose total is a sum of parts ties with the one whose total is printed.
    observations = [_obs("population", f, MID_2018, 1000.0) for f in FORCES]
    for number, force in enumerate(FORCES):
        if force == "kent":
            observations += [
                _obs("crimes.theft_offences", force, SEP_2018, 0.1),
                _obs("crimes.robbery", force, SEP_2018, 0.2),
            ]
        else:
            total = 0.3 if force == "essex" else float(number + 1)
            observations.append(_obs("crimes.theft_offences_and_robbery", force, SEP_2018, total))
    engine = _engine(observations)
    work = [("theft_and_robbery_per_1000", SEP_2018, 2018)]
    table = national_set(engine, work)
    kent, essex = FORCES.index("kent"), FORCES.index("essex")
    assert table.value[0, kent] != table.value[0, essex]  # floats differ...
    assert table.rank_display(0, kent) == table.rank_display(0, essex)  # ...decimals tie
    assert table.rank_display(0, kent) == "1="  # the two lowest: best for theft
    assert table.exact_rows == 1
    assert _mismatches(engine, work) == (len(FORCES) * 2, [])  # against both comparators


def test_equal_whole_number_rates_share_a_rank_and_bands_keep_force_order() -> None:
    crimes = {f: float(10 + i % 5) for i, f in enumerate(FORCES)}
    people = dict.fromkeys(FORCES, 1000.0)
    observations = [_obs("crimes.robbery", f, SEP_2018, v) for f, v in crimes.items()]
    observations += [_obs("population", f, MID_2018, v) for f, v in people.items()]
    groups = {FORCES[0]: FORCES[1:4], FORCES[5]: [FORCES[6], "btp"]}
    engine = _engine(observations, groups)
    work = [("robbery_per_1000", SEP_2018, 2018)]
    table = national_set(engine, work)
    assert table.exact_rows == 0  # whole numbers: float ties are exact ties
    # 43 forces in five equal groups of values 10..14: the nine (or eight) at 10 rank 1=.
    lowest = [i for i, f in enumerate(FORCES) if crimes[f] == 10.0]
    assert {table.rank_display(0, i) for i in lowest} == {"1="}
    # A group whose member has no data (btp is not an England and Wales force) has no figure;
    # a force with no group none either.
    assert math.isnan(table.most_similar_group[0, 5])
    assert math.isnan(table.most_similar_group[0, 2])
    expected = sum(crimes[f] for f in FORCES[:4]) * 1000 / 4000
    assert table.most_similar_group[0, 0] == pytest.approx(expected)
    assert _mismatches(engine, work) == (len(FORCES) * 2, [])


def test_a_period_with_no_figures_is_a_row_of_nothing() -> None:
    observations = [_obs("population", f, MID_2018, 1000.0) for f in FORCES]
    engine = _engine(observations)
    table = national_set(engine, [("robbery_per_1000", SEP_2018, 2018)])
    assert table.of[0] == 0
    assert math.isnan(table.england_and_wales[0])
    assert table.rank_display(0, 0) is None and table.band_name(0, 0) is None
