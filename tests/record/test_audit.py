"""The audit log on SQLite and PostgreSQL: every write appends exactly one event in its own
transaction (a refused write appends none), with who, when, what and the object before and
after as JSON; the database itself refuses to change or delete events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from peelkit import Workspace
from peelkit.errors import Forbidden, InvalidRecord, PeelkitError, UnknownGrade
from peelkit.record.audit import Actor
from peelkit.record.schema import AuditEventRow

NOW = dt.datetime(2026, 6, 1, 9, 0)
PASSWORD = "correct horse battery"
OPERATOR = Actor.operator("cli")
INSPECTOR = Actor("i.inspector", "inspector", "web")
MODERATOR = Actor("m.moderator", "moderator", "api")
ADMIN = Actor("a.admin", "admin", "web")
REPORT_2018_19 = "001_2e8c9026aad1a9d7.txt"


def _events(workspace: Workspace) -> list[Any]:
    return workspace.audit(ADMIN)


def _count(workspace: Workspace) -> int:
    with workspace.database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def test_every_write_appends_exactly_one_event(
    workspace: Workspace, reference_reports: Path, tmp_path: Path
) -> None:
    """Each write, one after another, adds one event naming its action, actor and door."""
    expected: list[tuple[str, str, str]] = []

    def wrote(write: Callable[[], Any], action: str, actor: Actor) -> Any:
        count = _count(workspace)
        result = write()
        events = _events(workspace)
        assert len(events) == count + 1, action
        assert (events[-1].action, events[-1].actor, events[-1].via) == (
            action,
            actor.name,
            actor.via,
        )
        expected.append((action, actor.name, actor.role))
        return result

    wrote(
        lambda: workspace.add_user("j.smith", "inspector", PASSWORD, OPERATOR, now=NOW),
        "account.add",
        OPERATOR,
    )
    token = wrote(
        lambda: workspace.sign_in("j.smith", PASSWORD, "192.0.2.1", NOW, "web").token,
        "session.sign_in",
        Actor("j.smith", "inspector", "web"),
    )
    wrote(
        lambda: workspace.sign_out(token, NOW, "api"),
        "session.sign_out",
        Actor("j.smith", "inspector", "api"),
    )
    draft = wrote(
        lambda: (
            workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
        ),
        "inspection.create",
        INSPECTOR,
    )
    judgment = wrote(
        lambda: workspace.enter_item(
            draft, "judgment", INSPECTOR, area="Effectiveness", grade="Good", now=NOW
        ),
        "judgment.add",
        INSPECTOR,
    )
    cause = wrote(
        lambda: workspace.enter_item(
            draft, "finding", INSPECTOR, kind="cause_of_concern", text="A concern.", now=NOW
        ),
        "finding.add",
        INSPECTOR,
    )
    wrote(
        lambda: workspace.enter_item(
            draft,
            "finding",
            INSPECTOR,
            kind="recommendation",
            text="A recommendation.",
            cause_of_concern_id=cause.id,
            now=NOW,
        ),
        "finding.add",
        INSPECTOR,
    )
    wrote(
        lambda: workspace.enter_item(
            draft,
            "evidence",
            INSPECTOR,
            kind="case_file_review",
            sample_size=60,
            criteria_results=[{"criterion": "supervised", "count": 45}],
            now=NOW,
        ),
        "evidence.add",
        INSPECTOR,
    )
    figure = wrote(
        lambda: workspace.enter_item(
            draft, "figure", INSPECTOR, measure="Crimes per 1,000 people", now=NOW
        ),
        "figure.add",
        INSPECTOR,
    )
    edited = wrote(
        lambda: workspace.edit_item(
            draft, "judgment", judgment.id, 1, {"grade": "Inadequate"}, INSPECTOR, now=NOW
        ),
        "judgment.edit",
        INSPECTOR,
    )
    wrote(
        lambda: workspace.remove_item(draft, "figure", figure.id, 1, INSPECTOR, now=NOW),
        "figure.remove",
        INSPECTOR,
    )
    wrote(
        lambda: workspace.transition(draft, "moderated", MODERATOR, now=NOW),
        "inspection.moderate",
        MODERATOR,
    )
    wrote(
        lambda: workspace.transition(draft, "draft", MODERATOR, comment="evidence?", now=NOW),
        "inspection.return",
        MODERATOR,
    )
    wrote(
        lambda: workspace.transition(draft, "moderated", MODERATOR, now=NOW),
        "inspection.moderate",
        MODERATOR,
    )
    wrote(
        lambda: workspace.transition(draft, "published", MODERATOR, now=NOW),
        "inspection.publish",
        MODERATOR,
    )
    wrote(
        lambda: workspace.edit_item(
            draft,
            "judgment",
            judgment.id,
            edited.version,
            {"grade": "Good"},
            ADMIN,
            reason="the report says Good",
            now=NOW,
        ),
        "judgment.edit",
        ADMIN,
    )
    wrote(
        lambda: workspace.disable_user("j.smith", ADMIN, now=NOW),
        "account.disable",
        ADMIN,
    )
    library = Actor.operator()
    other = wrote(
        lambda: workspace.add_inspection(force="Essex", framework="peel-2018-19").id,
        "inspection.add",
        library,
    )
    wrote(
        lambda: workspace.add_judgment(other, area="Efficiency", grade="Good"),
        "judgment.add",
        library,
    )
    wrote(lambda: workspace.delete_inspection(other), "inspection.delete", library)
    wrote(
        lambda: workspace.import_report(reference_reports / REPORT_2018_19),
        "document.import",
        library,
    )
    groups = tmp_path / "groups.csv"
    groups.write_text("year,force,peer\n2018/19,MPS,West Midlands Police\n", encoding="utf-8")
    wrote(lambda: workspace.load_groups(groups), "groups.load", library)

    assert [(e.action, e.actor, e.role) for e in _events(workspace)] == expected


def test_an_event_keeps_the_object_before_and_after_as_json(workspace: Workspace) -> None:
    draft = workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
    entered = workspace.enter_item(
        draft, "judgment", INSPECTOR, area="Legitimacy", grade="Good", now=NOW
    )
    later = NOW + dt.timedelta(hours=1)
    workspace.edit_item(
        draft, "judgment", entered.id, 1, {"grade": "Outstanding"}, MODERATOR, now=later
    )
    added, edit = workspace.audit(ADMIN, object_type="judgment", object_id=str(entered.id))
    assert (added.before, added.after["grade"], added.after["version"]) == (None, "good", 1)
    assert (edit.before["grade"], edit.before["version"]) == ("good", 1)
    assert (edit.after["grade"], edit.after["version"]) == ("outstanding", 2)
    assert (edit.at, edit.actor, edit.role, edit.via) == (
        later.isoformat(),
        "m.moderator",
        "moderator",
        "api",
    )
    assert (edit.object_type, edit.object_id, edit.inspection) == (
        "judgment",
        str(entered.id),
        draft,
    )
    # Before and after are JSON documents as stored.
    assert json.loads(json.dumps(edit.before)) == edit.before
    transition = workspace.transition(draft, "moderated", MODERATOR, now=later)
    moved = workspace.audit(ADMIN, object_type="inspection", object_id=str(draft))[-1]
    assert moved.before["status"] == "draft"
    assert moved.after["status"] == transition.status == "moderated"


def test_a_refused_write_appends_no_event(workspace: Workspace) -> None:
    draft = workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
    entered = workspace.enter_item(
        draft, "judgment", INSPECTOR, area="Legitimacy", grade="Good", now=NOW
    )
    count = _count(workspace)
    refused: list[Callable[[], Any]] = [
        lambda: workspace.enter_item(
            draft, "judgment", INSPECTOR, area="Efficiency", grade="Brilliant", now=NOW
        ),
        lambda: workspace.edit_item(
            draft, "judgment", entered.id, 1, {"grade": "Brilliant"}, INSPECTOR, now=NOW
        ),
        lambda: workspace.edit_item(
            draft, "judgment", entered.id, 7, {"grade": "Inadequate"}, INSPECTOR, now=NOW
        ),
        lambda: workspace.transition(draft, "published", MODERATOR, now=NOW),
        lambda: workspace.transition(draft, "moderated", INSPECTOR, now=NOW),
        lambda: workspace.add_user("x.y", "inspector", "short", ADMIN, now=NOW),
        lambda: workspace.add_user("x.y", "inspector", PASSWORD, INSPECTOR, now=NOW),
        lambda: workspace.sign_in("nobody", "wrong password", None, NOW, "web"),
    ]
    for write in refused:
        with pytest.raises(PeelkitError):
            write()
        assert _count(workspace) == count
    with pytest.raises(UnknownGrade):
        refused[0]()
    with pytest.raises(Forbidden):
        refused[4]()
    with pytest.raises(InvalidRecord):
        refused[5]()
    assert workspace.inspection(draft).judgments[0].grade == "good"


def test_reading_the_log_needs_the_admin_role(workspace: Workspace) -> None:
    for actor in (INSPECTOR, MODERATOR):
        with pytest.raises(Forbidden) as caught:
            workspace.audit(actor)
        assert caught.value.code == "not_permitted"
    assert workspace.audit(ADMIN) == []


def test_the_database_refuses_to_change_or_delete_events(workspace: Workspace) -> None:
    workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW)
    (kept,) = _events(workspace)
    engine = workspace.database.engine
    statements = [
        "UPDATE audit_event SET actor = 'someone else'",
        "UPDATE audit_event SET after = NULL WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
        "DELETE FROM audit_event",
    ]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_event")
    for statement in statements:
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(text(statement), {"id": kept.id})
    assert _events(workspace) == [kept]


def test_replacing_the_record_keeps_the_events(workspace: Workspace, tmp_path: Path) -> None:
    draft = workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
    workspace.enter_item(draft, "judgment", INSPECTOR, area="Legitimacy", grade="Good", now=NOW)
    export = tmp_path / "record.json"
    workspace.export_to(export)
    before = _events(workspace)
    assert len(before) == 2
    workspace.load(export, replace=True)
    after = _events(workspace)
    assert after[: len(before)] == before
    assert [e.action for e in after[len(before) :]] == ["record.replace"]
    assert [j.grade for j in workspace.inspection(draft).judgments] == ["good"]
