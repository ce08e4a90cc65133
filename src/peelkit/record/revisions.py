"""The schema revisions this peelkit knows, read from its migration files (no SQLAlchemy or
Alembic imported: a command that only looks at a record's revision stays light).

Alembic's own script reader costs a third of a second of a command's start-up; a test checks
that the two agree (tests/record/test_migration_files.py).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|None)', re.M)


@cache
def migrations() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the migration files'
    ``revision = "..."`` and ``down_revision = ...`` lines."""
    folder = Path(str(resources.files("peelkit.record") / "migrations" / "versions"))
    found: dict[str, str | None] = {}
    for path in sorted(folder.glob("*.py")):
        lines = dict(
            (name, value or None) for name, value in _REVISION_LINE.findall(path.read_text("utf-8"))
        )
        revision = lines.get("revision")
        if revision:
            found[revision] = lines.get("down_revision")
    return found


@cache
def head_revision() -> str:
    """The newest revision: the one no other migration follows."""
    followed = {down for down in migrations().values() if down}
    heads = [revision for revision in migrations() if revision not in followed]
    assert len(heads) == 1, heads
    return heads[0]


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this peelkit has a migration for."""
    return frozenset(migrations())
