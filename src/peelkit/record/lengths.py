"""Text no longer than its column, checked for every row the ORM writes.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` column (with a line that names no
field); SQLite stores it, after which the record's own export is refused by ``peel load``. So
every new or changed row is checked before it is flushed, whatever wrote it (the CLI, the web
app), and so is every row written in batches (:func:`check_table_rows`, called by
``peelkit.record.bulk``: an import, ``peel load``, the grades CSV). A value that does not fit is
one clear error naming the table and the field: the transaction then writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import String, Table, inspect
from sqlalchemy.orm import Mapper, Session, UOWTransaction

from peelkit.errors import InvalidRecord


@cache
def _limited(mapper: Mapper[Any]) -> tuple[tuple[str, str, int], ...]:
    """The (attribute, column, length) of each text column of ``mapper`` with a length."""
    found = []
    for column in mapper.columns:
        kind = column.type
        if isinstance(kind, String) and kind.length:
            key = mapper.get_property_by_column(column).key
            found.append((key, column.name, kind.length))
    return tuple(found)


def check_rows(rows: Iterable[object]) -> None:
    """Refuse the first row holding text longer than its column."""
    for row in rows:
        mapper = inspect(row).mapper
        for key, name, length in _limited(mapper):
            value = getattr(row, key, None)
            if isinstance(value, str) and len(value) > length:
                table = mapper.local_table.name
                raise _too_long(table, name, len(value), length)


def before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """The session event: every new and changed row of the flush."""
    check_rows(chain(session.new, session.dirty))


@cache
def _table_limits(table: Table) -> tuple[tuple[str, int], ...]:
    return tuple(
        (column.name, column.type.length)
        for column in table.columns
        if isinstance(column.type, String) and column.type.length
    )


def check_table_rows(table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Refuse the first of ``rows`` (column name -> value) holding text longer than its
    column of ``table``."""
    limits = [(name, length) for name, length in _table_limits(table)]
    if not limits:
        return
    for row in rows:
        for name, length in limits:
            value = row.get(name)
            if isinstance(value, str) and len(value) > length:
                raise _too_long(table.name, name, len(value), length)


def _too_long(table: str, name: str, found: int, length: int) -> InvalidRecord:
    return InvalidRecord(
        f"{table} {name}: {found} characters, but at most {length} are kept: shorten it",
        code="value_too_long",
    )
