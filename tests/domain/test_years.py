"""Assessment years as reports and users write them."""

from __future__ import annotations

import pytest

from peelkit.domain.years import InvalidYear, normalise_year, start_year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2018/19", "2018/19"),
        ("2018-19", "2018/19"),
        ("2018/2019", "2018/19"),
        (" 2004/05 ", "2004/05"),
        ("1999/00", "1999/00"),
        ("2017", "2017"),
        ("2023-25", "2023-25"),
        ("2023/2025", "2023-25"),
    ],
)
def test_normalise(text: str, year: str) -> None:
    assert normalise_year(text) == year


@pytest.mark.parametrize("text", ["2019/18", "18/19", "last year", "2018/", "2010-2025"])
def test_invalid(text: str) -> None:
    with pytest.raises(InvalidYear, match="expected a year such as 2017"):
        normalise_year(text)


def test_order() -> None:
    years = ["2018/19", "2004/05", "2017", "2023-25"]
    assert sorted(years, key=start_year) == ["2004/05", "2017", "2018/19", "2023-25"]
