"""The rows a report takes from the national sets kept per engine are the rows the engine gives
when asked as before (IndicatorQuery), force by force: values, comparators, ranks, intervals,
provenance and tested trends; and where the engine cannot compute an indicator, the same row
saying why, or the same error."""

from __future__ import annotations

import pytest

from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.service import embedded_engine
from peelkit.reference import territorial_forces
from peelkit.views.indicators import IndicatorQuery
from peelkit.views.shared_rows import SharedQuery, forget_national_sets, shared

SEP_2018 = Period.from_month("2018-09")
FORCES = [f.id for f in territorial_forces()]


@pytest.fixture
def queries() -> tuple[IndicatorQuery, IndicatorQuery]:
    forget_national_sets()
    plain = IndicatorQuery(embedded_engine())
    return plain, shared(plain)


def test_shared_is_shared_once() -> None:
    plain = IndicatorQuery(embedded_engine())
    once = shared(plain)
    assert isinstance(once, SharedQuery)
    assert shared(once) is once


@pytest.mark.parametrize("comparator", ["ew", "msg"])
def test_every_force_and_each_force_alone(
    queries: tuple[IndicatorQuery, IndicatorQuery], comparator: str
) -> None:
    plain, kept = queries
    ids = ["recorded_crime_per_1000", *list(catalogue().indicators)[:6]]
    assert kept.rows(SEP_2018, None, ids, comparator, 2018) == plain.rows(
        SEP_2018, None, ids, comparator, 2018
    )
    for force in FORCES:
        expected = plain.rows(SEP_2018, force, ids, comparator, 2018, trends=False)
        assert kept.rows(SEP_2018, force, ids, comparator, 2018, trends=False) == expected


def test_tested_trends_force_by_force(queries: tuple[IndicatorQuery, IndicatorQuery]) -> None:
    plain, kept = queries
    indicator = ["recorded_crime_per_1000"]
    for force in ["metropolitan", "kent", *FORCES]:  # the first alone, then from the shared set
        expected = plain.rows(SEP_2018, force, indicator, "ew", 2018)
        assert expected[0].trend is not None
        assert kept.rows(SEP_2018, force, indicator, "ew", 2018) == expected, force


def test_a_period_without_figures(queries: tuple[IndicatorQuery, IndicatorQuery]) -> None:
    plain, kept = queries
    before = Period.from_month("1990-09")
    ids = ["recorded_crime_per_1000"]
    everyone = plain.rows(before, None, ids, "ew", 1990)
    assert everyone and all(r.value is None and r.missing for r in everyone)
    assert kept.rows(before, None, ids, "ew", 1990) == everyone
    for force in ("kent", "essex"):
        expected = plain.rows(before, force, ids, "ew", 1990, trends=False)
        assert kept.rows(before, force, ids, "ew", 1990, trends=False) == expected
