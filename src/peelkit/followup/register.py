"""The follow-up register, read from the record: every followed finding with its history,
current status and due date; links; PCC responses; monitoring episodes; a report's progress
since the last inspection. Plain facts for the views (``peelkit.views.followup``).

``public_at`` limits everything to what the public may see then (published inspections out of
embargo); ``today`` decides what is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peelkit.domain.followup import FOLLOWED_KINDS, PCC_RESPONSE_DAYS
from peelkit.followup.deadlines import Due, due_date, printed_deadline, recommendation_due
from peelkit.followup.made import Made
from peelkit.followup.status import CARRIED_FORWARD, Current, Event, current, ordered
from peelkit.followup.store import (
    document_dates,
    event_of,
    made_from,
    reported_on,
    stored_events,
)
from peelkit.record.schema import (
    Finding,
    FindingLinkRow,
    Inspection,
    MonitoringStatementRow,
    NationalRecommendationRow,
    PccResponseRow,
    StatusEventRow,
)
from peelkit.record.visibility import public_condition


@dataclass(frozen=True)
class FindingFacts:
    finding: Finding
    inspection: Inspection
    made: Made
    history: tuple[Event, ...]
    current: Current
    due: Due
    overdue: bool


@dataclass(frozen=True)
class NationalFacts:
    recommendation: NationalRecommendationRow
    history: tuple[Event, ...]
    current: Current
    due: Due
    overdue: bool


@dataclass(frozen=True)
class LinkFacts:
    link: FindingLinkRow
    earlier: Finding
    later: Finding


@dataclass(frozen=True)
class ResponseFacts:
    inspection: Inspection
    due: dt.date | None
    due_rule: str  # how ``due`` was counted, or why there is none
    responses: tuple[PccResponseRow, ...]
    late: bool | None  # a response came after ``due``; None: no response, or no due date
    missing: bool | None  # no response and ``due`` has passed; None: not yet due, or no due date


@dataclass(frozen=True)
class EpisodeFacts:
    force_id: str
    stage: str
    entered: dt.date
    exited: dt.date | None
    statements: tuple[MonitoringStatementRow, ...]  # entry statements (one or more documents)
    exit_statement: MonitoringStatementRow | None
    reasons: tuple[Finding, ...]


def _findings(session: Session, force: str | None, public_at: dt.datetime | None) -> list[Finding]:
    query = (
        select(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Finding.kind.in_(FOLLOWED_KINDS))
        .options(selectinload(Finding.inspection))
    )
    if force is not None:
        query = query.where(Inspection.force_id == force)
    if public_at is not None:
        query = query.where(public_condition(public_at))
    return list(session.scalars(query.order_by(Finding.id)))


def _links(session: Session, finding_ids: Iterable[int]) -> list[FindingLinkRow]:
    ids = list(finding_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(FindingLinkRow)
            .where(FindingLinkRow.earlier_id.in_(ids) | FindingLinkRow.later_id.in_(ids))
            .order_by(FindingLinkRow.id)
        )
    )


def finding_facts(
    session: Session,
    findings: list[Finding],
    today: dt.date,
    visible: set[int] | None = None,
) -> list[FindingFacts]:
    """History, status and due date of each finding. ``visible``: the finding ids whose links
    count (a link to a finding the reader may not see carries nothing)."""
    ids = [f.id for f in findings]
    stored = stored_events(session, ids)
    dates = document_dates(session, {f.document_id for f in findings if f.document_id is not None})
    chosen = {f.id: f for f in findings}
    for link in _links(session, ids):
        if link.status != "confirmed" or link.relation not in CARRIED_FORWARD:
            continue
        if visible is not None and link.later_id not in visible:
            continue
        later = chosen.get(link.later_id) or session.get(Finding, link.later_id)
        if later is None or link.earlier_id not in chosen:
            continue
        stored.setdefault(link.earlier_id, []).append(
            Event(
                status="superseded",
                date=reported_on(later.inspection),
                source="inspection",
                note=(
                    f"{link.relation} by finding {later.id} of inspection "
                    f"{later.inspection_id} ({later.inspection.framework_id})"
                ),
                document=later.document_id,
                line_start=later.line_start,
                line_end=later.line_end,
                link=link.id,
            )
        )
    facts: list[FindingFacts] = []
    for finding in findings:
        history = tuple(ordered(stored.get(finding.id, [])))
        made = made_from(finding, history, dates)
        status = current(history, made.date)
        due = recommendation_due(
            finding.kind,
            deadline=finding.deadline,
            lead_in=finding.lead_in,
            text=finding.text,
            made=made.date,
        )
        overdue = due.date is not None and due.date < today and not status.settled
        facts.append(FindingFacts(finding, finding.inspection, made, history, status, due, overdue))
    return facts


def register(
    session: Session,
    today: dt.date,
    force: str | None = None,
    public_at: dt.datetime | None = None,
) -> tuple[list[FindingFacts], list[NationalFacts]]:
    findings = _findings(session, force, public_at)
    visible = {f.id for f in findings} if public_at is not None else None
    facts = finding_facts(session, findings, today, visible)
    facts.sort(key=lambda f: (f.inspection.force_id, reported_on(f.inspection), f.finding.id))
    return facts, national(session, today)


def national(session: Session, today: dt.date) -> list[NationalFacts]:
    rows = list(
        session.scalars(select(NationalRecommendationRow).order_by(NationalRecommendationRow.id))
    )
    events: dict[int, list[Event]] = {}
    stored = list(
        session.scalars(
            select(StatusEventRow)
            .where(StatusEventRow.national_recommendation_id.is_not(None))
            .order_by(StatusEventRow.date, StatusEventRow.id)
        )
    )
    dates = document_dates(session, {e.document_id for e in stored if e.document_id is not None})
    for event in stored:
        assert event.national_recommendation_id is not None
        events.setdefault(event.national_recommendation_id, []).append(event_of(event, dates))
    facts = []
    for row in rows:
        history = tuple(ordered(events.get(row.id, [])))
        status = current(history, row.made)
        due = due_date(row.deadline or printed_deadline(row.text), row.made)
        overdue = due.date is not None and due.date < today and not status.settled
        facts.append(NationalFacts(row, history, status, due, overdue))
    return facts


def links(
    session: Session, force: str | None = None, public_at: dt.datetime | None = None
) -> list[LinkFacts]:
    query = select(FindingLinkRow).order_by(FindingLinkRow.force_id, FindingLinkRow.id)
    if force is not None:
        query = query.where(FindingLinkRow.force_id == force)
    rows = list(session.scalars(query))
    ids = {i for link in rows for i in (link.earlier_id, link.later_id)}
    findings: dict[int, Finding] = {}
    if ids:
        selected = (
            select(Finding)
            .join(Inspection, Finding.inspection_id == Inspection.id)
            .where(Finding.id.in_(ids))
            .options(selectinload(Finding.inspection))
        )
        if public_at is not None:
            selected = selected.where(public_condition(public_at))
        findings = {f.id: f for f in session.scalars(selected)}
    return [
        LinkFacts(link, findings[link.earlier_id], findings[link.later_id])
        for link in rows
        if link.earlier_id in findings and link.later_id in findings
    ]


def responses(
    session: Session, today: dt.date, public_at: dt.datetime | None = None
) -> list[ResponseFacts]:
    """Every published inspection with its section 55 due date and the responses known."""
    query = select(Inspection).where(Inspection.status == "published")
    if public_at is not None:
        query = query.where(public_condition(public_at))
    inspections = list(session.scalars(query.order_by(Inspection.force_id, Inspection.id)))
    by_inspection: dict[int, list[PccResponseRow]] = {}
    for row in session.scalars(select(PccResponseRow).order_by(PccResponseRow.id)):
        by_inspection.setdefault(row.inspection_id, []).append(row)
    facts = []
    for inspection in inspections:
        due, rule = response_due(inspection.published)
        known = tuple(by_inspection.get(inspection.id, []))
        dates = [r.responded for r in known if r.responded is not None]
        late: bool | None = None
        missing: bool | None = None
        if dates:
            missing = False
            late = min(dates) > due if due is not None else None
        elif known:
            # A response recorded without its date: not missing, and not known to be late.
            missing = False
        elif due is not None and today > due:
            missing = True
        facts.append(ResponseFacts(inspection, due, rule, known, late, missing))
    facts.sort(key=lambda f: (f.inspection.force_id, reported_on(f.inspection), f.inspection.id))
    return facts


# Police and crime commissioners took office on 22 November 2012 (Police Reform and Social
# Responsibility Act 2011); before, a report's comments were the police authority's.
PCC_REGIME_FROM = dt.date(2012, 11, 22)


def response_due(published: dt.date | None) -> tuple[dt.date | None, str]:
    """A report's section 55 due date (publication + 56 days) and how it was counted; none,
    with the reason, when the record holds no publication date (an inspection known only from a
    grades table, as the 2005 baseline of most forces, or from follow-up documents)."""
    if published is None:
        return None, (
            "no due date: the record holds no publication date of the inspection's report "
            "(known only from a grades table or from follow-up documents), so the 56 days "
            "cannot be counted"
        )
    rule = f"{PCC_RESPONSE_DAYS} days after publication (Police Act 1996, section 55)"
    if published < PCC_REGIME_FROM:
        rule += (
            "; published before police and crime commissioners took office (22 November "
            "2012): its comments were the police authority's, counted here on the same 56 days"
        )
    if published.day == 1:
        rule += "; published on the 1st: if the report prints only its month, the day is assumed"
    return published + dt.timedelta(days=PCC_RESPONSE_DAYS), rule


def episodes(
    session: Session, force: str | None = None, public_at: dt.datetime | None = None
) -> list[EpisodeFacts]:
    """Monitoring episodes: each stage a force entered lasts until its next different stage.
    Statements of the same stage in a row (two letters saying so) make one episode. With
    ``public_at``, the reasons are only the causes of concern the public may see then."""
    query = select(MonitoringStatementRow).order_by(
        MonitoringStatementRow.force_id, MonitoringStatementRow.date, MonitoringStatementRow.id
    )
    if force is not None:
        query = query.where(MonitoringStatementRow.force_id == force)
    statements = list(session.scalars(query))
    reason_ids = {i for s in statements for i in s.reasons}
    findings: dict[int, Finding] = {}
    if reason_ids:
        chosen = (
            select(Finding)
            .join(Inspection, Finding.inspection_id == Inspection.id)
            .where(Finding.id.in_(reason_ids))
        )
        if public_at is not None:
            chosen = chosen.where(public_condition(public_at))
        findings = {f.id: f for f in session.scalars(chosen)}
    grouped: dict[str, list[list[MonitoringStatementRow]]] = {}
    for statement in statements:
        runs = grouped.setdefault(statement.force_id, [])
        if runs and runs[-1][-1].stage == statement.stage:
            runs[-1].append(statement)
        else:
            runs.append([statement])
    facts = []
    for force_id, runs in grouped.items():
        for i, run in enumerate(runs):
            following = runs[i + 1][0] if i + 1 < len(runs) else None
            reasons: list[Finding] = []
            for statement in run:
                reasons.extend(findings[r] for r in statement.reasons if r in findings)
            unique = tuple({f.id: f for f in reasons}.values())
            facts.append(
                EpisodeFacts(
                    force_id=force_id,
                    stage=run[0].stage,
                    entered=run[0].date,
                    exited=following.date if following else None,
                    statements=tuple(run),
                    exit_statement=following,
                    reasons=unique,
                )
            )
    return facts


def progress(
    session: Session,
    inspection: Inspection,
    today: dt.date,
    public_at: dt.datetime | None = None,
) -> tuple[list[FindingFacts], list[LinkFacts]]:
    """The findings of the force's earlier inspections that this one's findings repeat,
    reword or escalate, or that are still open, with their status; and those links.

    "Earlier" means the force's latest inspection before this one that has followed findings
    (in any framework); its findings are listed whether or not anything links to them.
    """
    later_ids = {f.id for f in inspection.findings if f.kind in FOLLOWED_KINDS}
    earlier_candidates = _findings(session, inspection.force_id, public_at)
    mine = reported_on(inspection)
    before = [
        f
        for f in earlier_candidates
        if f.inspection_id != inspection.id and reported_on(f.inspection) < mine
    ]
    if not before:
        return [], []
    last = max(before, key=lambda f: (reported_on(f.inspection), f.inspection_id))
    previous = [f for f in before if f.inspection_id == last.inspection_id]
    visible = {f.id for f in earlier_candidates} if public_at is not None else None
    facts = finding_facts(session, previous, today, visible)
    previous_ids = {f.id for f in previous}
    related = [
        facts_link
        for facts_link in links(session, inspection.force_id, public_at)
        if facts_link.link.earlier_id in previous_ids
        and facts_link.link.later_id in later_ids
        and facts_link.link.status != "rejected"
    ]
    return facts, related
