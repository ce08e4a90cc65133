"""Who may see an inspection: the public sees an inspection only when it is published and its
embargo time, if any, has passed. Times are naive UTC, as the record stores them.

One rule, two forms: a SQL condition for queries (lists, search, counts, downloads) and a
predicate for rows already loaded, so that nothing unpublished leaks through either.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_

from peelkit.domain.findings import InspectionStatus
from peelkit.record.schema import Inspection

PUBLISHED = InspectionStatus.PUBLISHED.value


def utc_now() -> dt.datetime:
    """The current time as the record stores times: naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def public_condition(now: dt.datetime) -> ColumnElement[bool]:
    """SQL: the inspection is published and out of embargo at ``now``."""
    return and_(
        Inspection.status == PUBLISHED,
        or_(Inspection.embargo_until.is_(None), Inspection.embargo_until <= now),
    )


def is_public(status: str, embargo_until: dt.datetime | str | None, now: dt.datetime) -> bool:
    """The same rule for a loaded inspection (``embargo_until`` as stored or as ISO text)."""
    if status != PUBLISHED:
        return False
    if embargo_until is None:
        return True
    until = (
        dt.datetime.fromisoformat(embargo_until)
        if isinstance(embargo_until, str)
        else embargo_until
    )
    return until <= now
