"""full-text search over findings, and the record's change counter

Findings get a full-text index kept in step with the ``finding`` table by triggers, so every
write path (report import, grades load, ``peel load``, entries by hand, deleting an inspection
and its cascade) keeps it right without code of its own:

- SQLite: an FTS5 table ``finding_search`` (Porter stemming over the unicode61 tokenizer,
  diacritics folded) whose rowid is the finding's id, with the columns ``text``, ``sub_items``
  (the items' text, decoded from JSON), ``lead_in``, ``heading`` and ``cause`` (for a
  recommendation, the text of the cause of concern it answers).
- PostgreSQL: a ``tsvector`` column ``finding.search_vector`` (English configuration) set by a
  trigger before every insert or update, the same fields weighted A (text, sub-items), B
  (lead-in), C (heading) and D (cause of concern), with a GIN index.

A recommendation is re-indexed when the text of its cause of concern changes, and when the
cause is deleted (the foreign key sets it to null, which is an update).

``record_version`` holds one row whose ``version`` every write to a record or reference table
increases (a trigger on each table, per row on SQLite, per statement on PostgreSQL), so that
caches in several server processes can tell when anything changed. A table added by a later
migration needs its own trigger there (tests/record/test_search_index.py checks every table
has one).

The table list and the SQL are written out as they stand at this revision: a migration must not
follow later code.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Every table at this revision whose writes change what the record says.
TABLES = (
    "force",
    "framework",
    "framework_area",
    "source_document",
    "inspection",
    "judgment",
    "finding",
    "evidence",
    "data_figure",
    "performance_row",
    "import_warning",
    "most_similar_peer",
    "publication",
    "observation",
    "data_problem",
)
EVENTS = ("insert", "update", "delete")
FTS_COLUMNS = ("text", "sub_items", "lead_in", "heading", "cause")


def upgrade() -> None:
    op.create_table(
        "record_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
    )
    op.execute("INSERT INTO record_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search()
        _postgresql_version()
    else:
        _sqlite_search()
        _sqlite_version()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS record_version_bump ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS peelkit_bump_record_version()")
        op.execute("DROP TRIGGER IF EXISTS finding_search_causes ON finding")
        op.execute("DROP TRIGGER IF EXISTS finding_search_vector ON finding")
        op.execute("DROP FUNCTION IF EXISTS peelkit_finding_search_causes()")
        op.execute("DROP FUNCTION IF EXISTS peelkit_finding_search_vector()")
        op.drop_index("ix_finding_search_vector", table_name="finding")
        op.drop_column("finding", "search_vector")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS record_version_{table}_{event}")
        for trigger in ("insert", "update", "causes", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS finding_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS finding_search")
    op.drop_table("record_version")


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_row(alias: str) -> str:
    """The values indexed for the finding ``alias`` (``NEW`` in a trigger, ``f`` in a query)."""
    sub_items = (
        f"CASE WHEN json_valid({alias}.sub_items) "
        f"THEN (SELECT group_concat(item.value, ' ') FROM json_each({alias}.sub_items) AS item) "
        f"ELSE {alias}.sub_items END"
    )
    cause = f"(SELECT c.text FROM finding AS c WHERE c.id = {alias}.cause_of_concern_id)"
    return (
        f"{alias}.id, coalesce({alias}.text, ''), coalesce({sub_items}, ''), "
        f"coalesce({alias}.lead_in, ''), coalesce({alias}.heading, ''), coalesce({cause}, '')"
    )


def _sqlite_search() -> None:
    columns = ", ".join(FTS_COLUMNS)
    insert = f"INSERT INTO finding_search (rowid, {columns})"
    op.execute(
        f"CREATE VIRTUAL TABLE finding_search USING fts5({columns}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER finding_search_insert AFTER INSERT ON finding BEGIN "
        f"{insert} SELECT {_sqlite_row('NEW')}; END"
    )
    op.execute(
        "CREATE TRIGGER finding_search_update AFTER UPDATE OF "
        "id, text, sub_items, lead_in, heading, cause_of_concern_id ON finding BEGIN "
        "DELETE FROM finding_search WHERE rowid = OLD.id; "
        f"{insert} SELECT {_sqlite_row('NEW')}; END"
    )
    # A recommendation is found by its cause of concern's words too: follow the cause's text.
    op.execute(
        "CREATE TRIGGER finding_search_causes AFTER UPDATE OF text ON finding "
        "WHEN OLD.text IS NOT NEW.text BEGIN "
        "DELETE FROM finding_search WHERE rowid IN "
        "(SELECT id FROM finding WHERE cause_of_concern_id = NEW.id); "
        f"{insert} SELECT {_sqlite_row('f')} FROM finding AS f "
        "WHERE f.cause_of_concern_id = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER finding_search_delete AFTER DELETE ON finding BEGIN "
        "DELETE FROM finding_search WHERE rowid = OLD.id; END"
    )
    op.execute(f"{insert} SELECT {_sqlite_row('f')} FROM finding AS f ORDER BY f.id")


def _sqlite_version() -> None:
    for table in TABLES:
        for event in EVENTS:
            op.execute(
                f'CREATE TRIGGER record_version_{table}_{event} AFTER {event.upper()} ON "{table}" '
                "BEGIN UPDATE record_version SET version = version + 1 WHERE id = 1; END"
            )


# --- PostgreSQL -------------------------------------------------------------------------------


def _postgresql_search() -> None:
    op.execute("ALTER TABLE finding ADD COLUMN search_vector tsvector")
    op.execute(
        """
        CREATE FUNCTION peelkit_finding_search_vector() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector :=
                setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
                || setweight(to_tsvector('english', coalesce(NEW.sub_items, CAST('[]' AS json))),
                             'A')
                || setweight(to_tsvector('english', coalesce(NEW.lead_in, '')), 'B')
                || setweight(to_tsvector('english', coalesce(NEW.heading, '')), 'C')
                || setweight(to_tsvector('english', coalesce(
                       (SELECT c.text FROM finding AS c WHERE c.id = NEW.cause_of_concern_id),
                       '')), 'D');
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER finding_search_vector BEFORE INSERT OR UPDATE OF "
        "text, sub_items, lead_in, heading, cause_of_concern_id ON finding "
        "FOR EACH ROW EXECUTE FUNCTION peelkit_finding_search_vector()"
    )
    # Touching cause_of_concern_id re-runs the trigger above on the cause's recommendations.
    op.execute(
        """
        CREATE FUNCTION peelkit_finding_search_causes() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE finding SET cause_of_concern_id = cause_of_concern_id
            WHERE cause_of_concern_id = NEW.id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER finding_search_causes AFTER UPDATE OF text ON finding FOR EACH ROW "
        "WHEN (OLD.text IS DISTINCT FROM NEW.text) "
        "EXECUTE FUNCTION peelkit_finding_search_causes()"
    )
    op.execute("UPDATE finding SET cause_of_concern_id = cause_of_concern_id")
    op.execute("CREATE INDEX ix_finding_search_vector ON finding USING gin (search_vector)")


def _postgresql_version() -> None:
    op.execute(
        """
        CREATE FUNCTION peelkit_bump_record_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE record_version SET version = version + 1 WHERE id = 1;
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            "CREATE TRIGGER record_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION peelkit_bump_record_version()'
        )
