"""Writing many rows of the record at once (``peel load``, imports, the grades CSV), in the
caller's transaction.

Rows are plain dictionaries (column name -> value), written with SQLAlchemy Core, never as ORM
objects: building and tracking an ORM object costs more than writing its row. SQLite gets
INSERTs of many rows each (at most 1,000 values a statement). PostgreSQL gets one ``COPY`` a
batch: psycopg's ``executemany`` sends one statement a row, and each fires the record-version
trigger (``FOR EACH STATEMENT``, migration 0005) again, an update of one row whose cost grows
with every earlier update in the same transaction; SQLAlchemy's multi-row ``VALUES`` batches
instead spend most of their time in psycopg splitting a statement of thousands of placeholders.
Values go through each column's own bind processor (JSON serialised as SQLAlchemy serialises
it) before ``COPY``, so both paths store what an ``INSERT`` of the same values would.

:func:`next_ids` gives ids for new rows without a round trip per row, and
:func:`advance_sequences` moves PostgreSQL's sequences past ids written explicitly.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Dialect, Integer, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from peelkit.record import lengths

Row = Mapping[str, Any]
# Rows a batch holds before it is written: enough to make a statement's cost small beside its
# rows', few enough that the pending rows of a large load take little memory.
BATCH_ROWS = 2000


def insert_rows(
    session: Session, table: Table, rows: Sequence[Row], *, lengths_checked: bool = False
) -> None:
    """Insert ``rows`` (each with the same keys) into ``table``, refusing text longer than its
    column unless the caller checked that already (``lengths_checked``: ``peel load``, whose
    file was checked against the export's schema, which gives each column's length)."""
    if not rows:
        return
    if not lengths_checked:
        lengths.check_table_rows(table, rows)
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    defaults = _scalar_defaults(table, names)
    if defaults is None or dialect.name not in ("postgresql", "sqlite"):
        # A column left to a Python-side default that is not a constant (a function):
        # SQLAlchemy's own INSERT fills it in.
        session.execute(insert(table), list(rows))
        return
    values = _values(table, names, rows, dialect)
    if defaults:
        # The constants of the columns the rows leave out (a new row's version: 1), as
        # SQLAlchemy's INSERT would write them.
        constants = _values(table, list(defaults), [defaults], dialect)[0]
        values = [value + constants for value in values]
        names = [*names, *defaults]
    if dialect.name == "postgresql":
        _copy(_driver(connection), _copy_statement(dialect, table, names), values)
    else:
        _insert_values(connection, _insert_statement(dialect, table, names), values)


def _scalar_defaults(table: Table, names: list[str]) -> dict[str, Any] | None:
    """The constant Python-side defaults of the columns not in ``names`` (column -> value);
    None when one of those columns has a default that is not a constant."""
    found: dict[str, Any] = {}
    for column in table.c:
        default = column.default
        if column.name in names or default is None:
            continue
        if not getattr(default, "is_scalar", False):
            return None
        found[column.name] = default.arg  # type: ignore[attr-defined]
    return found


def _columns(dialect: Dialect, table: Table, names: list[str]) -> str:
    preparer = dialect.identifier_preparer
    columns = ", ".join(preparer.quote(name) for name in names)
    return f"{preparer.format_table(table)} ({columns})"


def _copy_statement(dialect: Dialect, table: Table, names: list[str]) -> str:
    return f"COPY {_columns(dialect, table, names)} FROM STDIN"


def _insert_statement(dialect: Dialect, table: Table, names: list[str]) -> str:
    return f"INSERT INTO {_columns(dialect, table, names)}"


def _driver(connection: Connection) -> Any:
    driver = connection.connection.driver_connection
    assert driver is not None
    return driver


def _values(
    table: Table, names: list[str], rows: Sequence[Row], dialect: Dialect
) -> list[tuple[Any, ...]]:
    """The rows' values in the order of ``names``, through each column's bind processor."""
    pick: Callable[[Row], tuple[Any, ...]]
    if len(names) > 1:
        pick = itemgetter(*names)
    else:
        (only,) = names
        pick = lambda row: (row[only],)  # noqa: E731 - itemgetter of one name gives no tuple
    processed = []
    for i, name in enumerate(names):
        process = _processor(table.c[name].type.dialect_impl(dialect), dialect)
        if process is not None:
            processed.append((i, process))
    if not processed:
        return [pick(row) for row in rows]
    values = []
    for row in rows:
        value = list(pick(row))
        for i, process in processed:
            value[i] = process(value[i])
        values.append(tuple(value))
    return values


def _processor(kind: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The bind processor of a column type. JSON is written as its text (what SQLAlchemy's
    serializer, ``json.dumps``, writes; ``COPY`` takes the text), the empty list (most items'
    sub-items, results, reasons) without serialising it again and again."""
    if not isinstance(kind, JSON):
        return kind.bind_processor(dialect)
    if getattr(dialect, "_json_serializer", None) is not None:  # pragma: no cover
        raise NotImplementedError("an engine with its own JSON serializer")
    empty = json.dumps([])

    def json_text(value: Any) -> str | None:
        if type(value) is list and not value:
            return empty
        if value is None and kind.none_as_null:  # pragma: no cover - no such column
            return None
        return json.dumps(value)

    return json_text


def _insert_values(connection: Connection, statement: str, values: list[tuple[Any, ...]]) -> None:
    """SQLite: INSERT statements of many rows each (``VALUES (...), (...)``). The full-text
    index of findings (FTS5, kept by a trigger) writes what it gathered at the end of every
    statement: one statement a row would make that 40 writes of the index where one does."""
    width = len(values[0])
    dbapi = connection.connection.driver_connection
    limit = dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if dbapi is not None else 999
    per_statement = max(1, min(_SQLITE_ROWS, _SQLITE_VALUES // width, limit // width))
    row = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(values), per_statement):
        chunk = values[start : start + per_statement]
        sql = f"{statement} VALUES {', '.join([row] * len(chunk))}"
        connection.exec_driver_sql(sql, tuple(chain.from_iterable(chunk)))


# Rows an INSERT holds on SQLite (as fast as larger statements, and its statement is cached),
# and values: SQLite parses and plans a statement of thousands of placeholders more slowly than
# it writes their rows (an import's 1,161 judgments, 22 columns, went in a quarter faster in
# statements of 45 rows than of 500; its 790 findings, full-text index and all, a tenth).
_SQLITE_ROWS = 500
_SQLITE_VALUES = 1000


def _copy(driver: Any, statement: str, values: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: ``COPY`` the rows on psycopg's connection (the session's, in its
    transaction)."""
    import psycopg

    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.Error as exc:
        # As SQLAlchemy raises a driver's error, so that the database's faults are told as
        # every other statement's are (peelkit.record.database.database_error).
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


class Batches:
    """Rows waiting to be inserted, in named streams of one table each, written stream by
    stream in the order they were named (a row after the rows it refers to) whenever one
    stream has :data:`BATCH_ROWS` waiting, and by :meth:`write`."""

    def __init__(
        self,
        session: Session,
        streams: Iterable[tuple[str, Table]],
        *,
        lengths_checked: bool = False,
    ) -> None:
        self.session = session
        self.tables = dict(streams)
        self.pending: dict[str, list[Row]] = {name: [] for name in self.tables}
        self.lengths_checked = lengths_checked

    def add(self, stream: str, row: Row) -> None:
        waiting = self.pending[stream]
        waiting.append(row)
        if len(waiting) >= BATCH_ROWS:
            self.write()

    def write(self) -> None:
        """Insert every waiting row."""
        for stream, waiting in self.pending.items():
            if waiting:
                self.pending[stream] = []
                insert_rows(
                    self.session,
                    self.tables[stream],
                    waiting,
                    lengths_checked=self.lengths_checked,
                )


def next_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` ids for new rows of ``table`` (one query). PostgreSQL: taken from the table's
    sequence, as the database gives them; SQLite: after the largest id it holds, as SQLite
    gives them (the transaction is the only writer: another that wrote first makes this one
    fail, it cannot write the same ids)."""
    if count <= 0:
        return []
    key = table.c.id
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        if sequence is not None:
            return list(
                session.scalars(
                    text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
                    {"sequence": sequence, "count": count},
                )
            )
    largest = session.scalar(select(func.max(key))) or 0
    return list(range(largest + 1, largest + 1 + count))


def advance_sequences(session: Session, tables: Iterable[Table]) -> None:
    """After explicit ids (PostgreSQL), move the id sequence of each table with an integer id
    past the largest id it holds (never back: ids given out before a ``--replace`` stay used)."""
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not isinstance(key[0].type, Integer):
            continue
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        largest = session.scalar(select(func.max(key[0])))
        if sequence is None or largest is None:
            continue
        session.execute(
            text(f"SELECT setval(:sequence, GREATEST(:largest, last_value)) FROM {sequence}"),
            {"sequence": sequence, "largest": largest},
        )
