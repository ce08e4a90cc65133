"""Writing a parsed follow-up document into the record, in the caller's transaction.

What a letter quotes is matched to the record: its causes of concern to the causes of concern
of the inspection it follows up, its recommendations to theirs (by text, one to one, best
first). What cannot be matched is created, from the letter, and flagged; the inspection itself
is created (published, as the letter shows) when the record does not hold it. Statuses become
status events (source ``letter``, ``register`` or ``pcc_response``), monitoring stages become
monitoring statements, a PCC form a response. Every step that could not be done is a warning
of the result, naming the lines. Importing the same file again changes nothing.

The record is the same whatever order the documents come in:

- a finding created from a follow-up document takes its words, lines and document from the
  earliest-dated document that states it: when an earlier one arrives it restates the finding
  (``followup_finding_restated``); its area and deadline are the earliest document's when it
  gives them, else those another document gave;
- when a document issues findings (a notice's ``open`` on its date) or says when they were
  made (a letter's inspection dates: ``open`` on the first day printed), that is stored as the
  finding's origin, which a status may not precede (``peelkit.followup.made``): a later
  letter imported first does not make an earlier document's statuses "too early";
- a recommendation created under a cause of concern a letter already closed is closed with it,
  by that letter, as if the letter had come after it;
- "the remaining causes of concern" are those not settled before the statement's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from peelkit.errors import DataFileError, InvalidRecord
from peelkit.followup import store
from peelkit.followup.documents.model import ParsedFollowup, QuotedFinding
from peelkit.followup.lineage import normalise
from peelkit.followup.made import day_month_year
from peelkit.followup.register import finding_facts
from peelkit.followup.status import SETTLED
from peelkit.followup.store import Cited, of_report
from peelkit.frameworks import load_framework
from peelkit.record import operations as ops
from peelkit.record.schema import Finding, Inspection, SourceDocument, StatusEventRow
from peelkit.reportimport.model import Span

# Quoted text matches a finding of the record at or above this score (rapidfuzz token set
# ratio of the normalised, roughly stemmed texts). Letters paraphrase ("was failing to identify
# and assess vulnerability" for "needs to improve how it identifies and assesses
# vulnerability"), and candidates are only the inspection's own findings of the same kind.
MATCH_THRESHOLD = 60.0

PUBLISHERS = {
    "accelerated_cause_of_concern": "HMICFRS",
    "cause_of_concern_revisit": "HMICFRS",
    "recommendations_register": "HMIC",
    "pcc_response": "Police and crime commissioner",
}
EVENT_SOURCE = {
    "accelerated_cause_of_concern": "letter",
    "cause_of_concern_revisit": "letter",
    "recommendations_register": "register",
    "pcc_response": "pcc_response",
}


@dataclass
class FollowupImportResult:
    filename: str
    document_id: int
    already_imported: bool
    family: str
    force: str | None
    inspections: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _stem(text: str) -> str:
    words = normalise(text).split()
    return " ".join(re.sub(r"(ing|es|ed|s)$", "", w) if len(w) > 4 else w for w in words)


def _cited(document_id: int, span: Span | None) -> Cited:
    if span is None:
        return Cited(document_id=document_id)
    return Cited(document_id=document_id, line_start=span.line_start, line_end=span.line_end)


def _lines(span: Span | None) -> str:
    if span is None:
        return ""
    if span.line_start == span.line_end:
        return f"line {span.line_start}: "
    return f"lines {span.line_start}-{span.line_end}: "


def store_followup(
    session: Session, parsed: ParsedFollowup, now: dt.datetime
) -> FollowupImportResult:
    source = parsed.source
    # The same document: its bytes, or its text in other bytes (another encoding, line ending
    # or a PDF of it), as for reports (peelkit.reportimport.store.already_imported).
    same = (SourceDocument.sha256 == source.sha256) | (
        SourceDocument.text_sha256 == source.text_sha256
        if source.text_sha256 is not None
        else false()
    )
    existing = session.scalar(
        select(SourceDocument)
        .where(same)
        .order_by((SourceDocument.sha256 != source.sha256), SourceDocument.id)
        .limit(1)
    )
    if existing is not None:
        return FollowupImportResult(source.filename, existing.id, True, parsed.family, parsed.force)
    document = ops.register_document(
        session,
        sha256=source.sha256,
        title=parsed.title,
        filename=source.filename,
        media_type=source.media_type,
        publisher=PUBLISHERS[parsed.family],
        published=parsed.published,
        line_count=source.line_count,
        page_count=source.page_count,
    )
    document.text_sha256 = source.text_sha256
    result = FollowupImportResult(
        source.filename,
        document.id,
        False,
        parsed.family,
        parsed.force,
        counts={
            "findings_matched": 0,
            "findings_created": 0,
            "status_events": 0,
            "monitoring_statements": 0,
            "responses": 0,
            "national_recommendations": 0,
        },
    )
    for warning in parsed.warnings:
        ops.record_import_warning(
            session,
            document_id=document.id,
            code=warning.code,
            message=warning.message,
            line_start=warning.span.line_start if warning.span else None,
            line_end=warning.span.line_end if warning.span else None,
        )
    if parsed.family == "recommendations_register":
        _store_register(session, parsed, document, result, now)
        return result
    if parsed.force is None:
        raise DataFileError(
            source.filename,
            "",
            "cannot tell which force the document is about; say with --force",
            code="force_not_detected",
        )
    inspection = _inspection(session, parsed, result)
    ids = _match_findings(session, parsed, inspection, document, result, now)
    if parsed.family == "pcc_response":
        _store_response(session, parsed, inspection, ids, document, result)
    _store_identified(session, parsed, ids, document, result, now)
    _store_statuses(session, parsed, inspection, ids, document, result, now)
    _store_stages(session, parsed, ids, document, result)
    store.refresh_links(session, parsed.force, now)
    return result


def _warn(
    session: Session,
    result: FollowupImportResult,
    code: str,
    message: str,
    document_id: int,
    span: Span | None = None,
) -> None:
    result.warnings.append(f"{_lines(span)}{message}")
    ops.record_import_warning(
        session,
        document_id=document_id,
        code=code,
        message=message,
        line_start=span.line_start if span else None,
        line_end=span.line_end if span else None,
    )


def _inspection(
    session: Session, parsed: ParsedFollowup, result: FollowupImportResult
) -> Inspection:
    assert parsed.force is not None
    if parsed.framework is None:
        raise DataFileError(
            parsed.source.filename,
            "",
            "cannot tell which inspection the document follows up (no framework found); say "
            "with --framework",
            code="followup_framework_not_detected",
        )
    inspection = ops.find_inspection(
        session, force=parsed.force, framework=parsed.framework, period=parsed.period
    )
    if inspection is None:
        spec = load_framework(parsed.framework)
        published = parsed.response.inspection_published if parsed.response else None
        inspection = ops.create_inspection(
            session,
            force=parsed.force,
            framework=parsed.framework,
            period=parsed.period,
            title=f"{spec.title} (known from follow-up documents)",
            status="published",
            published=published,
        )
        _warn(
            session,
            result,
            "followup_inspection_created",
            f"the record holds no {parsed.framework} inspection of {parsed.force}: created "
            f"inspection {inspection.id} (published) from this document",
            result.document_id,
        )
    elif (
        parsed.response is not None
        and parsed.response.inspection_published is not None
        and inspection.published is None
    ):
        inspection.published = parsed.response.inspection_published
        _warn(
            session,
            result,
            "followup_publication_date_added",
            f"inspection {inspection.id} had no publication date: the form gives "
            f"{parsed.response.inspection_published.isoformat()}, now recorded",
            result.document_id,
        )
    result.inspections.append(inspection.id)
    return inspection


def _match_findings(
    session: Session,
    parsed: ParsedFollowup,
    inspection: Inspection,
    document: SourceDocument,
    result: FollowupImportResult,
    now: dt.datetime,
) -> list[int]:
    """The record's finding id for each quoted finding, matched or created."""
    ids: list[int | None] = [None] * len(parsed.findings)
    # Causes of concern first: a recommendation is matched among its cause's recommendations
    # when its cause was matched, else among the inspection's.
    order = sorted(
        range(len(parsed.findings)),
        key=lambda i: parsed.findings[i].kind != "cause_of_concern",
    )
    taken: set[int] = set()
    for kind in ("cause_of_concern", "recommendation", "area_for_improvement"):
        pairs: list[tuple[float, int, int]] = []
        for i in (i for i in order if parsed.findings[i].kind == kind):
            said = parsed.findings[i]
            concern = ids[said.cause_of_concern] if said.cause_of_concern is not None else None
            candidates = [
                f
                for f in inspection.findings
                if f.kind == kind and (concern is None or f.cause_of_concern_id == concern)
            ]
            words = _stem(said.text)
            for finding in candidates:
                score = fuzz.token_set_ratio(words, _stem(finding.text))
                if score >= MATCH_THRESHOLD:
                    pairs.append((score, i, finding.id))
        for _score, i, finding_id in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if ids[i] is None and finding_id not in taken:
                ids[i] = finding_id
                taken.add(finding_id)
                result.counts["findings_matched"] += 1
    spec = load_framework(inspection.framework_id)
    for i, known in enumerate(ids):
        if known is not None:
            _restate(session, parsed, parsed.findings[i], known, document, result)
    for i in order:
        if ids[i] is not None:
            continue
        quoted = parsed.findings[i]
        area = spec.find_area(quoted.area_hint) if quoted.area_hint else None
        concern = None
        if quoted.kind == "recommendation" and quoted.cause_of_concern is not None:
            concern = ids[quoted.cause_of_concern]
        created = ops.record_finding(
            session,
            inspection,
            kind=quoted.kind,
            text=quoted.text,
            area=area.id if area else None,
            cause_of_concern_id=concern,
            deadline=quoted.deadline,
            provenance=ops.Provenance(
                document_id=document.id,
                line_start=quoted.span.line_start,
                line_end=quoted.span.line_end,
            ),
        )
        created.flag = _flag(parsed, document)
        session.flush()
        ids[i] = created.id
        result.counts["findings_created"] += 1
        if concern is not None:
            _closed_with_its_cause(session, created.id, concern, document, result, now)
        _warn(
            session,
            result,
            "followup_finding_created",
            f"{_kind(quoted)} not in the record, created as finding {created.id}: "
            f"{_short(quoted.text)}",
            document.id,
            quoted.span,
        )
    matched = [i for i in ids if i is not None]
    assert len(matched) == len(ids)
    return matched


def _flag(parsed: ParsedFollowup, document: SourceDocument) -> str:
    when = day_month_year(document.published) if document.published else "unknown date"
    return (
        f"created from the {parsed.family.replace('_', ' ')} of {when}: the record held no "
        "finding this could be matched to"
    )


def _order(document: SourceDocument) -> tuple[dt.date, str]:
    """Documents oldest first; the checksum decides between two of one date."""
    return (document.published or dt.date.max, document.sha256)


def _restate(
    session: Session,
    parsed: ParsedFollowup,
    quoted: QuotedFinding,
    finding_id: int,
    document: SourceDocument,
    result: FollowupImportResult,
) -> None:
    """A finding created from a follow-up document, quoted again by ``document``: the earlier
    of the two documents gives its words, lines and document; the area and deadline are the
    earlier's when it gives them, else the other's. A report's finding is never touched."""
    finding = session.get(Finding, finding_id)
    if finding is None or of_report(finding) or not (finding.flag or "").startswith("created"):
        return
    own = session.get(SourceDocument, finding.document_id)
    if own is None or own.id == document.id:
        return
    spec = load_framework(finding.framework_id)
    hint = spec.find_area(quoted.area_hint) if quoted.area_hint else None
    earlier = _order(document) < _order(own)
    changed = False
    if earlier:
        finding.text = quoted.text
        finding.document_id = document.id
        finding.line_start, finding.line_end = quoted.span.line_start, quoted.span.line_end
        finding.page_start = finding.page_end = None
        finding.flag = _flag(parsed, document)
        changed = True
    if hint is not None and (earlier or finding.area_id is None) and finding.area_id != hint.id:
        finding.area_id = hint.id
        changed = True
    if (
        quoted.deadline
        and (earlier or not finding.deadline)
        and finding.deadline != quoted.deadline
    ):
        finding.deadline = quoted.deadline
        changed = True
    if not changed:
        return
    finding.bump()
    session.flush()
    if earlier:
        _warn(
            session,
            result,
            "followup_finding_restated",
            f"finding {finding.id} was created from a later document (of "
            f"{day_month_year(own.published) if own.published else 'unknown date'}): its text, "
            f"lines and document are now this one's: {_short(quoted.text)}",
            document.id,
            quoted.span,
        )


def _closed_with_its_cause(
    session: Session,
    recommendation_id: int,
    concern_id: int,
    document: SourceDocument,
    result: FollowupImportResult,
    now: dt.datetime,
) -> None:
    """Closing a cause of concern closes the recommendations made with it: a recommendation
    created after a letter closed its cause gets that closure too (the letter's own event,
    lines and note), as when the letter comes after it."""
    closures = session.scalars(
        select(StatusEventRow)
        .where(
            StatusEventRow.finding_id == concern_id,
            StatusEventRow.status.in_(("closed", "closed_not_implemented")),
            StatusEventRow.document_id.is_not(None),
        )
        .order_by(StatusEventRow.date, StatusEventRow.id)
    )
    for event in list(closures):
        assert event.status is not None
        if store.has_event(session, recommendation_id, event.status, event.date, event.document_id):
            continue
        try:
            store.add_status_event(
                session,
                finding_id=recommendation_id,
                status=event.status,
                date=event.date,
                source=event.source,
                note=event.note,
                cited=Cited(
                    document_id=event.document_id,
                    line_start=event.line_start,
                    line_end=event.line_end,
                ),
                now=now,
            )
        except InvalidRecord as exc:
            _warn(session, result, "followup_status_skipped", exc.message, document.id)
            continue
        result.counts["status_events"] += 1


def _kind(quoted: QuotedFinding) -> str:
    return quoted.kind.replace("_", " ")


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


def _store_statuses(
    session: Session,
    parsed: ParsedFollowup,
    inspection: Inspection,
    ids: list[int],
    document: SourceDocument,
    result: FollowupImportResult,
    now: dt.datetime,
) -> None:
    source = EVENT_SOURCE[parsed.family]
    # A notice's "open" on its own date is the document issuing its findings: their origin.
    issuing = parsed.family == "accelerated_cause_of_concern"
    for stated in parsed.statuses:
        if stated.scope == "remaining":
            concerns = [f for f in inspection.findings if f.kind == "cause_of_concern"]
            targets = _not_settled_before(session, concerns, stated.date)
        else:
            targets = [ids[i] for i in stated.findings if i < len(ids)]
        if stated.status in ("closed", "closed_not_implemented"):
            # Closing a cause of concern closes the recommendations made with it.
            for finding in list(inspection.findings):
                if finding.cause_of_concern_id in targets and finding.id not in targets:
                    targets.append(finding.id)
        if not targets:
            _warn(
                session,
                result,
                "followup_status_unmatched",
                f"the document says {stated.status.replace('_', ' ')} but names no finding "
                "peelkit could match",
                document.id,
                stated.span,
            )
        for finding_id in targets:
            if store.has_event(session, finding_id, stated.status, stated.date, document.id):
                continue
            try:
                store.add_status_event(
                    session,
                    finding_id=finding_id,
                    status=stated.status,
                    date=stated.date,
                    source=source,
                    note=stated.note,
                    cited=_cited(document.id, stated.span),
                    now=now,
                    origin=issuing and stated.status == "open",
                )
            except InvalidRecord as exc:
                _warn(
                    session,
                    result,
                    "followup_status_skipped",
                    exc.message,
                    document.id,
                    stated.span,
                )
                continue
            result.counts["status_events"] += 1


def _not_settled_before(session: Session, concerns: list[Finding], date: dt.date) -> list[int]:
    """The causes of concern not closed or superseded before ``date`` (by the events dated
    before it, whatever was imported first)."""
    targets = []
    for facts in finding_facts(session, concerns, date):
        before = [e for e in facts.history if e.status is not None and e.date < date]
        if not before or before[-1].status not in SETTLED:
            targets.append(facts.finding.id)
    return targets


def _store_identified(
    session: Session,
    parsed: ParsedFollowup,
    ids: list[int],
    document: SourceDocument,
    result: FollowupImportResult,
    now: dt.datetime,
) -> None:
    """A letter's statement of when its findings were made (the inspection it dates): an
    ``open`` on the first day printed, the findings' origin."""
    stated = parsed.identified
    if stated is None:
        return
    source = EVENT_SOURCE[parsed.family]
    dated = "" if stated.first == stated.last else " (dated on its first day)"
    note = f"identified at the inspection the letter dates '{stated.printed}'{dated}"
    for finding_id in [ids[i] for i in stated.findings if i < len(ids)]:
        if store.has_event(session, finding_id, "open", stated.first, document.id):
            continue
        try:
            store.add_status_event(
                session,
                finding_id=finding_id,
                status="open",
                date=stated.first,
                source=source,
                note=note,
                cited=_cited(document.id, stated.span),
                now=now,
                origin=True,
            )
        except InvalidRecord as exc:
            _warn(session, result, "followup_status_skipped", exc.message, document.id, stated.span)
            continue
        result.counts["status_events"] += 1


def _store_stages(
    session: Session,
    parsed: ParsedFollowup,
    ids: list[int],
    document: SourceDocument,
    result: FollowupImportResult,
) -> None:
    assert parsed.force is not None
    for stage in parsed.stages:
        reasons = [ids[i] for i in stage.reasons if i < len(ids)]
        store.record_monitoring_statement(
            session,
            force_id=parsed.force,
            stage=stage.stage,
            date=stage.date,
            reasons=reasons,
            cited=_cited(document.id, stage.span),
        )
        result.counts["monitoring_statements"] += 1


def _store_response(
    session: Session,
    parsed: ParsedFollowup,
    inspection: Inspection,
    ids: list[int],
    document: SourceDocument,
    result: FollowupImportResult,
) -> None:
    response = parsed.response
    if response is None:
        return
    items: list[dict[str, object]] = [
        {"finding": ids[i] if i < len(ids) else None, "text": text} for i, text in response.items
    ]
    try:
        store.record_pcc_response(
            session,
            inspection,
            responded=response.responded,
            stated_deadline=response.stated_deadline,
            address=response.address,
            text=response.text,
            items=items,
            cited=_cited(document.id, response.span),
        )
    except InvalidRecord as exc:
        _warn(session, result, "followup_response_skipped", exc.message, document.id, response.span)
        return
    result.counts["responses"] += 1


def _store_register(
    session: Session,
    parsed: ParsedFollowup,
    document: SourceDocument,
    result: FollowupImportResult,
    now: dt.datetime,
) -> None:
    for entry in parsed.register:
        row = store.national_recommendation_by_reference(session, entry.reference)
        if row is None:
            row = store.record_national_recommendation(
                session,
                reference=entry.reference,
                framework_id=entry.framework,
                inspection_title=entry.inspection_title,
                text=entry.text,
                deadline=entry.deadline,
                addressed_to=entry.addressed_to,
                made=min((e.date for e in entry.events), default=None),
                cited=_cited(document.id, entry.span),
            )
            result.counts["national_recommendations"] += 1
        known = {
            (e.date, e.status, e.note)
            for e in session.scalars(
                select(StatusEventRow).where(StatusEventRow.national_recommendation_id == row.id)
            )
        }
        for event in entry.events:
            if (event.date, event.status, event.comment) in known:
                continue
            if event.status is None and not event.comment:
                continue
            store.add_status_event(
                session,
                national_recommendation_id=row.id,
                status=event.status,
                status_as_printed=event.status_as_printed,
                date=event.date,
                source="register",
                note=event.comment,
                cited=_cited(document.id, event.span),
                now=now,
            )
            result.counts["status_events"] += 1
