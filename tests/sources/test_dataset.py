"""The embedded dataset equals what the build script makes from the raw files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from peelkit.sources.dataset import (
    BOUNDARIES_SOURCE,
    build,
    embedded,
    shipped_boundaries,
    shipped_folder,
    write,
)


def test_shipped_dataset_is_what_the_raw_files_build(raw_data: Path, tmp_path: Path) -> None:
    dataset = build(raw_data)
    write(dataset, tmp_path)
    for name in ("publications.csv", "observations.npz", "problems.csv"):
        assert (tmp_path / name).read_bytes() == (shipped_folder() / name).read_bytes(), name


def test_shipped_dataset_reads_back_with_provenance() -> None:
    dataset = embedded()
    publications = {p.sha256: p for p in dataset.publications}
    assert len(dataset.observations) > 40_000
    assert all(o.publication in publications for o in dataset.observations)
    assert {p.publisher for p in dataset.publications} >= {
        "Office for National Statistics",
        "Home Office",
    }
    codes = {p.code for p in dataset.problems}
    # Greater Manchester's missing 2019 quarters, and a figure revised between two releases.
    assert "missing_force" in codes
    assert "revised_between_releases" in codes
    missing = [p for p in dataset.problems if p.code == "missing_force"]
    assert any(
        "Greater Manchester" in p.message or "greater-manchester" in p.message for p in missing
    )


def test_shipped_boundaries_are_the_ons_file(raw_data: Path) -> None:
    source = raw_data / BOUNDARIES_SOURCE
    assert shipped_boundaries().read_bytes() == source.read_bytes()


def test_the_build_script_stops_on_a_file_cut_short_with_one_line(
    raw_data: Path, tmp_path: Path
) -> None:
    # the recorded crime file cut off in the middle of a line, alone in a raw folder
    source = raw_data / "ons-rec-crime-pfa-2003-2018" / "rec-crime-pfa.csv"
    cut = tmp_path / "raw" / "ons-rec-crime-pfa-2003-2018" / "rec-crime-pfa.csv"
    cut.parent.mkdir(parents=True)
    cut.write_bytes(source.read_bytes()[:3000])
    shipped = {p.name: p.read_bytes() for p in shipped_folder().iterdir() if p.is_file()}
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_dataset.py"
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "raw")], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("build_dataset: error: rec-crime-pfa.csv: line ")
    assert "cut short" in line
    assert {p.name: p.read_bytes() for p in shipped_folder().iterdir() if p.is_file()} == shipped
