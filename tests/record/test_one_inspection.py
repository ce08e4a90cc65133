"""One inspection per force, framework and period: several sources judge one area, each
judgment keeps its provenance, exactly one is shown, and a disagreement is a warning.

The grades and lines here are the test's own inputs (two documents standing for a report and a
transcribed table); the real report and grades CSV are used in tests/reportimport/test_import.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peelkit import Workspace
from peelkit.errors import DataFileError, InvalidRecord
from peelkit.record import operations as ops
from peelkit.record import serialise
from peelkit.record.schema import Inspection, Judgment, SourceDocument

REPORT_SHA = "a" * 64
TABLE_SHA = "b" * 64


@contextmanager
def _session(workspace: Workspace) -> Iterator[Session]:
    with workspace.database.transaction() as session:
        yield session


def _documents(session: Session) -> tuple[SourceDocument, SourceDocument]:
    report = ops.register_document(
        session,
        sha256=REPORT_SHA,
        title="PEEL 2017: Kent",
        filename="kent-2017.txt",
        media_type="text/plain",
    )
    table = ops.register_document(
        session, sha256=TABLE_SHA, filename="grades.csv", media_type="text/csv"
    )
    return report, table


def _kent(session: Session) -> Inspection:
    found = ops.find_inspection(session, force="Kent", framework="peel-2017")
    if found is not None:
        return found
    return ops.create_inspection(session, force="Kent", framework="peel-2017", status="published")


def _from(document: SourceDocument, line: int) -> ops.Provenance:
    return ops.Provenance(document_id=document.id, line_start=line, line_end=line + 2)


def _area(session: Session, area: str) -> list[Judgment]:
    return list(
        session.scalars(select(Judgment).where(Judgment.area_id == area).order_by(Judgment.id))
    )


@pytest.mark.parametrize("report_first", [True, False], ids=["report-first", "table-first"])
def test_a_report_beats_a_transcribed_table_in_either_order(
    workspace: Workspace, report_first: bool
) -> None:
    with _session(workspace) as session:
        report, table = _documents(session)
        inspection = _kent(session)
        arrivals = [
            (report, "Good", 10),
            (table, "Requires improvement", 7),
        ]
        if not report_first:
            arrivals.reverse()
        warnings: list[ops.Disagreement] = []
        for document, grade, line in arrivals:
            judgment = ops.record_judgment(
                session,
                inspection,
                area="effectiveness",
                grade=grade,
                provenance=_from(document, line),
            )
            warnings.extend(ops.disagreements(session, judgment))
        session.flush()
    with _session(workspace) as session:
        stored = _area(session, "effectiveness")
        by_document = {j.document_id: j for j in stored}
        assert len(stored) == 2 and set(by_document) == {report.id, table.id}
        shown, hidden = by_document[report.id], by_document[table.id]
        assert (shown.shown, hidden.shown) == (True, False)
        assert (shown.grade, hidden.grade) == ("good", "requires_improvement")
        assert (hidden.line_start, hidden.line_end) == (7, 9)
        assert hidden.shown_reason == (
            "a report beats a transcribed table: kent-2017.txt lines 10–12 grades this area Good"
        )
        assert shown.shown_reason == (
            "a report beats a transcribed table: shown over grades.csv lines 7–9, which grades "
            "this area Requires improvement"
        )
    (warning,) = warnings
    assert (warning.force, warning.framework, warning.area) == (
        "kent",
        "peel-2017",
        "effectiveness",
    )
    assert (warning.shown_grade, warning.other_grade) == ("Good", "Requires improvement")
    assert (warning.shown_source, warning.other_source) == (
        "kent-2017.txt lines 10–12",
        "grades.csv lines 7–9",
    )
    message = warning.message()
    for part in ("kent", "peel-2017", "effectiveness", "Good", "Requires improvement"):
        assert part in message
    assert "kent-2017.txt lines 10–12" in message and "grades.csv lines 7–9" in message


def test_agreeing_sources_are_kept_as_corroboration(workspace: Workspace) -> None:
    with _session(workspace) as session:
        report, table = _documents(session)
        inspection = _kent(session)
        ops.record_judgment(
            session, inspection, area="legitimacy", grade="Good", provenance=_from(table, 3)
        )
        second = ops.record_judgment(
            session, inspection, area="legitimacy", grade="Good", provenance=_from(report, 40)
        )
        assert ops.disagreements(session, second) == []
        session.flush()
        shown = [j for j in _area(session, "legitimacy") if j.shown]
        assert [j.document_id for j in shown] == [report.id]
        assert shown[0].shown_reason is not None and "which agrees" in shown[0].shown_reason
        # The listing counts areas judged, not sources.
        assert serialise.inspection_summary(inspection)["judgments"] == 1


def test_a_grade_beats_a_report_that_prints_none(workspace: Workspace) -> None:
    with _session(workspace) as session:
        report, table = _documents(session)
        inspection = _kent(session)
        ops.record_judgment(
            session, inspection, area="legitimacy", grade=None, provenance=_from(report, 5)
        )
        from_table = ops.record_judgment(
            session, inspection, area="legitimacy", grade="Good", provenance=_from(table, 9)
        )
        assert ops.disagreements(session, from_table) == []
        session.flush()
        by_document = {j.document_id: j for j in _area(session, "legitimacy")}
        assert by_document[table.id].shown and not by_document[report.id].shown
        assert by_document[report.id].shown_reason == (
            "a grade beats none: grades.csv lines 9–11 grades this area Good"
        )


def test_a_person_s_entry_is_shown_and_a_second_one_is_refused(workspace: Workspace) -> None:
    with _session(workspace) as session:
        report, _ = _documents(session)
        inspection = _kent(session)
        ops.record_judgment(
            session, inspection, area="efficiency", grade="Good", provenance=_from(report, 60)
        )
        entered = ops.record_judgment(
            session,
            inspection,
            area="efficiency",
            grade="Outstanding",
            provenance=ops.Provenance(entered_by="A. Inspector"),
        )
        (warning,) = ops.disagreements(session, entered)
        assert (warning.shown_source, warning.other_source) == (
            "entered by A. Inspector",
            "kent-2017.txt lines 60–62",
        )
        assert warning.rule == "a person's entry beats a report"
        session.flush()
    with _session(workspace) as session:
        inspection = _kent(session)
        assert [(j.grade, j.shown) for j in _area(session, "efficiency")] == [
            ("good", False),
            ("outstanding", True),
        ]
        with pytest.raises(InvalidRecord, match="already has a judgment on area efficiency"):
            ops.record_judgment(session, inspection, area="Efficiency", grade="Good")
        with pytest.raises(InvalidRecord, match=f"from document {report.id}"):
            ops.record_judgment(
                session, inspection, area="efficiency", grade="Good", provenance=_from(report, 1)
            )


def test_a_later_source_of_higher_precedence_flips_what_is_shown(workspace: Workspace) -> None:
    with _session(workspace) as session:
        report, table = _documents(session)
        inspection = _kent(session)
        ops.record_judgment(
            session, inspection, area="efficiency", grade="Good", provenance=_from(table, 2)
        )
    # A later transaction: the table's judgment is stored (and shown) before the report's comes.
    with _session(workspace) as session:
        inspection = _kent(session)
        ops.record_judgment(
            session, inspection, area="efficiency", grade="Good", provenance=_from(report, 20)
        )
    with _session(workspace) as session:
        assert [(j.document_id, j.shown) for j in _area(session, "efficiency")] == [
            (table.id, False),
            (report.id, True),
        ]


def test_the_database_holds_at_most_one_shown_judgment_per_area(workspace: Workspace) -> None:
    with _session(workspace) as session:
        report, table = _documents(session)
        inspection = _kent(session)
        for document in (report, table):
            ops.record_judgment(
                session, inspection, area="efficiency", grade="Good", provenance=_from(document, 4)
            )
    engine = workspace.database.engine
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE judgment SET shown = :yes"), {"yes": True})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        # One judgment per area per source document, whatever inspection code is bypassed.
        connection.execute(text("UPDATE judgment SET document_id = :d"), {"d": report.id})
    with _session(workspace) as session:
        inspection = _kent(session)
        ops.check_one_shown(inspection)
        before = [j.shown for j in inspection.judgments]
        for judgment in inspection.judgments:
            judgment.shown = False
        with pytest.raises(InvalidRecord, match="area efficiency: 0 judgments are marked shown"):
            ops.check_one_shown(inspection)
        for judgment, shown in zip(inspection.judgments, before, strict=True):
            judgment.shown = shown


def test_one_inspection_per_force_framework_and_period(workspace: Workspace) -> None:
    with _session(workspace) as session:
        first = ops.create_inspection(session, force="Kent", framework="peel-2018-19")
        with pytest.raises(InvalidRecord, match=f"inspection {first.id} already records kent"):
            ops.create_inspection(
                session, force="Kent Police", framework="peel-2018-19", period="2018-19"
            )
        other = ops.create_inspection(session, force="Essex", framework="peel-2018-19")
        found = ops.find_inspection(session, force="kent", framework="peel-2018-19")
        assert found is not None and found.id == first.id and other.id != first.id


# --- export and load -------------------------------------------------------------------------


def _old_export(tmp_path: Path) -> dict[str, Any]:
    """An export as earlier versions wrote it: two inspections of Kent under peel-2017 (the
    grades table's, with the lower id, and the report's), judgments without ``shown``."""
    with Workspace(f"sqlite:///{tmp_path / 'now.sqlite'}") as source:
        with _session(source) as session:
            report, table = _documents(session)
            inspection = ops.create_inspection(
                session, force="Kent", framework="peel-2017", status="published"
            )
            ops.record_judgment(
                session, inspection, area="effectiveness", grade="Good", provenance=_from(table, 3)
            )
            ops.record_judgment(
                session, inspection, area="legitimacy", grade="Good", provenance=_from(table, 4)
            )
            session.flush()
            report_id, table_id = report.id, table.id
        record = source.export()
    (table_inspection,) = record["inspections"]
    table_inspection["document"] = table_id
    report_inspection = json.loads(json.dumps(table_inspection))
    report_inspection.update(id=table_inspection["id"] + 1, document=report_id, title="Kent 2017")
    report_inspection["judgments"] = [
        {**table_inspection["judgments"][0], "id": 10, "grade": "requires_improvement"},
    ]
    report_inspection["judgments"][0]["provenance"] = {
        **table_inspection["judgments"][0]["provenance"],
        "document": report_id,
        "line_start": 30,
        "line_end": 30,
    }
    for inspection in (table_inspection, report_inspection):
        for judgment in inspection["judgments"]:
            judgment.pop("shown")
            judgment.pop("shown_reason")
    record["inspections"] = [table_inspection, report_inspection]
    return record


def test_an_older_export_with_two_inspections_loads_as_one(
    tmp_path: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    record = _old_export(tmp_path)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    workspace = open_workspace(database_url)
    counts = workspace.load(path)
    assert (counts["inspections"], counts["judgments"]) == (1, 3)
    loaded = workspace.export()
    (inspection,) = loaded["inspections"]
    report_id = record["inspections"][1]["document"]
    # The inspection with the report survives, with its id, title and document.
    assert (inspection["id"], inspection["document"], inspection["title"]) == (
        record["inspections"][1]["id"],
        report_id,
        "Kent 2017",
    )
    shown = {(j["area"], j["provenance"]["document"]): j["shown"] for j in inspection["judgments"]}
    table_id = record["inspections"][0]["document"]
    assert shown == {
        ("effectiveness", table_id): False,
        ("effectiveness", report_id): True,
        ("legitimacy", table_id): True,
    }
    # Loading what this version exported gives the same file again.
    again = tmp_path / "again.json"
    workspace.export_to(again)
    with Workspace(f"sqlite:///{tmp_path / 'third.sqlite'}") as third:
        third.load(again)
        third.export_to(tmp_path / "third.json")
    assert (tmp_path / "third.json").read_bytes() == again.read_bytes()


def test_an_export_showing_two_judgments_of_one_area_is_refused(
    tmp_path: Path, workspace: Workspace
) -> None:
    record = _old_export(tmp_path)
    (table_inspection, report_inspection) = record["inspections"]
    table_inspection["judgments"].extend(report_inspection["judgments"])
    record["inspections"] = [table_inspection]
    for judgment in table_inspection["judgments"]:
        judgment["shown"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"/inspections/0: .*area effectiveness: 2 judg"):
        workspace.load(path)
    assert workspace.export()["inspections"] == []


@pytest.mark.parametrize("box_first", [True, False], ids=["box-first", "sentence-first"])
def test_a_grade_printed_in_a_box_beats_one_stated_in_a_sentence(
    workspace: Workspace, box_first: bool
) -> None:
    """A press release states a grade in prose; the report prints it in its grade box. Both
    are reports: the box is shown, whichever was imported first, and the rule says why."""
    with _session(workspace) as session:
        report = ops.register_document(
            session, sha256=REPORT_SHA, filename="kent-2017.txt", media_type="text/plain"
        )
        release = ops.register_document(
            session, sha256=TABLE_SHA, filename="kent-press-release.txt", media_type="text/plain"
        )
        inspection = _kent(session)
        sources = [(report, "Good", "box", 4), (release, "Outstanding", "sentence", 12)]
        stored = []
        for document, grade, read_from, line in sources if box_first else sources[::-1]:
            stored.append(
                ops.record_judgment(
                    session,
                    inspection,
                    area="effectiveness",
                    grade=grade,
                    read_from=read_from,
                    provenance=_from(document, line),
                )
            )
        (warning,) = ops.disagreements(session, stored[-1])
        assert warning.rule == "a grade printed in a box beats one stated in a sentence"
        assert (warning.shown_grade, warning.other_grade) == ("Good", "Outstanding")
        session.flush()
        by_document = {j.document_id: j for j in _area(session, "effectiveness")}
        assert by_document[report.id].shown and not by_document[release.id].shown
        assert (by_document[report.id].read_from, by_document[release.id].read_from) == (
            "box",
            "sentence",
        )


def test_read_from_outside_its_list_is_refused(workspace: Workspace) -> None:
    with _session(workspace) as session:
        inspection = _kent(session)
        with pytest.raises(InvalidRecord, match="unknown read_from 'guess'") as caught:
            ops.record_judgment(
                session, inspection, area="effectiveness", grade="Good", read_from="guess"
            )
        assert caught.value.code == "unknown_choice"
