"""ONS population and households by PFA (CSV with ONS codes): the real file and fixtures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.reference import get_force
from peelkit.sources import ons_population
from peelkit.sources.model import SourceData

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
POPULATION_FILE = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
HEADER = "code,name,MYE2018,SNHP2017"


@pytest.fixture(scope="module")
def real() -> SourceData:
    return ons_population.read(POPULATION_FILE)


def test_recognises_its_file_and_no_other() -> None:
    assert ons_population.recognise(POPULATION_FILE, POPULATION_FILE.read_bytes()[:4096])
    other = RAW / "ons-rec-crime-pfa-2003-2018" / "rec-crime-pfa.csv"
    assert not ons_population.recognise(other, other.read_bytes()[:4096])


def test_every_force_figure_equals_the_raw_row(real: SourceData) -> None:
    with POPULATION_FILE.open(newline="", encoding="utf-8") as handle:
        rows = {
            row["code"]: row for row in csv.DictReader(handle) if row["code"][:3] in {"E23", "W15"}
        }
    assert len(rows) == 43
    assert len(real.observations) == 86
    columns = {"population": ("MYE2018", Period.mid_year(2018))}
    columns["households"] = ("SNHP2017", Period.mid_year(2017))
    seen = set()
    for observation in real.observations:
        column, period = columns[observation.measure]
        code = get_force(observation.force).ons_code
        assert code is not None
        assert observation.value == float(rows[code][column])
        assert observation.period == period
        assert observation.cell.column == column
        seen.add((code, observation.measure))
    assert len(seen) == 86


def test_met_population_and_households(real: SourceData) -> None:
    met = {o.measure: o for o in real.observations if o.force == "metropolitan"}
    assert met["population"].value == 8_899_400
    assert met["households"].value == 3_477_000
    assert (met["population"].cell.row, met["population"].cell.column) == (40, "MYE2018")


def test_author_added_row_dropped_without_problem(real: SourceData) -> None:
    assert real.problems == []
    assert 35 not in {o.cell.row for o in real.observations}  # ",Beds Cambs Herts,..."
    assert "btp" not in {o.force for o in real.observations}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "pfa_population.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_renamed_column_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, ["code,name,MYE2019,SNHP2017", "E23000001,Metropolitan Police,1,1"])
    with pytest.raises(DataFileError) as error:
        ons_population.read(path)
    assert str(error.value) == (
        "pfa_population.csv: row 1, column C: expected the column 'MYE2018', found 'MYE2019'"
    )


def test_data_problems_with_coordinates(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            "E23000001,Metropolitan Police,-5,x",  # negative, not a number
            "E23000099,Atlantis,1,1",  # unknown code
            ",Somewhere,1,1",  # no code
            "E23000005,Kent,1,1",  # name of another force
        ],
    )
    data = ons_population.read(path)
    problems = [(p.code, p.row, p.column) for p in data.problems if p.code != "missing_force"]
    assert problems == [
        ("negative_count", 2, "MYE2018"),
        ("not_a_number", 2, "SNHP2017"),
        ("unknown_force", 3, "code"),
        ("unknown_force", 4, "code"),
        ("name_code_mismatch", 5, "name"),
    ]
    missing = [p for p in data.problems if p.code == "missing_force"]
    assert len(missing) == 41  # only the Met and Greater Manchester (E23000005) have rows
    assert {(o.force, o.measure, o.value) for o in data.observations} == {
        ("metropolitan", "population", -5),
        ("greater-manchester", "population", 1),
        ("greater-manchester", "households", 1),
    }
