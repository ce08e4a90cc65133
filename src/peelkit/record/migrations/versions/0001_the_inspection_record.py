"""the inspection record

Revision ID: 0001
Revises:
Create Date: 2026-11-23 05:57:29.400592
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "force",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("ons_code", sa.String(length=9), nullable=True),
        sa.Column("region", sa.String(length=60), nullable=True),
        sa.Column("country", sa.String(length=30), nullable=False),
        sa.Column("territorial", sa.Boolean(), nullable=False),
        sa.Column("in_england_and_wales_totals", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_force")),
    )
    op.create_table(
        "framework",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("programme", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("grade_scale", sa.String(length=40), nullable=True),
        sa.Column("direction_scale", sa.String(length=40), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
    )
    op.create_table(
        "source_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=80), nullable=True),
        sa.Column("publisher", sa.String(length=100), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_document")),
        sa.UniqueConstraint("sha256", name=op.f("uq_source_document_sha256")),
    )
    op.create_table(
        "framework_area",
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("parent_id", sa.String(length=80), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("graded", sa.Boolean(), nullable=False),
        sa.Column("direction", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_area_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("framework_id", "id", name=op.f("pk_framework_area")),
    )
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.String(length=40), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("embargo_until", sa.DateTime(), nullable=True),
        sa.Column("hm_inspector", sa.String(length=200), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_inspection_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["force.id"], name=op.f("fk_inspection_force_id_force")
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["framework.id"], name=op.f("fk_inspection_framework_id_framework")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_force_id"), ["force_id"], unique=False)

    op.create_table(
        "most_similar_peer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("force_id", sa.String(length=40), nullable=False),
        sa.Column("year", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["force.id"], name=op.f("fk_most_similar_peer_force_id_force")
        ),
        sa.ForeignKeyConstraint(
            ["peer_id"], ["force.id"], name=op.f("fk_most_similar_peer_peer_id_force")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_most_similar_peer")),
        sa.UniqueConstraint("force_id", "year", "peer_id", name="uq_most_similar_peer"),
    )
    op.create_table(
        "data_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=True),
        sa.Column("table_title", sa.Text(), nullable=True),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("force_value_as_printed", sa.String(length=60), nullable=True),
        sa.Column("force_value", sa.Float(), nullable=True),
        sa.Column("comparator", sa.String(length=30), nullable=False),
        sa.Column("comparator_label", sa.String(length=200), nullable=True),
        sa.Column("comparator_value_as_printed", sa.String(length=60), nullable=True),
        sa.Column("comparator_value", sa.Float(), nullable=True),
        sa.Column("change_as_printed", sa.String(length=60), nullable=True),
        sa.Column("change", sa.Float(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_data_figure_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "area_id"],
            ["framework_area.framework_id", "framework_area.id"],
            name="fk_data_figure_area_framework_area",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_data_figure_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_figure")),
    )
    with op.batch_alter_table("data_figure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_figure_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=100), nullable=True),
        sa.Column("criteria_results", sa.JSON(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_evidence_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "area_id"],
            ["framework_area.framework_id", "framework_area.id"],
            name="fk_evidence_area_framework_area",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_evidence_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("lead_in", sa.Text(), nullable=True),
        sa.Column("sub_items", sa.JSON(), nullable=False),
        sa.Column("cause_of_concern_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.String(length=200), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["cause_of_concern_id"],
            ["finding.id"],
            name=op.f("fk_finding_cause_of_concern_id_finding"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_finding_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "area_id"],
            ["framework_area.framework_id", "framework_area.id"],
            name="fk_finding_area_framework_area",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_finding_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "judgment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=True),
        sa.Column("grade_as_printed", sa.String(length=80), nullable=True),
        sa.Column("direction", sa.String(length=40), nullable=True),
        sa.Column("direction_as_printed", sa.String(length=80), nullable=True),
        sa.Column("year_last_inspected", sa.String(length=20), nullable=True),
        sa.Column("carried_over", sa.Boolean(), nullable=False),
        sa.Column("previous_grade", sa.String(length=40), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_judgment_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "area_id"],
            ["framework_area.framework_id", "framework_area.id"],
            name="fk_judgment_area_framework_area",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_judgment_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgment")),
        sa.UniqueConstraint("inspection_id", "area_id", name="uq_judgment_inspection_area"),
    )
    with op.batch_alter_table("judgment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judgment_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("judgment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgment_inspection_id"))

    op.drop_table("judgment")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_inspection_id"))

    op.drop_table("finding")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_inspection_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("data_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_figure_inspection_id"))

    op.drop_table("data_figure")
    op.drop_table("most_similar_peer")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_force_id"))

    op.drop_table("inspection")
    op.drop_table("framework_area")
    op.drop_table("source_document")
    op.drop_table("framework")
    op.drop_table("force")
