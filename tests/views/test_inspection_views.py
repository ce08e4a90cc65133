"""The inspection views against the export shape, for real imported reports, so the JSON of
``peel inspections show --json`` and ``peel export`` never drift apart; and listing is a fixed
number of queries, however many inspections there are."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from peelkit import Workspace
from peelkit.record import operations as ops
from peelkit.record import serialise
from peelkit.record.schema import ImportWarningRow, SourceDocument
from peelkit.reportimport.importer import parse_file
from peelkit.views.inspections import DocumentView, InspectionSummaryView, InspectionView
from peelkit.views.json import to_json

PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"  # figures, findings with recommendations
BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"  # performance tables; grades for every force


@pytest.fixture(scope="module")
def imported(
    tmp_path_factory: pytest.TempPathFactory, reference_reports: Path
) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("views") / "views.sqlite"
    with Workspace(f"sqlite:///{path}") as workspace:
        for name in (PEEL_2018_19, BASELINE_2005):
            workspace.import_report(reference_reports / name)
        yield workspace


def _expected_inspections(reference_reports: Path) -> int:
    """The Met's two, and one per other force the 2005 national table grades."""
    baseline = parse_file(reference_reports / BASELINE_2005)
    others = {j.force for j in baseline.judgments if j.force not in (None, baseline.force)}
    return 2 + len(others)


def test_inspection_view_is_the_export_shape(imported: Workspace, reference_reports: Path) -> None:
    with imported.database.transaction() as session:
        ids = [i.id for i in ops.list_inspections(session)]
        assert len(ids) == _expected_inspections(reference_reports)
        for inspection_id in ids:
            row = ops.get_inspection(session, inspection_id)
            assert to_json(InspectionView.of(row)) == serialise.inspection(row)
            assert to_json(InspectionSummaryView.of(row)) == serialise.inspection_summary(row)
        held = {"figures": 0, "performance_table": 0, "findings": 0}
        for inspection_id in ids:
            shape = serialise.inspection(ops.get_inspection(session, inspection_id))
            for key in held:
                held[key] += len(shape[key])
        # Every kind of item was compared, not only empty lists.
        assert all(held.values()), held
        for document in session.scalars(select(SourceDocument)):
            warnings = list(
                session.scalars(
                    select(ImportWarningRow).where(ImportWarningRow.document_id == document.id)
                )
            )
            assert warnings, document.filename
            assert to_json(DocumentView.of(document, warnings)) == serialise.document(
                document, warnings
            )


def test_workspace_returns_the_views_export_writes(imported: Workspace) -> None:
    exported = {i["id"]: i for i in imported.export()["inspections"]}
    listed = imported.inspections(force="Metropolitan Police Service")
    assert [i.framework for i in listed] == ["baseline-2005", "peel-2018-19"]
    for summary in listed:
        assert isinstance(summary, InspectionSummaryView)
        shown = imported.inspection(summary.id)
        assert isinstance(shown, InspectionView)
        assert to_json(shown) == exported[summary.id]
        assert summary.judgments == len(shown.shown_judgments())
        assert summary.findings == len(shown.findings)


def _counting(workspace: Workspace) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(workspace.database.engine, "before_cursor_execute", count)
    return statements, lambda: event.remove(
        workspace.database.engine, "before_cursor_execute", count
    )


def test_listing_does_not_query_per_inspection(
    imported: Workspace, reference_reports: Path
) -> None:
    imported.inspections()  # the schema is checked once per workspace
    statements, stop = _counting(imported)
    try:
        listed = imported.inspections()
    finally:
        stop()
    assert len(listed) == _expected_inspections(reference_reports) > 40
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The inspections, their judgments and their findings: one query each.
    assert len(selects) == 3, selects
