"""Home Office police recorded crime open data tables (long format).

No real copy of the file is available, so these tests write files in exactly its layout (xlsx
with openpyxl, ods with odfpy) and check the sums against sums made here from the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
from odf.text import P  # type: ignore[import-untyped]

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.sources import home_office_open_data as open_data
from peelkit.sources import home_office_workforce, police_uk_street
from peelkit.sources.model import SourceData

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"

HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "CSP Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]
CSPS = {
    "Metropolitan Police": ["Westminster", "Camden"],
    "Greater Manchester": ["Manchester", "Salford"],
    "Avon & Somerset": ["Bristol", "Somerset West and Taunton"],
    "London, City of": ["City of London"],
}
OFFENCES = [  # description, group, subgroup, code
    ("Robbery of personal property", "Robbery", "Robbery of personal property", "34B"),
    ("Robbery of business property", "Robbery", "Robbery of business property", "34A"),
    ("Murder", "Violence against the person", "Homicide", "1"),
    ("Assault with injury", "Violence against the person", "Violence with injury", "8N"),
    ("Rape of a female aged 16 and over", "Sexual offences", "Rape", "19C"),
    ("Burglary - Residential", "Theft offences", "Residential burglary", "28E"),
    ("Shoplifting", "Theft offences", "Shoplifting", "46"),
    ("Criminal damage to a vehicle", "Criminal damage and arson", "Criminal damage", "58C"),
    ("Arson not endangering life", "Criminal damage and arson", "Arson", "56B"),
    ("Possession of cannabis", "Drug offences", "Possession of drugs", "92E"),
    ("Fraud by false representation", "Fraud offences", "Fraud offences", "53A"),
]
YEARS = ["2018/19", "2019/20"]
Row = list[Any]


def _rows(years: Iterable[str] = YEARS, quarters: Iterable[int] = (1, 2, 3, 4)) -> list[Row]:
    rows = []
    for year in years:
        for quarter in quarters:
            for force, csps in CSPS.items():
                for c, csp in enumerate(csps):
                    for o, (description, group, subgroup, code) in enumerate(OFFENCES):
                        count = (o * 7 + quarter * 3 + c * 5 + len(force) + int(year[3])) % 50
                        rows.append(
                            [year, quarter, force, csp, description, group, subgroup, code, count]
                        )
    return rows


def _write_xlsx(
    path: Path, rows: list[Row], notes: Iterable[Row] = (), header: Row = HEADER
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in [*notes, header, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _write_ods(
    path: Path, rows: list[Row], notes: Iterable[Row] = (), header: Row = HEADER
) -> Path:
    document = OpenDocumentSpreadsheet()
    cover = Table(name="Cover_sheet")
    cover.addElement(_ods_row(["Police recorded crime open data tables"]))
    document.spreadsheet.addElement(cover)
    table = Table(name="Data")
    for row in [*notes, header, *rows]:
        table.addElement(_ods_row(row))
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _ods_row(values: Row) -> TableRow:
    row = TableRow()
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell = TableCell(valuetype="float", value=value)
            cell.addElement(P(text=str(value)))
        else:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
        row.addElement(cell)
    return row


def _expected(rows: list[Row], force: str, year: str, keep: Callable[[Row], bool]) -> float:
    return float(sum(r[8] for r in rows if r[2] == force and r[0] == year and keep(r)))


def _value(data: SourceData, measure: str, force: str, year: str) -> float:
    [value] = [
        o.value
        for o in data.observations
        if (o.measure, o.force, o.period) == (measure, force, Period.financial_year(year))
    ]
    return value


WRITERS = {"xlsx": _write_xlsx, "ods": _write_ods}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_sums_over_csps_offences_and_quarters_by_force_and_year(tmp_path, kind):
    rows = _rows()
    path = WRITERS[kind](tmp_path / f"prc-pfa-mar2013-onwards-tables.{kind}", rows)
    assert open_data.recognise(path, path.read_bytes()[:64])
    data = open_data.read(path)
    assert data.problems == []
    met, year = "Metropolitan Police", "2019/20"
    assert _value(data, "crimes.robbery", "metropolitan", year) == _expected(
        rows, met, year, lambda r: r[5] == "Robbery"
    )
    assert _value(data, "crimes.criminal_damage_and_arson", "metropolitan", year) == _expected(
        rows, met, year, lambda r: r[5] == "Criminal damage and arson"
    )
    assert _value(data, "crimes.domestic_burglary", "avon-and-somerset", "2018/19") == _expected(
        rows, "Avon & Somerset", "2018/19", lambda r: r[6] == "Residential burglary"
    )
    assert _value(data, "crimes.fraud_offences", "city-of-london", year) == _expected(
        rows, "London, City of", year, lambda r: r[5] == "Fraud offences"
    )
    measures = {o.measure for o in data.observations}
    assert measures == {
        "crimes.robbery",
        "crimes.homicide",
        "crimes.violence_with_injury",
        "crimes.sexual_offences",
        "crimes.domestic_burglary",
        "crimes.shoplifting",
        "crimes.criminal_damage_and_arson",
        "crimes.drug_offences",
        "crimes.fraud_offences",
    }
    assert len(data.observations) == len(measures) * len(CSPS) * len(YEARS)
    total = sum(o.value for o in data.observations)
    assert total == sum(r[8] for r in rows)
    assert data.publication.release == "year ending March 2020"
    assert data.publication.publisher == "Home Office"
    assert {o.publication for o in data.observations} == {data.publication.sha256}


def test_xlsx_and_ods_give_the_same_observations(tmp_path):
    rows = _rows()
    xlsx = open_data.read(_write_xlsx(tmp_path / "same.xlsx", rows))
    ods = open_data.read(_write_ods(tmp_path / "same.ods", rows))

    def key(data: SourceData) -> list[tuple[str, str, Period, float]]:
        return sorted((o.measure, o.force, o.period, o.value) for o in data.observations)

    assert key(xlsx) == key(ods)


def test_cell_points_at_the_first_row_of_the_force_year(tmp_path):
    rows = _rows()
    data = open_data.read(_write_xlsx(tmp_path / "cells.xlsx", rows))
    [obs] = [
        o
        for o in data.observations
        if (o.measure, o.force, o.period)
        == ("crimes.robbery", "metropolitan", Period.financial_year("2019/20"))
    ]
    first = next(
        i for i, r in enumerate(rows) if r[2] == "Metropolitan Police" and r[0] == "2019/20"
    )
    assert (obs.cell.sheet, obs.cell.row, obs.cell.column) == (
        "Data",
        first + 2,
        "Number of Offences",
    )


def test_missing_quarter_drops_that_force_year_with_a_problem(tmp_path):
    # Greater Manchester has no rows for 2019/20 quarters 2 and 3 (its 2019 system change).
    rows = [
        r
        for r in _rows()
        if not (r[2] == "Greater Manchester" and r[0] == "2019/20" and r[1] in (2, 3))
    ]
    data = open_data.read(_write_xlsx(tmp_path / "missing_quarter.xlsx", rows))
    [problem] = data.problems
    assert problem.code == "missing_quarter"
    assert "Greater Manchester" in problem.message and "2019/20" in problem.message
    assert "2, 3" in problem.message
    assert problem.sheet == "Data" and problem.column == "Financial Quarter"
    gmp = {o.period for o in data.observations if o.force == "greater-manchester"}
    assert gmp == {Period.financial_year("2018/19")}


def test_year_in_progress_gives_no_annual_figures_and_one_problem(tmp_path):
    rows = _rows() + _rows(years=["2020/21"], quarters=[1, 2])
    data = open_data.read(_write_xlsx(tmp_path / "incomplete_year.xlsx", rows))
    assert [p.code for p in data.problems] == ["incomplete_year"]
    assert "2020/21" in data.problems[0].message
    assert Period.financial_year("2020/21") not in {o.period for o in data.observations}
    assert data.publication.release == "year ending September 2020"


def test_negative_count_is_kept_in_the_sum_and_listed(tmp_path):
    rows = _rows()
    index = next(
        i for i, r in enumerate(rows) if r[2] == "Metropolitan Police" and r[6] == "Shoplifting"
    )
    rows[index][8] = -3
    data = open_data.read(_write_xlsx(tmp_path / "negative_count.xlsx", rows))
    [problem] = data.problems
    assert problem.code == "negative_count"
    assert (problem.sheet, problem.row, problem.column) == ("Data", index + 2, "Number of Offences")
    year = rows[index][0]
    assert _value(data, "crimes.shoplifting", "metropolitan", year) == _expected(
        rows, "Metropolitan Police", year, lambda r: r[6] == "Shoplifting"
    )


def test_non_numeric_count_is_a_problem_and_suppressed_marker_is_not(tmp_path):
    rows = _rows()
    rows[5][8] = "twelve"
    rows[6][8] = ".."
    data = open_data.read(_write_xlsx(tmp_path / "non_numeric_count.xlsx", rows))
    [problem] = data.problems
    assert (problem.code, problem.row, problem.column) == ("not_a_number", 7, "Number of Offences")
    # both rows are left out of the sums
    assert sum(o.value for o in data.observations) == sum(
        r[8] for i, r in enumerate(rows) if i not in (5, 6)
    )


def test_number_as_text_is_read(tmp_path):
    rows = _rows()
    rows[0][8] = "1,234"
    data = open_data.read(_write_xlsx(tmp_path / "number_as_text.xlsx", rows))
    assert data.problems == []
    assert sum(o.value for o in data.observations) == sum(r[8] for r in rows[1:]) + 1234


def test_unknown_force_is_one_problem_and_is_left_out(tmp_path):
    rows = _rows()
    for row in rows:
        if row[2] == "London, City of":
            row[2] = "Gotham City Police"
    data = open_data.read(_write_xlsx(tmp_path / "unknown_force.xlsx", rows))
    [problem] = data.problems
    assert problem.code == "unknown_force" and "Gotham" in problem.message
    assert problem.column == "Force Name"
    assert "city-of-london" not in {o.force for o in data.observations}


def test_force_missing_for_a_whole_year_is_a_problem(tmp_path):
    rows = [r for r in _rows() if not (r[2] == "Avon & Somerset" and r[0] == "2018/19")]
    data = open_data.read(_write_xlsx(tmp_path / "missing_force.xlsx", rows))
    [problem] = data.problems
    assert problem.code == "missing_force"
    assert "Avon and Somerset" in problem.message and "2018/19" in problem.message


def test_unknown_offence_subgroup_is_a_problem(tmp_path):
    rows = _rows()
    for row in rows:
        if row[6] == "Shoplifting":
            row[6] = "Shop theft"
    data = open_data.read(_write_xlsx(tmp_path / "unknown_offence.xlsx", rows))
    [problem] = data.problems
    assert problem.code == "unknown_offence" and "Shop theft" in problem.message
    assert "crimes.shoplifting" not in {o.measure for o in data.observations}


def test_notes_rows_above_the_header_are_skipped(tmp_path):
    rows = _rows()
    notes = [["Police recorded crime open data tables"], ["Source: Home Office"], []]
    for kind, writer in WRITERS.items():
        data = open_data.read(writer(tmp_path / f"extra_header_rows.{kind}", rows, notes))
        assert data.problems == []
        assert sum(o.value for o in data.observations) == sum(r[8] for r in rows)
        assert min(o.cell.row for o in data.observations) == len(notes) + 2


def test_file_without_the_csp_column_is_read(tmp_path):
    rows = [[*r[:3], *r[4:]] for r in _rows()]
    header = [h for h in HEADER if h != "CSP Name"]
    data = open_data.read(_write_xlsx(tmp_path / "pfa_level.xlsx", rows, header=header))
    assert data.problems == []
    assert sum(o.value for o in data.observations) == sum(r[7] for r in rows)


def test_renamed_column_fails_naming_sheet_row_and_column(tmp_path):
    header = [h if h != "Offence Subgroup" else "Offence Sub-group" for h in HEADER]
    path = _write_xlsx(tmp_path / "renamed_column.xlsx", _rows(), [["notes"]], header=header)
    with pytest.raises(DataFileError) as error:
        open_data.read(path)
    assert error.value.where == "sheet Data, row 2, column G"
    assert (
        "'Offence Subgroup'" in error.value.problem and "Offence Sub-group" in error.value.problem
    )


def test_missing_column_fails(tmp_path):
    header = HEADER[:-1]
    rows = [r[:-1] for r in _rows()]
    path = _write_xlsx(tmp_path / "missing_column.xlsx", rows, header=header)
    with pytest.raises(DataFileError, match=r"sheet Data, row 1.*Number of Offences"):
        open_data.read(path)


def test_workbook_without_a_data_sheet_fails(tmp_path):
    path = _write_xlsx(tmp_path / "missing_sheet.xlsx", [["just", "notes"]], header=["Notes"])
    with pytest.raises(DataFileError, match=r"every sheet.*Financial Year"):
        open_data.read(path)


def test_recognises_only_its_own_files(tmp_path):
    own = _write_ods(tmp_path / "prc.ods", _rows())
    assert open_data.recognise(own, own.read_bytes()[:64])
    assert not home_office_workforce.recognise(own, own.read_bytes()[:64])
    assert not police_uk_street.recognise(own, own.read_bytes()[:64])
    others = [
        RAW / "home-office-police-workforce-2014-2019" / "police-workforce-sep19-tables.ods",
        RAW / "prc-pfa-offence-group-2002-2024-derived" / "combined_df_FINAL_2023_Q4_added.xlsx",
        *sorted((RAW / "police-uk-street-samples" / "city-of-london").glob("*.csv"))[:1],
    ]
    for path in others:
        assert not open_data.recognise(path, path.read_bytes()[:64]), path.name
