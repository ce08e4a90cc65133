"""Police force area boundaries: the real ONS Dec 2016 GeoJSON and broken copies of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peelkit.errors import DataFileError
from peelkit.reference import territorial_forces
from peelkit.sources.boundaries import ForceArea, read_boundaries, recognise_boundaries

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
GEOJSON = RAW / "pfa-boundaries-2016-popm" / "Police_Force_Areas_December_2016_UGC.geojson"


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh copy of the real file for each test to break."""
    loaded: dict[str, Any] = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return loaded


def test_real_file_has_the_43_force_areas():
    areas = read_boundaries(GEOJSON)
    assert len(areas) == 43
    assert {a.force for a in areas} == {f.id for f in territorial_forces()}
    assert all(a.geometry["type"] in ("Polygon", "MultiPolygon") for a in areas)
    assert recognise_boundaries(GEOJSON, GEOJSON.read_bytes()[:4096])


def test_areas_keep_code_name_and_centroid_as_the_file_gives_them(document):
    areas = {a.force: a for a in read_boundaries(GEOJSON)}
    met = areas["metropolitan"]
    assert isinstance(met, ForceArea)
    assert (met.ons_code, met.name) == ("E23000001", "Metropolitan Police")
    assert met.centroid == (-0.30864, 51.49227)
    assert areas["dyfed-powys"].ons_code == "W15000004"
    assert met.geometry == document["features"][0]["geometry"]


def _write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_unknown_code_names_the_feature_and_property(tmp_path, document):
    document["features"][5]["properties"]["PFA16CD"] = "E23000099"
    path = _write(tmp_path, "unknown_force.geojson", document)
    with pytest.raises(DataFileError) as error:
        read_boundaries(path)
    assert error.value.where == "feature 5, property PFA16CD"
    assert "E23000099" in error.value.problem


def test_missing_code_property_fails(tmp_path, document):
    del document["features"][2]["properties"]["PFA16CD"]
    path = _write(tmp_path, "missing_column.geojson", document)
    with pytest.raises(DataFileError, match=r"feature 2, property PFA16CD"):
        read_boundaries(path)


def test_name_instead_of_code_fails(tmp_path, document):
    document["features"][0]["properties"]["PFA16CD"] = "Metropolitan Police"
    path = _write(tmp_path, "renamed_column.geojson", document)
    with pytest.raises(DataFileError, match=r"feature 0, property PFA16CD.*expected an ONS code"):
        read_boundaries(path)


def test_point_geometry_fails(tmp_path, document):
    document["features"][7]["geometry"] = {"type": "Point", "coordinates": [0.0, 51.0]}
    path = _write(tmp_path, "point_geometry.geojson", document)
    with pytest.raises(DataFileError, match=r"feature 7, geometry.*Polygon or MultiPolygon"):
        read_boundaries(path)


def test_missing_force_fails(tmp_path, document):
    del document["features"][33]  # City of London
    path = _write(tmp_path, "missing_force.geojson", document)
    with pytest.raises(DataFileError, match=r"found 42; missing E23000034"):
        read_boundaries(path)


def test_duplicate_force_fails(tmp_path, document):
    document["features"].append(document["features"][0])
    path = _write(tmp_path, "duplicate_force.geojson", document)
    with pytest.raises(DataFileError, match=r"feature 43.*already drawn by feature 0"):
        read_boundaries(path)


def test_not_a_feature_collection_fails(tmp_path, document):
    path = _write(tmp_path, "feature.geojson", document["features"][0])
    assert not recognise_boundaries(path, path.read_bytes()[:4096])
    with pytest.raises(DataFileError, match=r"expected a FeatureCollection, found 'Feature'"):
        read_boundaries(path)


def test_other_files_are_not_boundaries():
    csv_path = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
    assert not recognise_boundaries(csv_path, csv_path.read_bytes()[:4096])
