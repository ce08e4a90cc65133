"""Follow-up in the API under /api/v1/: the register, the links between findings, PCC
responses, monitoring episodes and a finding's history (GET, public, in the OpenAPI
document), and the writes staff make: confirming or rejecting a link, recording a status.

- The reads are ``peel followup register|links|responses|monitoring|history --json`` through
  the same views, with the same filters, only what the public may see at the app clock's time
  (``public_at``), as lists ``{"items", "next", "total"}`` paged by cursor, CSV at ``.csv``,
  with ETags and caching: everything ``peelkit.web.api`` gives its lists.
- The writes follow ``peelkit.web.api_write``: the actor from :func:`~peelkit.web.auth.
  writing_actor` (session cookie, 401; CSRF token in ``X-CSRF-Token``, 403), JSON bodies
  checked before anything changes, ``Cache-Control: no-store``, no CORS, left out of the
  OpenAPI document. The library checks the role (``Action.FOLLOW_UP``) and audits the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from peelkit.domain.followup import STATUSES
from peelkit.reference import resolve_force
from peelkit.views.followup import (
    FindingHistoryView,
    LinkView,
    MonitoringEpisodeView,
    RegisterRowView,
    ResponseRowView,
)
from peelkit.views.json import to_json
from peelkit.web import auth
from peelkit.web.api import (
    MAX_ID,
    PREFIX,
    ApiRoute,
    Cursor,
    ForceFilter,
    Limit,
    Listing,
    _list_model,
    _list_responses,
    _object_responses,
    endpoint,
    list_response,
    object_response,
    page_of,
)
from peelkit.web.api_write import (
    MAX_NAME,
    MAX_TEXT,
    Body,
    JsonBody,
    answer,
    json_body,
    read_body,
)
from peelkit.web.app import now_of, workspace_of
from peelkit.web.pagination import DEFAULT_LIMIT, Key, paginate

VIA = "api"

FollowedKind = Literal["cause_of_concern", "recommendation", "area_for_improvement"]
LinkStatus = Literal["candidate", "confirmed", "rejected"]
StatusFilter = Annotated[
    str | None,
    Query(
        max_length=MAX_NAME,
        description="Only findings with this current status: " + ", ".join(STATUSES) + ".",
    ),
]
Overdue = Annotated[bool, Query(description="Only those past their due date, not closed.")]
FindingId = Annotated[int, Path(ge=1, le=MAX_ID, description="The finding's id.")]
LinkId = Annotated[int, Path(ge=1, le=MAX_ID, description="The link's id.")]


def _force_id(force: str | None) -> str | None:
    return resolve_force(force).id if force else None


def _today(request: Request) -> dt.date:
    return now_of(request).date()


# --- reading -----------------------------------------------------------------------------------

followup_router = APIRouter(route_class=ApiRoute, tags=["follow-up"])


def _register_key(row: RegisterRowView) -> Key:
    # A force's findings by force and finding id, then the national recommendations by id.
    if row.finding is not None:
        return (0, row.finding.force, row.finding.id)
    assert row.national is not None
    return (1, "", row.national.id)


@endpoint(
    followup_router,
    "/followup/register",
    responses=_list_responses(
        _list_model(
            "FollowUpRegister",
            RegisterRowView,
            overdue=(int, Field(description="How many items of the whole list are overdue.")),
        )
    ),
    summary="Every cause of concern, recommendation and area for improvement with its status",
    csv_path=True,
)
def followup_register(
    request: Request,
    force: ForceFilter = None,
    status: StatusFilter = None,
    kind: Annotated[FollowedKind | None, Query(description="Only findings of this kind.")] = None,
    overdue: Overdue = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    force_id = _force_id(force)

    def build() -> Listing:
        view = workspace_of(request).followup_register(
            force=force_id,
            status=status,
            overdue=overdue,
            public_at=now_of(request),
            today=_today(request),
        )
        rows = [r for r in view.rows if kind is None or r.kind == kind]
        page = paginate(rows, _register_key, limit=limit, cursor=cursor)
        extra = {"overdue": sum(1 for r in rows if r.overdue)}
        return Listing(to_json(page.items), page.next, page.total, RegisterRowView, extra=extra)

    return list_response(request, "followup-register", build)


@endpoint(
    followup_router,
    "/followup/links",
    responses=_list_responses(_list_model("FollowUpLinks", LinkView)),
    summary="Links from later findings to earlier ones of the same force",
    csv_path=True,
)
def followup_links(
    request: Request,
    force: ForceFilter = None,
    status: Annotated[LinkStatus | None, Query(description="Only links with this status.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    force_id = _force_id(force)

    def build() -> Listing:
        found = workspace_of(request).followup_links(
            force=force_id, status=status, public_at=now_of(request)
        )
        return page_of(found, lambda v: (v.force, v.id), limit, cursor, LinkView)

    return list_response(request, "followup-links", build)


@endpoint(
    followup_router,
    "/followup/responses",
    responses=_list_responses(_list_model("FollowUpResponses", ResponseRowView)),
    summary="PCC responses: every published inspection's section 55 due date and response",
    csv_path=True,
)
def followup_responses(
    request: Request,
    force: ForceFilter = None,
    overdue: Annotated[
        bool, Query(description="Only inspections with no response past the due date.")
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    force_id = _force_id(force)

    def build() -> Listing:
        rows = workspace_of(request).followup_responses(
            overdue=overdue, force=force_id, public_at=now_of(request), today=_today(request)
        )
        return page_of(
            rows,
            lambda r: (r.force, r.published.isoformat() if r.published else "", r.inspection),
            limit,
            cursor,
            ResponseRowView,
        )

    return list_response(request, "followup-responses", build)


@endpoint(
    followup_router,
    "/followup/monitoring",
    responses=_list_responses(_list_model("FollowUpMonitoring", MonitoringEpisodeView)),
    summary="Monitoring episodes (scan, engage) with their dates and reasons",
    csv_path=True,
)
def followup_monitoring(
    request: Request,
    force: ForceFilter = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    force_id = _force_id(force)

    def build() -> Listing:
        episodes = workspace_of(request).followup_monitoring(
            force=force_id, public_at=now_of(request)
        )
        return page_of(
            episodes,
            lambda e: (e.force, e.entered.isoformat(), e.stage),
            limit,
            cursor,
            MonitoringEpisodeView,
        )

    return list_response(request, "followup-monitoring", build)


@endpoint(
    followup_router,
    "/findings/{finding_id}/history",
    responses=_object_responses(FindingHistoryView),
    summary="One finding's status history, current status, due date and links",
)
def finding_history(request: Request, finding_id: FindingId) -> Response:
    return object_response(
        request,
        lambda: workspace_of(request).finding_history(
            finding_id, public_at=now_of(request), today=_today(request)
        ),
    )


# --- writing -----------------------------------------------------------------------------------

write_router = APIRouter()

Note = Annotated[str | None, Field(max_length=MAX_TEXT)]


class Decision(Body):
    note: Note = None
    relation: Annotated[str | None, Field(max_length=MAX_NAME)] = None


class NewStatus(Body):
    status: Annotated[str, Field(max_length=MAX_NAME)]
    date: dt.date
    source: Annotated[str, Field(max_length=MAX_NAME)] = "person"
    note: Note = None


async def optional_json_body(request: Request) -> Any:
    """The JSON body, or ``{}`` for a request with none (a decision needs no note)."""
    if not await request.body():
        return {}
    return await json_body(request)


OptionalJsonBody = Annotated[Any, Depends(optional_json_body)]


def _decide(request: Request, link_id: int, decision: str, document: Any) -> Response:
    actor = auth.writing_actor(request, VIA)
    given = read_body(Decision, document)
    view = workspace_of(request).decide_link(
        link_id, decision, actor, note=given.note, relation=given.relation
    )
    return answer(view)


@write_router.post("/followup/links/{link_id}/confirm", include_in_schema=False)
def confirm_link(request: Request, link_id: LinkId, document: OptionalJsonBody) -> Response:
    """Confirm a link (``{"note", "relation"}``, both optional: correct the relation)."""
    return _decide(request, link_id, "confirmed", document)


@write_router.post("/followup/links/{link_id}/reject", include_in_schema=False)
def reject_link(request: Request, link_id: LinkId, document: OptionalJsonBody) -> Response:
    return _decide(request, link_id, "rejected", document)


@write_router.post("/findings/{finding_id}/status", include_in_schema=False)
def record_status(request: Request, finding_id: FindingId, document: JsonBody) -> Response:
    """Append a status event (``{"status", "date", "source", "note"}``): 201 and the
    finding's history."""
    actor = auth.writing_actor(request, VIA)
    given = read_body(NewStatus, document)
    view = workspace_of(request).record_status(
        finding_id, given.status, given.date, given.source, given.note, actor
    )
    return answer(view, 201)


router = APIRouter(prefix=PREFIX)
router.include_router(followup_router)
router.include_router(write_router)
