"""Every force's grades under one framework at one level: the all-force grades table of the
home page and of ``/api/v1/grades``.

Every territorial force has a row and every graded area of the framework at the level a column;
a cell is the grade as the record holds it (``force_record`` / ``grade_of``, the national
report's logic), "Not available" where the record has none, each with its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peelkit.domain.frameworks import LEVELS, Area, Framework
from peelkit.errors import PeelkitError
from peelkit.reference import territorial_forces
from peelkit.views.force_record import force_record, grade_of, graded_columns
from peelkit.views.inspections import DocumentView, InspectionView
from peelkit.views.national import ForceGrades, GradeCount, RegionGrades, grade_rank
from peelkit.views.national import grade_distribution as distribution_of

SORTS = ("force", "region")  # beside "grade:<area id>", an area's grade, best first
NO_REGION = "No region"


@dataclass(frozen=True)
class GradeColumn:
    """A graded area of the framework at the chosen level."""

    area_id: str
    name: str
    code: str | None
    level: str
    parent: str | None  # the id of the area it belongs to (a question's pillar), or None


@dataclass(frozen=True)
class GradesView:
    """Every territorial force (by name) × the framework's graded areas at ``level``."""

    framework_id: str
    framework_title: str
    period: str
    grade_scale: str | None  # the scale's id; None for an ungraded framework
    level: str | None  # None: the framework grades nothing
    levels: tuple[str, ...]  # the levels the framework grades, in tree order
    columns: tuple[GradeColumn, ...]
    forces: tuple[ForceGrades, ...]  # one per force; its grades one per column
    distribution: tuple[GradeCount, ...]  # number of forces with each grade, per column
    view: str = "grades"


def graded_levels(framework: Framework) -> tuple[str, ...]:
    """The levels at which the framework grades areas, in the order of ``LEVELS``."""
    held = {a.level for a in framework.walk() if a.graded}
    return tuple(level for level in LEVELS if level in held)


def choose_level(framework: Framework, level: str | None) -> str | None:
    """``level``, checked against what the framework grades; by default the level of its
    summary columns (pillars where it grades them, else its top graded areas)."""
    levels = graded_levels(framework)
    if level is None or level == "":
        columns = graded_columns(framework)
        return columns[0].level if columns else None
    if level not in levels:
        graded = ", ".join(levels) if levels else "nothing"
        raise PeelkitError(
            f"level {level!r}: {framework.id} grades at {graded}",
            code="unknown_choice",
        )
    return level


def _columns(framework: Framework, level: str | None) -> list[Area]:
    if level is None:
        return []
    return [a for a in framework.walk() if a.graded and a.level == level]


def build_grades(
    framework: Framework,
    year: str,
    level: str | None,
    inspections: Sequence[InspectionView],
    documents: Mapping[int, DocumentView],
    force: str | None = None,
) -> GradesView:
    """The grades of every territorial force (or only ``force``, an id) under ``framework``
    for ``year`` at ``level`` (checked; default as :func:`choose_level`), from ``inspections``
    (the framework's, already only those the reader may see)."""
    chosen = choose_level(framework, level)
    areas = _columns(framework, chosen)
    by_force: dict[str, list[InspectionView]] = {}
    for inspection in inspections:
        by_force.setdefault(inspection.force, []).append(inspection)
    rows = []
    for item in sorted(territorial_forces(), key=lambda f: f.name):
        if force is not None and item.id != force:
            continue
        record = force_record(item.id, framework, year, by_force.get(item.id, []), documents)
        grades = tuple(grade_of(record, area) for area in areas)
        rows.append(ForceGrades(item.id, item.name, item.region, grades))
    names = [a.name for a in areas]
    return GradesView(
        framework_id=framework.id,
        framework_title=framework.title,
        period=year,
        grade_scale=framework.grade_scale.id if framework.grade_scale else None,
        level=chosen,
        levels=graded_levels(framework),
        columns=tuple(GradeColumn(a.id, a.name, a.code, a.level, a.parent_id) for a in areas),
        forces=tuple(rows),
        distribution=distribution_of(framework, names, rows) if areas else (),
    )


def check_sort(view: GradesView, sort: str | None) -> str:
    """``force``, ``region`` or ``grade:<area id>`` of one of the view's columns."""
    if sort is None or sort == "":
        return "force"
    choices = [*SORTS, *(f"grade:{c.area_id}" for c in view.columns)]
    if sort not in choices:
        raise PeelkitError(
            f"sort {sort!r}: expected one of {', '.join(choices)}", code="unknown_choice"
        )
    return sort


def sort_forces(view: GradesView, sort: str | None) -> tuple[ForceGrades, ...]:
    """The rows by force name, by region (then name), or by one area's grade (best first, then
    non-grades, then "Not available"; ties by name)."""
    chosen = check_sort(view, sort)
    rows = view.forces
    if chosen == "force":
        return tuple(sorted(rows, key=lambda r: r.force_name))
    if chosen == "region":
        return tuple(sorted(rows, key=lambda r: (r.region or NO_REGION, r.force_name)))
    index = [c.area_id for c in view.columns].index(chosen.removeprefix("grade:"))
    return tuple(sorted(rows, key=lambda r: (grade_rank(r.grades[index].grade_id), r.force_name)))


def group_by_region(rows: Sequence[ForceGrades]) -> tuple[RegionGrades, ...]:
    """The rows under their regions (regions by name), each region's rows in the given order."""
    grouped: dict[str, list[ForceGrades]] = {}
    for row in rows:
        grouped.setdefault(row.region or NO_REGION, []).append(row)
    return tuple(RegionGrades(region, tuple(grouped[region])) for region in sorted(grouped))
