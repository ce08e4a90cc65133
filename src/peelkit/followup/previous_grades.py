"""A report's "previous grades" checked against the earlier inspection in the record.

PEEL reports print the grade each area had at the last inspection. Where the record holds that
inspection (the force's inspection under the framework's predecessor), the printed previous
grade should be the grade shown there; a difference is a warning, never a silent fix.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelkit.frameworks import load_framework
from peelkit.record.schema import Inspection, Judgment


def previous_grade_mismatches(session: Session, force_id: str) -> list[str]:
    """Every printed previous grade of the force that disagrees with the record."""
    inspections = list(
        session.execute(
            select(Inspection.id, Inspection.framework_id, Inspection.period)
            .where(Inspection.force_id == force_id)
            .order_by(Inspection.id)
        )
    )
    by_framework: dict[str, list[tuple[str, int]]] = {}
    for inspection_id, framework_id, period in inspections:
        by_framework.setdefault(framework_id, []).append((period, inspection_id))
    # each inspection with one under the framework's predecessor, and the latest of those
    pairs: list[tuple[int, str, int, str]] = []
    for inspection_id, framework_id, _period in inspections:
        predecessor = load_framework(framework_id).predecessor or ""
        if predecessor in by_framework:
            _, before_id = max(by_framework[predecessor])
            pairs.append((inspection_id, framework_id, before_id, predecessor))
    if not pairs:
        return []
    shown: dict[int, list[tuple[str, str | None, str | None]]] = {}
    # the shown judgments of every inspection in a pair, in one query
    for inspection_id, area_id, grade, previous_grade in session.execute(
        select(Judgment.inspection_id, Judgment.area_id, Judgment.grade, Judgment.previous_grade)
        .where(
            Judgment.inspection_id.in_({i for pair in pairs for i in (pair[0], pair[2])}),
            Judgment.shown.is_(True),
        )
        .order_by(Judgment.id)
    ):
        shown.setdefault(inspection_id, []).append((area_id, grade, previous_grade))
    problems: list[str] = []
    for inspection_id, framework_id, before_id, before_framework in pairs:
        spec, before_spec = load_framework(framework_id), load_framework(before_framework)
        grades_before = {area_id: grade for area_id, grade, _ in shown.get(before_id, [])}
        for area_id, _grade, previous_grade in shown.get(inspection_id, []):
            if previous_grade is None:
                continue
            name = spec.area(area_id).name
            if area_id in grades_before:
                grade_before = grades_before[area_id]
            else:
                area = before_spec.find_area(name)
                grade_before = grades_before.get(area.id) if area else None
            if grade_before is None or grade_before == previous_grade:
                continue
            problems.append(
                f"inspection {inspection_id} ({framework_id}) prints the previous "
                f"grade of {name!r} as {previous_grade}, but the record's "
                f"{before_framework} inspection {before_id} grades it {grade_before}"
            )
    return problems
