"""imported official statistics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 06:38:25.438885
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("publication_id", sa.String(length=60), nullable=False),
        sa.Column("publisher", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("release", sa.Text(), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("licence", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_publication")),
    )
    op.create_table(
        "data_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["publication"],
            ["publication.sha256"],
            name=op.f("fk_data_problem_publication_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_problem")),
    )
    with op.batch_alter_table("data_problem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_problem_publication"), ["publication"], unique=False
        )

    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication", sa.String(length=64), nullable=False),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("force_id", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["force.id"], name=op.f("fk_observation_force_id_force")
        ),
        sa.ForeignKeyConstraint(
            ["publication"],
            ["publication.sha256"],
            name=op.f("fk_observation_publication_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
        sa.UniqueConstraint(
            "publication", "measure", "force_id", "period", name="uq_observation_figure"
        ),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observation_publication"), ["publication"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_publication"))

    op.drop_table("observation")
    with op.batch_alter_table("data_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_problem_publication"))

    op.drop_table("data_problem")
    op.drop_table("publication")
