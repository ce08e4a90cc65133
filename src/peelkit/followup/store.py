"""Follow-up in the record: links between findings, status events, PCC responses, monitoring
statements and national recommendations, written in the caller's transaction.

Every write checks its rules first and raises :class:`~peelkit.errors.InvalidRecord` (or
``NotFound``) with a stable code before anything is stored: a link between two forces or to
itself, a relation, status or source not in the lists, a status dated before the earliest day
the finding is known to have existed (``peelkit.followup.made``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from peelkit.domain.followup import (
    EVENT_SOURCES,
    FOLLOWED_KINDS,
    LINK_SOURCES,
    LINK_STATUSES,
    MONITORING_STAGES,
    RELATIONS,
    STATUSES,
)
from peelkit.errors import InvalidRecord, NotFound
from peelkit.followup.lineage import Comparable, detect
from peelkit.followup.made import Made, made_of
from peelkit.followup.status import Event
from peelkit.record.schema import (
    Finding,
    FindingLinkRow,
    Inspection,
    MonitoringStatementRow,
    NationalRecommendationRow,
    PccResponseRow,
    SourceDocument,
    StatusEventRow,
)


@dataclass(frozen=True)
class Cited:
    """Where a follow-up fact came from: a document and its lines, or a person."""

    document_id: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    entered_by: str | None = None


def _one_of(value: str, allowed: Sequence[str], what: str, code: str) -> str:
    if value not in allowed:
        raise InvalidRecord(
            f"unknown {what} {value!r} (expected one of: {', '.join(allowed)})", code=code
        )
    return value


def reported_on(inspection: Inspection) -> dt.date:
    """When an inspection reported, for ordering: its publication date, else 1 January of its
    period's first year (an inspection with no date of its own)."""
    return reported_date(inspection.published, inspection.period)


def reported_date(published: dt.date | None, period: str) -> dt.date:
    """:func:`reported_on` of an inspection published then (or not), of that period."""
    return published if published is not None else dt.date(int(period[:4]), 1, 1)


def period_start(inspection: Inspection) -> dt.date:
    """The first day of an inspection's period: no finding of it can be older."""
    return dt.date(int(inspection.period[:4]), 1, 1)


def of_report(finding: Finding) -> bool:
    """Whether a finding is its inspection's own (read from its report, or entered by a
    person), rather than created from a follow-up document that quoted it."""
    return finding.document_id is None or finding.document_id == finding.inspection.document_id


def document_dates(session: Session, ids: set[int]) -> dict[int, dt.date | None]:
    if not ids:
        return {}
    rows = session.execute(
        select(SourceDocument.id, SourceDocument.published).where(SourceDocument.id.in_(ids))
    )
    return {row.id: row.published for row in rows}


def event_of(row: StatusEventRow, dates: dict[int, dt.date | None]) -> Event:
    return Event(
        status=row.status,
        date=row.date,
        source=row.source,
        note=row.note,
        document=row.document_id,
        line_start=row.line_start,
        line_end=row.line_end,
        entered_by=row.entered_by,
        status_as_printed=row.status_as_printed,
        event_id=row.id,
        document_date=dates.get(row.document_id) if row.document_id is not None else None,
    )


def stored_events(session: Session, finding_ids: Sequence[int]) -> dict[int, list[Event]]:
    """The stored status events of findings, with their documents' dates, by finding."""
    if not finding_ids:
        return {}
    rows = list(
        session.scalars(
            select(StatusEventRow)
            .where(StatusEventRow.finding_id.in_(list(finding_ids)))
            .order_by(StatusEventRow.date, StatusEventRow.id)
        )
    )
    dates = document_dates(session, {r.document_id for r in rows if r.document_id is not None})
    grouped: dict[int, list[Event]] = {}
    for row in rows:
        assert row.finding_id is not None
        grouped.setdefault(row.finding_id, []).append(event_of(row, dates))
    return grouped


def made_from(finding: Finding, events: Sequence[Event], dates: dict[int, dt.date | None]) -> Made:
    """When ``finding`` was made, from its stored events; ``dates``: documents' dates by id
    (holding the finding's own document)."""
    inspection = finding.inspection
    own = of_report(finding)
    return made_of(
        events,
        of_report=own,
        published=inspection.published,
        report_document=inspection.document_id is not None,
        letter_date=None if own or finding.document_id is None else dates.get(finding.document_id),
        period_start=period_start(inspection),
    )


def made_on(session: Session, finding: Finding) -> Made:
    """When a finding was made, read from the record (:mod:`peelkit.followup.made`)."""
    events = stored_events(session, [finding.id]).get(finding.id, [])
    ids = {finding.document_id} if finding.document_id is not None else set()
    return made_from(finding, events, document_dates(session, ids))


def get_finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"no finding {finding_id}", code="finding_not_found")
    return finding


def followed_findings(session: Session, force_id: str) -> list[Finding]:
    """The force's causes of concern, recommendations and areas for improvement, every
    inspection and framework, oldest inspection first."""
    rows = session.scalars(
        select(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Inspection.force_id == force_id, Finding.kind.in_(FOLLOWED_KINDS))
        .options(contains_eager(Finding.inspection))  # its date orders them: one query
        .order_by(Finding.id)
    )
    return sorted(rows, key=lambda f: (reported_on(f.inspection), f.inspection_id, f.id))


# --- lineage -------------------------------------------------------------------------------------


def _comparables(session: Session, force_id: str) -> list[Comparable]:
    """The force's followed findings as lineage compares them, in the order of
    :func:`followed_findings`, read as plain columns (no ORM objects: lineage runs on every
    import)."""
    rows = session.execute(
        select(
            Finding.id,
            Finding.inspection_id,
            Finding.kind,
            Finding.text,
            Finding.sub_items,
            Inspection.published,
            Inspection.period,
        )
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Inspection.force_id == force_id, Finding.kind.in_(FOLLOWED_KINDS))
    )
    found = [
        Comparable(
            finding=finding,
            inspection=inspection,
            kind=kind,
            text=" ".join([text, *(sub_items or [])]),
            when=reported_date(published, period),
        )
        for finding, inspection, kind, text, sub_items, published, period in rows
    ]
    return sorted(found, key=lambda c: (c.when, c.inspection, c.finding))


def refresh_links(
    session: Session,
    force_id: str,
    now: dt.datetime,
    inspections: Collection[int] | None = None,
) -> list[FindingLinkRow]:
    """Run detection over the force's findings and store the links not already known (a pair
    a person confirmed, rejected or entered is never touched). Exact matches are stored
    confirmed, the rest as candidates. Returns the new links.

    ``inspections``: only the pairs with a finding of one of these inspections are compared
    (an import or an entry adds findings to them; the other pairs were compared when their
    findings came, and ``peel followup detect`` compares every pair again)."""
    comparable = _comparables(session, force_id)
    known = {
        (earlier, later)
        for earlier, later in session.execute(
            select(FindingLinkRow.earlier_id, FindingLinkRow.later_id).where(
                FindingLinkRow.force_id == force_id
            )
        )
    }
    added: list[FindingLinkRow] = []
    for match in detect(comparable, touching=inspections):
        if (match.earlier, match.later) in known:
            continue
        link = FindingLinkRow(
            force_id=force_id,
            earlier_id=match.earlier,
            later_id=match.later,
            relation=match.relation,
            source="detected",
            score=match.score,
            status="confirmed" if match.exact else "candidate",
            decided_by="detection (exact match)" if match.exact else None,
            decided_at=now if match.exact else None,
            created_at=now,
        )
        session.add(link)
        added.append(link)
        known.add((match.earlier, match.later))
    session.flush()
    return added


def add_link(
    session: Session,
    earlier_id: int,
    later_id: int,
    relation: str,
    now: dt.datetime,
    *,
    source: str = "entered",
    status: str = "confirmed",
    score: float | None = None,
    cited: Cited = Cited(),
    note: str | None = None,
    link_id: int | None = None,
    decided_by: str | None = None,
    decided_at: dt.datetime | None = None,
) -> FindingLinkRow:
    """A link a person enters or a document states (or a loaded export holds)."""
    _one_of(relation, RELATIONS, "relation", "unknown_relation")
    _one_of(source, LINK_SOURCES, "link source", "unknown_link_source")
    _one_of(status, LINK_STATUSES, "link status", "unknown_link_status")
    if earlier_id == later_id:
        raise InvalidRecord(f"finding {earlier_id} cannot be linked to itself", code="link_to_self")
    earlier, later = get_finding(session, earlier_id), get_finding(session, later_id)
    if earlier.inspection.force_id != later.inspection.force_id:
        raise InvalidRecord(
            f"finding {earlier_id} is about {earlier.inspection.force_id} and finding "
            f"{later_id} about {later.inspection.force_id}: links join findings of one force",
            code="link_across_forces",
        )
    if earlier.inspection_id == later.inspection_id:
        raise InvalidRecord(
            f"findings {earlier_id} and {later_id} are of the same inspection: links join "
            "findings of different inspections",
            code="link_same_inspection",
        )
    if reported_on(earlier.inspection) > reported_on(later.inspection):
        raise InvalidRecord(
            f"finding {earlier_id} (inspection {earlier.inspection_id}) was reported after "
            f"finding {later_id} (inspection {later.inspection_id}): give the earlier one first",
            code="link_order",
        )
    existing = session.scalar(
        select(FindingLinkRow).where(
            FindingLinkRow.earlier_id == earlier_id, FindingLinkRow.later_id == later_id
        )
    )
    if existing is not None:
        raise InvalidRecord(
            f"findings {earlier_id} and {later_id} are already linked (link {existing.id}, "
            f"{existing.status}): confirm or reject that one",
            code="link_exists",
            kind="conflict",
        )
    link = FindingLinkRow(
        id=link_id,
        force_id=earlier.inspection.force_id,
        earlier_id=earlier_id,
        later_id=later_id,
        relation=relation,
        source=source,
        score=score,
        status=status,
        document_id=cited.document_id,
        line_start=cited.line_start,
        line_end=cited.line_end,
        entered_by=cited.entered_by,
        decided_by=decided_by or (cited.entered_by if status != "candidate" else None),
        decided_at=decided_at or (now if status != "candidate" else None),
        note=note,
        created_at=now,
    )
    session.add(link)
    session.flush()
    return link


def get_link(session: Session, link_id: int) -> FindingLinkRow:
    link = session.get(FindingLinkRow, link_id)
    if link is None:
        raise NotFound(f"no link {link_id}", code="link_not_found")
    return link


def decide_link(
    session: Session,
    link_id: int,
    decision: str,
    by: str,
    now: dt.datetime,
    note: str | None = None,
    relation: str | None = None,
) -> FindingLinkRow:
    """A person confirms or rejects a link (and may correct its relation)."""
    _one_of(decision, ("confirmed", "rejected"), "decision", "unknown_link_status")
    link = get_link(session, link_id)
    if relation is not None:
        link.relation = _one_of(relation, RELATIONS, "relation", "unknown_relation")
    link.status = decision
    link.decided_by = by
    link.decided_at = now
    if note:
        link.note = note
    session.flush()
    return link


def links_of_force(session: Session, force_id: str | None = None) -> list[FindingLinkRow]:
    query = select(FindingLinkRow).order_by(FindingLinkRow.id)
    if force_id is not None:
        query = query.where(FindingLinkRow.force_id == force_id)
    return list(session.scalars(query))


# --- status events -------------------------------------------------------------------------------


def add_status_event(
    session: Session,
    *,
    status: str | None,
    date: dt.date,
    source: str,
    now: dt.datetime,
    finding_id: int | None = None,
    national_recommendation_id: int | None = None,
    status_as_printed: str | None = None,
    note: str | None = None,
    cited: Cited = Cited(),
    event_id: int | None = None,
    origin: bool = False,
) -> StatusEventRow:
    """Append one status event. ``status`` None is a comment (the register's dated notes).

    A status may not come before the earliest day the finding is known to have existed (its
    report's publication, a notice issuing it, the inspection a letter says it came from). An
    ``origin`` event is a document's own statement of when the finding was made (a notice's
    ``open`` on its date, a letter's ``open`` at the inspection it dates): it may move that day
    earlier, but not before the first day of the inspection's period."""
    if status is not None:
        _one_of(status, STATUSES, "status", "unknown_status")
    elif not note:
        raise InvalidRecord("a status event needs a status or a note", code="status_event_empty")
    _one_of(source, EVENT_SOURCES, "status source", "unknown_status_source")
    if (finding_id is None) == (national_recommendation_id is None):
        raise InvalidRecord(
            "a status event belongs to one finding or one national recommendation",
            code="status_event_target",
        )
    if finding_id is not None:
        finding = get_finding(session, finding_id)
        if finding.kind not in FOLLOWED_KINDS:
            raise InvalidRecord(
                f"finding {finding_id} is a {finding.kind.replace('_', ' ')}: only causes of "
                "concern, recommendations and areas for improvement are followed up",
                code="status_not_followed",
            )
        if origin:
            start = period_start(finding.inspection)
            if status != "open" or date < start:
                raise InvalidRecord(
                    f"finding {finding_id}: a document's statement of when it was made is an "
                    f"'open' no earlier than its inspection's period ({start.isoformat()})",
                    code="status_before_publication",
                )
        else:
            made = made_on(session, finding)
            if made.earliest is not None and date < made.earliest:
                raise InvalidRecord(
                    f"finding {finding_id} was made no earlier than "
                    f"{made.earliest.isoformat()} ({made.rule}); a status dated "
                    f"{date.isoformat()} would come before it",
                    code="status_before_publication",
                )
    else:
        recommendation = session.get(NationalRecommendationRow, national_recommendation_id)
        if recommendation is None:
            raise NotFound(
                f"no national recommendation {national_recommendation_id}",
                code="national_recommendation_not_found",
            )
    event = StatusEventRow(
        id=event_id,
        finding_id=finding_id,
        national_recommendation_id=national_recommendation_id,
        status=status,
        status_as_printed=status_as_printed,
        date=date,
        source=source,
        document_id=cited.document_id,
        line_start=cited.line_start,
        line_end=cited.line_end,
        entered_by=cited.entered_by,
        note=note,
        created_at=now,
    )
    session.add(event)
    session.flush()
    return event


def events_of(
    session: Session,
    finding_ids: Sequence[int] | None = None,
) -> dict[int, list[StatusEventRow]]:
    """Stored status events by finding, oldest first."""
    query = select(StatusEventRow).where(StatusEventRow.finding_id.is_not(None))
    if finding_ids is not None:
        query = query.where(StatusEventRow.finding_id.in_(finding_ids))
    grouped: dict[int, list[StatusEventRow]] = {}
    for event in session.scalars(query.order_by(StatusEventRow.date, StatusEventRow.id)):
        assert event.finding_id is not None
        grouped.setdefault(event.finding_id, []).append(event)
    return grouped


def has_event(
    session: Session, finding_id: int, status: str, date: dt.date, document_id: int | None
) -> bool:
    return (
        session.scalar(
            select(StatusEventRow.id).where(
                StatusEventRow.finding_id == finding_id,
                StatusEventRow.status == status,
                StatusEventRow.date == date,
                StatusEventRow.document_id == document_id,
            )
        )
        is not None
    )


# --- national recommendations --------------------------------------------------------------------


def record_national_recommendation(
    session: Session,
    *,
    reference: str,
    framework_id: str | None,
    inspection_title: str,
    text: str,
    deadline: str | None,
    addressed_to: str,
    made: dt.date | None,
    cited: Cited = Cited(),
    recommendation_id: int | None = None,
) -> NationalRecommendationRow:
    if not text.strip():
        raise InvalidRecord("a national recommendation needs its text")
    row = NationalRecommendationRow(
        id=recommendation_id,
        reference=reference,
        framework_id=framework_id,
        inspection_title=inspection_title,
        text=text,
        deadline=deadline,
        addressed_to=addressed_to,
        made=made,
        document_id=cited.document_id,
        line_start=cited.line_start,
        line_end=cited.line_end,
    )
    session.add(row)
    session.flush()
    return row


def national_recommendation_by_reference(
    session: Session, reference: str
) -> NationalRecommendationRow | None:
    return session.scalar(
        select(NationalRecommendationRow).where(NationalRecommendationRow.reference == reference)
    )


# --- PCC responses and monitoring ----------------------------------------------------------------


def record_pcc_response(
    session: Session,
    inspection: Inspection,
    *,
    responded: dt.date | None,
    stated_deadline: dt.date | None = None,
    address: str | None = None,
    text: str | None = None,
    items: Sequence[dict[str, object]] = (),
    cited: Cited = Cited(),
    response_id: int | None = None,
) -> PccResponseRow:
    if (
        responded is not None
        and inspection.published is not None
        and responded < inspection.published
    ):
        raise InvalidRecord(
            f"inspection {inspection.id} was published on {inspection.published.isoformat()}; "
            f"a response dated {responded.isoformat()} would come before it",
            code="response_before_publication",
        )
    row = PccResponseRow(
        id=response_id,
        inspection_id=inspection.id,
        responded=responded,
        stated_deadline=stated_deadline,
        address=address,
        text=text,
        items=[dict(item) for item in items],
        document_id=cited.document_id,
        line_start=cited.line_start,
        line_end=cited.line_end,
        entered_by=cited.entered_by,
    )
    session.add(row)
    session.flush()
    return row


def record_monitoring_statement(
    session: Session,
    *,
    force_id: str,
    stage: str,
    date: dt.date,
    reasons: Sequence[int] = (),
    cited: Cited = Cited(),
    statement_id: int | None = None,
) -> MonitoringStatementRow:
    _one_of(stage, MONITORING_STAGES, "monitoring stage", "unknown_monitoring_stage")
    row = MonitoringStatementRow(
        id=statement_id,
        force_id=force_id,
        stage=stage,
        date=date,
        reasons=list(reasons),
        document_id=cited.document_id,
        line_start=cited.line_start,
        line_end=cited.line_end,
        entered_by=cited.entered_by,
    )
    session.add(row)
    session.flush()
    return row


def monitoring_statements(
    session: Session, force_id: str | None = None
) -> list[MonitoringStatementRow]:
    query = select(MonitoringStatementRow).order_by(
        MonitoringStatementRow.force_id, MonitoringStatementRow.date, MonitoringStatementRow.id
    )
    if force_id is not None:
        query = query.where(MonitoringStatementRow.force_id == force_id)
    return list(session.scalars(query))
