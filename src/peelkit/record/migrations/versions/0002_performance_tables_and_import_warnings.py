"""performance tables and import warnings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 06:18:33.571377
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("table_title", sa.Text(), nullable=True),
        sa.Column("row", sa.Text(), nullable=True),
        sa.Column("column", sa.Text(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_import_warning_document_id_source_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_warning")),
    )
    with op.batch_alter_table("import_warning", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_warning_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "performance_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=80), nullable=True),
        sa.Column("table_title", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("previous_as_printed", sa.String(length=60), nullable=True),
        sa.Column("previous", sa.Float(), nullable=True),
        sa.Column("current_as_printed", sa.String(length=60), nullable=True),
        sa.Column("current", sa.Float(), nullable=True),
        sa.Column("change_as_printed", sa.String(length=60), nullable=True),
        sa.Column("change", sa.Float(), nullable=True),
        sa.Column("change_unit", sa.String(length=20), nullable=True),
        sa.Column("msf_average_as_printed", sa.String(length=60), nullable=True),
        sa.Column("msf_average", sa.Float(), nullable=True),
        sa.Column("msf_rank_as_printed", sa.String(length=60), nullable=True),
        sa.Column("msf_rank", sa.Integer(), nullable=True),
        sa.Column("msf_rank_of", sa.Integer(), nullable=True),
        sa.Column("msf_rank_tied", sa.Boolean(), nullable=False),
        sa.Column("national_average_as_printed", sa.String(length=60), nullable=True),
        sa.Column("national_average", sa.Float(), nullable=True),
        sa.Column("national_rank_as_printed", sa.String(length=60), nullable=True),
        sa.Column("national_rank", sa.Integer(), nullable=True),
        sa.Column("national_rank_of", sa.Integer(), nullable=True),
        sa.Column("national_rank_tied", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_document.id"],
            name=op.f("fk_performance_row_document_id_source_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id", "area_id"],
            ["framework_area.framework_id", "framework_area.id"],
            name="fk_performance_row_area_framework_area",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_performance_row_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_row")),
    )
    with op.batch_alter_table("performance_row", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_performance_row_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("performance_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_performance_row_inspection_id"))

    op.drop_table("performance_row")
    with op.batch_alter_table("import_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_warning_document_id"))

    op.drop_table("import_warning")
