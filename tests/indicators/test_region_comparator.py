"""`peel indicators ... --comparator region`: the force's figure against its ONS region's,
pooled as England and Wales is (the sum of the region's counts over the sum of its
populations). The regions are read from the shipped forces file and the pooling is done here,
from each force's own row, not by the engine's comparator code."""

from __future__ import annotations

import contextlib
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from peelkit.cli import main

INDICATORS = ("recorded_crime_per_1000", "violence_against_the_person_per_1000")


def _regions() -> dict[str, str]:
    text = (resources.files("peelkit.reference") / "data" / "forces.yaml").read_text("utf-8")
    forces = yaml.safe_load(text)["forces"]
    return {f["id"]: f["region"] for f in forces if f.get("territorial", True)}


def _rows(tmp_path: Path, *arguments: str) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            [
                "indicators",
                *arguments,
                "--month",
                "2018-09",
                "--population-year",
                "2018",
                *[part for i in INDICATORS for part in ("--indicator", i)],
                "--json",
                "--db",
                str(tmp_path / "s.sqlite"),
            ]
        )
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(buffer.getvalue())
    return rows


def test_each_force_is_compared_with_its_regions_pooled_figure(tmp_path: Path) -> None:
    regions = _regions()
    everyone = [
        r
        for r in _rows(tmp_path, "--all-forces", "--comparator", "region")
        if r["force"] in regions
    ]
    assert {r["force"] for r in everyone} == set(regions)
    for indicator in INDICATORS:
        rows = {r["force"]: r for r in everyone if r["indicator"] == indicator}
        for force, row in rows.items():
            members = sorted(f for f, region in regions.items() if region == regions[force])
            assert row["comparator"] == "region"
            assert sorted(row["comparator_forces"]) == members, force
            top = sum(rows[m]["numerator"] for m in members)
            bottom = sum(rows[m]["denominator"] for m in members)
            assert row["comparator_value"] == pytest.approx(top * 1000 / bottom, rel=1e-12)
    # Every region's figure lies between its forces' own (a pooled rate is a weighted mean).
    kent = next(r for r in everyone if r["force"] == "kent" and r["indicator"] == INDICATORS[0])
    south_east = [
        r["value"]
        for r in everyone
        if r["indicator"] == INDICATORS[0] and regions[r["force"]] == regions["kent"]
    ]
    assert min(south_east) <= kent["comparator_value"] <= max(south_east)


def test_an_unknown_comparator_names_the_three(tmp_path: Path, capsys: Any) -> None:
    code = main(
        ["indicators", "Kent", "--month", "2018-09", "--comparator", "county", "--db",
         str(tmp_path / "s.sqlite")]
    )  # fmt: skip
    assert code == 2
    assert "expected ew, msg or region" in capsys.readouterr().err
