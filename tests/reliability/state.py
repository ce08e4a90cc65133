"""The state of a case: a database's content fingerprint (every table's rows, sorted; or the
sha256 of a file that is no database one can read) and the bytes of every file of the case's
folders, and the differences that make a verdict: anything changed (after an error), anything
lost (after a success)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Tables a successful write rewrites as a whole, so that an earlier row of theirs need not
# survive: the record's version counter and the full-text index's own segments and structure
# record (SQLite FTS5 shadow tables; the indexed text itself is in ``finding``).
REWRITTEN_TABLES = frozenset(
    {"record_version", "sqlite_sequence", "finding_search_data", "finding_search_idx"}
)

# Columns a write works out again for rows it did not add: which of several documents'
# judgments is shown and why (a second document of an inspection), and edit counters.
DERIVED_COLUMNS = frozenset({"shown", "shown_reason", "version"})

Rows = tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Rows  # sorted by their repr: a table's content, whatever order the database keeps

    def dicts(self, rows: Rows | None = None) -> list[dict[str, Any]]:
        return [
            dict(zip(self.columns, row, strict=True))
            for row in (self.rows if rows is None else rows)
        ]


@dataclass(frozen=True)
class State:
    """A database's content (every table's rows, sorted) or, when it is no database that can be
    read, the sha256 of its bytes; and the bytes of every file of the case's folders."""

    tables: dict[str, Table]
    unreadable: str | None
    files: dict[str, str]  # path relative to the case folder -> sha256 of its bytes


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sorted(rows: list[tuple[Any, ...]]) -> Rows:
    return tuple(sorted(rows, key=repr))


def sqlite_tables(path: Path) -> tuple[dict[str, Table], str | None]:
    """Every table of a SQLite file, or why it cannot be read (it is left as it is: opened
    without creating it, and only read)."""
    if not path.exists():
        return {}, "missing"
    if path.is_dir():
        return {}, "a folder"
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True)
    except sqlite3.Error as exc:
        return {}, f"cannot open: {exc}"
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        tables = {}
        for name in names:
            cursor = connection.execute(f'SELECT * FROM "{name}"')
            columns = tuple(d[0] for d in cursor.description)
            tables[name] = Table(columns, _sorted(cursor.fetchall()))
        return tables, None
    except sqlite3.Error as exc:
        return {}, f"{type(exc).__name__}: {exc} (bytes {_sha256(path)})"
    finally:
        connection.close()


def _hashable(value: Any) -> Any:
    """A JSON column's value (PostgreSQL gives dicts and lists) as its canonical text."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def postgres_tables(url: str) -> dict[str, Table]:
    """Every table of the schema a PostgreSQL URL's connections use."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = {}
            for name in sorted(inspect(connection).get_table_names()):
                result = connection.execute(text(f'SELECT * FROM "{name}"'))
                rows = [tuple(_hashable(value) for value in row) for row in result]
                tables[name] = Table(tuple(result.keys()), _sorted(rows))
            return tables
    finally:
        engine.dispose()


def _sqlite_scratch(path: Path) -> bool:
    """SQLite's own files beside a database that hold no data: the shared-memory index
    (``-shm``, rebuilt from the log on the next open) and an empty write-ahead log."""
    name = path.name
    return name.endswith("-shm") or (name.endswith("-wal") and path.stat().st_size == 0)


def file_hashes(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every file under ``folder`` (but ``skip``'s folder and SQLite's scratch files) -> its
    sha256; folders as ``/``."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if path.is_file() and _sqlite_scratch(path):
            continue
        name = str(path.relative_to(folder))
        found[name] = "/" if path.is_dir() else _sha256(path)
    return found


def changed(before: State, after: State) -> str | None:
    if before.unreadable != after.unreadable:
        return f"the database went from {before.unreadable or 'readable'} to {after.unreadable}"
    for name in sorted(set(before.tables) | set(after.tables)):
        old, new = before.tables.get(name), after.tables.get(name)
        if old is None or new is None:
            return f"table {name} {'appeared' if old is None else 'disappeared'}"
        if old != new:
            return f"table {name} changed ({len(old.rows)} rows before, {len(new.rows)} after)"
    return None


def lost(before: State, after: State) -> str | None:
    """Rows the database held before and holds no more, or holds with other content (tables
    rewritten as a whole aside; columns worked out again on a write aside)."""
    if before.unreadable is None and after.unreadable is not None:
        return f"the database can no longer be read: {after.unreadable}"
    for name, old in before.tables.items():
        if name in REWRITTEN_TABLES:
            continue
        new = after.tables.get(name)
        if new is None:
            return f"table {name} disappeared"
        if old.columns != new.columns:
            return f"table {name} has other columns"
        kept = [i for i, c in enumerate(old.columns) if c not in DERIVED_COLUMNS]

        def content(rows: Rows, kept: list[int] = kept) -> Counter[tuple[Any, ...]]:
            return Counter(tuple(row[i] for i in kept) for row in rows)

        missing = content(old.rows) - content(new.rows)
        if missing:
            row = dict(zip((old.columns[i] for i in kept), next(iter(missing)), strict=True))
            return f"{sum(missing.values())} row(s) of {name} gone or changed, e.g. {row!r:.300}"
    return None


def files_changed(before: State, after: State, allowed: tuple[str, ...]) -> str | None:
    for name, digest in before.files.items():
        if any(name == a or name.startswith(a.rstrip("/") + "/") for a in allowed):
            continue
        if name not in after.files:
            return f"{name} was removed"
        if after.files[name] != digest:
            return f"{name} was changed"
    return None


def new_files(before: State, after: State, allowed: tuple[str, ...]) -> str | None:
    for name in after.files:
        if name in before.files:
            continue
        if any(name == a or name.startswith(a.rstrip("/") + "/") for a in allowed):
            continue
        return f"{name} was left behind"
    return None


class Target:
    """The database a case runs on: how to read its state."""

    def __init__(self, url: str, file: Path | None) -> None:
        self.url = url
        self.file = file

    def state(self, root: Path, watch_database: bool) -> State:
        if self.file is None:
            tables, unreadable = postgres_tables(self.url), None
        else:
            tables, unreadable = sqlite_tables(self.file)
        skip = None if watch_database or self.file is None else self.file.parent
        return State(tables, unreadable, file_hashes(root, skip=skip))
