"""data.police.uk street-level crime CSVs: the real City of London and Essex samples, and small
CSV fixtures for the quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.sources import police_uk_street as street

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
SAMPLES = RAW / "police-uk-street-samples"
CITY = sorted((SAMPLES / "city-of-london").glob("*.csv"))
ESSEX = sorted((SAMPLES / "essex-renamed-header").glob("*.csv"))

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
ROW = (
    "{id},{month},City of London Police,{force},-0.107682,51.517786,On or near B521,E01000917,"
    "Camden 027C,{type},Status update unavailable,"
)


def _data_lines(path: Path) -> int:
    """Crimes in the file: its lines (the samples have no line breaks inside fields) less the
    anti-social behaviour incidents, which police.uk lists beside crimes."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return sum(1 for line in lines if ",Anti-social behaviour," not in line)


def test_the_samples_are_there():
    assert len(CITY) == 12 and len(ESSEX) == 3


@pytest.mark.parametrize("path", CITY + ESSEX, ids=lambda p: p.name)
def test_one_observation_per_file_counting_every_crime(path):
    assert street.recognise(path, path.read_bytes()[:1024])
    data = street.read(path)
    assert data.problems == []
    [obs] = data.observations
    year, month = int(path.name[:4]), int(path.name[5:7])
    assert obs.period == Period.month(year, month)
    assert obs.measure == "street_crimes.total"
    assert obs.force == ("essex" if "essex" in path.name else "city-of-london")
    assert obs.value == _data_lines(path)
    assert obs.cell.sheet is None and obs.cell.row == 2
    assert data.publication.sha256 == obs.publication
    assert data.publication.licence == "Open Government Licence v3.0"


def test_totals_match_the_sources_md_sizes():
    city = sum(street.read(p).observations[0].value for p in CITY)
    essex = sum(street.read(p).observations[0].value for p in ESSEX)
    assert city == sum(_data_lines(p) for p in CITY)
    assert essex == sum(_data_lines(p) for p in ESSEX)
    # SOURCES.md: about 9,000 City of London rows and 44,500 Essex rows, of which about 800 and
    # 10,500 are anti-social behaviour.
    assert 7_800 < city < 8_500
    assert 33_000 < essex < 35_000


def test_renamed_header_is_read_by_position():
    data = street.read(ESSEX[0])
    assert data.observations[0].cell.column == "month"
    assert data.publication.release == "2018-01 Essex Police"


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_several_months_and_forces_in_one_file(tmp_path):
    lines = [HEADER]
    lines += [ROW.format(id="a1", month="2022-07", force="City of London Police", type="Drugs")]
    lines += [
        ROW.format(id=i, month="2022-08", force="Metropolitan Police Service", type="Robbery")
        for i in range(3)
    ]
    lines += [ROW.format(id="", month="2022-08", force="Metropolitan Police Service", type="x")]
    data = street.read(_write(tmp_path, "two_forces.csv", lines))
    got = {(o.force, o.period.key, o.value, o.cell.row) for o in data.observations}
    assert got == {("city-of-london", "m2022-07", 1.0, 2), ("metropolitan", "m2022-08", 4.0, 3)}


def test_renamed_column_fails_naming_row_and_column(tmp_path):
    header = HEADER.replace("Crime type", "Crime category")
    path = _write(
        tmp_path,
        "renamed_column.csv",
        [header, ROW.format(id=1, month="2022-07", force="City of London Police", type="Drugs")],
    )
    assert not street.recognise(path, path.read_bytes()[:1024])
    with pytest.raises(DataFileError) as error:
        street.read(path)
    assert error.value.where == "row 1, column 10"
    assert "'Crime type'" in error.value.problem and "Crime category" in error.value.problem


def test_missing_column_fails(tmp_path):
    header = HEADER.rsplit(",", 1)[0]
    path = _write(tmp_path, "missing_column.csv", [header])
    with pytest.raises(DataFileError, match=r"row 1, column 12"):
        street.read(path)


def test_unknown_force_is_a_problem(tmp_path):
    lines = [HEADER, ROW.format(id=1, month="2022-07", force="Gotham City Police", type="Drugs")]
    data = street.read(_write(tmp_path, "unknown_force.csv", lines))
    [problem] = data.problems
    assert (problem.code, problem.row, problem.column) == ("unknown_force", 2, "Falls within")
    assert data.observations == []


def test_bad_month_is_a_problem(tmp_path):
    lines = [HEADER, ROW.format(id=1, month="July 2022", force="City of London Police", type="x")]
    data = street.read(_write(tmp_path, "bad_month.csv", lines))
    [problem] = data.problems
    assert (problem.code, problem.row, problem.column) == ("not_a_month", 2, "Month")


def test_row_with_wrong_number_of_fields_is_a_problem(tmp_path):
    good = ROW.format(id=1, month="2022-07", force="City of London Police", type="Drugs")
    lines = [HEADER, good, "abc,2022-07,City of London Police", good]
    data = street.read(_write(tmp_path, "short_row.csv", lines))
    [problem] = data.problems
    assert (problem.code, problem.row) == ("wrong_field_count", 3)
    assert [o.value for o in data.observations] == [2.0]


def test_other_csvs_are_not_recognised():
    others = [
        RAW / "ons-rec-crime-pfa-2003-2018" / "rec-crime-pfa.csv",
        RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv",
        RAW / "home-office-police-workforce-2014-2019" / "police-workforce-sep19-tables.ods",
    ]
    for path in others:
        assert not street.recognise(path, path.read_bytes()[:1024]), path.name


def test_binary_files_are_not_recognised(tmp_path):
    path = tmp_path / "binary.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00\rabc\x00\r\x00def\n")
    assert not street.recognise(path, path.read_bytes())
    for xlsx in sorted((RAW / "ons-pfa-tables-2018-2019").glob("*.xlsx")):
        assert not street.recognise(xlsx, xlsx.read_bytes()[:4096]), xlsx.name
