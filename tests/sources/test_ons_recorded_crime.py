"""ONS recorded crime by PFA (rolling-year CSV): the real file, and fixtures for each quirk."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from peelkit.domain.periods import Period
from peelkit.errors import DataFileError
from peelkit.reference import territorial_forces
from peelkit.sources import ons_recorded_crime
from peelkit.sources.model import SourceData

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
CSV_FILE = RAW / "ons-rec-crime-pfa-2003-2018" / "rec-crime-pfa.csv"
POPULATION_FILE = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences"


@pytest.fixture(scope="module")
def real() -> SourceData:
    return ons_recorded_crime.read(CSV_FILE)


def _raw_rows() -> list[dict[str, str]]:
    with CSV_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _total_excluding_fraud(data: SourceData, force_ids: set[str], period: Period) -> float:
    return sum(
        o.value
        for o in data.observations
        if o.period == period and o.force in force_ids and o.measure != "crimes.fraud_offences"
    )


def test_recognises_its_file_and_no_other() -> None:
    assert ons_recorded_crime.recognise(CSV_FILE, CSV_FILE.read_bytes()[:4096])
    assert not ons_recorded_crime.recognise(POPULATION_FILE, POPULATION_FILE.read_bytes()[:4096])
    p1 = RAW / "ons-pfa-tables-yejun2025" / "tableP1_pfa_yejun2025.csv"
    assert not ons_recorded_crime.recognise(p1, p1.read_bytes()[:4096])


def test_publication_provenance(real: SourceData) -> None:
    import hashlib

    publication = real.publication
    assert publication.sha256 == hashlib.sha256(CSV_FILE.read_bytes()).hexdigest()
    assert publication.publisher == "Office for National Statistics"
    assert publication.licence == "Open Government Licence v3.0"
    assert publication.release == "12 months ending March 2003 to December 2018"
    assert {o.publication for o in real.observations} == {publication.sha256}


def test_ye_march_2018_england_and_wales_excluding_btp_and_fraud(real: SourceData) -> None:
    # SOURCES.md: "YE Mar 2018 E&W excl BTP excl fraud = 4,818,518".
    forces = {f.id for f in territorial_forces()}
    assert len(forces) == 43
    assert _total_excluding_fraud(real, forces, Period.year_ending(2018, 3)) == 4_818_518


def test_met_recorded_crime_per_1000_to_september_2018_is_93(real: SourceData) -> None:
    with POPULATION_FILE.open(newline="", encoding="utf-8") as handle:
        population = {row["code"]: float(row["MYE2018"]) for row in csv.DictReader(handle)}
    assert population["E23000001"] == 8_899_400
    crimes = _total_excluding_fraud(real, {"metropolitan"}, Period.year_ending(2018, 9))
    rate = Decimal(crimes) * 1000 / Decimal(population["E23000001"])
    assert rate.quantize(Decimal(1), rounding=ROUND_HALF_UP) == 93


def test_every_observation_matches_the_raw_rows(real: SourceData) -> None:
    # Independent sums from the raw rows: (date, PFA, offence group after the 2017 rename).
    renamed = {"Residential burglary": "Domestic burglary"}
    renamed["Non-residential burglary"] = "Non-domestic burglary"
    expected: dict[tuple[str, str, str], float] = {}
    for row in _raw_rows():
        if row["PFA"] in {"Action Fraud", "CIFAS", "UK Finance"}:
            continue
        offence = renamed.get(row["Offence"], row["Offence"])
        key = (row["12 months ending"][3:], row["PFA"], offence)
        expected[key] = expected.get(key, 0) + float(row["Rolling year total number of offences"])
    met = {
        (f"{o.period.end:%m-%Y}", o.measure): o.value
        for o in real.observations
        if o.force == "metropolitan"
    }
    assert (
        met[("03-2018", "crimes.domestic_burglary")]
        == expected[("03-2018", "Metropolitan Police", "Domestic burglary")]
    )
    assert (
        met[("03-2016", "crimes.domestic_burglary")]
        == expected[("03-2016", "Metropolitan Police", "Domestic burglary")]
    )
    assert (
        met[("09-2018", "crimes.robbery")]
        == expected[("09-2018", "Metropolitan Police", "Robbery")]
    )
    # One observation per (force, period, measure); 44 forces (43 + BTP), 19 or 20 measures.
    keys = [(o.force, o.period, o.measure) for o in real.observations]
    assert len(keys) == len(set(keys))
    assert len(real.observations) == len(expected)


def test_burglary_cell_cites_the_row_with_the_figure(real: SourceData) -> None:
    rows = _raw_rows()
    observation = next(
        o
        for o in real.observations
        if o.force == "metropolitan"
        and o.period == Period.year_ending(2018, 3)
        and o.measure == "crimes.domestic_burglary"
    )
    row = rows[observation.cell.row - 2]  # row 1 is the header
    assert (row["PFA"], row["Offence"], row["12 months ending"]) == (
        "Metropolitan Police",
        "Residential burglary",
        "31-03-2018",
    )
    assert float(row["Rolling year total number of offences"]) == observation.value


def test_btp_kept_fraud_bodies_skipped_fraud_offences_read(real: SourceData) -> None:
    forces = {o.force for o in real.observations}
    assert "btp" in forces
    assert len(forces) == 44
    fraud = [o for o in real.observations if o.measure == "crimes.fraud_offences"]
    assert {o.period for o in fraud} >= {Period.financial_year("2012/13")}


def test_irregular_date_is_read_as_december_2017_and_reported(real: SourceData) -> None:
    first = next(
        i
        for i, line in enumerate(CSV_FILE.read_text().splitlines(), 1)
        if line.startswith("30-12-2017")
    )
    problems = [p for p in real.problems if p.code == "irregular_date"]
    assert [(p.row, p.column) for p in problems] == [(first, "12 months ending")]
    december = {o.force for o in real.observations if o.period == Period.year_ending(2017, 12)}
    assert len(december) == 44


def test_negative_counts_are_kept_and_reported(real: SourceData) -> None:
    negative_rows = [
        i
        for i, row in enumerate(_raw_rows(), 2)
        if float(row["Rolling year total number of offences"]) < 0
    ]
    problems = [p for p in real.problems if p.code == "negative_count"]
    assert [p.row for p in problems] == negative_rows
    assert len(problems) == 25
    cheshire = next(o for o in real.observations if o.cell.row == negative_rows[0])
    assert (cheshire.force, cheshire.value) == ("cheshire", -1)


def test_no_other_problems_in_the_real_file(real: SourceData) -> None:
    assert {p.code for p in real.problems} == {"negative_count", "irregular_date"}


# --- fixtures: each reproduces one quirk ---------------------------------------------------


def _write(tmp_path: Path, lines: list[str], name: str = "rec-crime-pfa.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_renamed_column_fails_with_its_coordinates(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [HEADER.replace("Offence,", "Offence group,"), "31-03-2018,Kent,South East,Robbery,5"],
    )
    with pytest.raises(DataFileError) as error:
        ons_recorded_crime.read(path)
    assert str(error.value) == (
        "rec-crime-pfa.csv: row 1, column D: expected the column 'Offence', found 'Offence group'"
    )


def test_extra_column_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER + ",Notes", "31-03-2018,Kent,South East,Robbery,5,"])
    with pytest.raises(DataFileError, match="row 1, column F: expected 5 columns"):
        ons_recorded_crime.read(path)


def test_not_a_date_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, "2018-03,Kent,South East,Robbery,5"])
    with pytest.raises(DataFileError, match="row 2, column 12 months ending: expected a date"):
        ons_recorded_crime.read(path)


def test_non_numeric_count_is_a_problem(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [HEADER, "31-03-2018,Kent,South East,Robbery,..x", "31-03-2018,Kent,South East,Homicide,7"],
    )
    data = ons_recorded_crime.read(path)
    [problem] = [p for p in data.problems if p.code == "not_a_number"]
    assert (problem.row, problem.column) == (2, "Rolling year total number of offences")
    assert [(o.measure, o.value) for o in data.observations] == [("crimes.homicide", 7)]


def test_negative_count_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, "31-03-2018,Kent,South East,Robbery,-3"])
    data = ons_recorded_crime.read(path)
    assert [(p.code, p.row) for p in data.problems if p.code == "negative_count"] == [
        ("negative_count", 2)
    ]


def test_unknown_force_is_a_problem_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            "31-03-2018,Atlantis,South East,Robbery,3",
            "31-03-2018,Atlantis,South East,Homicide,1",
        ],
    )
    data = ons_recorded_crime.read(path)
    assert [(p.code, p.row, p.column) for p in data.problems if p.code == "unknown_force"] == [
        ("unknown_force", 2, "PFA")
    ]
    assert data.observations == []


def test_missing_force_is_a_problem(tmp_path: Path) -> None:
    lines = [HEADER]
    for force in territorial_forces():
        if force.id != "greater-manchester":
            lines.append(f"31-03-2018,{force.short_name},x,Robbery,1")
    data = ons_recorded_crime.read(_write(tmp_path, lines))
    missing = [p for p in data.problems if p.code == "missing_force"]
    assert [p.message for p in missing] == [
        "no figures for Greater Manchester Police in the 2017/18"
    ]


def test_both_burglary_classifications_are_summed(tmp_path: Path) -> None:
    lines = [
        HEADER,
        "30-06-2017,Kent,South East,Domestic burglary,100",
        "30-06-2017,Kent,South East,Residential burglary,20",
    ]
    data = ons_recorded_crime.read(_write(tmp_path, lines))
    [observation] = data.observations
    assert (observation.measure, observation.value, observation.cell.row) == (
        "crimes.domestic_burglary",
        120,
        2,
    )
