"""Reading and importing published reports and the grades CSV, as typed views: the parsed
document of ``peel import --dry-run`` and the results of ``peel import`` and ``peel grades
load``. Shapes in docs/json-output.md.

The parsed judgments, findings, figures and performance rows are the report readers' own plain
data (:mod:`peelkit.reportimport.model`), shown as they are; the view gives them their documented
order and adds what the command's table prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peelkit.errors import Location
from peelkit.reportimport.model import (
    DetectionSignal,
    ImportWarning,
    ParsedDocument,
    ParsedFigure,
    ParsedFinding,
    ParsedJudgment,
    PerformanceRow,
    SourceInfo,
    Span,
)

if TYPE_CHECKING:
    from peelkit.record.grades_csv import GradesLoadResult
    from peelkit.reportimport.store import ImportResult


@dataclass(frozen=True)
class ParsedHeaderView:
    """What the document is: its force, framework, title, dates and source file."""

    force: str
    framework: str
    title: str | None
    published: str | None
    period: str | None
    hm_inspector: str | None
    most_similar_group: tuple[str, ...]
    source: SourceInfo


@dataclass(frozen=True)
class ParsedWarningView:
    """A data-quality problem the document itself has, with the lines it is on."""

    code: str
    message: str
    table: str | None
    row: str | None
    column: str | None
    span: Span | None
    severity: str
    location: Location

    @classmethod
    def of(cls, value: ImportWarning) -> ParsedWarningView:
        return cls(
            code=value.code,
            message=value.message,
            table=value.table,
            row=value.row,
            column=value.column,
            span=value.span,
            severity=value.severity,
            location=value.location,
        )

    @property
    def where(self) -> str:
        """``table, row, column`` (those printed), as the import's table shows them."""
        return ", ".join(p for p in (self.table, self.row, self.column) if p)


@dataclass(frozen=True)
class ParsedDocumentView:
    """What a report holds, as read; nothing stored (``peel import --dry-run``)."""

    document: ParsedHeaderView
    judgments: tuple[ParsedJudgment, ...]
    findings: tuple[ParsedFinding, ...]
    figures: tuple[ParsedFigure, ...]
    performance_table: tuple[PerformanceRow, ...]
    warnings: tuple[ParsedWarningView, ...]
    not_found: tuple[str, ...]
    stated_counts: Mapping[str, Any] | None  # StatedCounts.to_json(): the counts it states
    detected_by: tuple[DetectionSignal, ...]

    @classmethod
    def of(cls, parsed: ParsedDocument) -> ParsedDocumentView:
        return cls(
            document=ParsedHeaderView(
                force=parsed.force,
                framework=parsed.framework,
                title=parsed.title,
                published=parsed.published.isoformat() if parsed.published else None,
                period=parsed.period,
                hm_inspector=parsed.hm_inspector,
                most_similar_group=tuple(parsed.most_similar_group),
                source=parsed.source,
            ),
            judgments=tuple(parsed.judgments),
            findings=tuple(parsed.findings),
            figures=tuple(parsed.figures),
            performance_table=tuple(parsed.performance_table),
            warnings=tuple(ParsedWarningView.of(w) for w in parsed.warnings),
            not_found=tuple(parsed.not_found),
            stated_counts=parsed.stated_counts.to_json() if parsed.stated_counts else None,
            detected_by=tuple(parsed.detected_by),
        )

    @property
    def own_judgments(self) -> tuple[ParsedJudgment, ...]:
        """The judgments of the document's force (the 2005 national table grades all 43)."""
        return tuple(j for j in self.judgments if j.force in (None, self.document.force))

    @property
    def finding_kinds(self) -> dict[str, int]:
        """How many findings of each kind, in the order they first appear."""
        kinds: dict[str, int] = {}
        for finding in self.findings:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
        return kinds


@dataclass(frozen=True)
class ImportResultView:
    """What ``peel import`` did with one file.

    ``disagreements`` are the grades that differ from another source's for the same area (the
    record keeps both and shows one). ``_parsed`` is the document as read, for the command's
    table; it is not part of the JSON.
    """

    file: str
    document: int
    already_imported: bool
    inspections: tuple[int, ...]
    force: str
    framework: str
    counts: Mapping[str, int]
    warnings: tuple[str, ...]
    not_found: tuple[str, ...]
    disagreements: tuple[str, ...]
    detected_by: tuple[DetectionSignal, ...]
    _parsed: ParsedDocumentView

    @classmethod
    def of(cls, parsed: ParsedDocument, result: ImportResult) -> ImportResultView:
        return cls(
            file=result.filename,
            document=result.document_id,
            already_imported=result.already_imported,
            inspections=tuple(result.inspections),
            force=parsed.force,
            framework=parsed.framework,
            counts=dict(result.counts),
            warnings=tuple(w.message for w in parsed.warnings),
            not_found=tuple(parsed.not_found),
            disagreements=tuple(result.warnings),
            detected_by=tuple(parsed.detected_by),
            _parsed=ParsedDocumentView.of(parsed),
        )

    @property
    def parsed(self) -> ParsedDocumentView:
        return self._parsed


@dataclass(frozen=True)
class GradesLoadView:
    """What ``peel grades load`` did with the grades CSV."""

    file: str
    document: int
    already_loaded: bool
    inspections: int
    judgments: int
    disagreements: tuple[str, ...]

    @classmethod
    def of(cls, file: str, result: GradesLoadResult) -> GradesLoadView:
        return cls(
            file=file,
            document=result.document_id,
            already_loaded=result.already_loaded,
            inspections=result.inspections,
            judgments=result.judgments,
            disagreements=tuple(result.warnings),
        )
