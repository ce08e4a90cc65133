"""The workflow as a state machine in the library, on SQLite and PostgreSQL: the transitions it
allows and refuses, who may take them, embargo times in UK time, and frozen published
inspections corrected only by an administrator giving a reason."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from peelkit import Workspace
from peelkit.errors import Forbidden, InvalidRecord, NotFound
from peelkit.record.audit import Actor
from peelkit.record.visibility import is_public
from peelkit.record.workflow import embargo_notice, parse_uk_time

NOW = dt.datetime(2026, 6, 1, 9, 0)
INSPECTOR = Actor("i.inspector", "inspector", "web")
MODERATOR = Actor("m.moderator", "moderator", "web")
ADMIN = Actor("a.admin", "admin", "api")
STATUSES = ("draft", "moderated", "published")
# The three transitions: moderate, send back (with a comment), publish.
ALLOWED = {("draft", "moderated"), ("moderated", "draft"), ("moderated", "published")}


def _draft(workspace: Workspace) -> int:
    view = workspace.create_draft(
        INSPECTOR, force="Metropolitan Police Service", framework="peel-2018-19", now=NOW
    )
    assert view.status == "draft"
    return int(view.id)


def _bring_to(workspace: Workspace, inspection_id: int, status: str) -> None:
    """Take a fresh draft to ``status`` by the allowed transitions."""
    if status in ("moderated", "published"):
        workspace.transition(inspection_id, "moderated", MODERATOR, now=NOW)
    if status == "published":
        workspace.transition(inspection_id, "published", MODERATOR, now=NOW)


def _status(workspace: Workspace, inspection_id: int) -> str:
    return workspace.inspection(inspection_id).status


# --- the transitions --------------------------------------------------------------------------


def test_the_allowed_transitions_move_the_inspection(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    assert workspace.transition(inspection, "moderated", MODERATOR, now=NOW).status == "moderated"
    back = workspace.transition(
        inspection, "draft", MODERATOR, comment="check the grade of legitimacy", now=NOW
    )
    assert back.status == "draft"
    workspace.transition(inspection, "moderated", MODERATOR, now=NOW)
    published = workspace.transition(inspection, "published", MODERATOR, now=NOW)
    assert published.status == "published"
    assert published.published == "2026-06-01"
    assert published.embargo_until is None
    actions = [e.action for e in workspace.audit(ADMIN, inspection_id=inspection)]
    assert actions == [
        "inspection.create",
        "inspection.moderate",
        "inspection.return",
        "inspection.moderate",
        "inspection.publish",
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED],
)
def test_every_other_transition_is_refused(workspace: Workspace, source: str, target: str) -> None:
    inspection = _draft(workspace)
    _bring_to(workspace, inspection, source)
    events = len(workspace.audit(ADMIN))
    with pytest.raises(InvalidRecord) as caught:
        workspace.transition(inspection, target, ADMIN, comment="a comment", now=NOW)
    assert (caught.value.code, caught.value.status) == ("transition_not_allowed", 409)
    assert _status(workspace, inspection) == source
    assert len(workspace.audit(ADMIN)) == events


def test_an_unknown_status_is_refused(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    with pytest.raises(InvalidRecord) as caught:
        workspace.transition(inspection, "archived", MODERATOR, now=NOW)
    assert caught.value.code == "unknown_choice"


def test_a_transition_of_an_unknown_inspection_is_not_found(workspace: Workspace) -> None:
    with pytest.raises(NotFound):
        workspace.transition(999, "moderated", MODERATOR, now=NOW)


# --- who may take them ------------------------------------------------------------------------


def test_an_inspector_may_not_moderate_return_or_publish(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    with pytest.raises(Forbidden) as caught:
        workspace.transition(inspection, "moderated", INSPECTOR, now=NOW)
    assert (caught.value.code, caught.value.status) == ("not_permitted", 403)
    assert "i.inspector" in caught.value.message
    assert _status(workspace, inspection) == "draft"
    workspace.transition(inspection, "moderated", MODERATOR, now=NOW)
    for target, comment in (("published", None), ("draft", "a reason to send it back")):
        with pytest.raises(Forbidden) as refused:
            workspace.transition(inspection, target, INSPECTOR, comment=comment, now=NOW)
        assert refused.value.code == "not_permitted"
        assert _status(workspace, inspection) == "moderated"


def test_a_moderator_and_an_admin_may_publish(workspace: Workspace) -> None:
    first = _draft(workspace)
    _bring_to(workspace, first, "moderated")
    assert workspace.transition(first, "published", MODERATOR, now=NOW).status == "published"
    second = workspace.create_draft(INSPECTOR, force="Kent", framework="peel-2018-19", now=NOW).id
    workspace.transition(second, "moderated", ADMIN, now=NOW)
    assert workspace.transition(second, "published", ADMIN, now=NOW).status == "published"


def test_sending_back_needs_a_comment(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    _bring_to(workspace, inspection, "moderated")
    for comment in (None, "", "   "):
        with pytest.raises(InvalidRecord) as caught:
            workspace.transition(inspection, "draft", MODERATOR, comment=comment, now=NOW)
        assert caught.value.code == "comment_required"
        assert _status(workspace, inspection) == "moderated"
    workspace.transition(inspection, "draft", MODERATOR, comment="grades need evidence", now=NOW)
    returned = workspace.audit(ADMIN, inspection_id=inspection)[-1]
    assert (returned.action, returned.comment) == ("inspection.return", "grades need evidence")


# --- embargo times ----------------------------------------------------------------------------


def test_uk_times_in_winter_are_gmt_and_in_summer_bst() -> None:
    assert parse_uk_time("2026-12-03 00:01") == dt.datetime(2026, 12, 3, 0, 1)
    assert parse_uk_time("2026-07-01 00:01") == dt.datetime(2026, 6, 30, 23, 1)
    assert parse_uk_time("2026-07-01T00:01") == dt.datetime(2026, 6, 30, 23, 1)
    # The offset form says which instant it is, whatever the season.
    assert parse_uk_time("2026-07-01T00:01+00:00") == dt.datetime(2026, 7, 1, 0, 1)
    assert parse_uk_time("2026-12-03T09:30+02:00") == dt.datetime(2026, 12, 3, 7, 30)
    # The clocks go back at 02:00 BST on 25 October 2026: 00:30 is still BST.
    assert parse_uk_time("2026-10-25 00:30") == dt.datetime(2026, 10, 24, 23, 30)


@pytest.mark.parametrize(
    "value",
    [
        "2027-03-28 01:30",  # the clocks go forward at 01:00 GMT: 01:30 does not exist
        "next Thursday",
        "2026-13-01 00:01",
        "03/12/2026 00:01",
        "",
    ],
)
def test_a_time_that_does_not_exist_or_is_not_a_time_is_refused(value: str) -> None:
    with pytest.raises(InvalidRecord) as caught:
        parse_uk_time(value)
    assert caught.value.code == "invalid_embargo"


def test_the_embargo_notice_names_the_uk_time() -> None:
    winter = dt.datetime(2026, 12, 3, 0, 1)
    assert embargo_notice(winter, NOW) == (
        "Not for publication until 00:01 on Thursday 3 December 2026 (UK time, GMT)"
    )
    summer = dt.datetime(2026, 6, 30, 23, 1)
    assert embargo_notice(summer, NOW) == (
        "Not for publication until 00:01 on Wednesday 1 July 2026 (UK time, BST)"
    )
    assert embargo_notice(summer, dt.datetime(2026, 6, 30, 23, 1)) is None
    assert embargo_notice(None, NOW) is None


def test_publishing_under_embargo_hides_it_until_the_uk_time(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    _bring_to(workspace, inspection, "moderated")
    until = parse_uk_time("2026-07-01 00:01")
    view = workspace.transition(inspection, "published", MODERATOR, embargo_until=until, now=NOW)
    # Published on the UK date of the embargo (the UTC date is still 30 June).
    assert view.published == "2026-07-01"
    assert view.embargo_until == "2026-06-30T23:01:00"
    before, after = dt.datetime(2026, 6, 30, 23, 0), dt.datetime(2026, 6, 30, 23, 1)
    assert not is_public(view.status, view.embargo_until, before)
    assert is_public(view.status, view.embargo_until, after)
    with pytest.raises(NotFound):
        workspace.inspection(inspection, public_at=before)
    assert workspace.inspection(inspection, public_at=after).id == inspection
    assert [i.id for i in workspace.inspections(public_at=before)] == []
    assert [i.id for i in workspace.inspections(public_at=after)] == [inspection]
    desk = workspace.desk_inspection(inspection, MODERATOR, before)
    assert desk.embargo_notice == (
        "Not for publication until 00:01 on Wednesday 1 July 2026 (UK time, BST)"
    )
    assert not desk.public_now
    assert [i.id for i in workspace.staff_inspections(INSPECTOR, before).items] == [inspection]
    assert workspace.staff_inspections(INSPECTOR, after).items == ()


def test_drafts_and_moderated_inspections_are_never_public(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    later = NOW + dt.timedelta(days=365)
    assert not is_public("draft", None, later)
    with pytest.raises(NotFound):
        workspace.inspection(inspection, public_at=later)
    _bring_to(workspace, inspection, "moderated")
    with pytest.raises(NotFound):
        workspace.inspection(inspection, public_at=later)


def test_an_embargo_in_the_past_or_now_is_refused(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    _bring_to(workspace, inspection, "moderated")
    for until in (NOW - dt.timedelta(minutes=1), NOW):
        with pytest.raises(InvalidRecord) as caught:
            workspace.transition(inspection, "published", MODERATOR, embargo_until=until, now=NOW)
        assert caught.value.code == "embargo_in_past"
        assert _status(workspace, inspection) == "moderated"


def test_only_publishing_takes_an_embargo(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    with pytest.raises(InvalidRecord):
        workspace.transition(
            inspection,
            "moderated",
            MODERATOR,
            embargo_until=NOW + dt.timedelta(days=1),
            now=NOW,
        )
    assert _status(workspace, inspection) == "draft"


# --- frozen when published; corrections ---------------------------------------------------------


def test_a_published_inspection_is_frozen_and_corrected_only_with_a_reason(
    workspace: Workspace,
) -> None:
    inspection = _draft(workspace)
    entered = workspace.enter_item(
        inspection, "judgment", INSPECTOR, area="Legitimacy", grade="Good", now=NOW
    )
    _bring_to(workspace, inspection, "published")
    change = {"grade": "Requires improvement"}
    for actor in (INSPECTOR, MODERATOR):
        with pytest.raises(Forbidden) as forbidden:
            workspace.edit_item(
                inspection, "judgment", entered.id, entered.version, change, actor, now=NOW
            )
        assert forbidden.value.code == "not_permitted"
        with pytest.raises(Forbidden):
            workspace.edit_item(
                inspection,
                "judgment",
                entered.id,
                entered.version,
                change,
                actor,
                reason="a typo",
                now=NOW,
            )
    for reason in (None, "  "):
        with pytest.raises(InvalidRecord) as caught:
            workspace.edit_item(
                inspection,
                "judgment",
                entered.id,
                entered.version,
                change,
                ADMIN,
                reason=reason,
                now=NOW,
            )
        assert caught.value.code == "correction_needs_reason"
    with pytest.raises(Forbidden):
        workspace.enter_item(
            inspection, "finding", MODERATOR, kind="strength", text="More text.", now=NOW
        )
    assert workspace.inspection_versions(inspection, ADMIN) == []
    assert [j.grade for j in workspace.inspection(inspection).judgments] == ["good"]

    later = NOW + dt.timedelta(days=2)
    corrected = workspace.edit_item(
        inspection,
        "judgment",
        entered.id,
        entered.version,
        change,
        ADMIN,
        reason="the report prints Requires improvement",
        now=later,
    )
    assert corrected.grade == "requires_improvement"
    assert corrected.version == entered.version + 1
    assert [j.grade for j in workspace.inspection(inspection).judgments] == ["requires_improvement"]
    versions = workspace.inspection_versions(inspection, INSPECTOR)
    assert [(v.number, v.corrected_by, v.reason) for v in versions] == [
        (1, "a.admin", "the report prints Requires improvement")
    ]
    kept = versions[0].inspection
    assert kept["status"] == "published"
    assert [(j["area"], j["grade"]) for j in kept["judgments"]] == [("legitimacy", "good")]
    event = workspace.audit(ADMIN, inspection_id=inspection)[-1]
    assert (event.action, event.actor, event.comment) == (
        "judgment.edit",
        "a.admin",
        "the report prints Requires improvement",
    )
    # Still published, and nothing moves it on.
    assert _status(workspace, inspection) == "published"


def test_every_correction_keeps_the_version_before_it(workspace: Workspace) -> None:
    inspection = _draft(workspace)
    entered = workspace.enter_item(
        inspection, "judgment", INSPECTOR, area="Efficiency", grade="Good", now=NOW
    )
    _bring_to(workspace, inspection, "published")
    first = workspace.edit_item(
        inspection,
        "judgment",
        entered.id,
        entered.version,
        {"grade": "Outstanding"},
        ADMIN,
        reason="first correction",
        now=NOW,
    )
    workspace.edit_item(
        inspection,
        "judgment",
        entered.id,
        first.version,
        {"grade": "Inadequate"},
        ADMIN,
        reason="second correction",
        now=NOW,
    )
    versions = workspace.inspection_versions(inspection, MODERATOR)
    assert [v.number for v in versions] == [1, 2]
    assert [v.inspection["judgments"][0]["grade"] for v in versions] == ["good", "outstanding"]
    assert workspace.inspection(inspection).judgments[0].grade == "inadequate"
