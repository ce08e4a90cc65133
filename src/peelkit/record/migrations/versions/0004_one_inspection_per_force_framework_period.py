"""one inspection per force, framework and period

Judgments gain ``shown`` and ``shown_reason``: an area may hold one judgment per source document
(a report and the grades CSV), exactly one of them shown. Inspections of one force, framework
and period that earlier versions kept apart (a report's and the grades CSV's) are merged into
one: the one with a report document survives (else the lowest id), everything the others held
moves into it, and the emptied inspections are deleted.

The precedence is written out here as it stood at this revision (the operations module may
change later; a migration must not): a grade beats none; then a person's entry, a report, a
transcribed table (any other document); then the inspection's own document; then the lowest id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from peelkit.errors import DatabaseError, PeelkitError
from peelkit.frameworks import load_framework

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REPORT_MEDIA_TYPES = ("text/plain", "application/pdf", "text/html")
KINDS = ("hand-entered", "report", "transcribed table")
BEATS = {
    (0, 1): "a person's entry beats a report",
    (0, 2): "a person's entry beats a transcribed table",
    (1, 2): "a report beats a transcribed table",
}
ITEM_TABLES = ("judgment", "finding", "evidence", "data_figure", "performance_row")


def upgrade() -> None:
    connection = op.get_bind()
    documents = {
        row.id: row
        for row in connection.execute(
            sa.text("SELECT id, media_type, filename, title FROM source_document")
        )
    }
    # Plan (and refuse) before changing anything: SQLite runs some DDL outside the transaction.
    merges = _plan_merges(connection, documents)
    with op.batch_alter_table("judgment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shown", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("shown_reason", sa.Text(), nullable=True))
        batch_op.drop_constraint("uq_judgment_inspection_area", type_="unique")
        batch_op.create_unique_constraint(
            "uq_judgment_inspection_area_document", ["inspection_id", "area_id", "document_id"]
        )
    for survivor, others in merges:
        _merge(connection, survivor.id, others)
        _choose_shown(connection, survivor, documents)
    op.create_index(
        "uq_inspection_force_framework_period",
        "inspection",
        ["force_id", "framework_id", "period"],
        unique=True,
    )
    op.create_index(
        "uq_judgment_inspection_area_shown",
        "judgment",
        ["inspection_id", "area_id"],
        unique=True,
        sqlite_where=sa.text("shown"),
        postgresql_where=sa.text("shown"),
    )


def _is_report(document: Any) -> bool:
    if document is None:
        return False
    filename = (document.filename or "").lower()
    return document.media_type in REPORT_MEDIA_TYPES and not filename.endswith(".csv")


def _plan_merges(
    connection: sa.Connection, documents: dict[int, Any]
) -> list[tuple[Any, list[int]]]:
    """Each group of inspections of one force, framework and period: its survivor (the one
    with a report document, else the lowest id) and the ids of the others."""
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in connection.execute(
        sa.text(
            "SELECT id, force_id, framework_id, period, document_id FROM inspection ORDER BY id"
        )
    ):
        groups[(row.force_id, row.framework_id, row.period)].append(row)
    merges = []
    for (force, framework, period), members in groups.items():
        if len(members) < 2:
            continue
        survivor = next((m for m in members if _is_report(documents.get(m.document_id))), None)
        survivor = survivor or members[0]
        held: dict[tuple[str, int], int] = {}
        for row in connection.execute(
            sa.text(
                "SELECT inspection_id, area_id, document_id FROM judgment "
                "WHERE inspection_id IN :ids AND document_id IS NOT NULL ORDER BY id"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": [m.id for m in members]},
        ):
            earlier = held.setdefault((row.area_id, row.document_id), row.inspection_id)
            if earlier != row.inspection_id:
                raise DatabaseError(
                    f"cannot merge inspections {earlier} and {row.inspection_id} ({force} "
                    f"{framework} {period}): both hold a judgment on area {row.area_id} from "
                    f"document {row.document_id}; delete one of them, then open the database "
                    "again"
                )
        merges.append((survivor, [m.id for m in members if m.id != survivor.id]))
    return merges


def _merge(connection: sa.Connection, survivor: int, others: list[int]) -> None:
    """Move everything the others hold into the survivor; delete the emptied inspections."""
    ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    for table in ITEM_TABLES:
        connection.execute(
            sa.text(
                f"UPDATE {table} SET inspection_id = :survivor WHERE inspection_id IN :ids"
            ).bindparams(ids),
            {"survivor": survivor, "ids": others},
        )
    connection.execute(
        sa.text("DELETE FROM inspection WHERE id IN :ids").bindparams(ids), {"ids": others}
    )


def _label(framework_id: str, grade: str | None, printed: str | None) -> str:
    if grade is None:
        return "no grade"
    try:
        scale = load_framework(framework_id).grade_scale
    except PeelkitError:  # a framework file gone since: the printed grade, else the id
        scale = None
    value = scale.find(grade) if scale is not None else None
    return value.label if value is not None else (printed or grade)


def _source(judgment: Any, documents: dict[int, Any]) -> str:
    document = documents.get(judgment.document_id)
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


def _choose_shown(connection: sa.Connection, inspection: Any, documents: dict[int, Any]) -> None:
    """Mark one judgment of each area of the merged inspection shown, and say why."""
    by_area: dict[str, list[Any]] = defaultdict(list)
    for row in connection.execute(
        sa.text(
            "SELECT id, framework_id, area_id, grade, grade_as_printed, document_id, entered_by, "
            "line_start, line_end, page_start, page_end FROM judgment "
            "WHERE inspection_id = :inspection ORDER BY id"
        ),
        {"inspection": inspection.id},
    ):
        by_area[row.area_id].append(row)

    def order(judgment: Any) -> tuple[bool, int, bool, int]:
        if judgment.document_id is None or judgment.entered_by:
            kind = 0
        else:
            kind = 1 if _is_report(documents.get(judgment.document_id)) else 2
        own = judgment.document_id is not None and judgment.document_id == inspection.document_id
        return (judgment.grade is None, kind, not own, judgment.id)

    def rule(shown: Any, other: Any) -> str:
        mine, theirs = order(shown), order(other)
        if mine[0] != theirs[0]:
            return "a grade beats none"
        if mine[1] != theirs[1]:
            return BEATS[(mine[1], theirs[1])]
        if mine[2] != theirs[2]:
            return "the inspection's own report beats another report's table"
        return "the first source recorded stays shown"

    update = sa.text("UPDATE judgment SET shown = :shown, shown_reason = :reason WHERE id = :id")
    for judgments in by_area.values():
        if len(judgments) < 2:
            continue
        best, *others = sorted(judgments, key=order)

        def label(judgment: Any) -> str:
            return _label(judgment.framework_id, judgment.grade, judgment.grade_as_printed)

        for other in others:
            reason = (
                f"{rule(best, other)}: {_source(best, documents)} grades this area {label(best)}"
            )
            connection.execute(update, {"shown": False, "reason": reason, "id": other.id})
        reason = "; ".join(
            f"{rule(best, other)}: shown over {_source(other, documents)}, "
            + (
                "which agrees"
                if other.grade == best.grade
                else f"which grades this area {label(other)}"
            )
            for other in others
        )
        connection.execute(update, {"shown": True, "reason": reason, "id": best.id})


def downgrade() -> None:
    connection = op.get_bind()
    several = connection.execute(
        sa.text(
            "SELECT inspection_id, area_id FROM judgment GROUP BY inspection_id, area_id "
            "HAVING COUNT(*) > 1"
        )
    ).first()
    if several is not None:
        raise DatabaseError(
            f"cannot downgrade: inspection {several.inspection_id} has several judgments on area "
            f"{several.area_id} (one per source); the earlier schema holds one"
        )
    op.drop_index("uq_judgment_inspection_area_shown", table_name="judgment")
    op.drop_index("uq_inspection_force_framework_period", table_name="inspection")
    with op.batch_alter_table("judgment", schema=None) as batch_op:
        batch_op.drop_constraint("uq_judgment_inspection_area_document", type_="unique")
        batch_op.create_unique_constraint(
            "uq_judgment_inspection_area", ["inspection_id", "area_id"]
        )
        batch_op.drop_column("shown_reason")
        batch_op.drop_column("shown")
