"""Forces against the official code lists in ../shared/data/raw, and resolving their names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from peelkit.errors import UnknownForce
from peelkit.reference import all_forces, resolve_force, territorial_forces


def _ons_force_areas(raw_data: Path) -> dict[str, str]:
    """ONS code -> area name, from the ONS mid-2018 population file (forces only)."""
    path = raw_data / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return {
            r["code"]: r["name"]
            for r in csv.DictReader(handle)
            if r["code"].startswith(("E23", "W15"))
        }


def test_43_territorial_forces_with_the_ons_codes(raw_data: Path) -> None:
    areas = _ons_force_areas(raw_data)
    assert len(areas) == 43
    forces = territorial_forces()
    assert len(forces) == 43
    assert {f.ons_code: f.short_name for f in forces} == areas


def test_codes_agree_with_the_boundaries_and_the_lookup(raw_data: Path) -> None:
    import json

    boundaries = json.loads(
        (
            raw_data / "pfa-boundaries-2016-popm" / "Police_Force_Areas_December_2016_UGC.geojson"
        ).read_text(encoding="utf-8")
    )
    codes = {f["properties"]["PFA16CD"] for f in boundaries["features"]}
    assert codes == {f.ons_code for f in territorial_forces()}
    lookup = raw_data / "ons-lad-csp-pfa-lookup-2016" / "LAD16_CSP16_PFA16_lookup_EW.csv"
    with lookup.open(encoding="utf-8-sig") as handle:
        pairs = {(r["PFA16CD"], r["PFA16NM"]) for r in csv.DictReader(handle)}
    for code, name in pairs:
        assert resolve_force(name).ons_code == code


def test_regions_follow_the_ons_file_order(raw_data: Path) -> None:
    path = raw_data / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    region = None
    expected: dict[str, str] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["code"].startswith("E12"):
                region = row["name"].replace(" (region)", "")
            elif row["code"].startswith("W92"):
                region = "Wales"
            elif row["code"].startswith(("E23", "W15")):
                assert region is not None
                expected[row["code"]] = region
    assert {f.ons_code: f.region for f in territorial_forces()} == expected
    welsh = {f.country for f in territorial_forces() if (f.ons_code or "").startswith("W")}
    assert welsh == {"Wales"}


def test_british_transport_police_is_kept_but_out_of_totals() -> None:
    btp = resolve_force("BTP")
    assert btp.name == "British Transport Police"
    assert not btp.territorial
    assert not btp.in_england_and_wales_totals
    assert btp.ons_code is None
    assert len(all_forces()) == 44


def test_police_uk_ids_and_labels_resolve(raw_data: Path) -> None:
    path = raw_data / "police-uk-force-ids-crime-uk" / "forces.csv"
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 44
    for row in rows:
        assert resolve_force(row["Label"]).police_uk_id == row["id"]
        assert resolve_force(row["id"]).police_uk_id == row["id"]


def test_every_force_name_in_the_peel_grades_resolves(raw_data: Path) -> None:
    with (raw_data / "peel-grades" / "peel_grades.csv").open(encoding="utf-8") as handle:
        names = {r["force"] for r in csv.DictReader(handle)}
    resolved = {resolve_force(n).id for n in names}
    assert len(resolved) == 43


def test_every_force_of_the_2005_national_tables_resolves(reference_reports: Path) -> None:
    # The 2005 report's grade tables for all 43 forces are headed by rows of tab-separated
    # short names ("City of London", "MPS", ...), in two blocks each for grades and directions.
    text = (reference_reports / "004_8971e4e9a7c1f0c8.txt").read_text(encoding="utf-8")
    grade_words = {"Excellent", "Good", "Fair", "Poor", "NG", "I", "S", "D", ""}
    headers = [
        line.split("\t")[1:]
        for line in text.splitlines()
        if line.startswith("\t")
        and line.count("\t") > 15
        and not set(c.strip() for c in line.split("\t")) <= grade_words
    ]
    assert headers, "the national grade tables were not found in the 2005 report"
    names = {name.strip() for header in headers for name in header if name.strip()}
    assert "MPS" in names
    assert len({resolve_force(name).id for name in names}) == 43


@pytest.mark.parametrize(
    "name",
    [
        "Metropolitan Police Service",
        "MPS",
        "Metropolitan Police",
        "Greater Manchester Police",
        "GMP",
        "Dyfed-Powys Police",
        "Avon and Somerset Constabulary",
    ],
)
def test_names_the_issue_and_reports_use(name: str) -> None:
    assert resolve_force(name).territorial


@pytest.mark.parametrize(
    ("spelling", "force_id"),
    [
        ("avon & somerset constabulary", "avon-and-somerset"),
        ("Dyfed Powys", "dyfed-powys"),
        ("  GREATER   MANCHESTER  ", "greater-manchester"),
        ("E23000001", "metropolitan"),
        ("Hampshire and Isle of Wight Constabulary", "hampshire"),
    ],
)
def test_resolve_ignores_case_and_punctuation(spelling: str, force_id: str) -> None:
    assert resolve_force(spelling).id == force_id


def test_unknown_force_lists_the_closest_names() -> None:
    with pytest.raises(UnknownForce) as caught:
        resolve_force("West Yorkshre")
    assert caught.value.suggestions[0] == "West Yorkshire Police"
    assert "closest: West Yorkshire Police" in str(caught.value)
    with pytest.raises(UnknownForce, match="unknown force 'Atlantis'"):
        resolve_force("Atlantis")
