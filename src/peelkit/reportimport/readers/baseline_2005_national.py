"""The national tables at the end of a 2005 baseline assessment: every force's 27 judgments.

"HMIC BASELINE ASSESSMENT 2005" gives the delivery grade of all 43 forces for each area, and
"HMIC BASELINE ASSESSMENT 2005 – Direction of Travel" the direction (``I``, ``S``, ``D`` or
``NG``). Each is printed in two blocks of forces, a header row of force names ("City of
London", "MPS") over one row per area, named without its code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.errors import UnknownForce
from peelkit.reference import resolve_force
from peelkit.reportimport.model import ImportWarning, ParsedJudgment
from peelkit.reportimport.text import SourceText, normalise_space

_TITLE = re.compile(r"^HMIC BASELINE ASSESSMENT \d{4}", re.IGNORECASE)
GRADES_TABLE = "National table of grades"
DIRECTIONS_TABLE = "National table of directions of travel"


@dataclass
class PrintedCell:
    word: str
    line: int


@dataclass
class NationalTables:
    grades: dict[tuple[str, str], PrintedCell] = field(default_factory=dict)  # (force, area)
    directions: dict[tuple[str, str], PrintedCell] = field(default_factory=dict)
    forces: list[str] = field(default_factory=list)  # force ids, in printed order
    areas: list[str] = field(default_factory=list)  # area ids, in printed order
    warnings: list[ImportWarning] = field(default_factory=list)
    grades_found: bool = False
    directions_found: bool = False


def read_national_tables(text: SourceText, framework: Framework) -> NationalTables:
    tables = NationalTables()
    target: dict[tuple[str, str], PrintedCell] | None = None
    table_name = GRADES_TABLE
    columns: list[str | None] = []
    for number, line in enumerate(text.lines, start=1):
        if _TITLE.match(line.strip()):
            directions = "direction of travel" in line.lower()
            target = tables.directions if directions else tables.grades
            table_name = DIRECTIONS_TABLE if directions else GRADES_TABLE
            tables.directions_found |= directions
            tables.grades_found |= not directions
            columns = []
            continue
        if target is None or not line.strip():
            continue
        if "\t" not in line:
            # The tables are tab-separated rows; a line of prose is past their end (a report
            # followed by more text must not have every later line read as a table row).
            target = None
            continue
        cells = [normalise_space(c) for c in line.split("\t")]
        if not cells[0]:
            columns = [_force(name, tables, table_name, text, number) for name in cells[1:]]
            continue
        area = _area(cells[0], framework, tables, table_name, text, number)
        if area is None or not columns:
            continue
        _row(area, cells[1:], columns, target, tables, table_name, text, number)
    return tables


def _force(
    name: str, tables: NationalTables, table: str, text: SourceText, line: int
) -> str | None:
    try:
        force = resolve_force(name).id
    except UnknownForce:
        tables.warnings.append(
            ImportWarning(
                code="unknown_force",
                message=f'force "{name}" is not a known force; its column is skipped',
                table=table,
                column=name,
                span=text.span(line),
            )
        )
        return None
    if force not in tables.forces:
        tables.forces.append(force)
    return force


def _area(
    name: str, framework: Framework, tables: NationalTables, table: str, text: SourceText, line: int
) -> Area | None:
    area = framework.find_area(name)  # no suggestions: they cost a fuzzy match per spelling
    if area is None:
        tables.warnings.append(
            ImportWarning(
                code="unknown_area",
                message=f'area "{name}" is not an area of {framework.id}; its row is skipped',
                table=table,
                row=name,
                span=text.span(line),
            )
        )
        return None
    if area.id not in tables.areas:
        tables.areas.append(area.id)
    return area


def _row(
    area: Area,
    cells: list[str],
    columns: list[str | None],
    target: dict[tuple[str, str], PrintedCell],
    tables: NationalTables,
    table: str,
    text: SourceText,
    line: int,
) -> None:
    if len(cells) != len(columns):
        tables.warnings.append(
            ImportWarning(
                code="table_shape",
                message=f"row has {len(cells)} cells for {len(columns)} forces",
                table=table,
                row=area.name,
                span=text.span(line),
            )
        )
    for force, word in zip(columns, cells, strict=False):
        if force is not None and word:
            target[(force, area.id)] = PrintedCell(word, line)


def national_judgments(
    tables: NationalTables, framework: Framework, own_force: str, text: SourceText
) -> list[ParsedJudgment]:
    """One judgment per (force, area) printed, other than the report's own force."""
    judgments = []
    words: dict[tuple[str, str], GradeValue | None] = {}  # a table prints a few words 1,000 times
    for force in tables.forces:
        if force == own_force:
            continue
        for area_id in tables.areas:
            judgment = national_judgment(tables, framework, force, area_id, text, words)
            if judgment is not None:
                judgments.append(judgment)
    return judgments


def national_judgment(
    tables: NationalTables,
    framework: Framework,
    force: str,
    area_id: str,
    text: SourceText,
    words: dict[tuple[str, str], GradeValue | None] | None = None,
) -> ParsedJudgment | None:
    """The judgment of one force and area; ``words`` keeps the scale values of the words read
    so far (looked up once each)."""
    grade = tables.grades.get((force, area_id))
    direction = tables.directions.get((force, area_id))
    if grade is None and direction is None:
        return None
    found = {} if words is None else words
    grade_value = _value(framework.grade_scale, grade, found)
    direction_value = _value(framework.direction_scale, direction, found)
    for cell, value, table in (
        (grade, grade_value, GRADES_TABLE),
        (direction, direction_value, DIRECTIONS_TABLE),
    ):
        if cell is not None and value is None:
            tables.warnings.append(
                ImportWarning(
                    code="grade_outside_scale",
                    message=f'"{cell.word}" is not on the framework\'s scale',
                    table=table,
                    row=framework.area(area_id).name,
                    column=force,
                    span=text.span(cell.line),
                )
            )
    lines = [c.line for c in (grade, direction) if c is not None]
    return ParsedJudgment(
        area=area_id,
        level=framework.area(area_id).level,
        grade=grade_value.id if grade_value else None,
        grade_as_printed=grade.word if grade else None,
        direction=direction_value.id if direction_value else None,
        direction_as_printed=direction.word if direction else None,
        force=force,
        span=text.span(min(lines), max(lines)),
    )


def _value(
    scale: GradeScale | None,
    cell: PrintedCell | None,
    words: dict[tuple[str, str], GradeValue | None],
) -> GradeValue | None:
    if cell is None or scale is None:
        return None
    key = (scale.id, cell.word)
    if key not in words:
        words[key] = scale.find(cell.word)
    return words[key]
