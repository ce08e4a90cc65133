"""ONS Police Force Area data tables: the 8 real workbooks, the YE June 2025 CSV, and fixtures."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.reference import territorial_forces
from peelkit.sources import ons_pfa_tables
from peelkit.sources.model import SourceData

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
TABLES = RAW / "ons-pfa-tables-2018-2019"
CSV_P1 = RAW / "ons-pfa-tables-yejun2025" / "tableP1_pfa_yejun2025.csv"
CSV_C2 = RAW / "ons-pfa-tables-yejun2025" / "tableC2_csp_yejun2025.csv"
POPULATION_FILE = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"

# Edition of each workbook, from SOURCES.md.
EDITIONS = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": (
        2018,
        3,
        "year ending March 2018 (version 2)",
    ),
    "policeforceareadatatablesyearendingjune2018corrected.xlsx": (
        2018,
        6,
        "year ending June 2018 (corrected)",
    ),
    "policeforceareatablesyearendingsep18corrected.xlsx": (
        2018,
        9,
        "year ending September 2018 (corrected)",
    ),
    "policeforceareatablesyearendingdecember2018.xlsx": (2018, 12, "year ending December 2018"),
    "policeforceareatablesyeendingmarch2019.xlsx": (2019, 3, "year ending March 2019"),
    "policeforceareatablesyearendingjune2019.xlsx": (2019, 6, "year ending June 2019"),
    "policeforceareatablesyearendingseptember2019.xlsx": (2019, 9, "year ending September 2019"),
    "pfatablesdec19.xlsx": (2019, 12, "year ending December 2019"),
}
TOTAL = "crimes.total_excluding_fraud_published"

_cache: dict[str, SourceData] = {}


def _read(path: Path) -> SourceData:
    if path.name not in _cache:
        _cache[path.name] = ons_pfa_tables.read(path)
    return _cache[path.name]


def _value(data: SourceData, measure: str, force: str, period: Period) -> float:
    [observation] = [
        o for o in data.observations if (o.measure, o.force, o.period) == (measure, force, period)
    ]
    return observation.value


def _rows(path: Path, sheet_name: str) -> list[tuple[object, ...]]:
    """The rows of a sheet, read with openpyxl (independently of the reader)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        [name] = [n for n in workbook.sheetnames if n.strip() == sheet_name]
        return list(workbook[name].iter_rows(values_only=True))
    finally:
        workbook.close()


def _row_by_code(rows: list[tuple[object, ...]], code: str) -> tuple[object, ...]:
    return next(row for row in rows if row[0] == code)


# --- the real workbooks --------------------------------------------------------------------


def test_every_real_file_is_recognised_and_c2_is_not() -> None:
    for name in EDITIONS:
        path = TABLES / name
        assert ons_pfa_tables.recognise(path, path.read_bytes()[:4096]), name
    assert ons_pfa_tables.recognise(CSV_P1, CSV_P1.read_bytes()[:4096])
    assert not ons_pfa_tables.recognise(CSV_C2, CSV_C2.read_bytes()[:4096])
    assert not ons_pfa_tables.recognise(POPULATION_FILE, POPULATION_FILE.read_bytes()[:4096])


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_edition_period_release_and_provenance(name: str) -> None:
    path = TABLES / name
    data = _read(path)
    year, month, release = EDITIONS[name]
    assert data.publication.release == release
    assert data.publication.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    crime_periods = {o.period for o in data.observations if o.measure.startswith("crimes.")}
    assert crime_periods == {Period.year_ending(year, month)}


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_p1_met_cell_and_england_and_wales_total(name: str) -> None:
    path = TABLES / name
    data = _read(path)
    year, month, _ = EDITIONS[name]
    period = Period.year_ending(year, month)
    sheet = _rows(path, "Table P1")
    met = _row_by_code(sheet, "E23000001")
    assert _value(data, TOTAL, "metropolitan", period) == met[2]
    assert _value(data, "crimes.robbery", "metropolitan", period) == met[11]
    # England and Wales includes BTP (footnote) and, in the two editions without GMP data,
    # excludes GMP: the sum of the forces read must equal it.
    england_and_wales = _row_by_code(sheet, "K04000001")
    forces = sum(o.value for o in data.observations if o.measure == TOTAL)
    assert forces == england_and_wales[2]
    # The 19 offence subgroups sum to England and Wales as well.
    parts = sum(
        o.value for o in data.observations if o.measure.startswith("crimes.") and o.measure != TOTAL
    )
    assert parts == england_and_wales[2]


def test_p1_ye_march_2018_matches_the_figures_quoted_in_sources_md() -> None:
    data = _read(TABLES / "policeforceareatablesyearendingmarch2018v2.xlsx")
    period = Period.year_ending(2018, 3)
    # SOURCES.md of the rec-crime CSV: Avon and Somerset is 2,616 lower and Thames Valley 846
    # higher in Table P1 than in the later CSV (140,071 and 149,004 there).
    assert _value(data, TOTAL, "avon-and-somerset", period) == 140_071 - 2_616
    assert _value(data, TOTAL, "thames-valley", period) == 149_004 + 846


def test_gmp_missing_in_the_2019_editions_without_its_data() -> None:
    for name, row in (
        ("policeforceareatablesyearendingseptember2019.xlsx", 16),
        ("pfatablesdec19.xlsx", 16),
    ):
        data = _read(TABLES / name)
        assert not [o for o in data.observations if o.force == "greater-manchester"]
        missing = {(p.sheet, p.row) for p in data.problems if p.code == "missing_force"}
        assert missing == {("Table P1", row), ("Table P3", row)}


def test_no_problems_in_the_other_editions() -> None:
    for name in EDITIONS:
        if "september2019" in name or "dec19" in name:
            continue
        assert _read(TABLES / name).problems == [], name


def test_p3_population_with_its_stated_mid_year() -> None:
    with POPULATION_FILE.open(newline="", encoding="utf-8") as handle:
        mid_2018 = {row["code"]: float(row["MYE2018"]) for row in csv.DictReader(handle)}
    data = _read(TABLES / "pfatablesdec19.xlsx")
    assert (
        _value(data, "population", "metropolitan", Period.mid_year(2018)) == mid_2018["E23000001"]
    )
    # Header "Population figures (mid-2017)": YE March 2019; households mid-2016 in YE June 2018.
    march_2019 = _read(TABLES / "policeforceareatablesyeendingmarch2019.xlsx")
    sheet = _rows(TABLES / "policeforceareatablesyeendingmarch2019.xlsx", "Table P3")
    met = _row_by_code(sheet, "E23000001")
    assert _value(march_2019, "population", "metropolitan", Period.mid_year(2017)) == met[2]
    assert _value(march_2019, "households", "metropolitan", Period.mid_year(2017)) == met[3]
    june_2018 = _read(TABLES / "policeforceareadatatablesyearendingjune2018corrected.xlsx")
    households = {o.period for o in june_2018.observations if o.measure == "households"}
    assert households == {Period.mid_year(2016)}


def test_p9_met_mid_2015_population() -> None:
    path = TABLES / "policeforceareatablesyearendingmarch2018v2.xlsx"
    rows = _rows(path, "Table P9")
    header = next(row for row in rows if row[0] == "Area Code")
    met = next(row for row in rows if row[0] == "E23000001")
    expected = met[header.index(2015)]
    assert expected == 8_660_200
    data = _read(path)
    assert _value(data, "population", "metropolitan", Period.mid_year(2015)) == expected
    years = {o.period for o in data.observations if o.measure == "population"}
    assert years == {Period.mid_year(year) for year in range(2002, 2017)}


def test_p7_asb_incidents_with_and_without_area_codes() -> None:
    march_2018 = TABLES / "policeforceareatablesyearendingmarch2018v2.xlsx"
    data = _read(march_2018)
    rows = _rows(march_2018, "Table P7")
    met = next(row for row in rows if row[0] == "E23000001")
    assert _value(data, "asb_incidents", "metropolitan", Period.financial_year("2007/08")) == met[2]
    assert (
        _value(data, "asb_incidents", "metropolitan", Period.financial_year("2017/18")) == met[22]
    )
    # BTP: ".." before 2012/13.
    btp = {o.period for o in data.observations if o.force == "btp" and o.measure == "asb_incidents"}
    assert min(btp) == Period.financial_year("2012/13")

    march_2019 = TABLES / "policeforceareatablesyeendingmarch2019.xlsx"
    data = _read(march_2019)
    rows = _rows(march_2019, "Table P7")
    by_name = [(row[0], row[23]) for row in rows if row[0]]
    # The West Midlands region comes first in its block, the force after the other forces.
    west_midlands = [value for name, value in by_name if str(name).strip() == "West Midlands"]
    assert len(west_midlands) == 2
    period = Period.financial_year("2018/19")
    assert _value(data, "asb_incidents", "west-midlands", period) == west_midlands[1]
    met_2018_19 = next(value for name, value in by_name if name == "Metropolitan Police")
    assert _value(data, "asb_incidents", "metropolitan", period) == met_2018_19
    forces = {
        o.force for o in data.observations if o.measure == "asb_incidents" and o.period == period
    }
    assert len(forces) == 44


def test_ye_june_2025_csv() -> None:
    data = _read(CSV_P1)
    period = Period.year_ending(2025, 6)
    with CSV_P1.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    met = next(row for row in rows if row[0] == "E23000001")
    assert _value(data, TOTAL, "metropolitan", period) == float(met[2].replace(",", ""))
    assert _value(data, TOTAL, "btp", period) == 83_163
    forces = sum(o.value for o in data.observations if o.measure == TOTAL)
    assert forces == 5_287_312  # SOURCES.md: E&W total excluding fraud (includes BTP)
    assert data.publication.release == "year ending June 2025"
    assert data.publication.title.endswith("(Table P1 saved as CSV)")
    assert data.problems == []
    assert {o.cell.sheet for o in data.observations} == {None}


# --- fixtures: a minimal workbook in the real layout, with one quirk each -------------------

P1_COLUMNS = [
    "Area Code", "Area Name", "", "", "Violence against the person", "Homicide",
    "Violence with injury", "Violence without injury", "Stalking and harassment 5",
    "Death or serious injury - unlawful driving 5", "Sexual offences", "Robbery",
    "Theft offences", "Burglary", "Residential burglary6", "Non-residential burglary6",
    "Vehicle offences", "Theft from the person", "Bicycle theft", "Shoplifting",
    "Other theft offences", "Criminal damage and arson", "", "Drug offences",
    "Possession of weapons offences", "Public order offences", "Miscellaneous crimes",
]  # fmt: skip
# Met-like figures: subgroups 1..19 (sum 190) and the subtotals they imply.
SUBGROUPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]


def _p1_values(subgroups: Sequence[object]) -> list[object]:
    s = subgroups
    numbers = [x for x in s if isinstance(x, int)]
    vap = sum(x for x in s[:5] if isinstance(x, int))
    theft = sum(x for x in s[7:14] if isinstance(x, int))
    burglary = sum(x for x in s[7:9] if isinstance(x, int))
    return [sum(numbers), "", vap, *s[:5], s[5], s[6], theft, burglary, *s[7:15], "", *s[15:]]


def _workbook(
    tmp_path: Path,
    *,
    change: Callable[[list[list[object]]], None] | None = None,
    sheets: tuple[str, ...] = ("Table P1", "Table P3"),
    population_header: str = "Population figures\n (mid-2018)3  rounded to 100",
    name: str = "pfatablesdec19.xlsx",
) -> Path:
    p1: list[list[object]] = [
        ["Table P1: Police recorded crime ..., number of offences, year ending December 20191,2"],
        [],
        ["England and Wales"],
        ["", "", "Total recorded crime (excluding fraud3)", "", "Victim-based crime"],
        list(P1_COLUMNS),
        ["", "", "Numbers"],
        ["K04000001", "ENGLAND AND WALES7,8", *_p1_values(SUBGROUPS)],
        ["E23000001", "Metropolitan Police", *_p1_values(SUBGROUPS)],
        ["", "British Transport Police", *_p1_values(SUBGROUPS)],
        ["Source: Home Office - Police recorded crime"],
    ]
    if change:
        change(p1)
    p3: list[list[object]] = [
        ["Table P3: ... rate of offences, year ending December 2019"],
        [],
        [],
        [],
        ["Area Code", "Area Name", population_header, "Household figures\n (mid-2018)4"],
        ["", "", "", "", "Rate per 1,000 population"],
        ["K04000001", "ENGLAND AND WALES", 56_303_200, 23_395_400],
        ["E23000001", "Metropolitan Police", 8_899_400, 3_500_000],
        ["Source: Home Office"],
    ]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_name in sheets:
        sheet = workbook.create_sheet(sheet_name)
        for row in p1 if sheet_name.strip() == "Table P1" else p3:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_fixture_reads_like_the_real_layout(tmp_path: Path) -> None:
    data = ons_pfa_tables.read(_workbook(tmp_path, sheets=("Table P1 ", "Table P3")))
    period = Period.year_ending(2019, 12)
    assert _value(data, TOTAL, "metropolitan", period) == 190
    assert _value(data, "crimes.robbery", "metropolitan", period) == 7
    assert _value(data, "crimes.robbery", "btp", period) == 7
    assert _value(data, "population", "metropolitan", Period.mid_year(2018)) == 8_899_400
    cell = next(o.cell for o in data.observations if o.measure == "crimes.robbery")
    assert (cell.sheet, cell.row, cell.column) == ("Table P1 ", 8, "L")
    # Only the Met is in the fixture: every other territorial force is missing, per table.
    missing = [p for p in data.problems if p.code == "missing_force"]
    assert len(missing) == 2 * (len(territorial_forces()) - 1)
    assert {p.code for p in data.problems} == {"missing_force"}


def test_workbook_without_table_p1_fails(tmp_path: Path) -> None:
    path = _workbook(tmp_path, sheets=("Table P3",))
    with pytest.raises(DataFileError) as error:
        ons_pfa_tables.read(path)
    assert str(error.value) == (
        "pfatablesdec19.xlsx: sheet 'Table P1': expected a sheet named 'Table P1' (Table P1); "
        "the workbook has: 'Table P3'"
    )


def test_renamed_column_fails_with_its_coordinates(tmp_path: Path) -> None:
    def rename(rows: list[list[object]]) -> None:
        rows[4][11] = "Robberies"

    with pytest.raises(DataFileError) as error:
        ons_pfa_tables.read(_workbook(tmp_path, change=rename))
    assert str(error.value) == (
        "pfatablesdec19.xlsx: sheet 'Table P1', row 5, column L: expected the column "
        "'Robbery' (crimes.robbery), found 'Robberies'"
    )


def test_missing_column_fails(tmp_path: Path) -> None:
    def drop(rows: list[list[object]]) -> None:
        rows[4][11] = ""

    with pytest.raises(
        DataFileError, match=r"sheet 'Table P1', row 5: expected the column 'Robbery'"
    ):
        ons_pfa_tables.read(_workbook(tmp_path, change=drop))


def test_extra_header_row_under_the_header_fails(tmp_path: Path) -> None:
    def extra(rows: list[list[object]]) -> None:
        rows.insert(6, ["", "", "Numbers of offences", "", "All", "All"])

    with pytest.raises(DataFileError) as error:
        ons_pfa_tables.read(_workbook(tmp_path, change=extra))
    assert str(error.value).startswith(
        "pfatablesdec19.xlsx: sheet 'Table P1', row 7, column C: expected a data row"
    )
    assert str(error.value).endswith("(an extra header row?)")


def test_repeated_header_row_fails(tmp_path: Path) -> None:
    def repeat(rows: list[list[object]]) -> None:
        rows.insert(6, list(P1_COLUMNS))

    with pytest.raises(DataFileError, match=r"row 7, column A: expected an ONS area code"):
        ons_pfa_tables.read(_workbook(tmp_path, change=repeat))


def test_extra_title_row_above_the_header_is_found_by_its_text(tmp_path: Path) -> None:
    def title(rows: list[list[object]]) -> None:
        rows.insert(1, ["This worksheet contains one table."])

    data = ons_pfa_tables.read(_workbook(tmp_path, change=title))
    cell = next(o.cell for o in data.observations if o.measure == "crimes.robbery")
    assert (cell.row, cell.column) == (9, "L")


def test_header_row_not_found_fails(tmp_path: Path) -> None:
    def no_header(rows: list[list[object]]) -> None:
        rows[4][0] = "Code"

    with pytest.raises(DataFileError, match=r"'Area Code' in column A\); not found"):
        ons_pfa_tables.read(_workbook(tmp_path, change=no_header))


def test_title_without_period_fails(tmp_path: Path) -> None:
    def untitled(rows: list[list[object]]) -> None:
        rows[0] = ["Table P1: Police recorded crime by police force area"]

    with pytest.raises(DataFileError, match=r"row 1, column A: expected the title of Table P1"):
        ons_pfa_tables.read(_workbook(tmp_path, change=untitled))


def test_total_mismatch_is_a_problem(tmp_path: Path) -> None:
    def off_by_five(rows: list[list[object]]) -> None:
        rows[7][2] = 195

    data = ons_pfa_tables.read(_workbook(tmp_path, change=off_by_five))
    [problem] = [p for p in data.problems if p.code == "total_mismatch"]
    assert (problem.sheet, problem.row, problem.column) == ("Table P1", 8, "C")
    assert "published as 195 but its 19 parts sum to 190 (+5)" in problem.message
    # The published total is kept as published.
    assert _value(data, TOTAL, "metropolitan", Period.year_ending(2019, 12)) == 195


def test_subtotal_mismatch_is_a_problem(tmp_path: Path) -> None:
    def burglary(rows: list[list[object]]) -> None:
        rows[7][13] = 1

    data = ons_pfa_tables.read(_workbook(tmp_path, change=burglary))
    [problem] = [p for p in data.problems if p.code == "total_mismatch"]
    assert (problem.row, problem.column) == (8, "N")


def test_negative_and_non_numeric_counts_and_markers(tmp_path: Path) -> None:
    def bad(rows: list[list[object]]) -> None:
        rows[7][5] = "n.a."  # homicide: not a number
        rows[7][11] = -7  # robbery: negative
        rows[7][17] = ".."  # theft from the person: not available

    data = ons_pfa_tables.read(_workbook(tmp_path, change=bad))
    problems = {(p.code, p.row, p.column) for p in data.problems if p.code != "missing_force"}
    assert problems == {("not_a_number", 8, "F"), ("negative_count", 8, "L")}
    met = {o.measure for o in data.observations if o.force == "metropolitan"}
    assert "crimes.homicide" not in met
    assert "crimes.theft_from_the_person" not in met
    assert _value(data, "crimes.robbery", "metropolitan", Period.year_ending(2019, 12)) == -7


def test_unknown_force_is_a_problem(tmp_path: Path) -> None:
    def atlantis(rows: list[list[object]]) -> None:
        rows.insert(8, ["E23000099", "Atlantis", *_p1_values(SUBGROUPS)])
        rows.insert(9, ["", "Atlantis Constabulary", *_p1_values(SUBGROUPS)])

    data = ons_pfa_tables.read(_workbook(tmp_path, change=atlantis))
    unknown = [(p.row, p.column) for p in data.problems if p.code == "unknown_force"]
    assert unknown == [(9, "A"), (10, "B")]


def test_duplicate_force_row_is_a_problem(tmp_path: Path) -> None:
    def twice(rows: list[list[object]]) -> None:
        rows.insert(8, ["E23000001", "Metropolitan Police", *_p1_values(SUBGROUPS)])

    data = ons_pfa_tables.read(_workbook(tmp_path, change=twice))
    assert [(p.code, p.row) for p in data.problems if p.code == "duplicate_force"] == [
        ("duplicate_force", 9)
    ]


def test_extra_notes_column_is_reported_not_read(tmp_path: Path) -> None:
    def notes(rows: list[list[object]]) -> None:
        rows[4].append("Comment")
        rows[7].append("revised")

    data = ons_pfa_tables.read(_workbook(tmp_path, change=notes))
    [problem] = [p for p in data.problems if p.code == "unexpected_column"]
    assert (problem.row, problem.column) == (5, "AB")
    assert _value(data, TOTAL, "metropolitan", Period.year_ending(2019, 12)) == 190


def test_population_without_a_stated_year_is_not_read(tmp_path: Path) -> None:
    data = ons_pfa_tables.read(_workbook(tmp_path, population_header="Population rounded to 100"))
    [problem] = [p for p in data.problems if p.code == "population_year_not_stated"]
    assert (problem.sheet, problem.row, problem.column) == ("Table P3", 5, "C")
    assert not [o for o in data.observations if o.measure == "population"]


def test_csv_with_a_renamed_column_fails(tmp_path: Path) -> None:
    text = CSV_P1.read_text(encoding="utf-8").replace(",Robbery,", ",Robberies,", 1)
    path = tmp_path / "tableP1_pfa_yejun2025.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        ons_pfa_tables.read(path)
    assert str(error.value) == (
        "tableP1_pfa_yejun2025.csv: row 7, column K: expected the column 'Robbery' "
        "(crimes.robbery), found 'Robberies'"
    )
