"""The report's view as JSON: ``peel report ... --format json`` writes what the HTML and PDF
print, as data; a new PEEL cycle is a data file, rendered without touching code."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.cli import main
from peelkit.domain.periods import Period
from peelkit.frameworks import load_framework, reload
from peelkit.record.operations import Provenance
from peelkit.reports.render import render_html
from peelkit.views.json import to_json
from tests.reports.test_render import REPORTS, parse_html


@pytest.fixture(scope="module")
def met_2018(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the 2018/19 Met report imported."""
    folder = tmp_path_factory.mktemp("json")
    database = folder / "record.sqlite"
    report = next(p for p in REPORTS if p.name.startswith("001_"))
    with Workspace(f"sqlite:///{database}") as ws:
        ws.initialise()
        ws.import_report(report)
    return database


def _grade_cells(html: str) -> dict[str, str]:
    root = parse_html(html)
    table = next(t for t in root.iter("table") if "grades" in t.classes())
    return {c.attrs["data-area"]: c.text() for c in table.iter("td") if "data-area" in c.attrs}


def test_report_json_grades_are_the_record_and_the_html(met_2018: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        [
            *("--db", str(met_2018), "report", "Met", "--framework", "peel-2018-19"),
            *("--format", "json", "--format", "html", "--out", str(out)),
        ]
    )
    assert code == 0
    view = json.loads((out / "metropolitan-peel-2018-19.json").read_text(encoding="utf-8"))
    assert view["view"] == "force_report"
    assert view["framework_id"] == "peel-2018-19" and view["layout"] == "integrated"
    with Workspace(f"sqlite:///{met_2018}") as ws:
        (summary,) = to_json(ws.inspections("Met", "peel-2018-19"))
        record = to_json(ws.inspection(summary["id"]))
    labels = {v.id: v.label for v in load_framework("peel-2018-19").grade_scale.values}  # type: ignore[union-attr]
    shown = {j["area"]: j for j in record["judgments"] if j.get("shown", True)}
    graded = {g["area_id"]: g for g in view["grades"]}
    assert set(shown) <= set(graded)
    for area, judgment in shown.items():
        assert graded[area]["grade_id"] == judgment["grade"]
        assert graded[area]["label"] == labels[judgment["grade"]]
    # The HTML printed from the same view shows the same grade in every summary cell.
    cells = _grade_cells((out / "metropolitan-peel-2018-19.html").read_text(encoding="utf-8"))
    for area, grade in graded.items():
        assert cells[area] == grade["label"]
    # Charts are specifications in the JSON (data), never SVG.
    text = json.dumps(view)
    assert "<svg" not in text
    charts = [view["group"]["chart"], view["context"]["ranked"], view["context"]["trend"]]
    assert [c["chart"] for c in charts] == ["grade_comparison", "ranked", "trend"]


def test_report_json_figures_are_the_engine(met_2018: Path) -> None:
    with Workspace(f"sqlite:///{met_2018}") as ws:
        view = to_json(ws.force_report("Met", "peel-2018-19"))
        period, population_year = load_framework("peel-2018-19").statistics_period("2018/19")
        expected = to_json(
            ws.indicators(
                period,
                force="Met",
                indicator_ids=["recorded_crime_per_1000"],
                comparator="msg",
                population_year=population_year,
            )
        )
    (table, *_) = view["context"]["tables"]
    row = next(r for r in table["rows"] if r["indicator"] == "recorded_crime_per_1000")
    (wanted,) = to_json(expected)
    assert (row["display"], row["comparator_display"], row["rank_display"]) == (
        wanted["display"],
        wanted["comparator_display"],
        wanted["rank_display"],
    )


NEW_CYCLE = """\
id: peel-2025-27
title: "PEEL 2025–27: police effectiveness, efficiency and legitimacy"
programme: PEEL
inspectorate: HMICFRS
period: "2025/27"
grade_scale: peel-5-point
era:
  report_layout: integrated
  statistics: {basis: year_ending, month: 9, population_year: first}
  predecessor: peel-2023-25
  year_spellings: ["2025-27", "2025/27"]
description: A cycle added as a data file by a test.
sources: ["test"]
areas:
  - id: investigating-crime
    level: area
    name: Investigating crime
    graded: true
  - id: protecting-vulnerable-people
    level: area
    name: Protecting vulnerable people
    graded: true
"""


def test_a_new_peel_cycle_is_a_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "peel-2025-27.yaml").write_text(NEW_CYCLE, encoding="utf-8")
    monkeypatch.setenv("PEELKIT_FRAMEWORKS_PATH", str(folder))
    reload()
    try:
        with Workspace(f"sqlite:///{tmp_path / 'record.sqlite'}") as ws:
            ws.initialise()
            inspection = to_json(
                ws.add_inspection(force="Kent", framework="peel-2025-27", status="published")
            )
            ws.add_judgment(
                inspection["id"],
                area="Investigating crime",
                grade="Adequate",
                provenance=Provenance(entered_by="tester"),
            )
            view = ws.force_report("Kent", "peel-2025-27")
            html = render_html(view)
    finally:
        monkeypatch.delenv("PEELKIT_FRAMEWORKS_PATH")
        reload()
    assert view.layout == "integrated" and view.period == "2025/27"
    # Its statistics period follows the era rule: 12 months to September of its first year.
    assert view.statistics_period == Period.year_ending(2025, 9).label()
    assert view.population_year == 2025
    cells = _grade_cells(html)
    assert cells["investigating-crime"] == "Adequate"
    assert cells["protecting-vulnerable-people"] == "Not available"
    assert "peel-2025-27" not in {f.id for f in Workspace.frameworks()}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


def test_every_key_of_the_report_views_is_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "json-output.md").read_text("utf-8")
    # The view's own keys are in its section; figures and provenance are documented with
    # ``peel inspections show``, indicator rows with ``peel indicators``.
    documented = set(re.findall(r"`([a-z_0-9]+)`", text))
    assert "## Report views" in text
    folder = Path(tempfile.mkdtemp())
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        ws.initialise()
        for path in REPORTS:
            ws.import_report(path)
        views: list[object] = [
            ws.force_report("Met", f) for f in ("peel-2018-19", "peel-2016", "baseline-2005")
        ]
        views.append(ws.national_report("peel-2018-19", by_region=True))
        views.append(ws.force_report("City of London", "peel-2018-19"))
    keys = set().union(*(_keys(to_json(v)) for v in views))
    assert {"group", "numbers", "performance", "map", "bars", "cells"} <= keys
    assert keys - documented == set()
