"""Home Office police workforce tables: the five real September editions, and small fixtures
(xlsx written here) reproducing the layout quirks the reader must catch."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from python_calamine import CalamineWorkbook

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.reference import resolve_force, territorial_forces
from peelkit.sources import home_office_workforce as workforce
from peelkit.sources.model import SourceData

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
FOLDER = RAW / "home-office-police-workforce-2014-2019"

# Edition file -> (edition, publication date, the three dates of its tables); from SOURCES.md.
EDITIONS = {
    "police-workforce-tabs-30sep15.ods": ("30 September 2015", dt.date(2016, 1, 28), 2015),
    "police-workforce-tables-sep16.ods": ("30 September 2016", dt.date(2017, 1, 26), 2016),
    "police-workforce-tables-jan17.ods": ("30 September 2017", dt.date(2018, 1, 25), 2017),
    "police-workforce-sep18-tables.ods": ("30 September 2018", dt.date(2019, 1, 24), 2018),
    "police-workforce-sep19-tables.ods": ("30 September 2019", dt.date(2020, 1, 30), 2019),
}
MEASURES = {
    "workforce.police_officers_fte",
    "workforce.police_staff_fte",
    "workforce.pcsos_fte",
    "workforce.designated_officers_fte",
    "workforce.special_constables_headcount",
}
MEASURES_OFFICERS = "workforce.police_officers_fte"


def _dates(year: int) -> list[Period]:
    return [
        Period.at(dt.date(year - 1, 9, 30)),
        Period.at(dt.date(year, 3, 31)),
        Period.at(dt.date(year, 9, 30)),
    ]


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


@pytest.fixture(scope="module")
def editions() -> dict[str, SourceData]:
    return {name: workforce.read(FOLDER / name) for name in EDITIONS}


def _value(data: SourceData, measure: str, force: str, period: Period) -> float:
    [value] = [
        o.value
        for o in data.observations
        if (o.measure, o.force, o.period) == (measure, force, period)
    ]
    return value


# --- the real files ------------------------------------------------------------------------


def test_met_police_officers_fte_at_31_march_2019_is_30435(editions):
    data = editions["police-workforce-sep19-tables.ods"]
    value = _value(
        data, "workforce.police_officers_fte", "metropolitan", Period.at(dt.date(2019, 3, 31))
    )
    assert _half_up(value) == 30435
    assert value == pytest.approx(30435.49, abs=0.01)


@pytest.mark.parametrize("name", list(EDITIONS))
def test_each_edition_gives_every_measure_for_every_force_at_its_three_dates(editions, name):
    release, published, year = EDITIONS[name]
    data = editions[name]
    assert data.publication.release == release
    assert data.publication.release_date == published
    assert data.publication.publisher == "Home Office"
    assert data.publication.licence == "Open Government Licence v3.0"
    assert {o.measure for o in data.observations} == MEASURES
    assert {o.period for o in data.observations} == set(_dates(year))
    officers = {(o.force, o.period) for o in data.observations if o.measure == MEASURES_OFFICERS}
    expected_forces = {f.id for f in territorial_forces()} | {"btp"}
    assert officers == {(f, p) for f in expected_forces for p in _dates(year)}
    assert all(o.publication == data.publication.sha256 for o in data.observations)


@pytest.mark.parametrize("name", list(EDITIONS))
def test_published_totals_equal_the_sum_of_their_rows_in_the_real_files(editions, name):
    # Region rows, "Total 43 forces" and "Total" are checked against their rows: no problems
    # (and no unknown or missing forces) in any of the five editions.
    assert editions[name].problems == []


@pytest.mark.parametrize("name", list(EDITIONS))
def test_recognised(name):
    path = FOLDER / name
    assert workforce.recognise(path, path.read_bytes()[:2048])


def test_other_publications_are_not_recognised():
    csv_path = FOLDER / "cleaned-by-resistancelab" / "officer-fte-2019.csv"
    assert not workforce.recognise(csv_path, csv_path.read_bytes()[:2048])
    geojson = RAW / "pfa-boundaries-2016-popm" / "Police_Force_Areas_December_2016_UGC.geojson"
    assert not workforce.recognise(geojson, geojson.read_bytes()[:2048])
    for xlsx in sorted((RAW / "ons-pfa-tables-2018-2019").glob("*.xlsx"))[:1]:
        assert not workforce.recognise(xlsx, xlsx.read_bytes()[:2048])


def test_officer_figures_match_the_resistance_lab_cleaned_csvs(editions):
    # An independent transcription of Table 1 of each edition (derived; used only as a check).
    files = {
        "officer-fte-2015.csv": "police-workforce-tabs-30sep15.ods",
        "officer-fte-2016.csv": "police-workforce-tables-sep16.ods",
        "officer-fte-2017.csv": "police-workforce-tables-jan17.ods",
        "officer-fte-2018.csv": "police-workforce-sep18-tables.ods",
        "officer-fte-2019.csv": "police-workforce-sep19-tables.ods",
    }
    compared = 0
    for csv_name, edition in files.items():
        year = EDITIONS[edition][2]
        ours = {
            (o.force, o.period): o.value
            for o in editions[edition].observations
            if o.measure == MEASURES_OFFICERS
        }
        with (FOLDER / "cleaned-by-resistancelab" / csv_name).open(encoding="utf-8") as stream:
            rows = list(csv.reader(stream))[1:]
        seen_west_midlands = False
        for label, *values in rows:
            if label.strip() == "West Midlands" and not seen_west_midlands:
                seen_west_midlands = True  # the region row comes first
                continue
            try:
                force = resolve_force(label).id
            except Exception:
                continue  # a region or total
            for period, value in zip(_dates(year), values[:3], strict=True):
                assert ours[force, period] == pytest.approx(float(value), abs=1e-6), (
                    csv_name,
                    label,
                )
                compared += 1
    assert compared >= 5 * 43 * 3


def test_west_midlands_force_row_is_not_the_region_row(editions):
    # Both rows read "West Midlands": the region (first) and the force (last of its block).
    rows = (
        CalamineWorkbook.from_path(str(FOLDER / "police-workforce-sep19-tables.ods"))
        .get_sheet_by_name("Table_1")
        .to_python(skip_empty_area=False)
    )
    labelled = [row for row in rows if str(row[0]).strip() == "West Midlands"]
    region, force_row = labelled
    assert isinstance(region[2], float) and isinstance(force_row[2], float)
    assert region[2] > force_row[2]
    value = _value(
        editions["police-workforce-sep19-tables.ods"],
        MEASURES_OFFICERS,
        "west-midlands",
        Period.at(dt.date(2019, 3, 31)),
    )
    assert value == force_row[2]


def test_suppressed_cells_give_no_observation(editions):
    # Cleveland's designated officers are ".." in the Sept 2019 edition (Table 3, row 8).
    data = editions["police-workforce-sep19-tables.ods"]
    assert not [
        o
        for o in data.observations
        if o.measure == "workforce.designated_officers_fte" and o.force == "cleveland"
    ]


def test_cells_name_sheet_row_and_column(editions):
    data = editions["police-workforce-sep19-tables.ods"]
    [obs] = [
        o
        for o in data.observations
        if o.measure == MEASURES_OFFICERS
        and o.force == "metropolitan"
        and o.period == Period.at(dt.date(2019, 3, 31))
    ]
    assert (obs.cell.sheet, obs.cell.row, obs.cell.column) == ("Table_1", 42, "C")


def test_revisions_between_editions_are_listed_with_coordinates(editions):
    # The Met's officers at 30 September 2015: 31,792.89 in the 2015 edition, 32,182.68 in 2016.
    problems = workforce.revisions(
        editions["police-workforce-tabs-30sep15.ods"],
        editions["police-workforce-tables-sep16.ods"],
    )
    met = [p for p in problems if "police_officers" in p.message and "metropolitan" in p.message]
    assert len(met) == 1
    assert met[0].code == "revised_between_releases"
    assert (met[0].file, met[0].sheet, met[0].row, met[0].column) == (
        "police-workforce-tables-sep16.ods",
        "Table_1",
        42,
        "B",
    )
    assert "31,792.89" in met[0].message and "32,182.68" in met[0].message


def test_no_revision_between_identical_figures(editions):
    data = editions["police-workforce-sep19-tables.ods"]
    assert workforce.revisions(data, data) == []


# --- fixtures: the layout, written as xlsx ---------------------------------------------------

DATES = [dt.datetime(2018, 9, 30), dt.datetime(2019, 3, 31), dt.datetime(2019, 9, 30)]
TITLES = {
    "Table_1": ("Police officers by police force area, England and Wales", "Full-time equivalents"),
    "Table_2": ("Police staff by police force area, England and Wales", "Full-time equivalents"),
    "Table_3": ("Designated officers (s.38, s.391) by police force area", "Full-time equivalents"),
    "Table_4": (
        "Police community support officers by police force area, England and Wales",
        "Full-time equivalents",
    ),
    "Table_5": ("Special constables by police force area, England and Wales", "Headcount"),
}


def _table(title: str, unit: str) -> list[list[Any]]:
    """A table like the real ones: title, unit, "As at:", dates in row 6, then each region's row
    followed by its forces' rows, the totals and a footnote."""
    rows: list[list[Any]] = [
        [title],
        [],
        ["England and Wales", "", "", "", "", "", "", unit],
        ["", "As at:", "", "", "Change in 12 months"],
        [],
        ["", *DATES, "number", "%"],
    ]
    total = [0.0, 0.0, 0.0]
    regions: dict[str, list[str]] = {}
    for force in territorial_forces():
        region = {"East": "Eastern ", "Wales": "Wales"}.get(force.region or "", f"{force.region} ")
        regions.setdefault(region.replace("The Humber", "the Humber"), []).append(force.short_name)
    number = 0
    for region, forces in regions.items():
        values = [[100.0 + number + i, 101.0 + number + i, 102.0 + i] for i in range(len(forces))]
        number += len(forces)
        sums = [sum(v[k] for v in values) for k in range(3)]
        total = [t + s for t, s in zip(total, sums, strict=True)]
        rows.append([region, *sums])
        rows += [[label, *v] for label, v in zip(forces, values, strict=True)]
    rows += [["Total 43 forces", *total], ["British Transport Police", 1.0, 2.0, 3.0]]
    rows += [["Total", *(t + b for t, b in zip(total, (1.0, 2.0, 3.0), strict=True))]]
    rows += [[], ["'..' Denotes data not available"]]
    return rows


def _write(path: Path, tables: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    index = book.active
    assert index is not None
    index.title = "Index"
    index.append(["Police Workforce, England and Wales, 30 September 2019"])
    index.append([])
    index.append(["Table number", "Title", "Period covered", "National Statistics", "Last updated"])
    index.append(["Table 1", "Police officers", "Sept 2018 to Sept 2019", "Yes", "30 January 2020"])
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _tables() -> dict[str, list[list[Any]]]:
    return {
        name: _table(f"Table {name[-1]}: {title}", unit) for name, (title, unit) in TITLES.items()
    }


def test_fixture_reads_cleanly(tmp_path):
    path = _write(tmp_path / "clean.xlsx", _tables())
    assert workforce.recognise(path, path.read_bytes()[:64])
    data = workforce.read(path)
    assert data.problems == []
    assert data.publication.release_date == dt.date(2020, 1, 30)
    assert len(data.observations) == 5 * 44 * 3


def test_missing_sheet_names_the_table_expected(tmp_path):
    tables = _tables()
    del tables["Table_5"]
    path = _write(tmp_path / "missing_sheet.xlsx", tables)
    with pytest.raises(DataFileError, match=r"Special constables by police force area"):
        workforce.read(path)


def test_headcount_table_is_not_taken_for_the_fte_table(tmp_path):
    tables = _tables()
    title, _ = TITLES["Table_1"]
    tables["Table_1"] = _table(f"Table 1: {title}", "Headcount")
    path = _write(tmp_path / "renamed_unit.xlsx", tables)
    with pytest.raises(DataFileError, match=r"unit 'Full-time equivalents'"):
        workforce.read(path)


def test_extra_header_row_fails_naming_sheet_row_and_column(tmp_path):
    tables = _tables()
    tables["Table_2"].insert(1, ["An extra note row"])
    path = _write(tmp_path / "extra_header_row.xlsx", tables)
    with pytest.raises(DataFileError) as error:
        workforce.read(path)
    assert error.value.where == "sheet Table_2, row 6, column B"
    assert "expected the dates" in error.value.problem


def test_table_without_its_total_row_fails(tmp_path):
    tables = _tables()
    tables["Table_4"] = [row for row in tables["Table_4"] if row[:1] != ["Total"]]
    path = _write(tmp_path / "missing_total_row.xlsx", tables)
    with pytest.raises(DataFileError, match=r"sheet Table_4, column A.*'Total'"):
        workforce.read(path)


def test_non_numeric_cell_is_a_problem_and_no_observation(tmp_path):
    tables = _tables()
    row = next(r for r in tables["Table_1"] if r[:1] == ["Kent"])
    row[2] = "n/a"
    path = _write(tmp_path / "non_numeric_count.xlsx", tables)
    data = workforce.read(path)
    problems = [p for p in data.problems if p.code == "not_a_number"]
    assert len(problems) == 1
    assert (problems[0].sheet, problems[0].row, problems[0].column) == (
        "Table_1",
        tables["Table_1"].index(row) + 1,
        "C",
    )
    kent = [o for o in data.observations if o.force == "kent" and o.measure == MEASURES_OFFICERS]
    assert {o.period.end for o in kent} == {dt.date(2018, 9, 30), dt.date(2019, 9, 30)}


def test_suppressed_marker_is_skipped_without_a_problem_but_breaks_the_total(tmp_path):
    tables = _tables()
    row = next(r for r in tables["Table_3"] if r[:1] == ["Cleveland"])
    row[1:4] = ["..", "..", ".."]
    path = _write(tmp_path / "suppressed.xlsx", tables)
    data = workforce.read(path)
    assert not [
        o
        for o in data.observations
        if o.force == "cleveland" and o.measure == "workforce.designated_officers_fte"
    ]
    # The published totals still include Cleveland: the sums of the rows differ from them.
    assert {p.code for p in data.problems} == {"total_mismatch"}


def test_unknown_force_is_a_problem(tmp_path):
    tables = _tables()
    row = next(r for r in tables["Table_2"] if r[:1] == ["Sussex"])
    row[0] = "Sussexx Police Force"
    path = _write(tmp_path / "unknown_force.xlsx", tables)
    data = workforce.read(path)
    codes = sorted(p.code for p in data.problems)
    assert codes == ["missing_force", "unknown_force"]
    unknown = next(p for p in data.problems if p.code == "unknown_force")
    assert (unknown.sheet, unknown.row) == ("Table_2", tables["Table_2"].index(row) + 1)
    assert "Sussexx" in unknown.message


def test_missing_force_is_a_problem(tmp_path):
    tables = _tables()
    tables["Table_1"] = [r for r in tables["Table_1"] if r[:1] != ["Dorset"]]
    path = _write(tmp_path / "missing_force.xlsx", tables)
    data = workforce.read(path)
    missing = [p for p in data.problems if p.code == "missing_force"]
    assert len(missing) == 1
    assert "Dorset" in missing[0].message and missing[0].sheet == "Table_1"
    # Dorset's values are in the published totals, so those no longer add up either.
    assert {p.code for p in data.problems} == {"missing_force", "total_mismatch"}


def test_total_that_differs_from_its_rows_is_a_problem_at_the_total_cell(tmp_path):
    tables = _tables()
    row = next(r for r in tables["Table_5"] if r[:1] == ["Total 43 forces"])
    row[3] += 10
    path = _write(tmp_path / "total_mismatch.xlsx", tables)
    data = workforce.read(path)
    [problem] = data.problems
    assert problem.code == "total_mismatch"
    assert (problem.sheet, problem.row, problem.column) == (
        "Table_5",
        tables["Table_5"].index(row) + 1,
        "D",
    )


def test_footnote_marks_on_force_names_are_dropped(tmp_path):
    tables = _tables()
    row = next(r for r in tables["Table_1"] if r[:1] == ["Wiltshire"])
    row[0] = "Wiltshire1"
    path = _write(tmp_path / "footnote_mark.xlsx", tables)
    data = workforce.read(path)
    assert data.problems == []
    assert any(o.force == "wiltshire" for o in data.observations)


def test_not_a_workforce_workbook_fails_on_the_index(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Index"
    sheet.append(["Something else entirely"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    assert not workforce.recognise(path, path.read_bytes()[:64])
    with pytest.raises(DataFileError, match=r"sheet Index, row 1, column A"):
        workforce.read(path)


def test_without_its_region_row_the_west_midlands_force_is_not_lost_silently(tmp_path):
    # The first "West Midlands" row of a table is taken as the region: if a table had no region
    # row, the force row would be taken for it, and the force is then reported missing.
    tables = _tables()
    tables["Table_1"] = [r for r in tables["Table_1"] if r[:1] != ["West Midlands "]]
    path = _write(tmp_path / "missing_region_row.xlsx", tables)
    data = workforce.read(path)
    missing = [p for p in data.problems if p.code == "missing_force"]
    assert [p.message.split(" has")[0] for p in missing] == ["West Midlands Police"]
