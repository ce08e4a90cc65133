"""Export the whole record as JSON and load it back.

Export -> load into an empty database -> export gives an identical file: ids are kept, keys and
lists are in a fixed order, and nothing time-dependent is written.

The export reads each table with one query and groups its rows by inspection (no ORM object an
item: a 40,000-item record spent most of its time building them); its text is the standard
library's, written faster (:mod:`peelkit.record.indented_json`). The file is checked whole by
:func:`parse_export` (``peelkit.record.load_checks``) and loaded by
:func:`peelkit.record.exchange_load.load_record`, named here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, delete, func, select
from sqlalchemy.orm import Session

from peelkit.errors import DataFileError
from peelkit.record import indented_json, load_checks, serialise
from peelkit.record.exchange_followup import export_followup
from peelkit.record.exchange_load import load_record as load_record  # what loads a file
from peelkit.record.groups import stored_groups
from peelkit.record.json_reader import kind_of
from peelkit.record.schema import (
    Base,
    DataFigure,
    Evidence,
    Finding,
    FindingLinkRow,
    ImportWarningRow,
    Inspection,
    Judgment,
    MonitoringStatementRow,
    MostSimilarPeer,
    NationalRecommendationRow,
    PccResponseRow,
    PerformanceRow,
    SourceDocument,
    StatusEventRow,
)
from peelkit.record.visibility import public_condition

FORMAT = load_checks.FORMAT
FORMAT_VERSION = 2
# Version 1 had no ``followup`` object; it loads as a record with no follow-up.
READABLE_VERSIONS = load_checks.READABLE_VERSIONS

_TABLES = Base.metadata.tables
_DOCUMENT_TABLE = _TABLES[SourceDocument.__tablename__]
_WARNING_TABLE = _TABLES[ImportWarningRow.__tablename__]
_INSPECTION_TABLE = _TABLES[Inspection.__tablename__]
_JUDGMENT_TABLE = _TABLES[Judgment.__tablename__]
_FINDING_TABLE = _TABLES[Finding.__tablename__]
_EVIDENCE_TABLE = _TABLES[Evidence.__tablename__]
_FIGURE_TABLE = _TABLES[DataFigure.__tablename__]
_PERFORMANCE_TABLE = _TABLES[PerformanceRow.__tablename__]

# --- export -------------------------------------------------------------------------------------

# Each kind of item an inspection holds: its key in the export, its table, and how a row of the
# table's columns (serialise.*_COLUMNS) is written.
_ITEMS: tuple[
    tuple[str, Table, tuple[str, ...], Callable[[Sequence[Any]], dict[str, Any]]], ...
] = (
    ("judgments", _JUDGMENT_TABLE, serialise.JUDGMENT_COLUMNS, serialise.judgment_values),
    ("findings", _FINDING_TABLE, serialise.FINDING_COLUMNS, serialise.finding_values),
    ("evidence", _EVIDENCE_TABLE, serialise.EVIDENCE_COLUMNS, serialise.evidence_values),
    ("figures", _FIGURE_TABLE, serialise.FIGURE_COLUMNS, serialise.figure_values),
    (
        "performance_table",
        _PERFORMANCE_TABLE,
        serialise.PERFORMANCE_ROW_COLUMNS,
        serialise.performance_row_values,
    ),
)


def export_record(session: Session, public_at: dt.datetime | None = None) -> dict[str, Any]:
    """The whole record; with ``public_at``, only the inspections the public may see then
    (published, out of embargo) and the documents they cite (the open-data ``record.json``).

    One query a table: each kind of item is read whole (or for the public inspections only),
    ordered by inspection and id, and written as it is read."""
    documents = list(session.scalars(select(SourceDocument).order_by(SourceDocument.id)))
    warnings: dict[int, list[ImportWarningRow]] = {}
    for warning in session.scalars(select(ImportWarningRow).order_by(ImportWarningRow.id)):
        warnings.setdefault(warning.document_id, []).append(warning)
    query = select(*(_INSPECTION_TABLE.c[name] for name in serialise.INSPECTION_COLUMNS))
    public: Select[Any] | None = None
    if public_at is not None:
        query = query.where(public_condition(public_at))
        public = select(Inspection.id).where(public_condition(public_at))
    items = {
        key: _items_by_inspection(session, table, columns, write, public)
        for key, table, columns, write in _ITEMS
    }
    inspections = [
        serialise.inspection_values(
            row,
            judgments=items["judgments"].get(row.id) or [],
            findings=items["findings"].get(row.id) or [],
            evidence=items["evidence"].get(row.id) or [],
            figures=items["figures"].get(row.id) or [],
            performance_table=items["performance_table"].get(row.id) or [],
        )
        for row in session.execute(query.order_by(_INSPECTION_TABLE.c.id))
    ]
    followup, followup_documents = export_followup(
        session, public_at, {i["id"] for i in inspections}
    )
    if public_at is not None:
        cited = _cited_documents(inspections) | followup_documents
        documents = [d for d in documents if d.id in cited]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "documents": [serialise.document(d, warnings.get(d.id)) for d in documents],
        "inspections": inspections,
        "most_similar_groups": [serialise.group(g) for g in stored_groups(session)],
        "followup": followup,
    }


def _items_by_inspection(
    session: Session,
    table: Table,
    columns: tuple[str, ...],
    write: Callable[[Sequence[Any]], dict[str, Any]],
    public: Select[Any] | None,
) -> dict[int, list[dict[str, Any]]]:
    """Every item of ``table`` written, by inspection id, each inspection's in id order."""
    query = select(table.c.inspection_id, *(table.c[name] for name in columns))
    if public is not None:
        query = query.where(table.c.inspection_id.in_(public))
    found: dict[int, list[dict[str, Any]]] = {}
    inspection_id = None
    written: list[dict[str, Any]] = []
    for row in session.execute(query.order_by(table.c.inspection_id, table.c.id)):
        if row[0] != inspection_id:
            inspection_id = row[0]
            written = found[inspection_id] = []
        written.append(write(row[1:]))
    return found


def _cited_documents(inspections: list[dict[str, Any]]) -> set[int]:
    """The documents an exported inspection or any of its items names as its source."""
    cited: set[int] = set()
    for inspection in inspections:
        cited.add(inspection["document"])
        for key, *_ in _ITEMS:
            cited.update(item["provenance"]["document"] for item in inspection[key])
    cited.discard(None)
    return cited


def dumps(record: dict[str, Any]) -> str:
    """The export's text: ``json.dumps(record, indent=2, ensure_ascii=False)`` and a new line
    (written by :mod:`peelkit.record.indented_json`, the same text faster)."""
    return indented_json.dumps(record) + "\n"


def record_size(session: Session) -> int:
    """How many inspections, documents and stored group peers the database holds."""
    total = 0
    for table in (Inspection, SourceDocument, MostSimilarPeer):
        total += session.scalar(select(func.count()).select_from(table)) or 0
    return total


def clear_record(session: Session) -> None:
    for followup_table in (
        StatusEventRow,
        FindingLinkRow,
        PccResponseRow,
        MonitoringStatementRow,
        NationalRecommendationRow,
    ):
        session.execute(delete(followup_table))
    for table in (DataFigure, Evidence, Judgment, PerformanceRow, ImportWarningRow):
        session.execute(delete(table))
    session.execute(delete(Finding).where(Finding.cause_of_concern_id.is_not(None)))
    session.execute(delete(Finding))
    session.execute(delete(Inspection))
    session.execute(delete(SourceDocument))
    session.execute(delete(MostSimilarPeer))
    session.flush()


# --- load ---------------------------------------------------------------------------------------


def parse_export(path: Path) -> dict[str, Any]:
    """The export in ``path``, checked whole before anything is written (``load_checks``: the
    JSON itself, the JSON Schema ``export.schema.json``, ids and references): a file refused
    here or by :func:`load_record` loads nothing."""
    try:
        text_value = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(path.name, "", "is not UTF-8 text") from None
    document = load_checks.parse(text_value, path.name)
    if not isinstance(document, dict):
        raise DataFileError(path.name, "", f"expected a JSON object, found {kind_of(document)}")
    load_checks.check_export(document, path.name)
    return document
