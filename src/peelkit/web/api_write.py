"""The API's write side under /api/v1/: the session, inspections, their items and transitions,
uploads, accounts and the audit log (docs/api.md, "Writing: sessions, inspections,
transitions").

- Who is asking comes from ``peelkit.web.auth`` only: every write takes its actor from
  :func:`~peelkit.web.auth.writing_actor` (the session cookie, 401, and the session's CSRF token
  in the ``X-CSRF-Token`` header, 403), every staff read from
  :func:`~peelkit.web.auth.reading_actor`. The time is the app clock's (``now_of``).
- This layer never checks a role: the library does (``record.workflow.authorise``), so the API,
  the pages and the CLI refuse the same things with the same message.
- Bodies are JSON (``Content-Type: application/json``, which a cross-site form cannot send),
  validated by the models below: an unknown field, a wrong type or a text longer than its limit
  is a 400 naming the field, before anything changes.
- Writes are same-origin: these routes add no CORS headers, and the preflight of the read API
  allows only GET and HEAD. Every answer here is ``Cache-Control: no-store``.
- The routes are left out of /api/v1/openapi.json (which documents the public read side), but
  for ``POST /inspections``, which shares its path with the public list; :data:`WRITE_ROUTES`
  lists every state-changing route with the action the library checks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from peelkit import inspectors
from peelkit.domain.permissions import Action
from peelkit.errors import InvalidRecord, Location, NotAuthenticated
from peelkit.record.workflow import parse_uk_time
from peelkit.views.inspections import InspectionView
from peelkit.views.json import to_json
from peelkit.web import auth
from peelkit.web.api import MAX_ID, PREFIX, ErrorBody, json_text
from peelkit.web.app import now_of, workspace_of

VIA = "api"
JSON = "application/json"
NO_STORE = {"Cache-Control": "no-store"}
# The longest free text a field takes (a rationale, a finding's text, a description).
MAX_TEXT = 20_000
# Names, ids, grades, kinds, periods and other short values.
MAX_NAME = 200

router = APIRouter(prefix=PREFIX)
# Staff routes stay out of the public OpenAPI document, but for POST /inspections: its path is
# the public list's, and the document says what other methods there answer.

InspectionId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


# --- the routes that change something -------------------------------------------------------


@dataclass(frozen=True)
class WriteRoute:
    """A state-changing route and the action the library checks for it (None: the session
    routes, which only need a signed-in session, or none for signing in)."""

    method: str
    path: str
    action: Action | None


_ITEMS = ("judgments", "findings", "evidence", "figures")
WRITE_ROUTES: tuple[WriteRoute, ...] = (
    WriteRoute("POST", f"{PREFIX}/session", None),
    WriteRoute("DELETE", f"{PREFIX}/session", None),
    WriteRoute("POST", f"{PREFIX}/inspections", Action.CREATE_INSPECTION),
    *(
        route
        for items in _ITEMS
        for route in (
            WriteRoute(
                "POST", f"{PREFIX}/inspections/{{inspection_id}}/{items}", Action.EDIT_DRAFT
            ),
            WriteRoute(
                "PATCH",
                f"{PREFIX}/inspections/{{inspection_id}}/{items}/{{item_id}}",
                Action.EDIT_DRAFT,
            ),
            WriteRoute(
                "DELETE",
                f"{PREFIX}/inspections/{{inspection_id}}/{items}/{{item_id}}",
                Action.EDIT_DRAFT,
            ),
        )
    ),
    # The action of the transition asked for: moderate, return or publish.
    WriteRoute("POST", f"{PREFIX}/inspections/{{inspection_id}}/transitions", Action.MODERATE),
    WriteRoute("POST", f"{PREFIX}/inspections/{{inspection_id}}/uploads", Action.IMPORT_INTO_DRAFT),
    WriteRoute(
        "POST",
        f"{PREFIX}/inspections/{{inspection_id}}/uploads/{{token}}/confirm",
        Action.IMPORT_INTO_DRAFT,
    ),
    WriteRoute("POST", f"{PREFIX}/groups", Action.MANAGE_REFERENCE),
    WriteRoute("POST", f"{PREFIX}/users", Action.MANAGE_ACCOUNTS),
    WriteRoute("POST", f"{PREFIX}/users/{{username}}/disable", Action.MANAGE_ACCOUNTS),
    # Follow-up (peelkit.web.api_followup): deciding links, recording statuses.
    WriteRoute("POST", f"{PREFIX}/followup/links/{{link_id}}/confirm", Action.FOLLOW_UP),
    WriteRoute("POST", f"{PREFIX}/followup/links/{{link_id}}/reject", Action.FOLLOW_UP),
    WriteRoute("POST", f"{PREFIX}/findings/{{finding_id}}/status", Action.FOLLOW_UP),
)

# The URL's name of each kind of item -> the library's item type.
ITEM_TYPES = {
    "judgments": "judgment",
    "findings": "finding",
    "evidence": "evidence",
    "figures": "figure",
}


# --- bodies ----------------------------------------------------------------------------------


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignIn(Body):
    username: Annotated[str, Field(max_length=MAX_NAME)]
    password: Annotated[str, Field(max_length=1000)]


class NewInspection(Body):
    force: Name
    framework: Name
    period: Name | None = None
    title: Annotated[str | None, Field(max_length=MAX_TEXT)] = None


class Correction(Body):
    # Only for a published inspection (administrators): why it is corrected.
    reason: Annotated[str | None, Field(max_length=MAX_TEXT)] = None


class NewJudgment(Correction):
    area: Name
    grade: Name | None = None
    direction: Name | None = None
    rationale: Text | None = None
    year_last_inspected: Name | None = None
    carried_over: bool = False
    previous_grade: Name | None = None


class Change(Correction):
    """A PATCH: the version of the item it was made to, and only the fields it changes."""

    version: int


class JudgmentChange(Change):
    grade: Name | None = None
    direction: Name | None = None
    rationale: Text | None = None
    year_last_inspected: Name | None = None
    carried_over: bool | None = None
    previous_grade: Name | None = None


class NewFinding(Correction):
    kind: Name
    text: Text
    area: Name | None = None
    heading: Text | None = None
    lead_in: Text | None = None
    sub_items: Annotated[list[Text], Field(max_length=200)] = []
    cause_of_concern: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None
    deadline: Name | None = None


class FindingChange(Change):
    kind: Name | None = None
    text: Text | None = None
    area: Name | None = None
    heading: Text | None = None
    lead_in: Text | None = None
    sub_items: Annotated[list[Text] | None, Field(max_length=200)] = None
    cause_of_concern: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None
    deadline: Name | None = None


class CriterionResult(Body):
    """``{"criterion": "victim needs assessed", "count": 72, "of": 90}``; ``of`` defaults to
    the sample size."""

    criterion: Text
    count: Annotated[int | None, Field(ge=0)] = None
    of: Annotated[int | None, Field(ge=1)] = None


class NewEvidence(Correction):
    kind: Name
    area: Name | None = None
    description: Text | None = None
    sample_size: Annotated[int | None, Field(ge=0)] = None
    period: Name | None = None  # the selection window, such as "files closed April-June 2018"
    criteria_results: Annotated[list[CriterionResult], Field(max_length=500)] = []


class EvidenceChange(Change):
    kind: Name | None = None
    area: Name | None = None
    description: Text | None = None
    sample_size: Annotated[int | None, Field(ge=0)] = None
    period: Name | None = None
    criteria_results: Annotated[list[CriterionResult] | None, Field(max_length=500)] = None


class NewFigure(Correction):
    measure: Text
    comparator: Name = "none"
    area: Name | None = None
    table: Text | None = None
    period: Name | None = None
    unit: Name | None = None
    force_value_as_printed: Name | None = None
    force_value: float | None = None
    comparator_label: Name | None = None
    comparator_value_as_printed: Name | None = None
    comparator_value: float | None = None
    change_as_printed: Name | None = None
    change: float | None = None


class FigureChange(Change):
    measure: Text | None = None
    comparator: Name | None = None
    area: Name | None = None
    table: Text | None = None
    period: Name | None = None
    unit: Name | None = None
    force_value_as_printed: Name | None = None
    force_value: float | None = None
    comparator_label: Name | None = None
    comparator_value_as_printed: Name | None = None
    comparator_value: float | None = None
    change_as_printed: Name | None = None
    change: float | None = None


class TransitionAsked(Body):
    to: Name
    embargo_until: Name | None = None  # UK time, "2026-12-03 00:01", or ISO with an offset
    comment: Text | None = None


class NewAccount(Body):
    username: Name
    role: Name
    password: Annotated[str, Field(max_length=1000)]


NEW_ITEM: dict[str, type[Correction]] = {
    "judgment": NewJudgment,
    "finding": NewFinding,
    "evidence": NewEvidence,
    "figure": NewFigure,
}
ITEM_CHANGE: dict[str, type[Change]] = {
    "judgment": JudgmentChange,
    "finding": FindingChange,
    "evidence": EvidenceChange,
    "figure": FigureChange,
}

M = TypeVar("M", bound=BaseModel)


async def json_body(request: Request) -> Any:
    """The request's JSON document; 400 when the request is not JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != JSON:
        raise InvalidRecord(
            f"the body must be JSON sent with Content-Type: {JSON} (got {media or 'none'})",
            code="json_body_required",
        )
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRecord("the body is not a JSON document", code="json_body_required") from None


JsonBody = Annotated[Any, Depends(json_body)]


def read_body(model: type[M], document: Any) -> M:
    """``document`` as ``model``; the first problem as a 400 naming its field."""
    if not isinstance(document, dict):
        raise InvalidRecord("the body must be a JSON object", code="invalid_parameter")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem.get("loc", ())) or "body"
        if problem.get("type") == "extra_forbidden":
            allowed = ", ".join(model.model_fields)
            raise InvalidRecord(
                f"{where}: unknown field (this body takes: {allowed})",
                code="unknown_field",
                location=Location(field=where),
            ) from None
        raise InvalidRecord(
            f"{where}: {problem.get('msg', 'invalid value')}",
            code="invalid_parameter",
            location=Location(field=where),
        ) from None


def answer(view: object, status: int = 200) -> Response:
    return Response(json_text(to_json(view)), status, headers=NO_STORE, media_type=JSON)


def no_content() -> Response:
    return Response(status_code=204, headers=NO_STORE)


def _uk_time(value: str | None) -> dt.datetime | None:
    return parse_uk_time(value) if value is not None and value.strip() else None


# --- the session -----------------------------------------------------------------------------


@router.post("/session", include_in_schema=False)
def sign_in(request: Request, document: JsonBody) -> Response:
    """Sign in: a new session (always a new id) in the cookie, and the session as JSON."""
    given = read_body(SignIn, document)
    ws = workspace_of(request)
    now = now_of(request)
    signed = ws.sign_in(
        given.username.strip(), given.password, auth.client_address(request), now, VIA
    )
    old = auth.session_token(request)
    if old is not None:
        with contextlib.suppress(NotAuthenticated):  # unless it had already ended
            ws.sign_out(old, now, via=VIA)
    response = answer(signed.session)
    auth.set_session_cookie(response, request, signed.token)
    return response


@router.get("/session", include_in_schema=False)
def get_session(request: Request) -> Response:
    return answer(auth.require_session(request))


@router.delete("/session", include_in_schema=False)
def sign_out(request: Request) -> Response:
    auth.writing_actor(request, VIA)
    token = auth.session_token(request)
    assert token is not None  # writing_actor found its session
    workspace_of(request).sign_out(token, now_of(request), via=VIA)
    response = no_content()
    auth.clear_session_cookie(response, request)
    return response


# --- staff reads ---------------------------------------------------------------------------


@router.get("/staff/inspections", include_in_schema=False)
def staff_inspections(request: Request) -> Response:
    actor = auth.reading_actor(request, VIA)
    return answer(workspace_of(request).staff_inspections(actor, now_of(request)))


@router.get("/staff/inspections/{inspection_id}", include_in_schema=False)
def staff_inspection(request: Request, inspection_id: InspectionId) -> Response:
    actor = auth.reading_actor(request, VIA)
    return answer(workspace_of(request).desk_inspection(inspection_id, actor, now_of(request)))


@router.get("/inspections/{inspection_id}/versions", include_in_schema=False)
def inspection_versions(request: Request, inspection_id: InspectionId) -> Response:
    actor = auth.reading_actor(request, VIA)
    return answer({"items": workspace_of(request).inspection_versions(inspection_id, actor)})


# --- inspections, their items and transitions ------------------------------------------------


@router.post(
    "/inspections",
    status_code=201,
    summary="Create a draft inspection (signed-in staff; see docs/api.md, Writing)",
    tags=["inspections"],
    response_model=None,
    responses={
        201: {"model": InspectionView, "description": "The new draft, with its id."},
        **{
            status: {"model": ErrorBody, "description": words}
            for status, words in (
                (400, "The body is not JSON, has a field it does not take or a value not valid."),
                (401, "Not signed in, or the session has ended."),
                (403, "No CSRF token, or the role may not create inspections."),
                (404, "No force or framework by that name."),
                (409, "The force already has an inspection under the framework for the period."),
            )
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON: {"schema": NewInspection.model_json_schema()}},
        }
    },
)
def create_inspection(request: Request, document: JsonBody) -> Response:
    actor = auth.writing_actor(request, VIA)
    given = read_body(NewInspection, document)
    created = workspace_of(request).create_draft(
        actor,
        force=given.force,
        framework=given.framework,
        period=given.period,
        title=given.title,
        now=now_of(request),
    )
    return answer(created, 201)


def _fields(item_type: str, given: BaseModel) -> dict[str, Any]:
    """The library's keyword arguments for a new item."""
    fields = given.model_dump(exclude={"reason"})
    if item_type == "finding":
        fields["cause_of_concern_id"] = fields.pop("cause_of_concern")
    elif item_type == "evidence":
        fields["criteria_results"] = _results(fields["criteria_results"])
    elif item_type == "figure":
        fields["table_title"] = fields.pop("table")
    return fields


def _results(results: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    if results is None:
        return None
    return [{k: v for k, v in r.items() if v is not None} for r in results]


def _changes(item_type: str, given: BaseModel) -> dict[str, Any]:
    """The fields a PATCH names (and only those), as the library takes them."""
    named = given.model_fields_set - {"version", "reason"}
    changes = given.model_dump(include=named)
    if "criteria_results" in changes:
        changes["criteria_results"] = _results(changes["criteria_results"])
    return changes


def _item_route(items: str) -> None:
    item_type = ITEM_TYPES[items]
    new_model = NEW_ITEM[item_type]
    change_model = ITEM_CHANGE[item_type]

    def enter(request: Request, inspection_id: InspectionId, document: JsonBody) -> Response:
        actor = auth.writing_actor(request, VIA)
        given = read_body(new_model, document)
        view = workspace_of(request).enter_item(
            inspection_id,
            item_type,
            actor,
            reason=given.reason,
            now=now_of(request),
            **_fields(item_type, given),
        )
        return answer(view, 201)

    def change(
        request: Request, inspection_id: InspectionId, item_id: ItemId, document: JsonBody
    ) -> Response:
        actor = auth.writing_actor(request, VIA)
        given = read_body(change_model, document)
        view = workspace_of(request).edit_item(
            inspection_id,
            item_type,
            item_id,
            given.version,
            _changes(item_type, given),
            actor,
            reason=given.reason,
            now=now_of(request),
        )
        return answer(view)

    def remove(
        request: Request,
        inspection_id: InspectionId,
        item_id: ItemId,
        version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
        reason: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
    ) -> Response:
        actor = auth.writing_actor(request, VIA)
        workspace_of(request).remove_item(
            inspection_id, item_type, item_id, version, actor, reason=reason, now=now_of(request)
        )
        return no_content()

    base = f"/inspections/{{inspection_id}}/{items}"
    for function, name in ((enter, "enter"), (change, "change"), (remove, "remove")):
        function.__name__ = f"{name}_{item_type}"
    router.add_api_route(base, enter, methods=["POST"], include_in_schema=False)
    router.add_api_route(f"{base}/{{item_id}}", change, methods=["PATCH"], include_in_schema=False)
    router.add_api_route(f"{base}/{{item_id}}", remove, methods=["DELETE"], include_in_schema=False)


for _items in _ITEMS:
    _item_route(_items)


@router.post("/inspections/{inspection_id}/transitions", include_in_schema=False)
def take_transition(request: Request, inspection_id: InspectionId, document: JsonBody) -> Response:
    actor = auth.writing_actor(request, VIA)
    given = read_body(TransitionAsked, document)
    view = workspace_of(request).transition(
        inspection_id,
        given.to,
        actor,
        embargo_until=_uk_time(given.embargo_until),
        comment=given.comment,
        now=now_of(request),
    )
    return answer(view)


# --- uploading a report into a draft ---------------------------------------------------------


@router.post("/inspections/{inspection_id}/uploads", include_in_schema=False)
def upload(
    request: Request, inspection_id: InspectionId, file: UploadFile | None = None
) -> Response:
    """A report (multipart field ``file``) parsed for the draft: the preview and its token."""
    actor = auth.writing_actor(request, VIA)
    if file is None or not file.filename:
        raise InvalidRecord(
            "file: send the report as the multipart field 'file'", code="invalid_parameter"
        )
    # One byte past the cap is enough to refuse it (the library says how large it may be).
    content = file.file.read(inspectors.MAX_UPLOAD_BYTES + 1)
    preview = workspace_of(request).preview_upload(
        inspection_id, file.filename, content, actor, now_of(request)
    )
    return answer(preview)


@router.post("/inspections/{inspection_id}/uploads/{token}/confirm", include_in_schema=False)
def confirm_upload(
    request: Request,
    inspection_id: InspectionId,
    token: Annotated[str, Path(max_length=100)],
) -> Response:
    actor = auth.writing_actor(request, VIA)
    return answer(
        workspace_of(request).confirm_upload(inspection_id, token, actor, now_of(request))
    )


# --- reference data, accounts and the audit log (administrators) -----------------------------


@router.post("/groups", include_in_schema=False)
def load_groups(request: Request, file: UploadFile | None = None) -> Response:
    """A most-similar-groups CSV (``year,force,msg_force``, multipart field ``file``), loaded as
    ``peel groups load`` loads it: the groups it gives override the shipped ones."""
    actor = auth.writing_actor(request, VIA)
    if file is None or not file.filename:
        raise InvalidRecord(
            "file: send the groups CSV as the multipart field 'file'", code="invalid_parameter"
        )
    content = file.file.read(inspectors.MAX_GROUPS_BYTES + 1)
    count = workspace_of(request).load_uploaded_groups(file.filename, content, actor)
    return answer({"file": file.filename, "groups": count}, 201)


@router.post("/users", include_in_schema=False)
def add_user(request: Request, document: JsonBody) -> Response:
    actor = auth.writing_actor(request, VIA)
    given = read_body(NewAccount, document)
    made = workspace_of(request).add_user(
        given.username.strip(), given.role, given.password, actor, now_of(request)
    )
    return answer(made, 201)


@router.get("/users", include_in_schema=False)
def list_users(request: Request) -> Response:
    actor = auth.reading_actor(request, VIA)
    return answer({"items": workspace_of(request).users(actor)})


@router.post("/users/{username}/disable", include_in_schema=False)
def disable_user(request: Request, username: Annotated[str, Path(max_length=MAX_NAME)]) -> Response:
    actor = auth.writing_actor(request, VIA)
    return answer(workspace_of(request).disable_user(username, actor, now_of(request)))


@router.get("/audit", include_in_schema=False)
def audit(
    request: Request,
    object_type: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    object_id: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    inspection: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    actor = auth.reading_actor(request, VIA)
    events = workspace_of(request).audit(
        actor, object_type=object_type, object_id=object_id, inspection_id=inspection
    )
    return answer({"items": events})
