"""The engine against the reports: the figures they print, recomputed from the raw statistics.

Expected values are read from the reference reports at test time (their "Force in context" and
"Force in numbers" tables, parsed by the report importer), not typed in here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedFigure
from peelkit.views.json import to_json

PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"

# The 2018/19 report's victim-based crime rows and the catalogue's indicators for them.
IPA_MEASURES = {
    "Recorded crime per 1,000 population": "recorded_crime_per_1000",
    "Violence against the person": "violence_against_the_person_per_1000",
    "Sexual offences": "sexual_offences_per_1000",
    "Theft Offences / Robbery": "theft_and_robbery_per_1000",
    "Criminal damage and arson": "criminal_damage_and_arson_per_1000",
}


def _printed(report: Path, measure: str) -> ParsedFigure:
    figures = [f for f in parse_file(report).figures if f.measure == measure]
    assert len(figures) == 1, f"{measure!r} printed {len(figures)} times in {report.name}"
    return figures[0]


@pytest.fixture
def workspace(tmp_path: Path, open_workspace: Callable[[str], Workspace]) -> Workspace:
    return open_workspace(f"sqlite:///{tmp_path / 'indicators.sqlite'}")


def _met(rows: list[dict[str, Any]], indicator: str) -> dict[str, Any]:
    return next(r for r in rows if r["indicator"] == indicator and r["force"] == "metropolitan")


def test_2018_19_force_in_context_against_the_most_similar_group(
    workspace: Workspace, reference_reports: Path
) -> None:
    report = reference_reports / PEEL_2018_19
    rows = to_json(
        workspace.indicators(
            Period.from_month("2018-09"),
            force="Metropolitan Police",
            indicator_ids=list(IPA_MEASURES.values()),
            comparator="msg",
            population_year=2018,
        )
    )
    for measure, indicator in IPA_MEASURES.items():
        printed = _printed(report, measure)
        assert printed.comparator == "most_similar_group"
        row = _met(rows, indicator)
        assert row["display"] == printed.force_value_as_printed, measure
        assert row["comparator_display"] == printed.comparator_value_as_printed, measure
        assert row["comparator_forces"] == [
            "metropolitan",
            "west-midlands",
            "greater-manchester",
            "west-yorkshire",
        ]
        assert row["population_year"] == 2018


def test_2018_19_workforce_at_31_march_2019(workspace: Workspace, reference_reports: Path) -> None:
    report = reference_reports / PEEL_2018_19
    rows = to_json(
        workspace.indicators(
            Period.from_month("2019-03"),
            force="MPS",
            indicator_ids=["police_officers_fte", "pcsos_fte", "police_staff_fte"],
        )
    )
    for measure, indicator in (
        ("Police Officer", "police_officers_fte"),
        ("Police Community Support Officer", "pcsos_fte"),
        ("Police Staff", "police_staff_fte"),
    ):
        printed = _printed(report, measure)
        assert printed.period == "31 March 2019"
        assert _met(rows, indicator)["display"] == printed.force_value_as_printed
    officers = _met(rows, "police_officers_fte")
    source = officers["provenance"][0]
    assert (source["publisher"], source["sheet"]) == ("Home Office", source["sheet"])
    assert source["file"].endswith(".ods") and source["row"] > 0


def test_2016_recorded_crime_with_the_mid_2015_population(
    workspace: Workspace, reference_reports: Path
) -> None:
    printed = _printed(reference_reports / PEEL_2016, "Crimes recorded per 1,000 population")
    assert printed.comparator == "england_and_wales"
    rows = to_json(
        workspace.indicators(
            Period.from_month("2016-06"),
            force="Metropolitan Police Service",
            indicator_ids=["recorded_crime_per_1000"],
            comparator="ew",
            population_year=2015,
        )
    )
    met = _met(rows, "recorded_crime_per_1000")
    assert met["display"] == printed.force_value_as_printed
    # The raw file is the January 2019 release, with revisions since the October 2016 release
    # the report used: England and Wales comes out within one unit of the printed figure.
    assert printed.comparator_value is not None
    assert abs(Decimal(met["comparator_display"]) - Decimal(str(printed.comparator_value))) <= 1
    assert len(met["comparator_forces"]) == 43


def test_every_force_and_period_the_data_covers_has_a_value(workspace: Workspace) -> None:
    # Quarterly rolling years from the ONS series, each with its year's population.
    for month, population_year in (
        ("2008-03", 2008),
        ("2012-06", 2012),
        ("2016-06", 2016),
        ("2018-09", 2018),
        ("2018-12", 2018),
    ):
        rows = to_json(
            workspace.indicators(
                Period.from_month(month),
                population_year=population_year,
                indicator_ids=["recorded_crime_per_1000"],
            )
        )
        assert len(rows) == 43, month
        assert all(r["value"] is not None and r["of"] == 43 for r in rows), month
        assert {r["rank"] for r in rows} <= set(range(1, 44))


def test_a_period_without_data_is_a_clear_error(workspace: Workspace) -> None:
    from peelkit.indicators.compute import NoData

    with pytest.raises(
        NoData,
        match=r"no total recorded crime \(excluding fraud\) for 2029/30 "
        r"\(data covers 2002/03 to ",
    ):
        to_json(
            workspace.indicators(
                Period.from_month("2030-03"), indicator_ids=["recorded_crime_per_1000"]
            )
        )
