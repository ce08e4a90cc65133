"""Every follow-up sample imported end to end (SQLite and PostgreSQL): the status events,
monitoring stages and responses each document states, with the dates it prints."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from peelkit.errors import InvalidRecord
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
    # Both letters say "In January 2022, we conducted a victim service assessment ... During
    # the inspection we identified two causes of concern" (a month: dated on its 1st); the
    # notice of 29 March 2022 issued them; the letter of 10 February 2023 reviewed progress on
    # both; the letter of 21 May 2024 closed both.
    assert len(concerns) == 2
    for concern in concerns:
        assert _events(concern) == [
            ("open", D(2022, 1, 1)),
            ("open", D(2022, 1, 1)),
            ("open", D(2022, 3, 29)),
            ("in_progress", D(2023, 2, 10)),
            ("closed", D(2024, 5, 21)),
        ]
        assert [e.note for e in concern.history[:2]] == [
            "identified at the inspection the letter dates 'January 2022' (dated on its first day)"
        ] * 2
        assert concern.verified is not None and concern.status == "closed"
        # Made by the notice (its date), known to exist from the inspection of January 2022.
        assert (concern.made, concern.made_earliest) == (D(2022, 3, 29), D(2022, 1, 1))
        assert concern.made_rule.startswith("issued on 29 March 2022")
    assert any("vulnerability at first point of contact" in c.finding.text for c in concerns)
    recommendations = _histories(imported, "Staffordshire", "recommendation")
    # "Within three months" of the notice's 29 March 2022.
    assert recommendations and {r.due for r in recommendations} == {D(2022, 6, 29)}
    assert {r.status for r in recommendations} == {"closed"}


def test_wiltshire_the_first_two_revisited_and_all_three_closed(imported: Workspace) -> None:
    concerns = _histories(imported, "Wiltshire", "cause_of_concern")
    # Both letters: "Between 17 January and 11 February 2022, we inspected Wiltshire Police
    # ... we identified three causes of concern": open from the inspection's first day.
    identified = [("open", D(2022, 1, 17)), ("open", D(2022, 1, 17))]
    by_words = {
        "vulnerability of victims": [("in_progress", D(2022, 12, 20)), ("closed", D(2024, 5, 21))],
        "protect vulnerable people": [("in_progress", D(2022, 12, 20)), ("closed", D(2024, 5, 21))],
        "strategic plans": [("closed", D(2024, 5, 21))],
    }
    assert len(concerns) == 3
    for words, expected in by_words.items():
        [concern] = [c for c in concerns if words in c.finding.text]
        assert _events(concern) == identified + expected
        # Created from the letter (the record holds no 2021/22 report): flagged.
        assert concern.finding.flag is not None
        assert (concern.made, concern.made_earliest) == (D(2022, 1, 17), D(2022, 1, 17))
        assert "from the letter of 20 December 2022: identified" in concern.made_rule


def test_letter_created_findings_were_made_at_the_inspection_the_letters_date(
    imported: Workspace,
) -> None:
    """The Wiltshire recommendations are quoted only by the letter of 21 May 2024, which says
    they were made at the inspection of 17 January to 11 February 2022: a status of September
    2022 is not before they were made; one of 16 January 2022 is."""
    recommendations = _histories(imported, "Wiltshire", "recommendation")
    assert len(recommendations) == 2
    for recommendation in recommendations:
        assert recommendation.made == D(2022, 1, 17)
        assert "from the letter of 21 May 2024: identified" in recommendation.made_rule
    first = recommendations[0].finding.id
    history = imported.record_status(first, "reported_complete", D(2022, 9, 1), "pcc_response")
    assert history.claimed is not None and history.claimed.date == D(2022, 9, 1)
    with pytest.raises(InvalidRecord) as refused:
        imported.record_status(first, "in_progress", D(2022, 1, 16), "letter")
    assert refused.value.code == "status_before_publication"
    assert "no earlier than 2022-01-17" in refused.value.message


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
    # Addressed to all forces: each force's register lists them too, and says so.
    hampshire = imported.followup_register(force="Hampshire", national=True).rows
    national = {r.national.reference: r for r in hampshire if r.national}
    assert set(national) == {"4822", "1504", "6955"}
    assert all(r.all_forces and r.force is None for r in national.values())
    assert not any(r.all_forces for r in hampshire if r.finding)
    # Without asking, a force's register (the web page's) is its own findings only.
    assert not any(r.national for r in imported.followup_register(force="Hampshire").rows)


def test_importing_the_samples_again_changes_nothing(imported: Workspace, shared: Path) -> None:
    before = imported.export()
    for path in sorted((shared / "examples" / "follow-up").glob("*.txt")):
        _, result = imported.import_followup(path)
        assert result.already_imported
    assert imported.export() == before


def _cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    from peelkit.cli import main

    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_register_of_a_force_lists_the_recommendations_to_all_forces(
    imported: Workspace, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`peel followup register --force Met`: the Met has no finding in this record, but the
    register page's three recommendations are addressed to all forces ("all forces should
    ...", "those forces using a threat, harm and risk policy ...")."""
    rows = _cli_json(
        capsys, "followup", "register", "--force", "Met", "--json", "--db", database_url
    )
    assert sorted(r["national"]["reference"] for r in rows) == ["1504", "4822", "6955"]
    assert {(r["all_forces"], r["force"], r["finding"]) for r in rows} == {(True, None, None)}
    responses = _cli_json(
        capsys, "followup", "responses", "--force", "Hampshire", "--json", "--db", database_url
    )
    [form] = [r for r in responses if r["documents"]]
    # Sent 03/04/2017, due 27 April 2017: in time, so neither late nor missing.
    assert (form["responded"], form["late"], form["missing"]) == ("2017-04-03", False, False)
