"""Editing what people entered, on SQLite and PostgreSQL: every edit names the version it was
made to, a stale one is refused and the other change kept, two writers racing cannot both win,
imported items keep what their document says, and fields are checked as when entered."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from peelkit import Workspace
from peelkit.errors import InvalidRecord, NotFound, PeelkitError, StaleEdit, UnknownGrade
from peelkit.record.audit import Actor

NOW = dt.datetime(2026, 6, 1, 9, 0)
INSPECTOR = Actor("i.inspector", "inspector", "web")
OTHER = Actor("o.other", "inspector", "api")
ADMIN = Actor("a.admin", "admin", "web")
REPORT_2018_19 = "001_2e8c9026aad1a9d7.txt"


def _draft(workspace: Workspace) -> int:
    view = workspace.create_draft(
        INSPECTOR, force="Metropolitan Police Service", framework="peel-2018-19", now=NOW
    )
    return int(view.id)


def _judgment(workspace: Workspace, inspection: int, area: str = "Legitimacy") -> Any:
    return workspace.enter_item(inspection, "judgment", INSPECTOR, area=area, grade="Good", now=NOW)


def _grade(workspace: Workspace, inspection: int, judgment: int) -> tuple[str | None, int]:
    found = next(j for j in workspace.inspection(inspection).judgments if j.id == judgment)
    return found.grade, found.version


# --- versions ---------------------------------------------------------------------------------


def test_an_edit_at_the_current_version_moves_it_on(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    assert entered.version == 1
    edited = workspace.edit_item(
        inspection, "judgment", entered.id, 1, {"grade": "Outstanding"}, INSPECTOR, now=NOW
    )
    assert (edited.grade, edited.version) == ("outstanding", 2)
    again = workspace.edit_item(
        inspection, "judgment", entered.id, 2, {"rationale": "case files"}, INSPECTOR, now=NOW
    )
    assert (again.grade, again.rationale, again.version) == ("outstanding", "case files", 3)
    assert _grade(workspace, inspection, entered.id) == ("outstanding", 3)


def test_a_stale_edit_is_refused_and_the_other_change_kept(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    workspace.edit_item(
        inspection, "judgment", entered.id, 1, {"grade": "Inadequate"}, OTHER, now=NOW
    )
    with pytest.raises(StaleEdit) as caught:
        workspace.edit_item(
            inspection, "judgment", entered.id, 1, {"grade": "Outstanding"}, INSPECTOR, now=NOW
        )
    assert (caught.value.code, caught.value.kind, caught.value.status) == (
        "edit_conflict",
        "conflict",
        409,
    )
    assert "version 2" in caught.value.message
    assert _grade(workspace, inspection, entered.id) == ("inadequate", 2)
    with pytest.raises(StaleEdit):
        workspace.remove_item(inspection, "judgment", entered.id, 1, INSPECTOR, now=NOW)
    assert _grade(workspace, inspection, entered.id) == ("inadequate", 2)


def test_an_edit_without_a_version_is_refused(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    with pytest.raises(InvalidRecord) as caught:
        workspace.edit_item(
            inspection, "judgment", entered.id, None, {"grade": "Inadequate"}, INSPECTOR, now=NOW
        )
    assert caught.value.code == "version_required"
    assert _grade(workspace, inspection, entered.id) == ("good", 1)


def _hold_first_update_until_both_arrive(
    workspace: Workspace, barrier: threading.Barrier, broken: list[bool]
) -> Callable[..., None]:
    """Each writer waits, before its first UPDATE of the judgment, until the other has read
    the row too: both have checked version 1 before either writes."""
    waited = threading.local()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE JUDGMENT") and not getattr(
            waited, "done", False
        ):
            waited.done = True
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                broken.append(True)

    event.listen(workspace.database.engine, "before_cursor_execute", before)
    return before


def test_two_workspaces_racing_one_edit_cannot_both_win(
    database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    setup = open_workspace(database_url)
    inspection = _draft(setup)
    entered = _judgment(setup, inspection)
    first, second = open_workspace(database_url), open_workspace(database_url)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}
    broken: list[bool] = []

    def edit(name: str, workspace: Workspace, grade: str, actor: Actor) -> None:
        _hold_first_update_until_both_arrive(workspace, barrier, broken)
        try:
            view = workspace.edit_item(
                inspection, "judgment", entered.id, 1, {"grade": grade}, actor, now=NOW
            )
            outcomes[name] = view.grade
        except PeelkitError as error:
            outcomes[name] = error

    threads = [
        threading.Thread(target=edit, args=("first", first, "Outstanding", INSPECTOR)),
        threading.Thread(target=edit, args=("second", second, "Inadequate", OTHER)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = {name: grade for name, grade in outcomes.items() if isinstance(grade, str)}
    losers = [error for error in outcomes.values() if isinstance(error, PeelkitError)]
    # Both writers read version 1 before either wrote: a real race, not one after the other.
    assert broken == []
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert isinstance(losers[0], StaleEdit), outcomes
    assert losers[0].code == "edit_conflict"
    # The winner's change is the one kept, at version 2, with exactly one audit event.
    (grade,) = winners.values()
    assert _grade(setup, inspection, entered.id) == (grade, 2)
    edits = [e for e in setup.audit(ADMIN, inspection_id=inspection) if e.action == "judgment.edit"]
    assert len(edits) == 1
    assert edits[0].after["grade"] == grade


# --- what may be changed ----------------------------------------------------------------------


def test_a_grade_not_on_the_scale_is_refused(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    with pytest.raises(UnknownGrade) as caught:
        workspace.edit_item(
            inspection, "judgment", entered.id, 1, {"grade": "Brilliant"}, INSPECTOR, now=NOW
        )
    assert caught.value.code == "unknown_grade"
    assert _grade(workspace, inspection, entered.id) == ("good", 1)
    with pytest.raises(UnknownGrade):
        workspace.enter_item(
            inspection, "judgment", INSPECTOR, area="Efficiency", grade="Excellent", now=NOW
        )


def test_an_unknown_field_is_refused(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    for field in ("colour", "document_id", "version", "shown"):
        with pytest.raises(InvalidRecord) as caught:
            workspace.edit_item(
                inspection, "judgment", entered.id, 1, {field: 1}, INSPECTOR, now=NOW
            )
        assert caught.value.code == "unknown_field"
    assert _grade(workspace, inspection, entered.id) == ("good", 1)


def test_an_item_of_another_inspection_is_not_found(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    other = workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
    with pytest.raises(NotFound) as caught:
        workspace.edit_item(
            other, "judgment", entered.id, 1, {"grade": "Inadequate"}, INSPECTOR, now=NOW
        )
    assert caught.value.code == "item_not_found"


def test_an_imported_judgment_keeps_what_its_document_says(
    workspace: Workspace, reference_reports: Path
) -> None:
    _parsed, result = workspace.import_report(reference_reports / REPORT_2018_19)
    (inspection,) = result.inspections
    imported = workspace.inspection(inspection)
    judgment = next(j for j in imported.judgments if j.area == "legitimacy")
    assert judgment.provenance.document is not None
    events = len(workspace.audit(ADMIN))
    with pytest.raises(InvalidRecord) as caught:
        workspace.edit_item(
            inspection,
            "judgment",
            judgment.id,
            judgment.version,
            {"grade": "Inadequate"},
            ADMIN,
            reason="testing an imported item",
            now=NOW,
        )
    assert (caught.value.code, caught.value.status) == ("item_from_document", 409)
    with pytest.raises(InvalidRecord) as removal:
        workspace.remove_item(
            inspection, "judgment", judgment.id, judgment.version, ADMIN, reason="x", now=NOW
        )
    assert removal.value.code == "item_from_document"
    # Nothing changed: the grade, no version kept for a correction that did not happen, no event.
    assert next(j for j in workspace.inspection(inspection).judgments if j.id == judgment.id) == (
        judgment
    )
    assert workspace.inspection_versions(inspection, ADMIN) == []
    assert len(workspace.audit(ADMIN)) == events


def test_removing_an_item_needs_its_version(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = _judgment(workspace, inspection)
    edited = workspace.edit_item(
        inspection, "judgment", entered.id, 1, {"grade": "Inadequate"}, INSPECTOR, now=NOW
    )
    with pytest.raises(InvalidRecord) as caught:
        workspace.remove_item(inspection, "judgment", entered.id, None, INSPECTOR, now=NOW)
    assert caught.value.code == "version_required"
    workspace.remove_item(inspection, "judgment", entered.id, edited.version, INSPECTOR, now=NOW)
    assert workspace.inspection(inspection).judgments == ()
    with pytest.raises(NotFound):
        workspace.remove_item(inspection, "judgment", entered.id, edited.version, INSPECTOR)


# --- evidence and recommendations -------------------------------------------------------------


def test_evidence_results_are_counts_of_the_sample(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    review = workspace.enter_item(
        inspection,
        "evidence",
        INSPECTOR,
        kind="case_file_review",
        area="Protecting vulnerable people",
        sample_size=90,
        period="January to March 2019",
        criteria_results=[{"criterion": "victim updated", "count": 72}],
        now=NOW,
    )
    assert review.sample_size == 90
    desk = workspace.desk_inspection(inspection, INSPECTOR, NOW)
    ((evidence_id, (result,)),) = desk.evidence_results
    assert evidence_id == review.id
    # 72 of 90 is 80%, shown with its count and sample; 90 is not a small sample.
    assert (result.count, result.of, result.percent) == (72, 90, "80%")
    assert result.shown == "72 of 90 (80%)"
    assert result.warning is None
    for results, sample in (
        ([{"criterion": "victim updated", "count": 91}], 90),
        ([{"criterion": "victim updated", "count": -1}], 90),
        ([{"criterion": "victim updated", "count": 5}], None),
        ([{"criterion": "victim updated", "count": 5, "of": 100}], 90),
    ):
        with pytest.raises(InvalidRecord) as caught:
            workspace.enter_item(
                inspection,
                "evidence",
                INSPECTOR,
                kind="case_file_review",
                sample_size=sample,
                criteria_results=results,
                now=NOW,
            )
        assert caught.value.code == "invalid_result", results
    with pytest.raises(InvalidRecord) as edit:
        workspace.edit_item(
            inspection,
            "evidence",
            review.id,
            review.version,
            {"criteria_results": [{"criterion": "victim updated", "count": 91}]},
            INSPECTOR,
            now=NOW,
        )
    assert edit.value.code == "invalid_result"
    assert len(workspace.inspection(inspection).evidence) == 1


def test_a_small_sample_is_flagged(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    workspace.enter_item(
        inspection,
        "evidence",
        INSPECTOR,
        kind="survey",
        sample_size=20,
        criteria_results=[{"criterion": "satisfied", "count": 15}],
        now=NOW,
    )
    ((_, (result,)),) = workspace.desk_inspection(inspection, INSPECTOR, NOW).evidence_results
    assert result.shown == "15 of 20 (75%)"
    assert result.warning is not None and "small sample" in result.warning


def test_a_recommendation_entered_by_an_account_names_its_cause_of_concern(
    workspace: Workspace,
) -> None:
    inspection = _draft(workspace)
    with pytest.raises(InvalidRecord) as caught:
        workspace.enter_item(
            inspection,
            "finding",
            INSPECTOR,
            kind="recommendation",
            text="The force should review its crime recording.",
            now=NOW,
        )
    assert caught.value.code == "recommendation_needs_cause"
    assert workspace.inspection(inspection).findings == ()
    cause = workspace.enter_item(
        inspection,
        "finding",
        INSPECTOR,
        kind="cause_of_concern",
        text="The force does not record all crimes it should.",
        now=NOW,
    )
    recommendation = workspace.enter_item(
        inspection,
        "finding",
        INSPECTOR,
        kind="recommendation",
        text="The force should review its crime recording.",
        cause_of_concern_id=cause.id,
        now=NOW,
    )
    assert recommendation.cause_of_concern == cause.id
    desk = workspace.desk_inspection(inspection, INSPECTOR, NOW)
    assert desk.causes_of_concern == (
        (cause.id, "The force does not record all crimes it should."),
    )


def test_an_edit_cannot_leave_an_accounts_recommendation_without_its_cause(
    workspace: Workspace,
) -> None:
    inspection = _draft(workspace)
    cause = workspace.enter_item(
        inspection, "finding", INSPECTOR, kind="cause_of_concern", text="A concern.", now=NOW
    )
    recommendation = workspace.enter_item(
        inspection,
        "finding",
        INSPECTOR,
        kind="recommendation",
        text="A recommendation.",
        cause_of_concern_id=cause.id,
        now=NOW,
    )
    strength = workspace.enter_item(
        inspection, "finding", INSPECTOR, kind="strength", text="A strength.", now=NOW
    )
    for item, changes in (
        (recommendation, {"cause_of_concern": None}),
        (strength, {"kind": "recommendation"}),
    ):
        with pytest.raises(InvalidRecord) as caught:
            workspace.edit_item(
                inspection, "finding", item.id, item.version, changes, INSPECTOR, now=NOW
            )
        assert caught.value.code == "recommendation_needs_cause"
    kept = {
        f.id: (f.kind, f.cause_of_concern, f.version)
        for f in workspace.inspection(inspection).findings
    }
    assert kept[recommendation.id] == ("recommendation", cause.id, 1)
    assert kept[strength.id] == ("strength", None, 1)
    # Naming the cause while making it a recommendation is fine.
    made = workspace.edit_item(
        inspection,
        "finding",
        strength.id,
        1,
        {"kind": "recommendation", "cause_of_concern": cause.id},
        INSPECTOR,
        now=NOW,
    )
    assert (made.kind, made.cause_of_concern, made.version) == ("recommendation", cause.id, 2)
