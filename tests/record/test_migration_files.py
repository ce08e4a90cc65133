"""peelkit reads its migrations' revisions itself (Alembic's script reader is slow to import):
the reading must agree with Alembic's, and the schema check must find what Alembic stores."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

import peelkit.record.database as database
from peelkit.record import revisions


def test_revisions_read_from_the_files_are_alembics() -> None:
    script = ScriptDirectory.from_config(database._alembic_config())
    alembic = {r.revision: r.down_revision for r in script.walk_revisions()}
    assert revisions.migrations() == alembic
    assert revisions.head_revision() == script.get_current_head()
    assert revisions.known_revisions() == frozenset(alembic)


def test_stored_revisions_are_what_an_upgrade_wrote(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    with engine.connect() as connection:
        assert database.schema_revisions(connection) == ()
    database.migrate(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert tuple(stored) == (database.head_revision(),)
        assert database.schema_revisions(connection) == (database.head_revision(),)
    engine.dispose()
