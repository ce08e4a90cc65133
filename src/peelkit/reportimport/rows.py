"""The rows an import writes, checked as the record checks them and written a table at a time.

An import of the 2005 report writes some 2,500 judgments, findings, table rows and warnings.
Made one by one as ORM objects and written by the session's unit of work, they took most of
the import's time; here each item becomes a plain row, checked with the record's own rules
(:mod:`peelkit.record.operations`: areas, grades, spans, kinds, ranks), and a table's rows go
in one batch (:mod:`peelkit.record.bulk`). An item those quick checks do not clear (an area not
graded that is given a grade, an area judged twice, an empty text) is handed to the record's own
function on a stand-in of its inspection, so the error it raises is the record's, word for
word; an item that function accepts after all is written as it made it.

Only judgments of an inspection that holds none yet are written here: a second source grading
an area needs the record's precedence and disagreement rules (``store`` writes those through
the record, one by one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from peelkit.domain.findings import Comparator, FindingKind
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeValue
from peelkit.domain.judgments import READ_FROM
from peelkit.domain.years import normalise_year
from peelkit.record import bulk
from peelkit.record import operations as ops
from peelkit.record.schema import (
    DataFigure,
    Finding,
    ImportWarningRow,
    Inspection,
    Judgment,
    PerformanceRow,
)
from peelkit.reportimport.model import (
    ImportWarning,
    ParsedFigure,
    ParsedFinding,
    ParsedJudgment,
)
from peelkit.reportimport.model import PerformanceRow as ParsedRow

Row = dict[str, Any]


def write(session: Session, table: Table, rows: list[Row]) -> None:
    """The rows, a batch at a time (``peelkit.record.bulk``: on SQLite, statements of many rows
    each, so that the findings' full-text index is written once a statement)."""
    bulk.insert_rows(session, table, rows)


def write_one(session: Session, table: Table, row: Row) -> int:
    """One row, and the id the database gave it."""
    return int(session.execute(insert(table).returning(table.c.id), [row]).scalar_one())


def provenance_columns(provenance: ops.Provenance) -> Row:
    """The provenance columns of a row, its span checked as the record checks it."""
    provenance.check()
    return {
        "document_id": provenance.document_id,
        "line_start": provenance.line_start,
        "line_end": provenance.line_end,
        "page_start": provenance.page_start,
        "page_end": provenance.page_end,
        "entered_by": provenance.entered_by,
    }


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _columns_of(item: Any, table: Table) -> Row:
    """The row the record's function made (an item it accepted that the quick checks did not)."""
    return {
        column.key: getattr(item, column.key)
        for column in table.columns
        if column.key not in ("id", "version")
    }


def stand_in(inspection_id: int, framework_id: str) -> Inspection:
    """An inspection the record's functions can be given in place of the stored one: never
    added to the session, so what they make on it is never written by the ORM."""
    return Inspection(
        id=inspection_id,
        framework_id=framework_id,
        judgments=[],
        findings=[],
        evidence=[],
        figures=[],
        performance_rows=[],
    )


class _Lookups:
    """Areas and grades of one framework, resolved once per spelling for a whole import."""

    def __init__(self, spec: Framework) -> None:
        self.spec = spec
        self._areas: dict[str, Area] = {}
        self._values: dict[tuple[str, str], GradeValue] = {}

    def area(self, name: str) -> Area:
        found = self._areas.get(name)
        if found is None:
            found = ops.area_of(self.spec, name)
            assert found is not None
            self._areas[name] = found
        return found

    def optional_area(self, name: str | None) -> str | None:
        return self.area(name).id if name is not None else None

    def value(self, what: str, printed: str) -> GradeValue:
        key = (what, printed)
        found = self._values.get(key)
        if found is None:
            scale = self.spec.grade_scale if what == "grade" else self.spec.direction_scale
            found = ops.grade_value(scale, printed, self.spec, what)
            self._values[key] = found
        return found


class Rows:
    """The rows of one document's items, by table, in the order the document gives them."""

    def __init__(self, session: Session, spec: Framework, document_id: int) -> None:
        self.session = session
        self.spec = spec
        self.document_id = document_id
        self.lookups = _Lookups(spec)
        self._areas: dict[int, set[str]] = {}  # the areas judged so far, by inspection

    # -- judgments ---------------------------------------------------------------------------

    def judgment(
        self, inspection_id: int, judgment: ParsedJudgment, provenance: ops.Provenance
    ) -> Row:
        """The row of a judgment of an inspection that held none before this document: shown
        (it is its area's only one), as :func:`ops.record_judgment` would make it."""
        areas = self._areas.setdefault(inspection_id, set())
        row = self._judgment(inspection_id, judgment, provenance, areas)
        areas.add(row["area_id"])
        return row

    def _judgment(
        self,
        inspection_id: int,
        judgment: ParsedJudgment,
        provenance: ops.Provenance,
        areas: set[str],
    ) -> Row:
        """The checks of :func:`ops.record_judgment` in its order; at the first the quick
        checks do not clear, the record's function decides."""
        target = self.lookups.area(judgment.area)
        grade = direction = previous = None
        if judgment.grade is not None:
            value = self.lookups.value("grade", judgment.grade)
            if value.is_grade and not target.graded:
                return self._judgment_by_record(inspection_id, judgment, provenance, areas)
            grade = value.id
        if judgment.direction is not None:
            direction = self.lookups.value("direction of travel", judgment.direction).id
            if not target.direction:
                return self._judgment_by_record(inspection_id, judgment, provenance, areas)
        if judgment.previous_grade is not None:
            previous = self.lookups.value("grade", judgment.previous_grade).id
        if judgment.read_from is not None and judgment.read_from not in READ_FROM:
            return self._judgment_by_record(inspection_id, judgment, provenance, areas)
        spans = provenance_columns(provenance)
        if target.id in areas:
            return self._judgment_by_record(inspection_id, judgment, provenance, areas)
        year = judgment.year_last_inspected
        return {
            "inspection_id": inspection_id,
            "framework_id": self.spec.id,
            "area_id": target.id,
            "grade": grade,
            "grade_as_printed": judgment.grade_as_printed,
            "direction": direction,
            "direction_as_printed": judgment.direction_as_printed,
            "year_last_inspected": normalise_year(year) if year else None,
            "carried_over": judgment.carried_over,
            "previous_grade": previous,
            "rationale": None,
            "read_from": judgment.read_from,
            "shown": True,
            "shown_reason": None,
            **spans,
        }

    def _judgment_by_record(
        self,
        inspection_id: int,
        judgment: ParsedJudgment,
        provenance: ops.Provenance,
        areas: set[str],
    ) -> Row:
        inspection = stand_in(inspection_id, self.spec.id)
        target = self.lookups.area(judgment.area)
        if target.id in areas:  # the one read before it, as the record would hold it
            inspection.judgments.append(
                Judgment(area_id=target.id, document_id=provenance.document_id)
            )
        made = ops.record_judgment(
            self.session,
            inspection,
            area=judgment.area,
            grade=judgment.grade,
            grade_as_printed=judgment.grade_as_printed,
            direction=judgment.direction,
            direction_as_printed=judgment.direction_as_printed,
            year_last_inspected=judgment.year_last_inspected,
            carried_over=judgment.carried_over,
            previous_grade=judgment.previous_grade,
            read_from=judgment.read_from,
            provenance=provenance,
        )
        return {**_columns_of(made, _table(Judgment)), "inspection_id": inspection_id}

    # -- findings, figures, table rows, warnings ---------------------------------------------

    def finding(
        self,
        inspection: Inspection,
        finding: ParsedFinding,
        concern: tuple[int, str] | None,
        provenance: ops.Provenance,
    ) -> Row:
        """A finding's row, as :func:`ops.record_finding` would make it. ``concern``: the id
        and kind of the finding it names as its cause of concern, written by this import to
        the same inspection (checked as the record checks a cause it reads)."""
        concern_id = None if concern is None else concern[0]
        area = self.lookups.optional_area(finding.area)
        ops.choice(finding.kind, FindingKind, "finding kind")
        if not finding.text or not finding.text.strip():
            made = ops.record_finding(
                self.session,
                stand_in(inspection.id, self.spec.id),
                kind=finding.kind,
                text=finding.text,
                area=finding.area,
                heading=finding.heading,
                lead_in=finding.lead_in,
                sub_items=finding.sub_items,
                cause_of_concern_id=concern_id,
                deadline=finding.deadline,
                provenance=provenance,
            )
            return {**_columns_of(made, _table(Finding)), "inspection_id": inspection.id}
        if concern is not None:
            ops.check_may_name_a_cause(finding.kind)
            ops.check_cause(inspection.id, concern[0], (inspection.id, concern[1]))
        return {
            "inspection_id": inspection.id,
            "framework_id": self.spec.id,
            "area_id": area,
            "kind": finding.kind,
            "text": finding.text,
            "heading": finding.heading,
            "lead_in": finding.lead_in,
            "sub_items": list(finding.sub_items or []),
            "cause_of_concern_id": concern_id,
            "deadline": finding.deadline,
            **provenance_columns(provenance),
        }

    def figure(self, inspection_id: int, figure: ParsedFigure, provenance: ops.Provenance) -> Row:
        """A figure's row, as :func:`ops.record_figure` would make it."""
        area = self.lookups.optional_area(figure.area)
        ops.choice(figure.comparator, Comparator, "comparator")
        fields: Mapping[str, Any] = {
            "measure": figure.measure,
            "comparator": figure.comparator,
            "table_title": figure.table,
            "period": figure.period,
            "unit": figure.unit,
            "force_value_as_printed": figure.force_value_as_printed,
            "force_value": figure.force_value,
            "comparator_label": figure.comparator_label,
            "comparator_value_as_printed": figure.comparator_value_as_printed,
            "comparator_value": figure.comparator_value,
            "change_as_printed": figure.change_as_printed,
            "change": figure.change,
        }
        if not figure.measure or not figure.measure.strip():
            made = ops.record_figure(
                self.session,
                stand_in(inspection_id, self.spec.id),
                area=figure.area,
                provenance=provenance,
                **fields,
            )
            return {**_columns_of(made, _table(DataFigure)), "inspection_id": inspection_id}
        return {
            "inspection_id": inspection_id,
            "framework_id": self.spec.id,
            "area_id": area,
            **fields,
            **provenance_columns(provenance),
        }

    def performance_row(
        self, inspection_id: int, row: ParsedRow, provenance: ops.Provenance
    ) -> Row:
        """A performance-table row, as :func:`ops.record_performance_row` would make it."""
        area = self.lookups.optional_area(row.area)
        msf_rank = ops.PrintedRank(
            row.msf_rank.printed, row.msf_rank.position, row.msf_rank.of, row.msf_rank.tied
        )
        national_rank = ops.PrintedRank(
            row.national_rank.printed,
            row.national_rank.position,
            row.national_rank.of,
            row.national_rank.tied,
        )
        if (
            not row.indicator
            or not row.indicator.strip()
            or row.change.unit not in (None, "percent", "points")
        ):
            made = ops.record_performance_row(
                self.session,
                stand_in(inspection_id, self.spec.id),
                table_title=row.table,
                indicator=row.indicator,
                area=row.area,
                previous=ops.PrintedCell(row.previous.printed, row.previous.value),
                current=ops.PrintedCell(row.current.printed, row.current.value),
                change=ops.PrintedCell(row.change.printed, row.change.value),
                change_unit=row.change.unit,
                msf_average=ops.PrintedCell(row.msf_average.printed, row.msf_average.value),
                msf_rank=msf_rank,
                national_average=ops.PrintedCell(
                    row.national_average.printed, row.national_average.value
                ),
                national_rank=national_rank,
                provenance=provenance,
            )
            return {**_columns_of(made, _table(PerformanceRow)), "inspection_id": inspection_id}
        msf_rank.check("most similar forces rank")
        national_rank.check("national rank")
        return {
            "inspection_id": inspection_id,
            "framework_id": self.spec.id,
            "area_id": area,
            "table_title": row.table,
            "indicator": row.indicator,
            "previous_as_printed": row.previous.printed,
            "previous": row.previous.value,
            "current_as_printed": row.current.printed,
            "current": row.current.value,
            "change_as_printed": row.change.printed,
            "change": row.change.value,
            "change_unit": row.change.unit,
            "msf_average_as_printed": row.msf_average.printed,
            "msf_average": row.msf_average.value,
            "msf_rank_as_printed": msf_rank.printed,
            "msf_rank": msf_rank.position,
            "msf_rank_of": msf_rank.of,
            "msf_rank_tied": msf_rank.tied,
            "national_average_as_printed": row.national_average.printed,
            "national_average": row.national_average.value,
            "national_rank_as_printed": national_rank.printed,
            "national_rank": national_rank.position,
            "national_rank_of": national_rank.of,
            "national_rank_tied": national_rank.tied,
            **provenance_columns(provenance),
        }

    def warning(self, warning: ImportWarning) -> Row:
        """A data-quality warning's row, as :func:`ops.record_import_warning` would make it."""
        return {
            "document_id": self.document_id,
            "code": warning.code,
            "message": warning.message,
            "table_title": warning.table,
            "row": warning.row,
            "column": warning.column,
            "line_start": warning.span.line_start if warning.span else None,
            "line_end": warning.span.line_end if warning.span else None,
        }


TABLES = {
    "inspections": _table(Inspection),
    "judgments": _table(Judgment),
    "findings": _table(Finding),
    "figures": _table(DataFigure),
    "performance_rows": _table(PerformanceRow),
    "warnings": _table(ImportWarningRow),
}
