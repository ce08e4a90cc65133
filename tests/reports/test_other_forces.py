"""Reports for forces without an imported report: grades from the HMICFRS grades CSV, figures
from the statistics; and the peel report / peel grades commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.cli import main
from peelkit.frameworks import load_framework
from peelkit.reports.render import render_html
from peelkit.views.json import to_json
from tests.reports.test_render import check_accessible, parse_html

GRADES = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "raw"
    / "peel-grades"
    / "peel_grades.csv"
)
FORCES = ["Kent", "Durham", "Cleveland", "Essex", "Dyfed-Powys", "Greater Manchester"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("graded")
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        ws.load_grades(GRADES)
        yield ws


@pytest.mark.parametrize("force", FORCES)
def test_peel_2018_19_report_prints_the_loaded_grades(graded: Workspace, force: str) -> None:
    resolved = graded.resolve_force(force)
    (summary,) = to_json(graded.inspections(force=force, framework="peel-2018-19"))
    record = to_json(graded.inspection(summary["id"]))
    labels = {g.id: g.label for g in load_framework("peel-2018-19").grade_scale.values}  # type: ignore[union-attr]
    report = graded.force_report(force, "peel-2018-19")
    html = render_html(report)
    root = parse_html(html)
    check_accessible(root)
    assert resolved.name in next(root.iter("h1")).text()
    text = root.text()
    framework = load_framework("peel-2018-19")
    for judgment in record["judgments"]:
        area = framework.area(judgment["area"]).name
        assert area in text
        assert labels[judgment["grade"]] in text
    # Areas with no loaded grade print as not available, never invented.
    graded_areas = {j["area"] for j in record["judgments"]}
    if len(graded_areas) < 13:
        assert "Not available" in text


def test_report_commands(
    graded: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = graded.database_name
    assert (
        main(["report", "Kent", "--framework", "peel-2018-19", "--out", str(tmp_path), "--db", db])
        == 0
    )
    assert (tmp_path / "kent-peel-2018-19.html").exists()
    capsys.readouterr()
    for args, message in (
        (["report", "Kent"], "a force report needs --framework ID"),
        (["report", "Kent", "--national"], "give a FORCE with --framework, or --national"),
        (["report", "Kent", "--framework", "peel-2030"], "unknown framework 'peel-2030'"),
        (["report", "Kentish Town", "--framework", "peel-2018-19"], "unknown force"),
    ):
        assert main([*args, "--out", str(tmp_path), "--db", db]) == 2
        err = capsys.readouterr().err
        assert err.startswith("peel: error: ") and message in err, err
        assert len(err.strip().splitlines()) == 1
    assert main(["grades", "load", str(GRADES), "--db", db]) == 0
    assert "already loaded" in capsys.readouterr().out
