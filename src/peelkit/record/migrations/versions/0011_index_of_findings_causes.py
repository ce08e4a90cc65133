"""an index of the cause of concern a recommendation names

Deleting a finding sets ``cause_of_concern_id`` to null in the recommendations that name it
(``ON DELETE SET NULL``), which both databases do by looking those up; without an index on the
column each look-up read every finding. Clearing a record of 25,800 findings for
``peel load --replace`` took 69 s on SQLite (one full read of the table per finding deleted);
with the index, 0.3 s. Deleting an inspection with many findings gains the same.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 01:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_finding_cause_of_concern_id", "finding", ["cause_of_concern_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_cause_of_concern_id", table_name="finding")
