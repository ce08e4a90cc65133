"""Operations on the inspection record. Each validates against the frameworks and forces.

These take an open SQLAlchemy session and never commit: the caller (the Workspace) owns the
transaction, so a failure anywhere in a batch leaves the database as it was. Items are added to
the session without a flush (bulk imports stay fast); a caller that needs a new item's id
flushes first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, func, select, union
from sqlalchemy import inspect as inspect_state
from sqlalchemy.orm import Session, selectinload

from peelkit.domain.findings import Comparator, FindingKind, InspectionStatus
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.domain.judgments import READ_FROM
from peelkit.domain.years import normalise_year
from peelkit.errors import InvalidRecord, NotFound
from peelkit.frameworks import load_all, load_framework
from peelkit.record.schema import (
    DataFigure,
    Evidence,
    Finding,
    ImportWarningRow,
    Inspection,
    Judgment,
    PerformanceRow,
    ProvenanceMixin,
    SourceDocument,
)
from peelkit.reference import resolve_force

_T = TypeVar("_T")


@dataclass(frozen=True)
class Provenance:
    """Where an item came from: a stored document and a line or page span, or a person."""

    document_id: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    entered_by: str | None = None

    def check(self) -> None:
        check_span(self.line_start, self.line_end, self.page_start, self.page_end)

    def apply(self, row: ProvenanceMixin) -> None:
        self.check()
        row.document_id = self.document_id
        row.line_start = self.line_start
        row.line_end = self.line_end
        row.page_start = self.page_start
        row.page_end = self.page_end
        row.entered_by = self.entered_by


def check_span(
    line_start: int | None, line_end: int | None, page_start: int | None, page_end: int | None
) -> None:
    """Line and page numbers start at 1, and a span does not end before it starts."""
    for start, end, what in ((line_start, line_end, "line"), (page_start, page_end, "page")):
        for value in (start, end):
            if value is not None and value < 1:
                raise InvalidRecord(f"{what} numbers start at 1, got {value}", code="invalid_span")
        if start is not None and end is not None and end < start:
            raise InvalidRecord(
                f"{what} span ends ({end}) before it starts ({start})", code="invalid_span"
            )


def choice(
    value: str, allowed: type[FindingKind | InspectionStatus | Comparator], what: str
) -> str:
    options = _values_of(allowed)
    if value not in options:
        raise InvalidRecord(
            f"unknown {what} {value!r} (expected one of: {', '.join(options)})",
            code="unknown_choice",
        )
    return value


@cache
def _values_of(allowed: type[FindingKind | InspectionStatus | Comparator]) -> tuple[str, ...]:
    """The values of an enumeration, in order (kept: an import checks thousands of rows)."""
    return tuple(member.value for member in allowed)


def _get_document(session: Session, document_id: int | None) -> None:
    if document_id is not None and session.get(SourceDocument, document_id) is None:
        raise document_not_found(document_id)


def document_not_found(document_id: int) -> NotFound:
    return NotFound(f"no source document with id {document_id}", code="document_not_found")


def check_checksum(sha256: str) -> None:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise InvalidRecord(
            f"document checksum must be 64 lower-case hex digits, got {sha256!r}",
            code="invalid_checksum",
        )


def register_document(
    session: Session,
    *,
    sha256: str,
    title: str | None = None,
    filename: str | None = None,
    media_type: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    line_count: int | None = None,
    page_count: int | None = None,
    document_id: int | None = None,
) -> SourceDocument:
    """The stored document with this checksum, created if new (so re-imports reuse it)."""
    check_checksum(sha256)
    existing = session.scalar(select(SourceDocument).where(SourceDocument.sha256 == sha256))
    if existing is not None:
        return existing
    document = SourceDocument(
        id=document_id,
        sha256=sha256,
        title=title,
        filename=filename,
        media_type=media_type,
        publisher=publisher,
        published=published,
        line_count=line_count,
        page_count=page_count,
    )
    session.add(document)
    session.flush()
    return document


def list_documents(session: Session) -> list[SourceDocument]:
    return list(session.scalars(select(SourceDocument).order_by(SourceDocument.id)))


def create_inspection(
    session: Session,
    *,
    force: str,
    framework: str,
    period: str | None = None,
    title: str | None = None,
    status: str = InspectionStatus.DRAFT.value,
    published: dt.date | None = None,
    embargo_until: dt.datetime | None = None,
    hm_inspector: str | None = None,
    document_id: int | None = None,
    entered_by: str | None = None,
    inspection_id: int | None = None,
) -> Inspection:
    """A new inspection of ``force`` (any of its names) under ``framework`` (its id)."""
    resolved = resolve_force(force)
    spec = load_framework(framework)
    _get_document(session, document_id)
    if inspection_id is not None and session.get(Inspection, inspection_id) is not None:
        raise inspection_id_exists(inspection_id)
    year = inspection_period(spec, period)
    check_period(spec, year)
    existing = session.scalar(_same_key(select(Inspection.id), resolved.id, spec.id, year))
    if existing is not None:
        raise inspection_exists(existing, resolved.id, spec.id, year)
    inspection = Inspection(
        id=inspection_id,
        force_id=resolved.id,
        framework_id=spec.id,
        period=year,
        title=title,
        status=choice(status, InspectionStatus, "status"),
        published=published,
        embargo_until=embargo_until,
        hm_inspector=hm_inspector,
        document_id=document_id,
        entered_by=entered_by,
        # A new inspection has no items yet: say so, rather than have the ORM ask the database.
        judgments=[],
        findings=[],
        evidence=[],
        figures=[],
        performance_rows=[],
    )
    session.add(inspection)
    session.flush()
    return inspection


def inspection_id_exists(inspection_id: int) -> InvalidRecord:
    return InvalidRecord(
        f"an inspection with id {inspection_id} already exists",
        code="inspection_id_exists",
        kind="conflict",
    )


def inspection_exists(existing: int, force_id: str, framework_id: str, year: str) -> InvalidRecord:
    return InvalidRecord(
        f"inspection {existing} already records {force_id} under {framework_id} for {year} "
        "(one inspection per force, framework and period: add to that one)",
        code="inspection_exists",
        kind="conflict",
    )


def inspection_period(spec: Framework, period: str | None) -> str:
    """The period an inspection of ``spec`` is filed under: ``period`` normalised, else the
    framework's own."""
    return normalise_year(period) if period else spec.period


def check_period(spec: Framework, year: str) -> None:
    """A new inspection's period is one its framework inspects (``Framework.periods``)."""
    if year in spec.periods:
        return
    others = [f.id for f in load_all() if year in f.periods]
    elsewhere = (
        f"the frameworks of {year}: {', '.join(others)}"
        if others
        else f"no framework inspects {year}"
    )
    periods = spec.periods
    inspects = (
        " or ".join(periods)
        if len(periods) <= _PERIODS_NAMED
        else f"{', '.join(periods[:_PERIODS_NAMED])} and {len(periods) - _PERIODS_NAMED} more"
    )
    raise InvalidRecord(
        f"framework {spec.id} inspects {inspects}, not {year} ({elsewhere})",
        code="period_not_of_framework",
    )


# How many of a framework's periods an error names before it says how many more there are.
_PERIODS_NAMED = 4


def find_inspection(
    session: Session, *, force: str, framework: str, period: str | None = None
) -> Inspection | None:
    """The inspection of ``force`` under ``framework`` for ``period`` (default: the
    framework's), with its judgments loaded, or None. There is at most one."""
    spec = load_framework(framework)
    query = _same_key(
        select(Inspection), resolve_force(force).id, spec.id, inspection_period(spec, period)
    )
    return session.scalars(query.options(selectinload(Inspection.judgments))).first()


def _same_key(query: Select[_T], force_id: str, framework_id: str, period: str) -> Select[_T]:
    return query.where(
        Inspection.force_id == force_id,
        Inspection.framework_id == framework_id,
        Inspection.period == period,
    )


def inspections_by_key(
    session: Session, frameworks: Iterable[str]
) -> dict[tuple[str, str, str], Inspection]:
    """Every inspection under these frameworks, by (force, framework, period), judgments
    loaded: one query for a whole batch (the grades CSV)."""
    ids = sorted({load_framework(f).id for f in frameworks})
    query = (
        select(Inspection)
        .where(Inspection.framework_id.in_(ids))
        .options(selectinload(Inspection.judgments))
    )
    return {(i.force_id, i.framework_id, i.period): i for i in session.scalars(query)}


def inspections_citing(session: Session, document_id: int) -> list[int]:
    """Ids of the inspections that hold anything from the document (or name it as theirs):
    first those whose own document it is, then the others, each by id."""
    held = union(
        *(
            select(table.inspection_id).where(table.document_id == document_id)
            for table in (Judgment, Finding, Evidence, DataFigure, PerformanceRow)
        )
    ).subquery()
    query = (
        select(Inspection.id, Inspection.document_id)
        .where((Inspection.document_id == document_id) | Inspection.id.in_(select(held)))
        .order_by(Inspection.id)
    )
    rows = session.execute(query).all()
    return [i for i, d in rows if d == document_id] + [i for i, d in rows if d != document_id]


def report_becomes_its_document(session: Session, inspection: Inspection) -> bool:
    """Whether a report of the inspection's force now imported becomes the inspection's own
    document (and gives it its title, status, publication date and HM Inspector): yes unless the
    inspection already has a report of its own. A report that lent it only judgments (another
    force's report printing a national table of grades) is not its own."""
    current = session.get(SourceDocument, inspection.document_id or -1)
    if not is_report_document(current):
        return True
    return not any(
        item.document_id == inspection.document_id
        for items in (
            inspection.findings,
            inspection.evidence,
            inspection.figures,
            inspection.performance_rows,
        )
        for item in items
    )


def get_inspection(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(
        Inspection,
        inspection_id,
        options=[
            selectinload(Inspection.judgments),
            selectinload(Inspection.findings),
            selectinload(Inspection.evidence),
            selectinload(Inspection.figures),
            selectinload(Inspection.performance_rows),
        ],
    )
    if inspection is None:
        raise NotFound(f"no inspection with id {inspection_id}", code="inspection_not_found")
    return inspection


def list_inspections(
    session: Session, *, force: str | None = None, framework: str | None = None
) -> list[Inspection]:
    query = select(Inspection).order_by(Inspection.force_id, Inspection.period, Inspection.id)
    if force is not None:
        query = query.where(Inspection.force_id == resolve_force(force).id)
    if framework is not None:
        query = query.where(Inspection.framework_id == load_framework(framework).id)
    return list(
        session.scalars(
            query.options(selectinload(Inspection.judgments), selectinload(Inspection.findings))
        )
    )


def count_inspections(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Inspection)) or 0


def area_of(spec: Framework, area: str | None, required: bool = True) -> Area | None:
    if area is None:
        if required:
            raise InvalidRecord(f"an area of framework {spec.id} is required")
        return None
    return spec.resolve_area(area)


def grade_value(scale: GradeScale | None, value: str, spec: Framework, what: str) -> GradeValue:
    if scale is None:
        raise InvalidRecord(f"framework {spec.id} has no {what} scale; {value!r} not allowed")
    return scale.get(value)


def record_judgment(
    session: Session,
    inspection: Inspection,
    *,
    area: str,
    grade: str | None,
    grade_as_printed: str | None = None,
    direction: str | None = None,
    direction_as_printed: str | None = None,
    year_last_inspected: str | None = None,
    carried_over: bool = False,
    previous_grade: str | None = None,
    rationale: str | None = None,
    provenance: Provenance = Provenance(),
    judgment_id: int | None = None,
    shown: bool | None = None,
    shown_reason: str | None = None,
    read_from: str | None = None,
) -> Judgment:
    """Store a judgment as entered. Pillar and overall grades are never derived from others.

    ``grade`` may be None (not available), a grade of the framework's scale, or a non-grade such
    as Ungraded. An area the framework does not grade accepts only non-grades.

    An area may have one judgment per source document (and one entered by hand); exactly one of
    them is shown, chosen by :data:`SOURCE_PRECEDENCE` unless ``shown`` is given (a record
    being loaded back; the caller then checks with :func:`check_one_shown`).
    """
    spec = load_framework(inspection.framework_id)
    area_id, grade_id, direction_id, previous_id = judgment_codes(
        spec, area, grade, direction, previous_grade
    )
    check_read_from(read_from)
    provenance.check()
    _get_document(session, provenance.document_id)
    same_area = [j for j in inspection.judgments if j.area_id == area_id]
    for existing in same_area:
        if existing.document_id == provenance.document_id:
            raise judgment_exists(inspection.id, area_id, provenance.document_id)
    judgment = Judgment(
        id=judgment_id,
        framework_id=spec.id,
        area_id=area_id,
        grade=grade_id,
        grade_as_printed=grade_as_printed,
        direction=direction_id,
        direction_as_printed=direction_as_printed,
        year_last_inspected=normalise_year(year_last_inspected) if year_last_inspected else None,
        carried_over=carried_over,
        previous_grade=previous_id,
        rationale=rationale,
        read_from=read_from,
    )
    provenance.apply(judgment)
    if shown is None:
        show_among(session, inspection, [*same_area, judgment])
    else:
        judgment.shown = shown
        judgment.shown_reason = shown_reason
    inspection.judgments.append(judgment)
    return judgment


def judgment_codes(
    spec: Framework,
    area: str,
    grade: str | None,
    direction: str | None = None,
    previous_grade: str | None = None,
) -> tuple[str, str | None, str | None, str | None]:
    """The ids a judgment on ``area`` of ``spec`` is stored with: the area's, and those of its
    grade, direction of travel and previous grade on the framework's scales (refused where the
    framework has no such value, or the area takes no grade or direction)."""
    target = area_of(spec, area)
    assert target is not None
    grade_id = None
    if grade is not None:
        value = grade_value(spec.grade_scale, grade, spec, "grade")
        if value.is_grade and not target.graded:
            raise InvalidRecord(
                f"area {target.id} of {spec.id} is not graded; grade {value.label!r} not allowed"
            )
        grade_id = value.id
    direction_id = None
    if direction is not None:
        value = grade_value(spec.direction_scale, direction, spec, "direction of travel")
        if not target.direction:
            raise InvalidRecord(f"area {target.id} of {spec.id} has no direction of travel")
        direction_id = value.id
    previous_id = None
    if previous_grade is not None:
        previous_id = grade_value(spec.grade_scale, previous_grade, spec, "grade").id
    return target.id, grade_id, direction_id, previous_id


def check_read_from(read_from: str | None) -> None:
    if read_from is not None and read_from not in READ_FROM:
        raise InvalidRecord(
            f"unknown read_from {read_from!r} (expected one of: {', '.join(READ_FROM)})",
            code="unknown_choice",
        )


def judgment_exists(inspection_id: int, area_id: str, document_id: int | None) -> InvalidRecord:
    """A second judgment on one area of an inspection from one source (or two by hand)."""
    source = "entered by hand" if document_id is None else f"from document {document_id}"
    return InvalidRecord(
        f"inspection {inspection_id} already has a judgment on area {area_id} {source}",
        code="judgment_exists",
        kind="conflict",
    )


# --- several sources judging one area: which judgment an inspection shows --------------------

# A document of one of these media types (and not a .csv file) is a published report.
REPORT_MEDIA_TYPES = ("text/plain", "application/pdf", "text/html")

# The kinds of source a judgment can come from, the one an inspection shows first. A person's
# entry is deliberate (an inspector correcting or completing the record), so it beats anything
# imported; a report beats a grade transcribed into a table (the grades CSV) or any other file.
HAND_ENTERED = "hand-entered"
REPORT = "report"
TABLE = "transcribed table"
SOURCE_PRECEDENCE = (HAND_ENTERED, REPORT, TABLE)
_BEATS = {
    (HAND_ENTERED, REPORT): "a person's entry beats a report",
    (HAND_ENTERED, TABLE): "a person's entry beats a transcribed table",
    (REPORT, TABLE): "a report beats a transcribed table",
}


def is_report_file(media_type: str | None, filename: str | None) -> bool:
    """A published report (text, PDF or web page), as opposed to a transcribed table."""
    return media_type in REPORT_MEDIA_TYPES and not (filename or "").lower().endswith(".csv")


def is_report_document(document: SourceDocument | None) -> bool:
    """A document that is a published report (:func:`is_report_file`)."""
    return document is not None and is_report_file(document.media_type, document.filename)


def source_kind(judgment: Judgment, document: SourceDocument | None) -> str:
    """``hand-entered`` (no document, or a person named), ``report`` or ``transcribed table``."""
    if judgment.document_id is None or judgment.entered_by:
        return HAND_ENTERED
    return REPORT if is_report_document(document) else TABLE


def _order(
    judgment: Judgment, inspection: Inspection, documents: dict[int, SourceDocument]
) -> tuple[bool, int, bool, bool]:
    """Sort key: the first judgment is shown. A grade beats none ("not available"); then the
    kind of source; then a grade printed in a box beats one stated in a sentence (a press
    release, a summary sentence); then, between reports, the inspection's own report beats
    another's table. Ties keep the order the judgments arrived in (the first stays shown)."""
    document = documents.get(judgment.document_id or -1)
    return (
        judgment.grade is None,
        SOURCE_PRECEDENCE.index(source_kind(judgment, document)),
        judgment.read_from == "sentence",
        judgment.document_id is None or judgment.document_id != inspection.document_id,
    )


def _rule(
    shown: Judgment,
    other: Judgment,
    inspection: Inspection,
    documents: dict[int, SourceDocument],
) -> str:
    """Why ``shown`` is shown rather than ``other``, in words."""
    mine, theirs = _order(shown, inspection, documents), _order(other, inspection, documents)
    if mine[0] != theirs[0]:
        return "a grade beats none"
    if mine[1] != theirs[1]:
        return _BEATS[(SOURCE_PRECEDENCE[mine[1]], SOURCE_PRECEDENCE[theirs[1]])]
    if mine[2] != theirs[2]:
        return "a grade printed in a box beats one stated in a sentence"
    if mine[3] != theirs[3]:
        return "the inspection's own report beats another report's table"
    return "the first source recorded stays shown"


def _documents(session: Session, judgments: Iterable[Judgment]) -> dict[int, SourceDocument]:
    found: dict[int, SourceDocument] = {}
    for judgment in judgments:
        if judgment.document_id is not None and judgment.document_id not in found:
            document = session.get(SourceDocument, judgment.document_id)
            if document is not None:
                found[document.id] = document
    return found


def _grade_label(spec: Framework, grade: str | None) -> str:
    if grade is None:
        return "no grade"
    value = spec.grade_scale.find(grade) if spec.grade_scale is not None else None
    return value.label if value is not None else grade


def describe_judgment_source(judgment: Judgment, document: SourceDocument | None) -> str:
    """``000_x.txt lines 12–14``, ``peel_grades.csv line 345``, ``entered by A. Inspector``."""
    if document is None:
        return f"entered by {judgment.entered_by}" if judgment.entered_by else "entered by hand"
    name = document.filename or document.title or f"document {document.id}"
    spans = []
    for word, start, end in (
        ("page", judgment.page_start, judgment.page_end),
        ("line", judgment.line_start, judgment.line_end),
    ):
        if start is not None:
            spans.append(f"{word} {start}" if end in (None, start) else f"{word}s {start}–{end}")
    return " ".join([name, *spans])


def show_among(session: Session, inspection: Inspection, judgments: Sequence[Judgment]) -> None:
    """Mark exactly one of the judgments of one area shown, by :data:`SOURCE_PRECEDENCE`, and
    say why in each ``shown_reason`` (None when the area has one judgment only). Unsaved
    judgments (``peel load``'s copies of rows it writes itself) are only marked."""
    documents = _documents(session, judgments)
    ranked = sorted(judgments, key=lambda j: _order(j, inspection, documents))
    best, others = ranked[0], ranked[1:]
    spec = load_framework(inspection.framework_id)

    def source(judgment: Judgment) -> str:
        return describe_judgment_source(judgment, documents.get(judgment.document_id or -1))

    for other in others:
        other.shown = False
        other.shown_reason = (
            f"{_rule(best, other, inspection, documents)}: {source(best)} grades this area "
            f"{_grade_label(spec, best.grade)}"
        )
    if others and best.shown is False and inspect_state(best).persistent:
        session.flush()  # at most one shown row per area, at every statement
    best.shown = True
    best.shown_reason = (
        "; ".join(
            f"{_rule(best, other, inspection, documents)}: shown over {source(other)}, "
            + (
                "which agrees"
                if other.grade == best.grade
                else f"which grades this area {_grade_label(spec, other.grade)}"
            )
            for other in others
        )
        or None
    )


def show_by_precedence(session: Session, inspection: Inspection) -> None:
    """Choose the shown judgment of every area again (after the inspection's own document
    changed, or merged inspections)."""
    by_area: dict[str, list[Judgment]] = {}
    for judgment in inspection.judgments:
        by_area.setdefault(judgment.area_id, []).append(judgment)
    for judgments in by_area.values():
        show_among(session, inspection, judgments)


def check_one_shown(inspection: Inspection) -> None:
    """Refuse an inspection where an area has no shown judgment, or more than one."""
    check_shown_counts(inspection.id, ((j.area_id, j.shown) for j in inspection.judgments))


def check_shown_counts(inspection_id: int, judgments: Iterable[tuple[str, bool | None]]) -> None:
    """:func:`check_one_shown` of the (area, shown) pairs of an inspection's judgments."""
    shown: dict[str, int] = {}
    for area_id, is_shown in judgments:
        shown[area_id] = shown.get(area_id, 0) + bool(is_shown)
    for area, count in shown.items():
        if count != 1:
            raise InvalidRecord(
                f"inspection {inspection_id}, area {area}: {count} judgments are marked shown "
                "(exactly one must be)"
            )


@dataclass(frozen=True)
class Disagreement:
    """Two sources give an area of one inspection different grades; the record keeps both."""

    force: str
    framework: str
    period: str
    area: str
    shown_grade: str
    shown_source: str
    other_grade: str
    other_source: str
    rule: str

    def message(self) -> str:
        return (
            f"{self.force} {self.framework} {self.period}, area {self.area}: {self.shown_source} "
            f"grades it {self.shown_grade} but {self.other_source} grades it {self.other_grade}; "
            f"the inspection shows {self.shown_grade} ({self.rule})"
        )


def disagreements(session: Session, judgment: Judgment) -> list[Disagreement]:
    """Where the judgment's grade differs from another source's on the same area (both graded).
    Call after :func:`record_judgment`; the shown one is named first in each."""
    inspection = judgment.inspection
    same_area = [j for j in inspection.judgments if j.area_id == judgment.area_id]
    if len(same_area) < 2 or judgment.grade is None:
        return []
    documents = _documents(session, same_area)
    spec = load_framework(inspection.framework_id)
    found = []
    for other in same_area:
        if other is judgment or other.grade is None or other.grade == judgment.grade:
            continue
        shown, hidden = (judgment, other) if judgment.shown else (other, judgment)
        if not shown.shown:  # neither is shown: a third source is, and is reported with it
            continue
        found.append(
            Disagreement(
                force=inspection.force_id,
                framework=inspection.framework_id,
                period=inspection.period,
                area=judgment.area_id,
                shown_grade=_grade_label(spec, shown.grade),
                shown_source=describe_judgment_source(
                    shown, documents.get(shown.document_id or -1)
                ),
                other_grade=_grade_label(spec, hidden.grade),
                other_source=describe_judgment_source(
                    hidden, documents.get(hidden.document_id or -1)
                ),
                rule=_rule(shown, hidden, inspection, documents),
            )
        )
    return found


def record_finding(
    session: Session,
    inspection: Inspection,
    *,
    kind: str,
    text: str,
    area: str | None = None,
    heading: str | None = None,
    lead_in: str | None = None,
    sub_items: list[str] | None = None,
    cause_of_concern_id: int | None = None,
    deadline: str | None = None,
    provenance: Provenance = Provenance(),
    finding_id: int | None = None,
) -> Finding:
    """Store a finding. A recommendation may name the cause of concern it answers."""
    spec = load_framework(inspection.framework_id)
    area_id = finding_area(spec, area, kind, text)
    check_cause_of_concern(session, inspection, kind, cause_of_concern_id)
    _get_document(session, provenance.document_id)
    finding = Finding(
        id=finding_id,
        framework_id=spec.id,
        area_id=area_id,
        kind=kind,
        text=text,
        heading=heading,
        lead_in=lead_in,
        sub_items=list(sub_items or []),
        cause_of_concern_id=cause_of_concern_id,
        deadline=deadline,
    )
    provenance.apply(finding)
    inspection.findings.append(finding)
    return finding


def finding_area(spec: Framework, area: str | None, kind: str, text: str | None) -> str | None:
    """The area id a finding of ``spec`` is stored with (None for none), its kind and text
    checked."""
    target = area_of(spec, area, required=False)
    choice(kind, FindingKind, "finding kind")
    if not text or not text.strip():
        raise InvalidRecord("a finding needs its text")
    return target.id if target else None


def check_cause_of_concern(
    session: Session, inspection: Inspection, kind: str, cause_of_concern_id: int | None
) -> None:
    """A recommendation may name a cause of concern of the same inspection; nothing else may."""
    if cause_of_concern_id is None:
        return
    check_may_name_a_cause(kind)
    parent = session.get(Finding, cause_of_concern_id)
    check_cause(
        inspection.id,
        cause_of_concern_id,
        None if parent is None else (parent.inspection_id, parent.kind),
    )


def check_may_name_a_cause(kind: str) -> None:
    if kind != FindingKind.RECOMMENDATION:
        raise InvalidRecord("only a recommendation can be linked to a cause of concern")


def check_cause(
    inspection_id: int, cause_of_concern_id: int, cause: tuple[int, str] | None
) -> None:
    """The finding a recommendation names, given as its (inspection id, kind) or None where
    there is none, is a cause of concern of the recommendation's inspection."""
    if cause is None or cause[0] != inspection_id or cause[1] != FindingKind.CAUSE_OF_CONCERN:
        raise not_a_cause(cause_of_concern_id, inspection_id)


def not_a_cause(cause_of_concern_id: int, inspection_id: int) -> InvalidRecord:
    return InvalidRecord(
        f"finding {cause_of_concern_id} is not a cause of concern of inspection {inspection_id}"
    )


def check_evidence(sample_size: int | None, criteria_results: Sequence[Any]) -> None:
    """A sample is not negative; each result per criterion is ``{"criterion", "count", "of"}``
    (``of`` defaults to the sample) with 0 <= count <= of <= sample, or a free-form entry
    without a count (as imported)."""
    if sample_size is not None and sample_size < 0:
        raise InvalidRecord(f"sample size cannot be negative, got {sample_size}")
    for number, result in enumerate(criteria_results, start=1):
        if not isinstance(result, dict):
            raise InvalidRecord(f"criteria result {number} is not an object", code="invalid_result")
        if "count" not in result:
            continue
        count, of = result.get("count"), result.get("of", sample_size)
        label = result.get("criterion") or f"criterion {number}"
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidRecord(
                f"{label}: the count must be a whole number of at least 0, got {count!r}",
                code="invalid_result",
            )
        if of is None:
            raise InvalidRecord(
                f"{label}: {count} of how many? give the sample size or the result's 'of'",
                code="invalid_result",
            )
        if not isinstance(of, int) or isinstance(of, bool) or of < 1 or count > of:
            raise InvalidRecord(
                f"{label}: {count} of {of} is not a possible result", code="invalid_result"
            )
        if sample_size is not None and of > sample_size:
            raise InvalidRecord(
                f"{label}: {count} of {of} is more than the sample of {sample_size}",
                code="invalid_result",
            )


def evidence_area(
    spec: Framework,
    area: str | None,
    kind: str | None,
    sample_size: int | None,
    criteria_results: Sequence[Any] | None,
) -> str | None:
    """The area id evidence of ``spec`` is stored with, its kind, sample and results checked."""
    target = area_of(spec, area, required=False)
    if not kind or not kind.strip():
        raise InvalidRecord("evidence needs a kind, such as case_file_review or survey")
    check_evidence(sample_size, list(criteria_results or []))
    return target.id if target else None


def record_evidence(
    session: Session,
    inspection: Inspection,
    *,
    kind: str,
    area: str | None = None,
    description: str | None = None,
    sample_size: int | None = None,
    period: str | None = None,
    criteria_results: list[dict[str, Any]] | None = None,
    provenance: Provenance = Provenance(),
    evidence_id: int | None = None,
) -> Evidence:
    """Store evidence such as a case file review (kind ``case_file_review``, sample size 90)."""
    spec = load_framework(inspection.framework_id)
    area_id = evidence_area(spec, area, kind, sample_size, criteria_results)
    _get_document(session, provenance.document_id)
    evidence = Evidence(
        id=evidence_id,
        framework_id=spec.id,
        area_id=area_id,
        kind=kind,
        description=description,
        sample_size=sample_size,
        period=period,
        criteria_results=list(criteria_results or []),
    )
    provenance.apply(evidence)
    inspection.evidence.append(evidence)
    return evidence


def figure_area(
    spec: Framework, area: str | None, comparator: str, measure: str | None
) -> str | None:
    """The area id a figure of ``spec`` is stored with, its comparator and measure checked."""
    target = area_of(spec, area, required=False)
    choice(comparator, Comparator, "comparator")
    if not measure or not measure.strip():
        raise InvalidRecord("a data figure needs the measure as printed")
    return target.id if target else None


def record_figure(
    session: Session,
    inspection: Inspection,
    *,
    measure: str,
    comparator: str = Comparator.NONE.value,
    area: str | None = None,
    table_title: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    force_value_as_printed: str | None = None,
    force_value: float | None = None,
    comparator_label: str | None = None,
    comparator_value_as_printed: str | None = None,
    comparator_value: float | None = None,
    change_as_printed: str | None = None,
    change: float | None = None,
    provenance: Provenance = Provenance(),
    figure_id: int | None = None,
) -> DataFigure:
    """Store a figure as printed ("30,435") beside its parsed value (30435)."""
    spec = load_framework(inspection.framework_id)
    area_id = figure_area(spec, area, comparator, measure)
    _get_document(session, provenance.document_id)
    figure = DataFigure(
        id=figure_id,
        framework_id=spec.id,
        area_id=area_id,
        table_title=table_title,
        measure=measure,
        period=period,
        unit=unit,
        force_value_as_printed=force_value_as_printed,
        force_value=force_value,
        comparator=comparator,
        comparator_label=comparator_label,
        comparator_value_as_printed=comparator_value_as_printed,
        comparator_value=comparator_value,
        change_as_printed=change_as_printed,
        change=change,
    )
    provenance.apply(figure)
    inspection.figures.append(figure)
    return figure


@dataclass(frozen=True)
class PrintedCell:
    """A table cell as printed beside the number it means (None for "*", "N/A", "-")."""

    printed: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class PrintedRank:
    printed: str | None = None
    position: int | None = None
    of: int | None = None
    tied: bool = False

    def check(self, column: str) -> None:
        if self.position is not None and self.of is not None and self.position > self.of:
            raise InvalidRecord(f"{column}: rank {self.position} is beyond its {self.of} forces")


def performance_row_area(
    spec: Framework,
    area: str | None,
    indicator: str | None,
    change_unit: str | None,
    msf_rank: PrintedRank,
    national_rank: PrintedRank,
) -> str | None:
    """The area id a performance row of ``spec`` is stored with, its indicator, unit and
    ranks checked."""
    target = area_of(spec, area, required=False)
    if not indicator or not indicator.strip():
        raise InvalidRecord("a performance row needs its indicator as printed")
    if change_unit not in (None, "percent", "points"):
        raise InvalidRecord(f"unknown change unit {change_unit!r} (expected percent or points)")
    msf_rank.check("most similar forces rank")
    national_rank.check("national rank")
    return target.id if target else None


def record_performance_row(
    session: Session,
    inspection: Inspection,
    *,
    table_title: str,
    indicator: str,
    area: str | None = None,
    previous: PrintedCell = PrintedCell(),
    current: PrintedCell = PrintedCell(),
    change: PrintedCell = PrintedCell(),
    change_unit: str | None = None,
    msf_average: PrintedCell = PrintedCell(),
    msf_rank: PrintedRank = PrintedRank(),
    national_average: PrintedCell = PrintedCell(),
    national_rank: PrintedRank = PrintedRank(),
    provenance: Provenance = Provenance(),
    row_id: int | None = None,
) -> PerformanceRow:
    """Store a performance-table row (2005 Appendix 1 layout) exactly as printed."""
    spec = load_framework(inspection.framework_id)
    area_id = performance_row_area(spec, area, indicator, change_unit, msf_rank, national_rank)
    _get_document(session, provenance.document_id)
    row = PerformanceRow(
        id=row_id,
        framework_id=spec.id,
        area_id=area_id,
        table_title=table_title,
        indicator=indicator,
        previous_as_printed=previous.printed,
        previous=previous.value,
        current_as_printed=current.printed,
        current=current.value,
        change_as_printed=change.printed,
        change=change.value,
        change_unit=change_unit,
        msf_average_as_printed=msf_average.printed,
        msf_average=msf_average.value,
        msf_rank_as_printed=msf_rank.printed,
        msf_rank=msf_rank.position,
        msf_rank_of=msf_rank.of,
        msf_rank_tied=msf_rank.tied,
        national_average_as_printed=national_average.printed,
        national_average=national_average.value,
        national_rank_as_printed=national_rank.printed,
        national_rank=national_rank.position,
        national_rank_of=national_rank.of,
        national_rank_tied=national_rank.tied,
    )
    provenance.apply(row)
    inspection.performance_rows.append(row)
    return row


def record_import_warning(
    session: Session,
    *,
    document_id: int,
    code: str,
    message: str,
    table_title: str | None = None,
    row: str | None = None,
    column: str | None = None,
    line_start: int | None = None,
    line_end: int | None = None,
    warning_id: int | None = None,
) -> ImportWarningRow:
    _get_document(session, document_id)
    warning = ImportWarningRow(
        id=warning_id,
        document_id=document_id,
        code=code,
        message=message,
        table_title=table_title,
        row=row,
        column=column,
        line_start=line_start,
        line_end=line_end,
    )
    session.add(warning)
    return warning


def delete_inspection(session: Session, inspection_id: int) -> None:
    session.delete(get_inspection(session, inspection_id))
    session.flush()


__all__ = [
    "Provenance",
    "count_inspections",
    "create_inspection",
    "delete_inspection",
    "get_inspection",
    "list_inspections",
    "record_evidence",
    "record_figure",
    "record_finding",
    "record_judgment",
    "register_document",
]
