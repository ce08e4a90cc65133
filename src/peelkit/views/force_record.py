"""One force's record under one framework and year: its judgments (as entered, never derived)
and findings, merged over the inspections that hold them, each with where it came from.

The record normally holds one inspection per force, framework and period; where it holds more
(a hand-entered inspection beside an imported one), the one with a report document comes first
and an area's judgment is taken from the first inspection that grades it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from peelkit.domain.findings import FindingKind
from peelkit.domain.frameworks import Area, Framework
from peelkit.frameworks import grade_scales
from peelkit.views.inspections import DocumentView, FindingView, InspectionView, JudgmentView
from peelkit.views.provenance import describe_inspection, describe_source

NOT_AVAILABLE = "Not available"

KIND_LABELS = {
    FindingKind.CAUSE_OF_CONCERN.value: "Cause of concern",
    FindingKind.RECOMMENDATION.value: "Recommendation",
    FindingKind.AREA_FOR_IMPROVEMENT.value: "Area for improvement",
    FindingKind.STRENGTH.value: "Strength",
    FindingKind.GOOD_PRACTICE.value: "Good practice",
    FindingKind.FINDING.value: "Finding",
}
# Finding lists under an area, in the order the reports print them.
KIND_HEADINGS = (
    (FindingKind.CAUSE_OF_CONCERN.value, "Causes of concern"),
    (FindingKind.RECOMMENDATION.value, "Recommendations"),
    (FindingKind.AREA_FOR_IMPROVEMENT.value, "Areas for improvement"),
    (FindingKind.STRENGTH.value, "Strengths"),
    (FindingKind.GOOD_PRACTICE.value, "Good practice"),
    (FindingKind.FINDING.value, "Findings"),
)


@dataclass(frozen=True)
class OtherGrade:
    """A judgment of the same area from another source, kept beside the one shown."""

    label: str
    grade_id: str | None
    source: str
    agrees: bool
    reason: str | None  # why it is not the one shown


@dataclass(frozen=True)
class GradeView:
    """A graded judgment as a report prints it, with where it came from.

    ``grade_id`` None means the record has no grade for the area: the label is "Not available",
    never an invented grade.
    """

    area_id: str
    area_name: str
    label: str
    grade_id: str | None
    source: str
    direction: str | None = None  # direction of travel as its scale labels it (2005)
    year_last_inspected: str | None = None
    note: str | None = None  # carried over, filled from another inspection, previous grade
    other_sources: tuple[OtherGrade, ...] = ()

    @property
    def available(self) -> bool:
        return self.grade_id is not None


@dataclass(frozen=True)
class FindingItem:
    """A finding (cause of concern, recommendation, area for improvement, strength...)."""

    kind: str
    kind_label: str
    text: str
    source: str
    heading: str | None = None
    lead_in: str | None = None
    sub_items: tuple[str, ...] = ()
    deadline: str | None = None
    recommendations: tuple[FindingItem, ...] = ()  # for a cause of concern: its recommendations


@dataclass(frozen=True)
class FindingGroup:
    kind: str
    heading: str
    findings: tuple[FindingItem, ...]


@dataclass
class ForceRecord:
    """What the record holds for one force, framework and year, judgments merged."""

    force_id: str
    framework: Framework
    period: str
    inspections: list[InspectionView]  # the one with a report document first
    documents: Mapping[int, DocumentView]
    judgments: dict[str, tuple[JudgmentView, InspectionView]] = field(default_factory=dict)

    @property
    def primary(self) -> InspectionView | None:
        return self.inspections[0] if self.inspections else None

    def used_inspections(self) -> tuple[int, ...]:
        used = {i.id for _, i in self.judgments.values()}
        used.update(i.id for i in self.inspections if i.findings or i.figures)
        return tuple(i.id for i in self.inspections if i.id in used)


def _has_report(inspection: InspectionView, documents: Mapping[int, DocumentView]) -> bool:
    document = documents.get(inspection.document or -1)
    return document is not None and document.is_report


def force_record(
    force_id: str,
    framework: Framework,
    period: str,
    inspections: Sequence[InspectionView],
    documents: Mapping[int, DocumentView],
) -> ForceRecord:
    """The force's inspections under the framework for the year, a report document's first;
    each area's judgment from the first inspection that has one with a grade (then, if none has
    a grade, the first that records the area at all)."""
    chosen = [
        i
        for i in inspections
        if i.force == force_id and i.framework == framework.id and i.period == period
    ]
    chosen.sort(key=lambda i: (not _has_report(i, documents), i.id))
    record = ForceRecord(force_id, framework, period, chosen, documents)
    for inspection in chosen:
        for judgment in inspection.shown_judgments():
            held = record.judgments.get(judgment.area)
            if held is None or (held[0].grade is None and judgment.grade is not None):
                record.judgments[judgment.area] = (judgment, inspection)
    return record


def grade_label(framework: Framework, grade_id: str | None, printed: str | None = None) -> str:
    if grade_id is None:
        return NOT_AVAILABLE
    scale = framework.grade_scale
    value = scale.find(grade_id) if scale is not None else None
    if value is None:
        for other in grade_scales().values():
            value = other.find(grade_id)
            if value is not None:
                break
    return value.label if value is not None else (printed or grade_id)


def _source_of(
    judgment: JudgmentView, inspection: InspectionView, documents: Mapping[int, DocumentView]
) -> str:
    source = describe_source(judgment.provenance, documents, inspection)
    rationale = judgment.rationale
    if rationale and rationale.removeprefix("Source: ").startswith("http"):
        source = f"{source}; source page {rationale.removeprefix('Source: ')}"
    return source


def grade_of(record: ForceRecord, area: Area) -> GradeView:
    """The area's grade as the record holds it, or "Not available"."""
    spec = record.framework
    held = record.judgments.get(area.id)
    if held is None:
        return GradeView(area.id, area.name, NOT_AVAILABLE, None, "no judgment in the record")
    judgment, inspection = held
    notes = []
    primary = record.primary
    if primary is not None and inspection.id != primary.id:
        notes.append(
            f"taken from {describe_inspection(inspection, record.documents)}: "
            f"{describe_inspection(primary, record.documents)} has no grade for this area"
        )
    if judgment.carried_over:
        notes.append("carried over from an earlier inspection")
    if judgment.read_from == "sentence":
        notes.append("stated in a sentence of the report, not printed as a grade")
    if judgment.previous_grade:
        notes.append(f"previously {grade_label(spec, judgment.previous_grade)}")
    others = tuple(
        OtherGrade(
            label=grade_label(spec, other.grade, other.grade_as_printed),
            grade_id=other.grade,
            source=_source_of(other, inspection, record.documents),
            agrees=other.grade == judgment.grade,
            reason=other.shown_reason,
        )
        for other in inspection.other_judgments(area.id)
    )
    for other in others:
        if other.agrees:
            notes.append(f"also {other.label} in {other.source}")
        else:
            notes.append(f"{other.source} gives {other.label}, not shown: {judgment.shown_reason}")
    direction = None
    if judgment.direction is not None:
        scale = spec.direction_scale
        value = scale.find(judgment.direction) if scale is not None else None
        direction = value.label if value is not None else judgment.direction_as_printed
    return GradeView(
        area_id=area.id,
        area_name=area.name,
        label=grade_label(spec, judgment.grade, judgment.grade_as_printed),
        grade_id=judgment.grade,
        source=_source_of(judgment, inspection, record.documents),
        direction=direction,
        year_last_inspected=judgment.year_last_inspected,
        note="; ".join(notes) or None,
        other_sources=others,
    )


def reported_areas(record: ForceRecord) -> list[Area]:
    """Graded areas, and ungraded ones with a judgment (Ungraded armed policing), in order."""
    return [a for a in record.framework.walk() if a.graded or a.id in record.judgments]


def graded_columns(framework: Framework) -> list[Area]:
    """The areas a one-line summary compares: graded pillars, else the top graded areas."""
    pillars = [a for a in framework.walk() if a.level == "pillar" and a.graded]
    if pillars:
        return pillars
    return [a for a in framework.walk() if a.graded and a.level in ("area", "question")]


def _item(
    item: FindingView,
    record: ForceRecord,
    inspection: InspectionView,
    recommendations: tuple[FindingItem, ...] = (),
) -> FindingItem:
    return FindingItem(
        kind=item.kind,
        kind_label=KIND_LABELS.get(item.kind, item.kind),
        text=item.text,
        source=describe_source(item.provenance, record.documents, inspection),
        heading=item.heading,
        lead_in=item.lead_in,
        sub_items=item.sub_items,
        deadline=item.deadline,
        recommendations=recommendations,
    )


def findings_by_area(record: ForceRecord) -> dict[str | None, tuple[FindingGroup, ...]]:
    """Findings of every inspection used, by area then kind (in the reports' order);
    recommendations follow their cause of concern (and are listed on their own only when they
    have none)."""
    lists: dict[str | None, dict[str, list[FindingItem]]] = {}
    for inspection in record.inspections:
        items = inspection.findings
        by_cause: dict[int, list[FindingItem]] = {}
        for item in items:
            if item.kind == FindingKind.RECOMMENDATION.value and item.cause_of_concern:
                by_cause.setdefault(item.cause_of_concern, []).append(
                    _item(item, record, inspection)
                )
        ids = {i.id for i in items}
        for item in items:
            is_recommendation = item.kind == FindingKind.RECOMMENDATION.value
            if is_recommendation and item.cause_of_concern in ids:
                continue  # printed under its cause of concern
            found = _item(item, record, inspection, tuple(by_cause.get(item.id, ())))
            lists.setdefault(item.area, {}).setdefault(item.kind, []).append(found)
    return {
        area: tuple(
            FindingGroup(kind, heading, tuple(kinds[kind]))
            for kind, heading in KIND_HEADINGS
            if kinds.get(kind)
        )
        for area, kinds in lists.items()
    }
