"""Published PEEL grades from a CSV file: ``year,force,pillar,question,grade,source_url``.

This is the layout of the shared ``peel_grades.csv`` (HMIC/HMICFRS graded judgments
transcribed from their web pages). One row is one graded judgment:

* ``year`` picks the framework: the PEEL framework whose period it is (``2014`` → ``peel-2014``,
  ``2018/19`` → ``peel-2018-19``, ``2023-25`` → ``peel-2023-25``; ``2018-19`` is read as
  ``2018/19``).
* ``pillar`` is ``Effectiveness``, ``Efficiency`` or ``Legitimacy``, or ``Area`` for the
  frameworks without pillars (2021/22 onwards), where ``question`` names the graded area.
* an empty ``question`` is the pillar's own grade; otherwise ``question`` is the question's
  wording (or any name of it the framework knows), and must lie under the pillar.
* ``grade`` is a grade or non-grade (``Ungraded``) of the framework's scale.

:func:`read_grades_csv` checks the whole file first, so a bad row is reported with its line and
column before anything is stored; :func:`store_grades` then stores the file as a source
document and one judgment per row, each citing its line, in the force's inspection for the
framework and year: the one the record already holds (an imported report's, whose title and
document stay), else a new one. Where a report grades the same area, both judgments are kept and
the report's is shown; a different grade is a warning of the result. Storing a file whose
checksum is already loaded changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.years import normalise_year
from peelkit.errors import DataFileError, PeelkitError
from peelkit.frameworks import load_all, load_framework
from peelkit.record import bulk
from peelkit.record import operations as ops
from peelkit.record.schema import Base, Inspection, Judgment, SourceDocument
from peelkit.reference import resolve_force

COLUMNS = ("year", "force", "pillar", "question", "grade", "source_url")
AREA_PILLAR = "Area"  # the pillar cell of frameworks that grade areas, not pillars
PUBLISHER = "HMICFRS"
TITLE = "PEEL graded judgments (transcribed from HMICFRS pages)"
MEDIA_TYPE = "text/csv"
_INSPECTIONS = Base.metadata.tables[Inspection.__tablename__]
_JUDGMENTS = Base.metadata.tables[Judgment.__tablename__]


@dataclass(frozen=True)
class GradeRow:
    """One checked row: ids of the force, framework, area and grade, and the line it is on."""

    line: int
    year: str  # normalised: 2017, 2018/19, 2023-25
    force: str  # force id
    framework: str  # framework id
    area: str  # area id within the framework
    grade: str  # grade or non-grade id on the framework's scale
    grade_as_printed: str
    source_url: str


@dataclass(frozen=True)
class GradesFile:
    """A grades file read and checked in full; ``repeated_lines`` repeat an earlier row."""

    sha256: str
    filename: str
    line_count: int
    rows: list[GradeRow]
    repeated_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class GradesLoadResult:
    document_id: int
    already_loaded: bool
    inspections: int  # inspections holding the file's judgments (created or already there)
    judgments: int
    # Grades that differ from another source's for the same area (force, framework, area, both
    # grades and both sources named): a report imported earlier, or an entry by hand.
    warnings: tuple[str, ...] = ()


@cache
def peel_years() -> dict[str, str]:
    """Each PEEL assessment year (normalised) and the id of its framework."""
    return {normalise_year(f.period): f.id for f in load_all() if f.programme == "PEEL"}


def _is_under(area: Area, ancestor: Area, framework: Framework) -> bool:
    parent_id = area.parent_id
    while parent_id is not None:
        if parent_id == ancestor.id:
            return True
        parent_id = framework.area(parent_id).parent_id
    return False


class _Row:
    """The cells of one CSV record, with errors that name the line and the column."""

    def __init__(self, name: str, line: int, cells: dict[str, str]) -> None:
        self.name = name
        self.line = line
        self.cells = cells

    def fail(self, column: str, problem: str) -> DataFileError:
        return DataFileError(self.name, f"line {self.line}, column {column}", problem)

    def cell(self, column: str, required: bool = True) -> str:
        value = " ".join(self.cells.get(column, "").split())
        if required and not value:
            raise self.fail(column, "empty value")
        control = _CONTROL.search(value)
        if control is not None:
            # A NUL cannot be stored by PostgreSQL, and no grade, name or address holds one.
            raise self.fail(
                column,
                f"holds the control character U+{ord(control.group()):04X}: expected text",
            )
        return value


# Control characters other than the white space a cell's spaces are made of.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _area(row: _Row, framework: Framework) -> Area:
    pillar_text = row.cell("pillar")
    question = row.cell("question", required=False)
    if pillar_text == AREA_PILLAR:
        if not question:
            raise row.fail("question", f"pillar {AREA_PILLAR!r} needs the area's name")
        column = "question"
        try:
            area = framework.resolve_area(question)
        except PeelkitError as exc:
            raise row.fail(column, str(exc)) from None
        if area.level != "area":
            raise row.fail(column, f"{question!r} is a {area.level} of {framework.id}, not an area")
        return area
    try:
        pillar = framework.resolve_area(pillar_text)
    except PeelkitError as exc:
        raise row.fail("pillar", str(exc)) from None
    if pillar.level != "pillar":
        raise row.fail("pillar", f"{pillar_text!r} is a {pillar.level} of {framework.id}")
    if not question:
        return pillar
    try:
        area = framework.resolve_area(question)
    except PeelkitError as exc:
        raise row.fail("question", str(exc)) from None
    if not _is_under(area, pillar, framework):
        raise row.fail(
            "question", f"{question!r} is not a question of {pillar.name} in {framework.id}"
        )
    return area


def _read_row(row: _Row) -> GradeRow:
    year_text = row.cell("year")
    try:
        year = normalise_year(year_text)
    except PeelkitError as exc:
        raise row.fail("year", str(exc)) from None
    if year not in peel_years():
        known = ", ".join(peel_years())
        raise row.fail("year", f"no PEEL framework for year {year_text!r} (known: {known})")
    framework = load_framework(peel_years()[year])
    try:
        force = resolve_force(row.cell("force")).id
    except DataFileError:
        raise
    except PeelkitError as exc:
        raise row.fail("force", str(exc)) from None
    area = _area(row, framework)
    printed = row.cell("grade")
    scale = framework.grade_scale
    if scale is None:  # pragma: no cover - every PEEL framework has a scale
        raise row.fail("grade", f"framework {framework.id} has no grade scale")
    try:
        value = scale.get(printed)
    except PeelkitError as exc:
        raise row.fail("grade", str(exc)) from None
    if value.is_grade and not area.graded:
        raise row.fail(
            "grade", f"area {area.id} of {framework.id} is not graded; {printed!r} not allowed"
        )
    return GradeRow(
        line=row.line,
        year=year,
        force=force,
        framework=framework.id,
        area=area.id,
        grade=value.id,
        grade_as_printed=printed,
        source_url=row.cell("source_url", required=False),
    )


def read_grades_csv(path: Path) -> GradesFile:
    """Read and check a grades file; the first problem found names its line and column."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(name, "", "is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise DataFileError(name, "line 1", f"not valid CSV ({exc})") from None
    if not any(header):
        raise DataFileError(name, "line 1", f"empty file: expected a header {','.join(COLUMNS)}")
    for column in COLUMNS:
        if column not in header:
            found = ", ".join(header)
            raise DataFileError(
                name, f"line 1, column {column}", f"missing from the header (found: {found})"
            )
    counts = Counter(header)
    for column in COLUMNS:
        if counts[column] > 1:
            raise DataFileError(name, f"line 1, column {column}", "appears twice in the header")
    index = {column: header.index(column) for column in COLUMNS}

    rows: list[GradeRow] = []
    repeated: list[int] = []
    seen: dict[tuple[str, str, str], GradeRow] = {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataFileError(name, f"line {reader.line_num}", f"not valid CSV ({exc})") from None
        if not any(cell.strip() for cell in record):
            continue
        line = reader.line_num
        if len(record) > len(header):
            raise DataFileError(
                name, f"line {line}", f"{len(record)} cells for {len(header)} columns"
            )
        cells = {c: record[i] if i < len(record) else "" for c, i in index.items()}
        grade_row = _read_row(_Row(name, line, cells))
        key = (grade_row.framework, grade_row.force, grade_row.area)
        earlier = seen.get(key)
        if earlier is not None:
            if earlier.grade != grade_row.grade:
                raise DataFileError(
                    name,
                    f"line {line}, column grade",
                    f"{grade_row.grade_as_printed!r} for {grade_row.force}, {grade_row.year}, "
                    f"area {grade_row.area} differs from {earlier.grade_as_printed!r} "
                    f"on line {earlier.line}",
                )
            repeated.append(line)
            continue
        seen[key] = grade_row
        rows.append(grade_row)
    if not rows:
        raise DataFileError(name, "", "no grades: the file has a header but no rows")
    return GradesFile(
        sha256=hashlib.sha256(data).hexdigest(),
        filename=name,
        line_count=len(text.splitlines()),
        rows=rows,
        repeated_lines=tuple(repeated),
    )


def _stored_counts(session: Session, document_id: int) -> tuple[int, int]:
    inspections = session.scalar(
        select(func.count(func.distinct(Judgment.inspection_id))).where(
            Judgment.document_id == document_id
        )
    )
    judgments = session.scalar(
        select(func.count()).select_from(Judgment).where(Judgment.document_id == document_id)
    )
    return inspections or 0, judgments or 0


def store_grades(session: Session, grades: GradesFile) -> GradesLoadResult:
    """Store a checked grades file; a file already loaded (same checksum) changes nothing.

    Judgments of inspections the record holds are added one by one (each may change which
    judgment of its area is shown, and differ from another source's grade); the inspections
    the file brings and their judgments are written in two batches, with ids taken at once."""
    existing = session.scalar(select(SourceDocument).where(SourceDocument.sha256 == grades.sha256))
    if existing is not None:
        stored_inspections, stored_judgments = _stored_counts(session, existing.id)
        if stored_inspections:
            return GradesLoadResult(existing.id, True, stored_inspections, stored_judgments)
    document = existing or ops.register_document(
        session,
        sha256=grades.sha256,
        title=TITLE,
        filename=grades.filename,
        media_type=MEDIA_TYPE,
        publisher=PUBLISHER,
        line_count=grades.line_count,
    )
    held = ops.inspections_by_key(session, {row.framework for row in grades.rows})
    warnings: list[str] = []
    new_keys = list(
        dict.fromkeys(
            key for row in grades.rows if (key := (row.force, row.framework, row.year)) not in held
        )
    )
    ids = bulk.next_ids(session, _INSPECTIONS, len(new_keys))
    created = dict(zip(new_keys, ids, strict=True))
    new_inspections = []
    for (force, framework_id, year), inspection_id in created.items():
        framework = load_framework(framework_id)
        new_inspections.append(
            {
                "id": inspection_id,
                "force_id": resolve_force(force).id,
                "framework_id": framework.id,
                "period": ops.inspection_period(framework, year),
                "title": f"{framework.programme} {year} grades (HMICFRS pages)",
                "status": "published",
                "published": None,
                "embargo_until": None,
                "hm_inspector": None,
                "document_id": document.id,
                "entered_by": None,
                "version": 1,
            }
        )
    new_judgments = []
    for row in grades.rows:
        key = (row.force, row.framework, row.year)
        provenance = ops.Provenance(document_id=document.id, line_start=row.line, line_end=row.line)
        rationale = f"Source: {row.source_url}" if row.source_url else None
        inspection = held.get(key)
        if inspection is not None:
            judgment = ops.record_judgment(
                session,
                inspection,
                area=row.area,
                grade=row.grade,
                grade_as_printed=row.grade_as_printed,
                rationale=rationale,
                provenance=provenance,
            )
            warnings.extend(d.message() for d in ops.disagreements(session, judgment))
            continue
        # The only judgment of its area in a new inspection (the file has one row an area):
        # shown, with no reason to give, as ops.record_judgment would store it.
        spec = load_framework(row.framework)
        area_id, grade_id, _, _ = ops.judgment_codes(spec, row.area, row.grade)
        provenance.check()
        new_judgments.append(
            {
                "inspection_id": created[key],
                "framework_id": spec.id,
                "area_id": area_id,
                "grade": grade_id,
                "grade_as_printed": row.grade_as_printed,
                "direction": None,
                "direction_as_printed": None,
                "year_last_inspected": None,
                "carried_over": False,
                "previous_grade": None,
                "rationale": rationale,
                "read_from": None,
                "shown": True,
                "shown_reason": None,
                "document_id": document.id,
                "line_start": row.line,
                "line_end": row.line,
                "page_start": None,
                "page_end": None,
                "entered_by": None,
                "version": 1,
            }
        )
    session.flush()
    bulk.insert_rows(session, _INSPECTIONS, new_inspections)
    bulk.insert_rows(session, _JUDGMENTS, new_judgments)
    used = {(row.force, row.framework, row.year) for row in grades.rows}
    return GradesLoadResult(document.id, False, len(used), len(grades.rows), tuple(warnings))
