"""Whether a record adds anything to the statistics, told by a quick read-only look (no
SQLAlchemy imported), so that ``peel indicators`` on a record that holds only inspections
starts as fast as with no record at all.

A record adds to the embedded statistics only its imported publications' figures
(``observation``) and its own most similar groups (``most_similar_peer``, which a report's
import fills with the group the report prints); with no figure, and no group other than the
shipped group of its force and year (the same peers in the same order), the statistics are the
embedded dataset's and the shipped groups', exactly as with no record. The look answers "adds
nothing" only when it can be sure: a SQLite file of this peelkit's newest schema revision,
undamaged (``PRAGMA quick_check``), holding no such row. Anything
else (PostgreSQL, an older or newer revision, another program's file, a damaged or locked one)
is "cannot tell": the caller then opens the record in full, with its checks and its errors.
"""

from __future__ import annotations

import sqlite3

from peelkit.record.location import sqlite_path
from peelkit.record.revisions import head_revision

# Seconds to wait for a writer's lock before giving up the look (the full open then waits).
LOOK_TIMEOUT_SECONDS = 1.0


def adds_nothing_to_statistics(url: str | None) -> bool:
    """True when the record at ``url`` (None: the default) certainly adds nothing to the
    statistics; False when it may, or when that cannot be told by a quick look."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return False
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOOK_TIMEOUT_SECONDS
        )
    except sqlite3.Error:
        return False
    try:
        revisions = [
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        ]
        if revisions != [head_revision()]:
            return False
        if connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            return False
        if connection.execute("SELECT EXISTS (SELECT 1 FROM observation)").fetchone()[0]:
            return False
        stored: dict[tuple[str, str], list[str]] = {}
        for force, year, peer in connection.execute(
            "SELECT force_id, year, peer_id FROM most_similar_peer "
            "ORDER BY force_id, year, position"
        ):
            stored.setdefault((force, year), []).append(peer)
        return _all_shipped(stored)
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _all_shipped(stored: dict[tuple[str, str], list[str]]) -> bool:
    """Whether each stored group is the shipped group of its force and year."""
    if not stored:
        return True
    from peelkit.reference import shipped_groups

    shipped = {(g.force_id, g.year): list(g.peers) for g in shipped_groups()}
    return all(shipped.get(key) == peers for key, peers in stored.items())
