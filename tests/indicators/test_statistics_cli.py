"""`peel indicators Met --month 2018-09 --population-year 2018 --comparator msg --json`: the rows
carry the interval, significance, rank interval and trend fields, and every published key and
value is what it was without them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peelkit.cli import main
from peelkit.domain.periods import Period
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.service import compute_rows, make_engine
from peelkit.reference import shipped_groups
from peelkit.sources.dataset import embedded
from peelkit.views.indicators import IndicatorRow

NEW_KEYS = {
    "ci95_lower",
    "ci95_upper",
    "ci998_lower",
    "ci998_upper",
    "interval_note",
    "polarity",
    "population_note",
    "significance",
    "rank_interval",
    "trend",
}


@pytest.fixture(scope="module")
def met_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    import contextlib
    import io

    db = str(tmp_path_factory.mktemp("db") / "s.sqlite")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            [
                "indicators",
                "Met",
                "--month",
                "2018-09",
                "--population-year",
                "2018",
                "--comparator",
                "msg",
                "--json",
                "--db",
                db,
            ]
        )
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(buffer.getvalue())
    return rows


def test_rows_carry_the_fields(met_rows: list[dict[str, Any]]) -> None:
    assert met_rows
    for row in met_rows:
        assert set(row) >= NEW_KEYS
        IndicatorRow.from_engine(row)  # the typed view reads them
    crime = next(r for r in met_rows if r["indicator"] == "recorded_crime_per_1000")
    assert crime["ci95_lower"] < crime["value"] < crime["ci95_upper"]
    assert crime["ci998_lower"] < crime["ci95_lower"]
    calls = {(s["comparator"], s["level"]): s for s in crime["significance"]}
    assert set(calls) == {
        (c, lv)
        for c in ("england_and_wales", "most_similar_group", "region")
        for lv in ("95", "99.8")
    }
    # 93 against the group's 100: lower, and with low_is_good, better
    assert calls[("most_similar_group", "95")]["call"] == "lower"
    assert calls[("most_similar_group", "95")]["judgement"] == "better"
    assert crime["rank_interval"]["display"].startswith(f"rank {crime['rank_display']} (")
    assert crime["trend"]["call"] in ("increasing", "decreasing", "no significant change")
    assert len(crime["trend"]["points"]) == 5


def test_published_values_are_unchanged(met_rows: list[dict[str, Any]]) -> None:
    engine = make_engine(embedded(), list(shipped_groups()))
    plain = compute_rows(
        engine,
        list(catalogue().indicators),
        Period.year_ending(2018, 9),
        "metropolitan",
        "most_similar_group",
        2018,
        "pooled",
        statistics=False,
    )
    assert len(plain) == len(met_rows)
    for before, after in zip(plain, met_rows, strict=True):
        for key, value in before.items():
            if key not in NEW_KEYS:
                assert after[key] == value, (after["indicator"], key)
