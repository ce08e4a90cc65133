"""The audit log: every write, by anyone, through the web app, the API, the CLI or the library,
appends one event in the writing transaction (so an event exists exactly when its change
does). Events are never edited or deleted (the database refuses it: migration 0006)."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelkit.domain.permissions import OPERATOR
from peelkit.record.schema import AuditEventRow

VIAS = ("web", "api", "cli", "library")


@dataclass(frozen=True)
class Actor:
    """Who is writing: an account's name and role, or the operator; and through which door."""

    name: str
    role: str
    via: str = "library"

    @classmethod
    def operator(cls, via: str = "library") -> Actor:
        """Whoever runs peelkit with the database in hand, named by their login."""
        try:
            login = getpass.getuser()
        except (KeyError, OSError):
            login = "unknown"
        return cls(f"{OPERATOR}:{login}", OPERATOR, via)

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = None,
    *,
    now: dt.datetime,
    inspection_id: int | None = None,
    before: Any = None,
    after: Any = None,
    comment: str | None = None,
) -> AuditEventRow:
    event = AuditEventRow(
        at=now,
        actor=actor.name,
        role=actor.role,
        via=actor.via,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        inspection_id=inspection_id,
        before=before,
        after=after,
        comment=comment,
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    inspection_id: int | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[AuditEventRow]:
    """Events, oldest first, filtered by object, inspection or actor."""
    query = select(AuditEventRow).order_by(AuditEventRow.id)
    if object_type is not None:
        query = query.where(AuditEventRow.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEventRow.object_id == object_id)
    if inspection_id is not None:
        query = query.where(AuditEventRow.inspection_id == inspection_id)
    if actor is not None:
        query = query.where(AuditEventRow.actor == actor)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
