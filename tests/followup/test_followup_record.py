"""Follow-up in the record (SQLite and PostgreSQL): links, status events, due dates, PCC
responses, what the public sees, the audit log and the export round trip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from peelkit.errors import InvalidRecord, NotFound
from peelkit.record.audit import Actor
from peelkit.record.schema import FindingLinkRow, StatusEventRow
from peelkit.views.followup import RegisterRowView
from peelkit.workspace import Workspace
from tests.report_text import printed_sentence

# The Met's 2016 area for improvement and 2018/19 cause of concern on registered sex offenders,
# read from the reference reports (tests/report_text.py).
RSO_2016 = printed_sentence(
    "000_033c6fd077a275c5.txt", "The force should ensure that the risks posed by"
)
RSO_2018 = printed_sentence(
    "001_2e8c9026aad1a9d7.txt", "The Metropolitan Police Service is failing"
)


def _inspection(ws: Workspace, force: str, framework: str, published: dt.date | None) -> int:
    view = ws.add_inspection(
        force=force, framework=framework, status="published", published=published
    )
    return view.id


def _finding(ws: Workspace, inspection: int, kind: str, words: str) -> int:
    return ws.add_finding(inspection, kind=kind, text=words).id


@pytest.fixture
def met(workspace: Workspace) -> dict[str, int]:
    workspace.initialise()
    early = _inspection(workspace, "Met", "peel-2016", dt.date(2017, 3, 2))
    late = _inspection(workspace, "Met", "peel-2018-19", dt.date(2019, 9, 27))
    kent = _inspection(workspace, "Kent", "peel-2016", dt.date(2017, 3, 2))
    return {
        "early": early,
        "late": late,
        "afi": _finding(workspace, early, "area_for_improvement", RSO_2016),
        "other_afi": _finding(
            workspace,
            early,
            "area_for_improvement",
            "The force should evaluate and share effective practice routinely with partners.",
        ),
        "concern": _finding(workspace, late, "cause_of_concern", RSO_2018),
        "recommendation": None
        or _finding(
            workspace,
            late,
            "recommendation",
            "Within three months the force should increase the number of staff in offender "
            "management.",
        ),
        "kent_afi": _finding(workspace, kent, "area_for_improvement", RSO_2016),
        "strength": _finding(workspace, early, "strength", "The force works well with partners."),
    }


def _links(ws: Workspace) -> int:
    with ws.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(FindingLinkRow)) or 0


def test_entering_a_finding_runs_detection_and_finds_the_escalation(
    workspace: Workspace, met: dict[str, int]
) -> None:
    [link] = workspace.followup_links(force="Met")
    assert (link.earlier.finding, link.later.finding) == (met["afi"], met["concern"])
    assert (link.relation, link.status, link.source) == ("escalated", "candidate", "detected")
    # The same words in Kent's record are not the Met's: no link across forces.
    assert workspace.followup_links(force="Kent") == []


@pytest.mark.parametrize(
    ("earlier", "later", "code"),
    [
        ("afi", "afi", "link_to_self"),
        ("kent_afi", "concern", "link_across_forces"),
        ("afi", "other_afi", "link_same_inspection"),
        ("concern", "other_afi", "link_order"),
        ("afi", "concern", "link_exists"),
    ],
)
def test_bad_links_are_refused_and_nothing_is_stored(
    workspace: Workspace, met: dict[str, int], earlier: str, later: str, code: str
) -> None:
    before = _links(workspace)
    with pytest.raises(InvalidRecord) as raised:
        workspace.add_link(met[earlier], met[later], "related")
    assert raised.value.code == code
    assert _links(workspace) == before


def test_an_unknown_relation_or_finding_is_refused(
    workspace: Workspace, met: dict[str, int]
) -> None:
    with pytest.raises(InvalidRecord) as raised:
        workspace.add_link(met["other_afi"], met["recommendation"], "inherited")
    assert raised.value.code == "unknown_relation"
    with pytest.raises(NotFound) as missing:
        workspace.add_link(met["other_afi"], 999_999, "related")
    assert missing.value.code == "finding_not_found"


def test_confirming_a_link_supersedes_the_earlier_finding_and_rejecting_undoes_it(
    workspace: Workspace, met: dict[str, int]
) -> None:
    [link] = workspace.followup_links(force="Met")
    assert workspace.finding_history(met["afi"]).status == "open"
    workspace.decide_link(link.id, "confirmed", note="the same concern")
    history = workspace.finding_history(met["afi"])
    assert history.status == "superseded"
    assert history.status_date == dt.date(2019, 9, 27)  # the later report's publication
    assert [e.derived for e in history.history] == [True]
    assert history.verified is not None and history.verified.status == "superseded"
    workspace.decide_link(link.id, "rejected")
    assert workspace.finding_history(met["afi"]).status == "open"
    actions = [e.action for e in workspace.audit(Actor.operator(), object_type="link")]
    assert actions == ["link.confirm", "link.reject"]


def test_status_events_append_and_the_latest_decides(
    workspace: Workspace, met: dict[str, int]
) -> None:
    concern = met["concern"]
    workspace.record_status(concern, "in_progress", dt.date(2020, 2, 1), "letter", "revisited")
    workspace.record_status(concern, "reported_complete", dt.date(2020, 6, 1), "pcc_response")
    history = workspace.finding_history(concern)
    assert [e.status for e in history.history] == ["in_progress", "reported_complete"]
    assert history.status == "reported_complete" and history.verified is None
    workspace.record_status(concern, "closed", dt.date(2021, 1, 5), "letter")
    history = workspace.finding_history(concern)
    assert (history.status, history.claimed and history.claimed.date) == (
        "closed",
        dt.date(2020, 6, 1),
    )


@pytest.mark.parametrize(
    ("which", "status", "day", "source", "code"),
    [
        ("concern", "finished", dt.date(2020, 1, 1), "letter", "unknown_status"),
        ("concern", "closed", dt.date(2020, 1, 1), "rumour", "unknown_status_source"),
        ("concern", "closed", dt.date(2019, 9, 26), "letter", "status_before_publication"),
        ("strength", "closed", dt.date(2020, 1, 1), "letter", "status_not_followed"),
    ],
)
def test_bad_status_events_are_refused_and_nothing_is_stored(
    workspace: Workspace,
    met: dict[str, int],
    which: str,
    status: str,
    day: dt.date,
    source: str,
    code: str,
) -> None:
    with pytest.raises(InvalidRecord) as raised:
        workspace.record_status(met[which], status, day, source)
    assert raised.value.code == code
    with workspace.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StatusEventRow)) == 0


def test_the_database_refuses_to_change_a_status_event(
    workspace: Workspace, met: dict[str, int]
) -> None:
    workspace.record_status(met["concern"], "in_progress", dt.date(2020, 2, 1), "letter")
    with (
        pytest.raises(Exception, match="status events cannot be changed"),
        workspace.database.transaction() as session,
    ):
        session.execute(text("UPDATE status_event SET status = 'closed'"))
    assert workspace.finding_history(met["concern"]).status == "in_progress"


def test_a_deadline_gives_a_due_date_and_overdue_until_closed(
    workspace: Workspace, met: dict[str, int]
) -> None:
    def row() -> RegisterRowView:
        register = workspace.followup_register(force="Met", today=dt.date(2020, 1, 1))
        [found] = [r for r in register.rows if r.finding and r.finding.id == met["recommendation"]]
        return found

    found = row()
    assert found.due == dt.date(2019, 12, 27)  # three months after 27 September 2019
    assert found.overdue
    overdue = workspace.followup_register(overdue=True, today=dt.date(2020, 1, 1))
    assert [r.finding.id for r in overdue.rows if r.finding] == [met["recommendation"]]
    workspace.record_status(met["recommendation"], "closed", dt.date(2019, 12, 30), "letter")
    assert not row().overdue


def test_pcc_responses_are_due_56_days_after_publication(
    workspace: Workspace, met: dict[str, int]
) -> None:
    today = dt.date(2020, 1, 1)
    rows = {r.inspection: r for r in workspace.followup_responses(today=today)}
    early = rows[met["early"]]
    assert (early.published, early.due) == (dt.date(2017, 3, 2), dt.date(2017, 4, 27))
    # No response and the 56 days are over: missing, not late (nothing came late).
    assert (early.responded, early.late, early.missing) == (None, None, True)
    assert met["early"] in {r.inspection for r in workspace.followup_responses(True, today=today)}
    # Before the due date, nothing is missing yet.
    not_yet = {r.inspection: r for r in workspace.followup_responses(today=dt.date(2017, 4, 27))}
    assert (not_yet[met["early"]].late, not_yet[met["early"]].missing) == (None, None)
    workspace.record_response(met["early"], dt.date(2017, 4, 3), address="pcc@example.org")
    rows = {r.inspection: r for r in workspace.followup_responses(today=today)}
    row = rows[met["early"]]
    assert (row.responded, row.late, row.missing) == (dt.date(2017, 4, 3), False, False)
    assert met["early"] not in {
        r.inspection for r in workspace.followup_responses(True, today=today)
    }
    # A response after the 56 days: late, and not missing.
    workspace.record_response(met["late"], dt.date(2019, 12, 31))
    row = {r.inspection: r for r in workspace.followup_responses(today=today)}[met["late"]]
    assert (row.due, row.responded) == (dt.date(2019, 11, 22), dt.date(2019, 12, 31))
    assert (row.late, row.missing) == (True, False)
    # An inspection with no publication date (as the 2005 baseline rows of the grades table):
    # no due date, with the reason, neither late nor missing.
    undated = workspace.add_inspection(force="Kent", framework="peel-2015", status="published").id
    row = {r.inspection: r for r in workspace.followup_responses(today=today)}[undated]
    assert (row.published, row.due, row.late, row.missing) == (None, None, None, None)
    assert "no publication date" in row.due_rule
    with pytest.raises(InvalidRecord) as raised:
        workspace.record_response(met["late"], dt.date(2019, 9, 1))
    assert raised.value.code == "response_before_publication"
    draft = workspace.add_inspection(force="Met", framework="peel-2023-25").id
    with pytest.raises(InvalidRecord, match=f"inspection {draft} is draft, not published"):
        workspace.record_response(draft, dt.date(2024, 5, 1))
    assert draft not in {r.inspection for r in workspace.followup_responses(today=today)}


def test_the_public_sees_nothing_of_an_embargoed_inspection(
    workspace: Workspace, met: dict[str, int]
) -> None:
    embargoed = workspace.add_inspection(
        force="Met",
        framework="peel-2023-25",
        status="published",
        published=dt.date(2024, 1, 1),
        embargo_until=dt.datetime(2099, 1, 1),
    ).id
    secret = _finding(workspace, embargoed, "cause_of_concern", RSO_2018 + " Again.")
    now = dt.datetime(2025, 1, 1)
    public = workspace.followup_register(public_at=now)
    assert secret not in {r.finding.id for r in public.rows if r.finding}
    assert all(
        secret not in (link.earlier.finding, link.later.finding)
        for link in workspace.followup_links(public_at=now)
    )
    assert secret in {link.later.finding for link in workspace.followup_links()}
    with pytest.raises(NotFound):
        workspace.finding_history(secret, public_at=now)


def test_follow_up_survives_export_and_load_byte_for_byte(
    workspace: Workspace,
    met: dict[str, int],
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
    tmp_path: Path,
) -> None:
    [link] = workspace.followup_links(force="Met")
    workspace.decide_link(link.id, "confirmed")
    workspace.record_status(met["concern"], "in_progress", dt.date(2020, 2, 1), "letter", "x")
    workspace.record_response(met["early"], dt.date(2017, 4, 3))
    first = tmp_path / "first.json"
    workspace.export_to(first)
    loaded = open_workspace(second_database_url)
    loaded.initialise()
    loaded.load(first)
    second = tmp_path / "second.json"
    loaded.export_to(second)
    assert second.read_bytes() == first.read_bytes()
    assert loaded.finding_history(met["afi"]).status == "superseded"
    assert [r.responded for r in loaded.followup_responses() if r.inspection == met["early"]] == [
        dt.date(2017, 4, 3)
    ]
