"""where an imported grade was read; the counts a document states

``judgment.read_from``: ``box`` (a grade printed on its own: a grade box, a grade line, a
summary table's cell) or ``sentence`` (stated in a summary sentence or a press release). Between
two reports' judgments of one area, a box beats a sentence.

``source_document.stated_counts``: the counts of judgments a document states (a 2021–25
report's "graded judgments in eight of these nine", a press release's areas per grade), JSON.

Existing rows get NULL ("not known"): which of them a reader took from a sentence was not kept,
and re-importing the document (``peel import --again``) records it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("judgment", sa.Column("read_from", sa.String(20), nullable=True))
    op.add_column("source_document", sa.Column("stated_counts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_document") as batch:
        batch.drop_column("stated_counts")
    with op.batch_alter_table("judgment") as batch:
        batch.drop_column("read_from")
