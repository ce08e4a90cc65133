"""Changing and removing what people entered: judgments, findings, evidence and figures.

Every edit names the version of the row it was made to; if the row has moved on (someone else
saved first) it is refused with :class:`~peelkit.errors.StaleEdit` and the other change is kept.
Only what a person entered can be edited or removed here: an item read from a document keeps
what the document says (enter a judgment of your own instead: a person's entry is shown over a
report's). The caller checks the actor may edit the inspection (``workflow.check_editable``).

Fields are validated exactly as when the item is recorded (``operations``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy.orm import Session

from peelkit.domain.findings import Comparator, FindingKind
from peelkit.domain.frameworks import Framework
from peelkit.errors import InvalidRecord, NotFound, StaleEdit
from peelkit.frameworks import load_framework
from peelkit.record import operations as ops
from peelkit.record.schema import DataFigure, Evidence, Finding, Inspection, Judgment

ITEM_TYPES: dict[str, type[Judgment | Finding | Evidence | DataFigure]] = {
    "judgment": Judgment,
    "finding": Finding,
    "evidence": Evidence,
    "figure": DataFigure,
}

# What a person may change on each kind of item (the API's PATCH fields).
EDITABLE: dict[str, tuple[str, ...]] = {
    "judgment": (
        "grade",
        "direction",
        "rationale",
        "carried_over",
        "year_last_inspected",
        "previous_grade",
    ),
    "finding": (
        "kind",
        "text",
        "area",
        "heading",
        "lead_in",
        "sub_items",
        "cause_of_concern",
        "deadline",
    ),
    "evidence": ("kind", "area", "description", "sample_size", "period", "criteria_results"),
    "figure": (
        "measure",
        "comparator",
        "area",
        "table",
        "period",
        "unit",
        "force_value_as_printed",
        "force_value",
        "comparator_label",
        "comparator_value_as_printed",
        "comparator_value",
        "change_as_printed",
        "change",
    ),
}


def get_item(
    session: Session, inspection: Inspection, item_type: str, item_id: int
) -> Judgment | Finding | Evidence | DataFigure:
    table = ITEM_TYPES[item_type]
    row = cast("Judgment | Finding | Evidence | DataFigure | None", session.get(table, item_id))
    if row is None or row.inspection_id != inspection.id:
        raise NotFound(
            f"inspection {inspection.id} has no {item_type} with id {item_id}",
            code="item_not_found",
        )
    return row


def check_version(item_type: str, row: Any, version: int | None) -> None:
    if version is None:
        raise InvalidRecord(
            f"an edit of {item_type} {row.id} must say which version it changes "
            f"(the current one is {row.version})",
            code="version_required",
        )
    if version != row.version:
        raise StaleEdit(
            f"{item_type} {row.id} has changed since you loaded it (it is at version "
            f"{row.version}, your edit was made to version {version}): nothing was saved; "
            "reload it and make your change again"
        )


def _hand_entered(item_type: str, row: Any) -> None:
    if row.document_id is not None:
        raise InvalidRecord(
            f"{item_type} {row.id} was read from document {row.document_id} and keeps what it "
            "says; enter your own instead",
            code="item_from_document",
            kind="conflict",
        )


def _unknown_fields(item_type: str, changes: Mapping[str, Any]) -> None:
    unknown = sorted(set(changes) - set(EDITABLE[item_type]))
    if unknown:
        raise InvalidRecord(
            f"{item_type}: field {unknown[0]!r} cannot be changed (changeable: "
            f"{', '.join(EDITABLE[item_type])})",
            code="unknown_field",
        )


def edit_item(
    session: Session,
    inspection: Inspection,
    item_type: str,
    item_id: int,
    version: int | None,
    changes: Mapping[str, Any],
) -> Judgment | Finding | Evidence | DataFigure:
    """Apply ``changes`` to a hand-entered item at ``version``."""
    row = get_item(session, inspection, item_type, item_id)
    _unknown_fields(item_type, changes)
    check_version(item_type, row, version)
    _hand_entered(item_type, row)
    if not changes:
        raise InvalidRecord(f"the edit of {item_type} {item_id} changes nothing", code="usage")
    editor = _EDITORS[item_type]
    editor(session, inspection, row, dict(changes))
    row.bump()
    session.flush()
    return row


def remove_item(
    session: Session, inspection: Inspection, item_type: str, item_id: int, version: int | None
) -> Judgment | Finding | Evidence | DataFigure:
    row = get_item(session, inspection, item_type, item_id)
    check_version(item_type, row, version)
    _hand_entered(item_type, row)
    if isinstance(row, Judgment):
        inspection.judgments.remove(row)
        others = [j for j in inspection.judgments if j.area_id == row.area_id]
        session.delete(row)
        session.flush()
        if others:
            ops.show_by_precedence(session, inspection)
    else:
        session.delete(row)
    session.flush()
    return row


# --- one editor per kind of item: validate as when recording, then set -----------------------


def _edit_judgment(
    session: Session, inspection: Inspection, row: Any, changes: dict[str, Any]
) -> None:
    spec = load_framework(inspection.framework_id)
    area = spec.resolve_area(row.area_id)
    if "grade" in changes:
        grade = changes["grade"]
        if grade is None:
            row.grade = None
        else:
            value = ops.grade_value(spec.grade_scale, str(grade), spec, "grade")
            if value.is_grade and not area.graded:
                raise InvalidRecord(
                    f"area {area.id} of {spec.id} is not graded; grade {value.label!r} not allowed"
                )
            row.grade = value.id
        row.grade_as_printed = None
    if "direction" in changes:
        direction = changes["direction"]
        if direction is None:
            row.direction = None
        else:
            value = ops.grade_value(
                spec.direction_scale, str(direction), spec, "direction of travel"
            )
            if not area.direction:
                raise InvalidRecord(f"area {area.id} of {spec.id} has no direction of travel")
            row.direction = value.id
        row.direction_as_printed = None
    if "previous_grade" in changes:
        previous = changes["previous_grade"]
        row.previous_grade = (
            None
            if previous is None
            else ops.grade_value(spec.grade_scale, str(previous), spec, "grade").id
        )
    for name in ("rationale", "year_last_inspected"):
        if name in changes:
            setattr(row, name, _text(changes[name]))
    if "carried_over" in changes:
        row.carried_over = bool(changes["carried_over"])
    ops.show_by_precedence(session, inspection)


def _edit_finding(
    session: Session, inspection: Inspection, row: Any, changes: dict[str, Any]
) -> None:
    spec = load_framework(inspection.framework_id)
    if "kind" in changes:
        row.kind = ops.choice(str(changes["kind"]), FindingKind, "finding kind")
    if "text" in changes:
        row.text = _required(changes["text"], "a finding needs its text")
    _set_area(row, spec, changes)
    for name in ("heading", "lead_in", "deadline"):
        if name in changes:
            setattr(row, name, _text(changes[name]))
    if "sub_items" in changes:
        row.sub_items = [str(s) for s in changes["sub_items"] or []]
    if "cause_of_concern" in changes:
        row.cause_of_concern_id = changes["cause_of_concern"]
    ops.check_cause_of_concern(session, inspection, row.kind, row.cause_of_concern_id)


def _edit_evidence(
    session: Session, inspection: Inspection, row: Any, changes: dict[str, Any]
) -> None:
    spec = load_framework(inspection.framework_id)
    if "kind" in changes:
        row.kind = _required(
            changes["kind"], "evidence needs a kind, such as case_file_review or survey"
        )
    _set_area(row, spec, changes)
    for name in ("description", "period"):
        if name in changes:
            setattr(row, name, _text(changes[name]))
    if "sample_size" in changes:
        row.sample_size = changes["sample_size"]
    if "criteria_results" in changes:
        row.criteria_results = list(changes["criteria_results"] or [])
    ops.check_evidence(row.sample_size, row.criteria_results)


def _edit_figure(
    session: Session, inspection: Inspection, row: Any, changes: dict[str, Any]
) -> None:
    spec = load_framework(inspection.framework_id)
    if "comparator" in changes:
        row.comparator = ops.choice(str(changes["comparator"]), Comparator, "comparator")
    if "measure" in changes:
        row.measure = _required(changes["measure"], "a data figure needs the measure as printed")
    _set_area(row, spec, changes)
    if "table" in changes:
        row.table_title = _text(changes["table"])
    for name in EDITABLE["figure"]:
        if name in changes and name not in ("comparator", "measure", "area", "table"):
            setattr(row, name, changes[name])


def _set_area(row: Any, spec: Framework, changes: dict[str, Any]) -> None:
    """The item's area (any of its names), or none, when the edit changes it."""
    if "area" in changes:
        area = ops.area_of(spec, changes["area"], required=False)
        row.area_id = area.id if area else None


def _required(value: Any, missing: str) -> str:
    text = _text(value)
    if not text:
        raise InvalidRecord(missing)
    return text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_EDITORS = {
    "judgment": _edit_judgment,
    "finding": _edit_finding,
    "evidence": _edit_evidence,
    "figure": _edit_figure,
}
