"""Follow-up in an export: links between findings, status events, national recommendations,
PCC responses and monitoring statements (the ``followup`` object of ``peel export``).

Loaded after the inspections, with their ids kept, every value checked against the closed lists
of ``peelkit.domain.followup`` and every reference against what was loaded, naming the place
(``/followup/links/3/later``) of any problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peelkit.domain.followup import (
    EVENT_SOURCES,
    LINK_SOURCES,
    LINK_STATUSES,
    MONITORING_STAGES,
    RELATIONS,
    STATUSES,
)
from peelkit.errors import DataFileError
from peelkit.record import serialise
from peelkit.record.json_reader import Reader, located, pointer
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
from peelkit.reference import resolve_force

KEYS = ("links", "status_events", "national_recommendations", "pcc_responses", "monitoring")
_CITED = {"document": False, "line_start": False, "line_end": False}
_LINK = {
    "id": True,
    "force": True,
    "earlier": True,
    "later": True,
    "relation": True,
    "source": True,
    "score": False,
    "status": True,
    **_CITED,
    "entered_by": False,
    "decided_by": False,
    "decided_at": False,
    "note": False,
    "created_at": True,
}
_EVENT = {
    "id": True,
    "finding": False,
    "national_recommendation": False,
    "status": False,
    "status_as_printed": False,
    "date": True,
    "source": True,
    **_CITED,
    "entered_by": False,
    "note": False,
    "created_at": True,
}
_NATIONAL = {
    "id": True,
    "reference": True,
    "framework": False,
    "inspection_title": True,
    "text": True,
    "deadline": False,
    "addressed_to": True,
    "made": False,
    **_CITED,
}
_RESPONSE = {
    "id": True,
    "inspection": True,
    "responded": False,
    "stated_deadline": False,
    "address": False,
    "text": False,
    "items": False,
    **_CITED,
    "entered_by": False,
}
_STATEMENT = {
    "id": True,
    "force": True,
    "stage": True,
    "date": True,
    "reasons": False,
    **_CITED,
    "entered_by": False,
}


def export_followup(
    session: Session, public_at: dt.datetime | None, inspection_ids: set[int]
) -> tuple[dict[str, list[dict[str, Any]]], set[int]]:
    """The follow-up of the exported inspections, and the documents it cites."""
    findings = (
        set(session.scalars(select(Finding.id).where(Finding.inspection_id.in_(inspection_ids))))
        if public_at is not None
        else None
    )

    def shown(finding_id: int | None) -> bool:
        return findings is None or finding_id is None or finding_id in findings

    links = [
        link
        for link in session.scalars(select(FindingLinkRow).order_by(FindingLinkRow.id))
        if shown(link.earlier_id) and shown(link.later_id)
    ]
    events = [
        event
        for event in session.scalars(select(StatusEventRow).order_by(StatusEventRow.id))
        if shown(event.finding_id)
    ]
    national = list(
        session.scalars(select(NationalRecommendationRow).order_by(NationalRecommendationRow.id))
    )
    responses = [
        response
        for response in session.scalars(select(PccResponseRow).order_by(PccResponseRow.id))
        if public_at is None or response.inspection_id in inspection_ids
    ]
    statements = list(
        session.scalars(select(MonitoringStatementRow).order_by(MonitoringStatementRow.id))
    )
    rows: Sequence[Any] = [*links, *events, *national, *responses, *statements]
    cited = {row.document_id for row in rows if row.document_id is not None}
    value = {
        "links": [serialise.finding_link(r) for r in links],
        "status_events": [serialise.status_event(r) for r in events],
        "national_recommendations": [serialise.national_recommendation(r) for r in national],
        "pcc_responses": [serialise.pcc_response(r) for r in responses],
        "monitoring": [
            {**serialise.monitoring_statement(r), "reasons": [i for i in r.reasons if shown(i)]}
            for r in statements
        ],
    }
    return value, cited


def _choice(item: Reader, key: str, allowed: Sequence[str], required: bool = True) -> str | None:
    value = item.required_text(key) if required else item.text(key)
    if value is not None and value not in allowed:
        raise item.fail(f"expected one of {', '.join(allowed)}, found {value!r}", key)
    return value


def _reference(session: Session, item: Reader, key: str, table: Any, what: str) -> int | None:
    value = item.integer(key)
    if value is not None and session.get(table, value) is None:
        raise item.fail(f"no {what} {value} in the file", key)
    return value


def _cited(session: Session, item: Reader) -> dict[str, Any]:
    return {
        "document_id": _reference(session, item, "document", SourceDocument, "document"),
        "line_start": item.integer("line_start"),
        "line_end": item.integer("line_end"),
    }


def _stamp(item: Reader, key: str) -> dt.datetime:
    value = item.datetime(key)
    if value is None:
        raise item.fail("expected a date and time, found null", key)
    return value


def _day(item: Reader, key: str) -> dt.date:
    value = item.date(key)
    if value is None:
        raise item.fail("expected a date YYYY-MM-DD, found null", key)
    return value


def _reported_on(inspection: Inspection) -> dt.date:
    """When an inspection reported, as ``followup.store.reported_on`` orders links (which the
    record may not import): its publication date, else 1 January of its period's first year."""
    if inspection.published is not None:
        return inspection.published
    return dt.date(int(inspection.period[:4]), 1, 1)


def _check_link(
    session: Session, item: Reader, force: str, earlier_id: int | None, later_id: int | None
) -> None:
    """The rules a link entered by a person follows (``followup.store.add_link``): findings of
    the link's force, of two inspections, the earlier one reported first."""
    earlier, later = session.get(Finding, earlier_id), session.get(Finding, later_id)
    if earlier is None or later is None:
        return  # _reference has refused it
    for key, finding in (("earlier", earlier), ("later", later)):
        if finding.inspection.force_id != force:
            raise DataFileError(
                item.file,
                pointer(item.path, key),
                f"finding {finding.id} is about {finding.inspection.force_id}, not {force}: "
                "links join findings of the link's force",
                code="link_across_forces",
            )
    if earlier.inspection_id == later.inspection_id:
        raise DataFileError(
            item.file,
            pointer(item.path, "later"),
            f"findings {earlier.id} and {later.id} are of the same inspection: links join "
            "findings of different inspections",
            code="link_same_inspection",
        )
    if _reported_on(earlier.inspection) > _reported_on(later.inspection):
        raise DataFileError(
            item.file,
            pointer(item.path, "earlier"),
            f"finding {earlier.id} (inspection {earlier.inspection_id}) was reported after "
            f"finding {later.id} (inspection {later.inspection_id}): the earlier one comes first",
            code="link_order",
        )


def load_followup(session: Session, value: Any, file: str) -> dict[str, int]:
    """Load the ``followup`` object of an export (after its inspections)."""
    top = Reader(file, "/followup", value, {k: False for k in KEYS})
    counts = dict.fromkeys(KEYS, 0)
    for i, raw in enumerate(top.objects("national_recommendations")):
        item = Reader(file, pointer(top.path, "national_recommendations", i), raw, _NATIONAL)
        framework = item.text("framework")
        session.add(
            NationalRecommendationRow(
                id=item.integer("id"),
                reference=item.required_text("reference"),
                framework_id=framework,
                inspection_title=item.required_text("inspection_title"),
                text=item.required_text("text"),
                deadline=item.text("deadline"),
                addressed_to=item.required_text("addressed_to"),
                made=item.date("made"),
                **_cited(session, item),
            )
        )
        counts["national_recommendations"] += 1
    session.flush()
    for i, raw in enumerate(top.objects("links")):
        item = Reader(file, pointer(top.path, "links", i), raw, _LINK)
        earlier = _reference(session, item, "earlier", Finding, "finding")
        later = _reference(session, item, "later", Finding, "finding")
        if earlier == later:
            raise item.fail("a finding cannot be linked to itself", "later")
        with located(file, pointer(item.path, "force")):
            force = resolve_force(item.required_text("force")).id
        _check_link(session, item, force, earlier, later)
        session.add(
            FindingLinkRow(
                id=item.integer("id"),
                force_id=force,
                earlier_id=earlier,
                later_id=later,
                relation=_choice(item, "relation", RELATIONS),
                source=_choice(item, "source", LINK_SOURCES),
                score=item.number("score"),
                status=_choice(item, "status", LINK_STATUSES),
                **_cited(session, item),
                entered_by=item.text("entered_by"),
                decided_by=item.text("decided_by"),
                decided_at=item.datetime("decided_at"),
                note=item.text("note"),
                created_at=_stamp(item, "created_at"),
            )
        )
        counts["links"] += 1
    for i, raw in enumerate(top.objects("status_events")):
        item = Reader(file, pointer(top.path, "status_events", i), raw, _EVENT)
        finding = _reference(session, item, "finding", Finding, "finding")
        national = _reference(
            session,
            item,
            "national_recommendation",
            NationalRecommendationRow,
            "national recommendation",
        )
        if (finding is None) == (national is None):
            raise item.fail("expected one of finding or national_recommendation", "finding")
        session.add(
            StatusEventRow(
                id=item.integer("id"),
                finding_id=finding,
                national_recommendation_id=national,
                status=_choice(item, "status", STATUSES, required=False),
                status_as_printed=item.text("status_as_printed"),
                date=_day(item, "date"),
                source=_choice(item, "source", EVENT_SOURCES),
                **_cited(session, item),
                entered_by=item.text("entered_by"),
                note=item.text("note"),
                created_at=_stamp(item, "created_at"),
            )
        )
        counts["status_events"] += 1
    for i, raw in enumerate(top.objects("pcc_responses")):
        item = Reader(file, pointer(top.path, "pcc_responses", i), raw, _RESPONSE)
        inspection = _reference(session, item, "inspection", Inspection, "inspection")
        if inspection is None:
            raise item.fail("expected an inspection id, found null", "inspection")
        session.add(
            PccResponseRow(
                id=item.integer("id"),
                inspection_id=inspection,
                responded=item.date("responded"),
                stated_deadline=item.date("stated_deadline"),
                address=item.text("address"),
                text=item.text("text"),
                items=item.objects("items"),
                **_cited(session, item),
                entered_by=item.text("entered_by"),
            )
        )
        counts["pcc_responses"] += 1
    for i, raw in enumerate(top.objects("monitoring")):
        item = Reader(file, pointer(top.path, "monitoring", i), raw, _STATEMENT)
        reasons = item.items("reasons")
        for j, reason in enumerate(reasons):
            if not isinstance(reason, int) or isinstance(reason, bool):
                raise item.fail("expected a finding id", "reasons", j)
        session.add(
            MonitoringStatementRow(
                id=item.integer("id"),
                force_id=resolve_force(item.required_text("force")).id,
                stage=_choice(item, "stage", MONITORING_STAGES),
                date=_day(item, "date"),
                reasons=list(reasons),
                **_cited(session, item),
                entered_by=item.text("entered_by"),
            )
        )
        counts["monitoring"] += 1
    session.flush()
    return counts
