"""The views of import results, statistics, groups and the summary: the same JSON as the shapes
they replace (the readers' own ``to_json``), and counts checked against the sources."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.frameworks import load_all
from peelkit.reportimport.importer import parse_file
from peelkit.sources.dataset import embedded
from peelkit.views.imports import ImportResultView, ParsedDocumentView
from peelkit.views.json import to_json
from peelkit.views.statistics import StatisticsProblemView

SRC = Path(__file__).resolve().parents[2] / "src" / "peelkit"


@pytest.fixture
def workspace(tmp_path: Path, open_workspace: Callable[[str], Workspace]) -> Workspace:
    return open_workspace(f"sqlite:///{tmp_path / 'views.sqlite'}")


def test_parsed_document_view_is_the_dry_run_shape(reference_reports: Path) -> None:
    reports = sorted(reference_reports.glob("*.txt"))
    assert len(reports) >= 5
    for path in reports:
        parsed = parse_file(path)
        view = ParsedDocumentView.of(parsed)
        assert to_json(view) == parsed.to_json(), path.name
        assert list(to_json(view)) == list(parsed.to_json())
        own = [j for j in parsed.judgments if j.force in (None, parsed.force)]
        assert len(view.own_judgments) == len(own)
        assert sum(view.finding_kinds.values()) == len(parsed.findings)


def test_import_result_view(workspace: Workspace, reference_reports: Path) -> None:
    path = reference_reports / "001_2e8c9026aad1a9d7.txt"
    first = ImportResultView.of(*workspace.import_report(path))
    again = ImportResultView.of(*workspace.import_report(path))
    parsed = parse_file(path)
    data = to_json(first)
    assert "_parsed" not in data and "parsed" not in data
    assert data["file"] == path.name and not data["already_imported"]
    assert data["counts"]["judgments"] == len(parsed.judgments)
    assert data["warnings"] == [w.message for w in parsed.warnings]
    assert again.already_imported and again.document == first.document
    assert again.inspections == first.inspections


def test_statistics_problem_view_is_the_shared_problem_shape() -> None:
    problems = embedded().problems
    assert problems
    for problem in problems:
        view = StatisticsProblemView.of(problem)
        assert to_json(view) == problem.to_json()
        assert list(to_json(view)) == list(problem.to_json())


def test_statistics_sources_view(workspace: Workspace) -> None:
    sources = workspace.statistics_sources()
    assert sources.imported == ()
    dataset = embedded()
    assert [p.sha256 for p in sources.embedded] == [p.sha256 for p in dataset.publications]
    counts = {p.sha256: p.observations for p in sources.embedded}
    for publication in dataset.publications:
        held = [o for o in dataset.observations if o.publication == publication.sha256]
        assert counts[publication.sha256] == len(held)


def test_summary_view_counts(workspace: Workspace) -> None:
    workspace.add_inspection(force="Kent", framework="peel-2017")
    workspace.add_inspection(force="Essex", framework="peel-2017")
    workspace.add_inspection(force="Kent", framework="peel-2016")
    summary = workspace.summary()
    assert summary.forces.territorial == 43
    assert summary.forces.other == ("British Transport Police",)
    files = [p for p in (SRC / "frameworks" / "data").glob("*.yaml") if p.stem != "grade-scales"]
    assert [f.id for f in summary.frameworks] == [f.id for f in load_all()]
    assert len(summary.frameworks) == len(files)
    baseline = next(f for f in summary.frameworks if f.id == "baseline-2005")
    assert baseline.areas == 7 + 27  # its seven domains and their 27 areas
    assert summary.inspections.total == 3
    assert dict(summary.inspections.by_framework) == {"peel-2016": 1, "peel-2017": 2}


def test_groups_view(workspace: Workspace, reference_reports: Path) -> None:
    printed = parse_file(reference_reports / "001_2e8c9026aad1a9d7.txt").most_similar_group
    city = workspace.most_similar_groups("City of London Police")
    assert city.force == "city-of-london" and city.groups == () and city.no_group_reason
    met = workspace.most_similar_groups("MPS", "2018/19")
    assert met.force == "metropolitan" and met.year == "2018/19"
    (group,) = met.groups
    assert group.peers == tuple(printed) and len(printed) == 3
    assert to_json(met)["groups"][0] == {
        "force": "metropolitan",
        "year": "2018/19",
        "peers": list(printed),
        "source": group.source,
    }
