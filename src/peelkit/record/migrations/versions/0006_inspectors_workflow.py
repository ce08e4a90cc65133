"""The inspectors' workflow: accounts, sessions, throttled sign-ins, the audit log, versions of
corrected inspections, uploads waiting for confirmation, and a version on every editable row.

The audit log is append-only in the database itself: triggers refuse any UPDATE or DELETE of
``audit_event`` (on PostgreSQL, TRUNCATE too), so no route, command or stray SQL can rewrite
history through peelkit's connection.

Tables whose writes change what peelkit shows get the record-version trigger of migration 0005
(accounts, audit events, inspection versions); sign-in bookkeeping (sessions, failures,
pending uploads) does not, so that signing in does not empty every cache.

Names and SQL are written out as they stand at this revision: a migration must not follow later
code.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSIONED = ("inspection", "judgment", "finding", "evidence", "data_figure")
COUNTED = ("account", "audit_event", "inspection_version")
EVENTS = ("insert", "update", "delete")
STAMP = sa.DateTime(timezone=False)


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("disabled_at", STAMP, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "account_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_seen_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP, nullable=True),
        sa.Column("address", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_session_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_session")),
    )
    op.create_index(
        op.f("ix_account_session_account_id"), "account_session", ["account_id"], unique=False
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index(
        "ix_login_failure_scope_key_at", "login_failure", ["scope", "key", "at"], unique=False
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(60), nullable=True),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_object", "audit_event", ["object_type", "object_id"])
    op.create_index(op.f("ix_audit_event_inspection_id"), "audit_event", ["inspection_id"])
    op.create_table(
        "inspection_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("taken_at", STAMP, nullable=False),
        sa.Column("corrected_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_version_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_version")),
        sa.UniqueConstraint("inspection_id", "number", name="uq_inspection_version_number"),
    )
    op.create_index(
        op.f("ix_inspection_version_inspection_id"), "inspection_version", ["inspection_id"]
    )
    op.create_table(
        "pending_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_pending_upload_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_upload")),
        sa.UniqueConstraint("token", name=op.f("uq_pending_upload_token")),
    )
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
    for event in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER audit_event_append_only_{event} BEFORE {event.upper()} "
            "ON audit_event BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or "
            "deleted'); END"
        )


def _postgresql_triggers() -> None:
    for table in COUNTED:
        op.execute(
            "CREATE TRIGGER record_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION peelkit_bump_record_version()'
        )
    op.execute(
        """
        CREATE FUNCTION peelkit_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events cannot be changed or deleted';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION peelkit_audit_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS peelkit_audit_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_event_append_only_{event}")
        for table in COUNTED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS record_version_{table}_{event}")
    for table in (
        "pending_upload",
        "inspection_version",
        "audit_event",
        "login_failure",
        "account_session",
        "account",
    ):
        op.drop_table(table)
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
