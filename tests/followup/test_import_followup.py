"""Every follow-up sample imported end to end (SQLite and PostgreSQL): the status events,
monitoring stages and responses each document states, with the dates it prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peelkit.views.followup import FindingHistoryView
from peelkit.workspace import Workspace

D = dt.date


@pytest.fixture
def imported(workspace: Workspace, shared: Path) -> Workspace:
    workspace.initialise()
    for path in sorted((shared / "examples" / "follow-up").glob("*.txt")):
        workspace.import_followup(path)
    return workspace


def _histories(ws: Workspace, force: str, kind: str) -> list[FindingHistoryView]:
    rows = ws.followup_register(force=force).rows
    return [ws.finding_history(r.finding.id) for r in rows if r.finding and r.kind == kind]


def _events(history: FindingHistoryView) -> list[tuple[str | None, dt.date]]:
    return [(e.status, e.date) for e in history.history]


def test_staffordshire_two_causes_of_concern_from_notice_to_closure(imported: Workspace) -> None:
    concerns = _histories(imported, "Staffordshire", "cause_of_concern")
    # The notice of 29 March 2022 issued two accelerated causes of concern; the letter of
    # 10 February 2023 reviewed progress on both; the letter of 21 May 2024 closed both.
    assert len(concerns) == 2
    for concern in concerns:
        assert _events(concern) == [
            ("open", D(2022, 3, 29)),
            ("in_progress", D(2023, 2, 10)),
            ("closed", D(2024, 5, 21)),
        ]
        assert concern.verified is not None and concern.status == "closed"
    assert any("vulnerability at first point of contact" in c.finding.text for c in concerns)
    recommendations = _histories(imported, "Staffordshire", "recommendation")
    # "Within three months" of the notice's 29 March 2022.
    assert recommendations and {r.due for r in recommendations} == {D(2022, 6, 29)}
    assert {r.status for r in recommendations} == {"closed"}


def test_wiltshire_the_first_two_revisited_and_all_three_closed(imported: Workspace) -> None:
    concerns = _histories(imported, "Wiltshire", "cause_of_concern")
    by_words = {
        "vulnerability of victims": [("in_progress", D(2022, 12, 20)), ("closed", D(2024, 5, 21))],
        "protect vulnerable people": [("in_progress", D(2022, 12, 20)), ("closed", D(2024, 5, 21))],
        "strategic plans": [("closed", D(2024, 5, 21))],
    }
    assert len(concerns) == 3
    for words, expected in by_words.items():
        [concern] = [c for c in concerns if words in c.finding.text]
        assert _events(concern) == expected
        # Created from the letter (the record holds no 2021/22 report): flagged.
        assert concern.finding.flag is not None


def test_monitoring_stages_as_the_letters_state_them(imported: Workspace) -> None:
    episodes = [(e.force, e.stage, e.entered, e.exited) for e in imported.followup_monitoring()]
    assert episodes == [
        ("staffordshire", "engage", D(2022, 7, 6), D(2024, 5, 21)),
        ("staffordshire", "scan", D(2024, 5, 21), None),
        ("wiltshire", "engage", D(2022, 6, 24), D(2024, 5, 21)),
        ("wiltshire", "scan", D(2024, 5, 21), None),
    ]
    [engage] = [e for e in imported.followup_monitoring("Wiltshire") if e.stage == "engage"]
    assert len(engage.reasons) == 3


def test_the_hampshire_pcc_response(imported: Workspace) -> None:
    [row] = [r for r in imported.followup_responses(force="Hampshire") if r.documents]
    # Published 2 March 2017; response sent 03/04/2017; the form's deadline 30 March 2017;
    # section 55's 56 days end on 27 April 2017.
    assert (row.framework, row.published, row.responded) == (
        "peel-2016",
        D(2017, 3, 2),
        D(2017, 4, 3),
    )
    assert (row.due, row.stated_deadline, row.late) == (D(2017, 4, 27), D(2017, 3, 30), False)


def test_the_register_entries_with_their_histories(imported: Workspace) -> None:
    rows = {r.national.reference: r for r in imported.followup_register().rows if r.national}
    assert set(rows) == {"4822", "1504", "6955"}
    assert all(r.national and r.national.addressed_to == "all forces" for r in rows.values())
    # 1504 and 6955: awaiting review on 4 September 2014, no further action on 30 August 2017.
    for reference in ("1504", "6955"):
        assert (rows[reference].status, rows[reference].status_date) == ("closed", D(2017, 8, 30))
    # 4822's entries are comments only: open since it was made, past its "31 March 2015".
    assert (rows["4822"].status, rows["4822"].due) == ("open", D(2015, 3, 31))
    assert rows["4822"].overdue
    # "With immediate effect": due when made (the register's first date).
    assert rows["6955"].due == D(2014, 9, 4)


def test_importing_the_samples_again_changes_nothing(imported: Workspace, shared: Path) -> None:
    before = imported.export()
    for path in sorted((shared / "examples" / "follow-up").glob("*.txt")):
        _, result = imported.import_followup(path)
        assert result.already_imported
    assert imported.export() == before
