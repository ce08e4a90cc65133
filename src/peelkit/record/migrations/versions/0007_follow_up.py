"""Follow-up: lineage between findings, status histories, national recommendations, PCC
responses and monitoring statements; a flag on findings.

Status events are append-only in the database itself: triggers refuse any UPDATE of
``status_event`` (rows go only with the finding they belong to). Every new table gets the
record-version trigger of migration 0005: all of them change what peelkit shows.

Names and SQL are written out as they stand at this revision: a migration must not follow later
code.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COUNTED = (
    "finding_link",
    "national_recommendation",
    "status_event",
    "pcc_response",
    "monitoring_statement",
)
EVENTS = ("insert", "update", "delete")
STAMP = sa.DateTime(timezone=False)


def _document(table: str) -> list[sa.Column[object]]:
    return [
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
    ]


def _document_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"],
        ["source_document.id"],
        name=op.f(f"fk_{table}_document_id_source_document"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    op.add_column("finding", sa.Column("flag", sa.Text(), nullable=True))
    op.create_table(
        "finding_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.String(40), nullable=False),
        sa.Column("earlier_id", sa.Integer(), nullable=False),
        sa.Column("later_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        *_document("finding_link"),
        sa.Column("entered_by", sa.String(100), nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", STAMP, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["force.id"], name=op.f("fk_finding_link_force_id_force")
        ),
        sa.ForeignKeyConstraint(
            ["earlier_id"],
            ["finding.id"],
            name=op.f("fk_finding_link_earlier_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["later_id"],
            ["finding.id"],
            name=op.f("fk_finding_link_later_id_finding"),
            ondelete="CASCADE",
        ),
        _document_key("finding_link"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_link")),
        sa.UniqueConstraint("earlier_id", "later_id", name="uq_finding_link_pair"),
    )
    for column in ("force_id", "earlier_id", "later_id"):
        op.create_index(op.f(f"ix_finding_link_{column}"), "finding_link", [column])
    op.create_table(
        "national_recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("framework_id", sa.String(40), nullable=True),
        sa.Column("inspection_title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("deadline", sa.String(200), nullable=True),
        sa.Column("addressed_to", sa.String(100), nullable=False),
        sa.Column("made", sa.Date(), nullable=True),
        *_document("national_recommendation"),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_national_recommendation_framework_id_framework"),
        ),
        _document_key("national_recommendation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_recommendation")),
        sa.UniqueConstraint("reference", name=op.f("uq_national_recommendation_reference")),
    )
    op.create_table(
        "status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("national_recommendation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(30), nullable=True),
        sa.Column("status_as_printed", sa.String(100), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        *_document("status_event"),
        sa.Column("entered_by", sa.String(100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_status_event_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["national_recommendation_id"],
            ["national_recommendation.id"],
            name=op.f("fk_status_event_national_recommendation_id_national_recommendation"),
            ondelete="CASCADE",
        ),
        _document_key("status_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_event")),
    )
    op.create_index(op.f("ix_status_event_finding_id"), "status_event", ["finding_id"])
    op.create_index(
        op.f("ix_status_event_national_recommendation_id"),
        "status_event",
        ["national_recommendation_id"],
    )
    op.create_table(
        "pcc_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("responded", sa.Date(), nullable=True),
        sa.Column("stated_deadline", sa.Date(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        *_document("pcc_response"),
        sa.Column("entered_by", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_pcc_response_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        _document_key("pcc_response"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pcc_response")),
    )
    op.create_index(op.f("ix_pcc_response_inspection_id"), "pcc_response", ["inspection_id"])
    op.create_table(
        "monitoring_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        *_document("monitoring_statement"),
        sa.Column("entered_by", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["force_id"], ["force.id"], name=op.f("fk_monitoring_statement_force_id_force")
        ),
        _document_key("monitoring_statement"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_statement")),
        sa.UniqueConstraint(
            "force_id", "stage", "date", "document_id", name="uq_monitoring_statement"
        ),
    )
    op.create_index(op.f("ix_monitoring_statement_force_id"), "monitoring_statement", ["force_id"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for table in COUNTED:
        for event in EVENTS:
            op.execute(
                f'CREATE TRIGGER record_version_{table}_{event} AFTER {event.upper()} ON "{table}" '
                "BEGIN UPDATE record_version SET version = version + 1 WHERE id = 1; END"
            )
    op.execute(
        "CREATE TRIGGER status_event_append_only_update BEFORE UPDATE ON status_event "
        "BEGIN SELECT RAISE(ABORT, 'status events cannot be changed'); END"
    )


def _postgresql_triggers() -> None:
    for table in COUNTED:
        op.execute(
            "CREATE TRIGGER record_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION peelkit_bump_record_version()'
        )
    op.execute(
        """
        CREATE FUNCTION peelkit_status_event_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'status events cannot be changed';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER status_event_append_only BEFORE UPDATE "
        "ON status_event FOR EACH STATEMENT EXECUTE FUNCTION peelkit_status_event_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS status_event_append_only ON status_event")
        op.execute("DROP FUNCTION IF EXISTS peelkit_status_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS status_event_append_only_update")
        for table in COUNTED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS record_version_{table}_{event}")
    for table in reversed(COUNTED):
        op.drop_table(table)
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("flag")
