"""Statistical periods as the reports and the CLI name them."""

from __future__ import annotations

import datetime as dt

import pytest

from peelkit.domain.periods import InvalidPeriod, Period


def test_financial_year_is_the_12_months_to_march() -> None:
    year = Period.financial_year("2017/18")
    assert year == Period.year_ending(2018, 3) == Period.from_month("2018-03")
    assert year.end == dt.date(2018, 3, 31)
    assert year.label() == "2017/18"
    assert year.is_financial_year


def test_labels_and_keys() -> None:
    september = Period.from_month("2018-09")
    assert september.label() == "12 months to 30 September 2018"
    assert september.key == "ye2018-09"
    assert Period.at(dt.date(2019, 3, 31)).label() == "31 March 2019"
    assert Period.mid_year(2018).label() == "mid-2018"
    assert Period.month(2022, 2).label() == "February 2022"
    for period in (
        september,
        Period.at(dt.date(2019, 3, 31)),
        Period.mid_year(2015),
        Period.month(2023, 6),
    ):
        assert Period.from_key(period.key) == period


def test_shifted_keeps_month_ends() -> None:
    assert Period.year_ending(2016, 6).shifted(-5) == Period.year_ending(2011, 6)
    assert Period.at(dt.date(2016, 2, 29)).shifted(-1) == Period.at(dt.date(2015, 2, 28))


@pytest.mark.parametrize("text", ["2018-13", "2018", "Sept 2018", "0000-03", "0001-03"])
def test_bad_month(text: str) -> None:
    with pytest.raises(InvalidPeriod, match="expected a month YYYY-MM"):
        Period.from_month(text)


@pytest.mark.parametrize("text", ["2017/19", "2017", "17/18"])
def test_bad_financial_year(text: str) -> None:
    with pytest.raises(InvalidPeriod, match="financial year such as 2017/18"):
        Period.financial_year(text)
