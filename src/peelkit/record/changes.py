"""When the record changed, for caches: the change counter and the public set's time key.

``record_version`` is one row that a trigger on every record and reference table increases on
each write (migration 0005: per row on SQLite, per statement on PostgreSQL), inside the writing
transaction, so it changes exactly when a write commits and every process reading the database
sees the same number. Reads never change it.

What the public may see also changes with no write at all, when an embargo time passes:
:func:`visibility_key` counts the published inspections whose embargo has passed, which (for a
given record version) grows exactly when one more becomes public.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelkit.record.schema import Inspection, RecordVersionRow
from peelkit.record.visibility import PUBLISHED


def record_version(session: Session) -> int:
    """The record's change counter (0 for a database without its row)."""
    version = session.scalar(select(RecordVersionRow.version).where(RecordVersionRow.id == 1))
    return int(version or 0)


def embargoes_passed(session: Session, now: dt.datetime) -> int:
    """How many published inspections have an embargo time at or before ``now``."""
    query = (
        select(func.count())
        .select_from(Inspection)
        .where(
            Inspection.status == PUBLISHED,
            Inspection.embargo_until.is_not(None),
            Inspection.embargo_until <= now,
        )
    )
    return int(session.scalar(query) or 0)


def visibility_key(session: Session, now: dt.datetime) -> str:
    """``"<record version>.<embargoes passed>"``: changes with any write and whenever the
    clock passes the embargo of a published inspection, and at no other time."""
    return f"{record_version(session)}.{embargoes_passed(session, now)}"
