"""A report's "previous grades" checked against the earlier inspection in the record.

PEEL reports print the grade each area had at the last inspection. Where the record holds that
inspection (the force's inspection under the framework's predecessor), the printed previous
grade should be the grade shown there; a difference is a warning, never a silent fix.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelkit.frameworks import load_framework
from peelkit.record.schema import Inspection


def previous_grade_mismatches(session: Session, force_id: str) -> list[str]:
    """Every printed previous grade of the force that disagrees with the record."""
    inspections = list(
        session.scalars(
            select(Inspection).where(Inspection.force_id == force_id).order_by(Inspection.id)
        )
    )
    by_framework: dict[str, list[Inspection]] = {}
    for inspection in inspections:
        by_framework.setdefault(inspection.framework_id, []).append(inspection)
    problems: list[str] = []
    for inspection in inspections:
        spec = load_framework(inspection.framework_id)
        earlier = by_framework.get(spec.predecessor or "", [])
        if not earlier:
            continue
        before = max(earlier, key=lambda i: (i.period, i.id))
        before_spec = load_framework(before.framework_id)
        shown = {j.area_id: j for j in before.judgments if j.shown}
        for judgment in inspection.judgments:
            if not judgment.shown or judgment.previous_grade is None:
                continue
            name = spec.area(judgment.area_id).name
            match = shown.get(judgment.area_id)
            if match is None:
                area = before_spec.find_area(name)
                match = shown.get(area.id) if area else None
            if match is None or match.grade is None or match.grade == judgment.previous_grade:
                continue
            problems.append(
                f"inspection {inspection.id} ({inspection.framework_id}) prints the previous "
                f"grade of {name!r} as {judgment.previous_grade}, but the record's "
                f"{before.framework_id} inspection {before.id} grades it {match.grade}"
            )
    return problems
