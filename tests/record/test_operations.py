"""The inspection record on SQLite and PostgreSQL: what it accepts, refuses and keeps."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from peelkit import Workspace
from peelkit.errors import InvalidRecord, NotFound, UnknownArea, UnknownForce, UnknownGrade
from peelkit.record.database import normalise_url
from peelkit.record.operations import Provenance
from peelkit.record.schema import Finding, Inspection, Judgment

# The Metropolitan Police Service's 2018/19 grades as the PEEL report prints them (overall
# summary table and pillar headings): the inputs an inspector would enter.
MET_2018_19 = {
    "Effectiveness": "Requires improvement",
    "Preventing crime and tackling anti-social behaviour": "Good",
    "Investigating crime": "Requires improvement",
    "Protecting vulnerable people": "Requires improvement",
    "Tackling serious and organised crime": "Outstanding",
    "Armed response capability": "Ungraded",
    "Efficiency": "Good",
    "Meeting current demands and using resources": "Good",
    "Planning for the future": "Good",
    "Legitimacy": "Good",
    "Fair treatment of the public": "Good",
    "Ethical and lawful workforce behaviour": "Requires improvement",
    "Fair treatment of the workforce": "Good",
}


def _met_inspection(workspace: Workspace) -> int:
    inspection = workspace.add_inspection(
        force="Metropolitan Police Service", framework="peel-2018-19", status="published"
    )
    for area, grade in MET_2018_19.items():
        workspace.add_judgment(inspection.id, area=area, grade=grade, year_last_inspected="2018/19")
    return int(inspection.id)


def _count(url: str, table: type[Inspection] | type[Judgment] | type[Finding]) -> int:
    engine = create_engine(normalise_url(url))
    with engine.connect() as connection:
        value = connection.execute(select(func.count()).select_from(table)).scalar_one()
    engine.dispose()
    return int(value)


def test_pillar_grades_are_stored_as_entered_not_derived(workspace: Workspace) -> None:
    inspection = workspace.inspection(_met_inspection(workspace))
    grades = {j.area: j.grade for j in inspection.judgments}
    # Legitimacy is Good although one of its components requires improvement: a minimum rule
    # would give RI. Effectiveness requires improvement although a mean of its graded components
    # would round to Good. The record keeps both as entered.
    assert grades["legitimacy"] == "good"
    assert grades["ethical-and-lawful-workforce-behaviour"] == "requires_improvement"
    assert grades["effectiveness"] == "requires_improvement"
    assert grades["serious-and-organised-crime"] == "outstanding"
    assert grades["armed-policing"] == "ungraded"
    assert len(grades) == 13
    assert {j.year_last_inspected for j in inspection.judgments} == {"2018/19"}


def test_aliases_of_one_component_are_one_area(workspace: Workspace) -> None:
    inspection_id = _met_inspection(workspace)
    with pytest.raises(InvalidRecord, match="already has a judgment on area armed-policing"):
        workspace.add_judgment(inspection_id, area="Firearms capability", grade="Ungraded")


def test_ungraded_area_refuses_a_grade(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="peel-2018-19")
    with pytest.raises(InvalidRecord, match="armed-policing of peel-2018-19 is not graded"):
        workspace.add_judgment(inspection.id, area="Armed policing", grade="Good")


def test_grade_outside_the_scale_is_refused(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="peel-2018-19")
    with pytest.raises(UnknownGrade, match="'Excellent' on scale peel-4-point"):
        workspace.add_judgment(inspection.id, area="Investigating crime", grade="Excellent")
    # Adequate exists only on the five-point scale used since 2021.
    with pytest.raises(UnknownGrade):
        workspace.add_judgment(inspection.id, area="Investigating crime", grade="Adequate")
    later = workspace.add_inspection(force="MPS", framework="peel-2021-22")
    stored = workspace.add_judgment(later.id, area="Investigating crime", grade="Adequate")
    assert stored.grade == "adequate"


def test_baseline_direction_of_travel_and_printed_spelling(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="baseline-2005")
    # 6B is printed "Fair" / "Improving": the record keeps the printed word beside its meaning.
    stored = workspace.add_judgment(
        inspection.id,
        area="6B",
        grade="Fair",
        direction="Improved",
        direction_as_printed="Improving",
    )
    assert (stored.area, stored.grade, stored.direction) == ("6B", "fair", "improved")
    assert stored.direction_as_printed == "Improving"
    with pytest.raises(UnknownGrade, match="scale baseline-direction"):
        workspace.add_judgment(inspection.id, area="2B", grade="Poor", direction="Improving")


def test_direction_of_travel_only_where_the_framework_has_one(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="peel-2016")
    with pytest.raises(InvalidRecord, match="no direction of travel scale"):
        workspace.add_judgment(
            inspection.id, area="effectiveness", grade="Good", direction="Improved"
        )


def test_ungraded_framework_takes_findings_not_grades(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="core-business-2014")
    with pytest.raises(InvalidRecord, match="no grade scale"):
        workspace.add_judgment(inspection.id, area="Preventing crime", grade="Good")
    finding = workspace.add_finding(
        inspection.id,
        kind="finding",
        area="Preventing crime",
        text="The force has a crime prevention strategy.",
    )
    assert finding.area is not None


def test_recommendation_links_to_its_cause_of_concern(workspace: Workspace) -> None:
    inspection = workspace.add_inspection(force="MPS", framework="peel-2018-19")
    concern = workspace.add_finding(
        inspection.id,
        kind="cause_of_concern",
        area="Ethical and lawful workforce behaviour",
        text="The size of the vetting backlog is a cause of concern.",
    )
    recommendation = workspace.add_finding(
        inspection.id,
        kind="recommendation",
        area="Ethical and lawful workforce behaviour",
        text="Within 12 months the force should ensure all staff have up-to-date vetting.",
        cause_of_concern_id=concern.id,
        deadline="within 12 months",
    )
    assert recommendation.cause_of_concern == concern.id
    improvement = workspace.add_finding(
        inspection.id,
        kind="area_for_improvement",
        area="Ethical and lawful workforce behaviour",
        text="The force should ensure it:",
        sub_items=["first", "second", "third"],
    )
    assert improvement.sub_items == ("first", "second", "third")
    with pytest.raises(InvalidRecord, match="only a recommendation"):
        workspace.add_finding(
            inspection.id,
            kind="area_for_improvement",
            text="x",
            cause_of_concern_id=concern.id,
        )
    with pytest.raises(InvalidRecord, match="is not a cause of concern"):
        workspace.add_finding(
            inspection.id,
            kind="recommendation",
            text="x",
            cause_of_concern_id=recommendation.id,
        )
    with pytest.raises(InvalidRecord, match="unknown finding kind 'praise'"):
        workspace.add_finding(inspection.id, kind="praise", text="x")


def test_unknown_force_framework_area_leave_nothing_behind(
    workspace: Workspace, database_url: str
) -> None:
    with pytest.raises(UnknownForce, match="closest: Metropolitan Police Service"):
        workspace.add_inspection(force="Metropolitian Police", framework="peel-2018-19")
    inspection = workspace.add_inspection(force="Met", framework="peel-2018-19")
    with pytest.raises(UnknownArea, match="'Firearms' in framework peel-2018-19"):
        workspace.add_judgment(inspection.id, area="Firearms", grade="Good")
    assert _count(database_url, Inspection) == 1
    assert _count(database_url, Judgment) == 0


def test_provenance_is_kept_and_checked(workspace: Workspace) -> None:
    document = workspace.register_document(sha256="a" * 64, title="A report", line_count=100)
    again = workspace.register_document(sha256="a" * 64, title="Same checksum")
    assert again.id == document.id
    inspection = workspace.add_inspection(
        force="Met", framework="peel-2016", document_id=document.id
    )
    stored = workspace.add_judgment(
        inspection.id,
        area="effectiveness",
        grade="Requires improvement",
        provenance=Provenance(document_id=document.id, line_start=12, line_end=14),
    )
    assert stored.provenance.document == document.id
    assert (stored.provenance.line_start, stored.provenance.line_end) == (12, 14)
    with pytest.raises(InvalidRecord, match="ends \\(3\\) before it starts \\(9\\)"):
        workspace.add_finding(
            inspection.id,
            kind="area_for_improvement",
            text="x",
            provenance=Provenance(line_start=9, line_end=3),
        )
    with pytest.raises(NotFound, match="no source document with id 999"):
        workspace.add_finding(
            inspection.id,
            kind="area_for_improvement",
            text="x",
            provenance=Provenance(document_id=999),
        )


def test_deleting_an_inspection_removes_its_items(workspace: Workspace, database_url: str) -> None:
    inspection_id = _met_inspection(workspace)
    workspace.add_finding(inspection_id, kind="area_for_improvement", text="x")
    workspace.delete_inspection(inspection_id)
    assert _count(database_url, Judgment) == 0
    assert _count(database_url, Finding) == 0
    with pytest.raises(NotFound):
        workspace.inspection(inspection_id)


def test_listing_filters_by_force_and_framework(workspace: Workspace) -> None:
    _met_inspection(workspace)
    workspace.add_inspection(force="GMP", framework="peel-2018-19")
    workspace.add_inspection(force="Greater Manchester Police", framework="peel-2016")
    assert len(workspace.inspections()) == 3
    assert [i.framework for i in workspace.inspections(force="gmp")] == [
        "peel-2016",
        "peel-2018-19",
    ]
    listed = workspace.inspections(framework="peel-2018-19", force="MPS")
    assert [(i.force, i.judgments) for i in listed] == [("metropolitan", 13)]
