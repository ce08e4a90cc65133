"""Views of follow-up: the register, links between findings, a finding's history, PCC
responses, monitoring episodes and a report's "Progress since the last inspection".

Built from the facts ``peelkit.followup.register`` reads; the CLI, the web pages, the API and
the force report render these and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from peelkit.followup.documents.model import ParsedFollowup
from peelkit.followup.documents.store import FollowupImportResult
from peelkit.followup.register import (
    EpisodeFacts,
    FindingFacts,
    LinkFacts,
    NationalFacts,
    ResponseFacts,
)
from peelkit.followup.status import Event
from peelkit.record.schema import Finding, FindingLinkRow


@dataclass(frozen=True)
class FindingRefView:
    id: int
    force: str
    inspection: int
    framework: str
    period: str
    kind: str
    text: str
    area: str | None
    cause_of_concern: int | None
    flag: str | None

    @classmethod
    def of(cls, finding: Finding) -> FindingRefView:
        text = " ".join([finding.text, *(finding.sub_items or [])])
        return cls(
            id=finding.id,
            force=finding.inspection.force_id,
            inspection=finding.inspection_id,
            framework=finding.inspection.framework_id,
            period=finding.inspection.period,
            kind=finding.kind,
            text=text,
            area=finding.area_id,
            cause_of_concern=finding.cause_of_concern_id,
            flag=finding.flag,
        )


@dataclass(frozen=True)
class StatusEventView:
    status: str | None  # None: a comment
    date: dt.date
    source: str
    note: str | None
    status_as_printed: str | None
    document: int | None
    line_start: int | None
    line_end: int | None
    entered_by: str | None
    derived: bool  # from a confirmed link, not stored
    link: int | None

    @classmethod
    def of(cls, event: Event) -> StatusEventView:
        return cls(
            status=event.status,
            date=event.date,
            source=event.source,
            note=event.note,
            status_as_printed=event.status_as_printed,
            document=event.document,
            line_start=event.line_start,
            line_end=event.line_end,
            entered_by=event.entered_by,
            derived=event.event_id is None,
            link=event.link,
        )


@dataclass(frozen=True)
class StatusRef:
    status: str
    date: dt.date
    source: str

    @classmethod
    def of(cls, event: Event | None) -> StatusRef | None:
        if event is None or event.status is None:
            return None
        return cls(event.status, event.date, event.source)


@dataclass(frozen=True)
class RegisterRowView:
    """One followed finding (or national recommendation) and where it stands."""

    force: str | None  # None for a national recommendation
    inspection: int | None
    framework: str | None
    finding: FindingRefView | None
    national: NationalRecommendationView | None
    status: str
    status_date: dt.date | None
    source: str
    claimed: StatusRef | None  # the latest "reported_complete" (the force or PCC says so)
    verified: StatusRef | None  # the latest closure by HMICFRS (or supersession)
    made: dt.date | None  # the date it was made (by its report, a notice, at an inspection)
    made_earliest: dt.date | None  # the earliest day it is known to have existed
    made_rule: str  # how ``made`` is known, or "not known: ..."
    made_day_assumed: bool  # ``made`` is a report's "March 2017", dated on the 1st
    due: dt.date | None
    due_as_printed: str | None
    due_rule: str
    overdue: bool
    all_forces: bool  # a national recommendation addressed to all forces

    @classmethod
    def of(cls, facts: FindingFacts) -> RegisterRowView:
        return cls(
            force=facts.inspection.force_id,
            inspection=facts.inspection.id,
            framework=facts.inspection.framework_id,
            finding=FindingRefView.of(facts.finding),
            national=None,
            status=facts.current.status,
            status_date=facts.current.date,
            source=facts.current.source,
            claimed=StatusRef.of(facts.current.claimed),
            verified=StatusRef.of(facts.current.verified),
            made=facts.made.date,
            made_earliest=facts.made.earliest,
            made_rule=facts.made.rule,
            made_day_assumed=facts.made.day_assumed,
            due=facts.due.date,
            due_as_printed=facts.due.phrase,
            due_rule=facts.due.rule,
            overdue=facts.overdue,
            all_forces=False,
        )

    @classmethod
    def of_national(cls, facts: NationalFacts) -> RegisterRowView:
        row = facts.recommendation
        return cls(
            force=None,
            inspection=None,
            framework=row.framework_id,
            finding=None,
            national=NationalRecommendationView(
                id=row.id,
                reference=row.reference,
                inspection_title=row.inspection_title,
                kind="recommendation",
                text=row.text,
                addressed_to=row.addressed_to,
                document=row.document_id,
                line_start=row.line_start,
                line_end=row.line_end,
            ),
            status=facts.current.status,
            status_date=facts.current.date,
            source=facts.current.source,
            claimed=StatusRef.of(facts.current.claimed),
            verified=StatusRef.of(facts.current.verified),
            made=row.made,
            made_earliest=row.made,
            made_rule=(
                "the first date of its history in the register"
                if row.made
                else "not known: the register gives no date"
            ),
            made_day_assumed=False,
            due=facts.due.date,
            due_as_printed=facts.due.phrase,
            due_rule=facts.due.rule,
            overdue=facts.overdue,
            all_forces=row.addressed_to == "all forces",
        )

    @property
    def kind(self) -> str:
        return self.finding.kind if self.finding else "recommendation"

    @property
    def text(self) -> str:
        if self.finding:
            return self.finding.text
        assert self.national is not None
        return self.national.text


@dataclass(frozen=True)
class NationalRecommendationView:
    id: int
    reference: str
    inspection_title: str
    kind: str
    text: str
    addressed_to: str
    document: int | None
    line_start: int | None
    line_end: int | None


@dataclass(frozen=True)
class RegisterView:
    rows: tuple[RegisterRowView, ...]
    total: int
    overdue: int
    force: str | None
    status: str | None
    only_overdue: bool


@dataclass(frozen=True)
class LinkEndView:
    inspection: int
    framework: str
    period: str
    finding: int
    kind: str
    text: str

    @classmethod
    def of(cls, finding: Finding) -> LinkEndView:
        ref = FindingRefView.of(finding)
        return cls(ref.inspection, ref.framework, ref.period, ref.id, ref.kind, ref.text)


@dataclass(frozen=True)
class LinkView:
    id: int
    force: str
    earlier: LinkEndView
    later: LinkEndView
    relation: str
    score: float | None
    source: str  # detected | entered | stated
    status: str  # candidate | confirmed | rejected
    decided_by: str | None
    decided_at: str | None  # ISO 8601, UTC (as every time a view gives)
    note: str | None
    document: int | None
    line_start: int | None
    line_end: int | None

    @classmethod
    def of(cls, facts: LinkFacts) -> LinkView:
        return cls.of_row(facts.link, facts.earlier, facts.later)

    @classmethod
    def of_row(cls, link: FindingLinkRow, earlier: Finding, later: Finding) -> LinkView:
        return cls(
            id=link.id,
            force=link.force_id,
            earlier=LinkEndView.of(earlier),
            later=LinkEndView.of(later),
            relation=link.relation,
            score=link.score,
            source=link.source,
            status=link.status,
            decided_by=link.decided_by,
            decided_at=link.decided_at.isoformat() if link.decided_at else None,
            note=link.note,
            document=link.document_id,
            line_start=link.line_start,
            line_end=link.line_end,
        )


@dataclass(frozen=True)
class FindingHistoryView:
    """``peel followup history FINDING``: one finding's status events and links."""

    finding: FindingRefView
    status: str
    status_date: dt.date | None
    claimed: StatusRef | None
    verified: StatusRef | None
    made: dt.date | None
    made_earliest: dt.date | None
    made_rule: str
    made_day_assumed: bool
    due: dt.date | None
    due_as_printed: str | None
    due_rule: str
    overdue: bool
    history: tuple[StatusEventView, ...]
    links: tuple[LinkView, ...]

    @classmethod
    def of(cls, facts: FindingFacts, links: list[LinkFacts]) -> FindingHistoryView:
        standing = facts.current
        return cls(
            finding=FindingRefView.of(facts.finding),
            status=standing.status,
            status_date=standing.date,
            claimed=StatusRef.of(standing.claimed),
            verified=StatusRef.of(standing.verified),
            made=facts.made.date,
            made_earliest=facts.made.earliest,
            made_rule=facts.made.rule,
            made_day_assumed=facts.made.day_assumed,
            due=facts.due.date,
            due_as_printed=facts.due.phrase,
            due_rule=facts.due.rule,
            overdue=facts.overdue,
            history=tuple(StatusEventView.of(e) for e in facts.history),
            links=tuple(LinkView.of(link) for link in links),
        )


@dataclass(frozen=True)
class ResponseRowView:
    """``peel followup responses``: a published inspection and its PCC's section 55 response."""

    force: str
    inspection: int
    framework: str
    published: dt.date | None
    due: dt.date | None  # publication + 56 days; None without a publication date
    due_rule: str  # how ``due`` was counted, or why there is none
    responded: dt.date | None  # the earliest response known
    late: bool | None  # True: the response came after ``due``; None: no response (or no due)
    missing: bool | None  # True: no response and ``due`` passed; None: not yet due (or no due)
    stated_deadline: dt.date | None  # the deadline the response form printed, if any
    address: str | None
    documents: tuple[int, ...]

    @classmethod
    def of(cls, facts: ResponseFacts) -> ResponseRowView:
        dated = [r for r in facts.responses if r.responded is not None]
        first = min(dated, key=lambda r: r.responded or dt.date.max) if dated else None
        return cls(
            force=facts.inspection.force_id,
            inspection=facts.inspection.id,
            framework=facts.inspection.framework_id,
            published=facts.inspection.published,
            due=facts.due,
            due_rule=facts.due_rule,
            responded=first.responded if first else None,
            late=facts.late,
            missing=facts.missing,
            stated_deadline=next(
                (r.stated_deadline for r in facts.responses if r.stated_deadline), None
            ),
            address=first.address if first else None,
            documents=tuple(r.document_id for r in facts.responses if r.document_id),
        )


@dataclass(frozen=True)
class MonitoringEpisodeView:
    force: str
    stage: str  # scan | engage
    entered: dt.date
    exited: dt.date | None  # None: the force is in this stage still
    reasons: tuple[FindingRefView, ...]  # the causes of concern the letters gave
    documents: tuple[int, ...]  # the documents that state the entry
    exit_document: int | None

    @classmethod
    def of(cls, facts: EpisodeFacts) -> MonitoringEpisodeView:
        return cls(
            force=facts.force_id,
            stage=facts.stage,
            entered=facts.entered,
            exited=facts.exited,
            reasons=tuple(FindingRefView.of(f) for f in facts.reasons),
            documents=tuple(s.document_id for s in facts.statements if s.document_id),
            exit_document=facts.exit_statement.document_id if facts.exit_statement else None,
        )


@dataclass(frozen=True)
class ProgressLaterView:
    relation: str
    link_status: str  # confirmed, or candidate (a possible match not yet confirmed)
    finding: FindingRefView


@dataclass(frozen=True)
class ProgressRowView:
    earlier: FindingRefView
    status: str
    status_date: dt.date | None
    later: tuple[ProgressLaterView, ...]


@dataclass(frozen=True)
class ProgressView:
    """A force report's "Progress since the last inspection"."""

    since_inspection: int | None
    since_framework: str | None
    since_period: str | None
    since_published: dt.date | None
    rows: tuple[ProgressRowView, ...]

    @classmethod
    def of(cls, facts: list[FindingFacts], links: list[LinkFacts]) -> ProgressView:
        if not facts:
            return cls(None, None, None, None, ())
        since = facts[0].inspection
        later: dict[int, list[ProgressLaterView]] = {}
        for item in links:
            later.setdefault(item.link.earlier_id, []).append(
                ProgressLaterView(
                    item.link.relation, item.link.status, FindingRefView.of(item.later)
                )
            )
        rows = tuple(
            ProgressRowView(
                earlier=FindingRefView.of(f.finding),
                status=f.current.status,
                status_date=f.current.date,
                later=tuple(later.get(f.finding.id, [])),
            )
            for f in facts
        )
        return cls(since.id, since.framework_id, since.period, since.published, rows)


@dataclass(frozen=True)
class FollowupImportView:
    """What ``peel import`` did with one follow-up document (a letter, notice, register page
    or PCC response)."""

    file: str
    document: int
    already_imported: bool
    family: str
    force: str | None
    framework: str | None
    period: str | None
    published: dt.date | None
    inspections: tuple[int, ...]
    counts: Mapping[str, int]
    warnings: tuple[str, ...]
    not_found: tuple[str, ...]

    @classmethod
    def of(cls, parsed: ParsedFollowup, result: FollowupImportResult) -> FollowupImportView:
        return cls(
            file=result.filename,
            document=result.document_id,
            already_imported=result.already_imported,
            family=parsed.family,
            force=parsed.force,
            framework=parsed.framework,
            period=parsed.period,
            published=parsed.published,
            inspections=tuple(result.inspections),
            counts=dict(result.counts),
            warnings=tuple(w.message for w in parsed.warnings) + tuple(result.warnings),
            not_found=tuple(parsed.not_found),
        )
