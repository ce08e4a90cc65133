"""Where an item came from, in the words a report prints: "<document>, lines 12–14",
"entered by J. Smith", or the inspection it belongs to."""

from __future__ import annotations

from collections.abc import Mapping

from peelkit.views.inspections import DocumentView, InspectionView, ProvenanceView


def _span(word: str, start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    if end is None or end == start:
        return f"{word} {start}"
    return f"{word}s {start}–{end}"


def describe_source(
    provenance: ProvenanceView,
    documents: Mapping[int, DocumentView],
    inspection: InspectionView | None = None,
) -> str:
    """ "<document title>, lines x–y", "entered by X", or what the inspection says."""
    document = documents.get(provenance.document or -1)
    if document is not None:
        spans = [
            s
            for s in (
                _span("page", provenance.page_start, provenance.page_end),
                _span("line", provenance.line_start, provenance.line_end),
            )
            if s
        ]
        return ", ".join([document.name, *spans])
    if provenance.entered_by:
        return f"entered by {provenance.entered_by}"
    if inspection is not None:
        if inspection.entered_by:
            return f"entered by {inspection.entered_by} (inspection {inspection.id})"
        return f"inspection {inspection.id} (no source recorded)"
    return "no source recorded"


def describe_inspection(inspection: InspectionView, documents: Mapping[int, DocumentView]) -> str:
    document = documents.get(inspection.document or -1)
    if document is not None:
        return f"{document.name} (inspection {inspection.id})"
    if inspection.title:
        return f"{inspection.title} (inspection {inspection.id})"
    if inspection.entered_by:
        return f"inspection {inspection.id}, entered by {inspection.entered_by}"
    return f"inspection {inspection.id}"
