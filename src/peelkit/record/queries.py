"""Read queries that load whole inspections at once: the inspections of some forces under some
frameworks with all their items, in one query per table (eager loading), never one per
inspection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peelkit.record.schema import Inspection, SourceDocument
from peelkit.record.visibility import public_condition


def full_inspections(
    session: Session,
    *,
    forces: Collection[str] | None = None,
    frameworks: Collection[str] | None = None,
    public_at: dt.datetime | None = None,
) -> list[Inspection]:
    """Inspections (of ``forces``, under ``frameworks``; all when None; with ``public_at``,
    only those the public may see then) with their judgments, findings, evidence, figures and
    performance rows loaded, in id order."""
    query = select(Inspection).order_by(Inspection.id)
    if forces is not None:
        query = query.where(Inspection.force_id.in_(sorted(forces)))
    if frameworks is not None:
        query = query.where(Inspection.framework_id.in_(sorted(frameworks)))
    if public_at is not None:
        query = query.where(public_condition(public_at))
    query = query.options(
        selectinload(Inspection.judgments),
        selectinload(Inspection.findings),
        selectinload(Inspection.evidence),
        selectinload(Inspection.figures),
        selectinload(Inspection.performance_rows),
    )
    return list(session.scalars(query))


def documents(session: Session) -> list[SourceDocument]:
    """Every source document of the record, in id order (one query)."""
    return list(session.scalars(select(SourceDocument).order_by(SourceDocument.id)))
