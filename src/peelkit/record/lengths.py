"""Text no longer than its column, checked for every row the ORM writes.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` column (with a line that names no
field); SQLite stores it, after which the record's own export is refused by ``peel load``. So
every new or changed row is checked before it is flushed, whatever wrote it (the CLI, the web
app, an import), and a value that does not fit is one clear error naming the table and the
field: the transaction then writes nothing. Rows written in batches (``peel load``, checked
against the export's schema first) do not pass through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import String, inspect
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
                table = mapper.local_table.name  # type: ignore[attr-defined]
                raise InvalidRecord(
                    f"{table} {name}: {len(value)} characters, but at most {length} are kept: "
                    "shorten it",
                    code="value_too_long",
                )


def before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """The session event: every new and changed row of the flush."""
    check_rows(chain(session.new, session.dirty))
