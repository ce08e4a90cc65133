"""a source document's text checksum

``source_document.text_sha256``: the SHA-256 of the document's normalised text (NFC, ligatures
spelt out, soft hyphens dropped, white space runs as one space), beside the checksum of its
bytes. A copy of an imported document in another encoding, line ending or format (the PDF of
an imported text) has the same text checksum and is "already imported". Indexed, not unique:
``peel import --again`` may store a second document with the same text.

Existing rows get NULL: their text is not kept, so it cannot be checksummed now (such a
document is still recognised by its bytes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("source_document", sa.Column("text_sha256", sa.String(64), nullable=True))
    op.create_index(
        op.f("ix_source_document_text_sha256"), "source_document", ["text_sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_source_document_text_sha256"), table_name="source_document")
    with op.batch_alter_table("source_document") as batch:
        batch.drop_column("text_sha256")
