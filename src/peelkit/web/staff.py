"""The staff pages: sign in and out, the inspections being made, an inspection's forms,
transitions, uploads, accounts and the audit log.

Server-rendered and usable without JavaScript. Every form carries the session's CSRF token in a
hidden ``csrf_token`` field, checked by :func:`peelkit.web.auth.writing_actor`; the library
checks the actor's role (``record.workflow.authorise``). A write answers 303 back to its page; a
write the library refuses shows the same page again with the message and the error's status, and
nothing changed. Staff pages are never cached (``Cache-Control: no-store``) and send a visitor who
is not signed in to ``/signin`` (the API answers 401 instead).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from peelkit import inspectors
from peelkit.domain.findings import FindingKind
from peelkit.domain.permissions import Action, Role, allowed
from peelkit.errors import HTTP_STATUS, InvalidRecord, NotAuthenticated, PeelkitError, Throttled
from peelkit.frameworks import load_framework
from peelkit.inspectors import MAX_UPLOAD_BYTES
from peelkit.record.audit import Actor
from peelkit.record.workflow import parse_uk_time
from peelkit.reference import all_forces
from peelkit.views.workflow import DeskInspectionView, SessionView
from peelkit.web import auth
from peelkit.web.app import now_of, workspace_of
from peelkit.web.pages import blank, html_of

router = APIRouter(include_in_schema=False)

VIA = "web"
NO_STORE = {"Cache-Control": "no-store"}
EVIDENCE_KINDS = (
    "case_file_review",
    "survey",
    "record_review",
    "interview",
    "focus_group",
    "document_review",
    "other",
)
_RESULT = re.compile(r"^\s*(\d+)\s*(?:of\s*(\d+))?\s*$")


# --- shared -----------------------------------------------------------------------------------


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A staff page: never cached; the signed-in session (if any) for the header."""
    context.setdefault("session", auth.current_session(request))
    context.setdefault("error", None)
    return HTMLResponse(html_of(request, template, **context), status, headers=NO_STORE)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def _signed_in(request: Request) -> SessionView | None:
    return auth.current_session(request)


def _status_of(exc: PeelkitError) -> int:
    return HTTP_STATUS[exc.kind]


def _error(exc: PeelkitError) -> dict[str, str]:
    return {"message": str(exc), "code": exc.to_json()["code"]}


def _can(session: SessionView, action: Action) -> bool:
    return allowed(session.role, action)


def parse_results(text: str | None, sample_size: int | None) -> list[dict[str, Any]]:
    """Results per criterion from lines ``criterion: 72`` (72 of the sample) or
    ``criterion: 72 of 90``."""
    results: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        criterion, colon, rest = line.rpartition(":")
        found = _RESULT.match(rest) if colon else None
        if found is None or not criterion.strip():
            raise InvalidRecord(
                f"results line {number}: expected 'criterion: 72' or 'criterion: 72 of 90', "
                f"got {line.strip()!r}",
                code="invalid_result",
            )
        result: dict[str, Any] = {"criterion": criterion.strip(), "count": int(found.group(1))}
        if found.group(2) is not None:
            result["of"] = int(found.group(2))
        results.append(result)
    return results


def _whole_number(value: str | None, name: str) -> int | None:
    text = blank(value)
    if text is None:
        return None
    if not text.strip().isdigit():
        raise InvalidRecord(
            f"{name}: expected a whole number such as 90, got {text!r}", code="invalid_parameter"
        )
    return int(text)


def _pillars(view: DeskInspectionView) -> list[dict[str, Any]]:
    """Each pillar (an area with graded children) with its grade and its questions' grades."""
    spec = load_framework(view.inspection.framework)
    labels = {g.id: g.label for g in view.grades}
    shown = {j.area: j for j in view.inspection.judgments if j.shown}

    def grade_of(area_id: str) -> str:
        judgment = shown.get(area_id)
        if judgment is None or judgment.grade is None:
            return "—"
        return labels.get(judgment.grade, judgment.grade)

    return [
        {
            "id": area.id,
            "name": area.name,
            "grade": grade_of(area.id),
            "questions": [(c.name, grade_of(c.id)) for c in area.children],
        }
        for area in spec.walk()
        if area.children
    ]


def _desk(
    request: Request,
    inspection_id: int,
    actor: Actor,
    *,
    error: PeelkitError | None = None,
    preview: Any = None,
) -> HTMLResponse:
    view = workspace_of(request).desk_inspection(inspection_id, actor, now_of(request))
    area_names = {a.id: a.name for a in view.areas}
    return _page(
        request,
        "staff_inspection.html.j2",
        _status_of(error) if error is not None else 200,
        view=view,
        area_names=area_names,
        grade_labels={g.id: g.label for g in (*view.grades, *view.directions)},
        pillars=_pillars(view),
        finding_kinds=[k.value for k in FindingKind],
        evidence_kinds=EVIDENCE_KINDS,
        results=dict(view.evidence_results),
        preview=preview,
        error=_error(error) if error is not None else None,
    )


# --- signing in and out -----------------------------------------------------------------------


def _signin_page(
    request: Request, status: int = 200, message: str | None = None, username: str = ""
) -> HTMLResponse:
    token = auth.signin_form_token(request)
    response = _page(
        request,
        "signin.html.j2",
        status,
        form_token=token,
        message=message,
        username=username,
    )
    auth.remember_signin_token(response, request, token)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request) -> Response:
    return _signin_page(request)


@router.post("/signin")
def signin(
    request: Request,
    username: str | None = Form(None),
    password: str | None = Form(None),
    csrf_token: str | None = Form(None),
) -> Response:
    auth.check_signin_form(request, csrf_token)
    ws = workspace_of(request)
    now = now_of(request)
    try:
        signed = ws.sign_in(
            (username or "").strip(), password or "", auth.client_address(request), now, via=VIA
        )
    except Throttled as exc:
        response = _signin_page(request, 429, str(exc), username or "")
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotAuthenticated as exc:
        return _signin_page(request, 401, str(exc), username or "")
    old = auth.session_token(request)
    if old is not None:
        with contextlib.suppress(NotAuthenticated):  # unless it had already ended
            ws.sign_out(old, now, via=VIA)
    done = _back("/staff")
    auth.set_session_cookie(done, request, signed.token)
    return done


@router.post("/signout")
def signout(request: Request, csrf_token: str | None = Form(None)) -> Response:
    auth.writing_actor(request, VIA, csrf_token)
    token = auth.session_token(request)
    assert token is not None  # writing_actor found its session
    workspace_of(request).sign_out(token, now_of(request), via=VIA)
    response = _back("/")
    auth.clear_session_cookie(response, request)
    return response


# --- the inspections being made ---------------------------------------------------------------


def _staff_list(
    request: Request, session: SessionView, status: int = 200, error: Any = None
) -> Response:
    actor = auth.actor_for(session, VIA)
    ws = workspace_of(request)
    return _page(
        request,
        "staff_home.html.j2",
        status,
        view=ws.staff_inspections(actor, now_of(request)),
        forces=[f for f in all_forces() if f.territorial],
        frameworks=ws.frameworks(),
        can_create=_can(session, Action.CREATE_INSPECTION),
        is_admin=_can(session, Action.MANAGE_ACCOUNTS),
        error=error,
    )


@router.get("/staff", response_class=HTMLResponse)
def staff_home(request: Request) -> Response:
    session = _signed_in(request)
    if session is None:
        return _back("/signin")
    return _staff_list(request, session)


@router.post("/staff/inspections")
def create_inspection(
    request: Request,
    csrf_token: str | None = Form(None),
    force: str | None = Form(None),
    framework: str | None = Form(None),
    period: str | None = Form(None),
    title: str | None = Form(None),
) -> Response:
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        created = workspace_of(request).create_draft(
            actor,
            force=force or "",
            framework=framework or "",
            period=blank(period),
            title=blank(title),
            now=now_of(request),
        )
    except PeelkitError as exc:
        session = auth.require_session(request)
        return _staff_list(request, session, _status_of(exc), _error(exc))
    return _back(f"/staff/inspections/{created.id}")


# --- one inspection ---------------------------------------------------------------------------


@router.get("/staff/inspections/{inspection_id}", response_class=HTMLResponse)
def staff_inspection(request: Request, inspection_id: int) -> Response:
    session = _signed_in(request)
    if session is None:
        return _back("/signin")
    return _desk(request, inspection_id, auth.actor_for(session, VIA))


def _write(request: Request, inspection_id: int, csrf_token: str | None, change: Any) -> Response:
    """Check the session and its token, make the change, and go back to the inspection (or
    show it again with the library's message)."""
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        change(actor)
    except PeelkitError as exc:
        return _desk(request, inspection_id, actor, error=exc)
    return _back(f"/staff/inspections/{inspection_id}")


@router.post("/staff/inspections/{inspection_id}/judgments")
def enter_judgment(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    area: str | None = Form(None),
    grade: str | None = Form(None),
    direction: str | None = Form(None),
    rationale: str | None = Form(None),
    reason: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        workspace_of(request).enter_item(
            inspection_id,
            "judgment",
            actor,
            reason=blank(reason),
            now=now_of(request),
            area=area or "",
            grade=blank(grade),
            direction=blank(direction),
            rationale=blank(rationale),
        )

    return _write(request, inspection_id, csrf_token, change)


@router.post("/staff/inspections/{inspection_id}/judgments/{item_id}")
def edit_judgment(
    request: Request,
    inspection_id: int,
    item_id: int,
    csrf_token: str | None = Form(None),
    version: str | None = Form(None),
    grade: str | None = Form(None),
    direction: str | None = Form(None),
    reason: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        changes: dict[str, Any] = {"grade": blank(grade)}
        if direction is not None:
            changes["direction"] = blank(direction)
        workspace_of(request).edit_item(
            inspection_id,
            "judgment",
            item_id,
            _whole_number(version, "version"),
            changes,
            actor,
            reason=blank(reason),
            now=now_of(request),
        )

    return _write(request, inspection_id, csrf_token, change)


@router.post("/staff/inspections/{inspection_id}/findings")
def enter_finding(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    kind: str | None = Form(None),
    text: str | None = Form(None),
    area: str | None = Form(None),
    cause_of_concern: str | None = Form(None),
    deadline: str | None = Form(None),
    reason: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        cause = _whole_number(cause_of_concern, "cause_of_concern")
        workspace_of(request).enter_item(
            inspection_id,
            "finding",
            actor,
            reason=blank(reason),
            now=now_of(request),
            kind=kind or "",
            text=text or "",
            area=blank(area),
            cause_of_concern_id=cause if kind == FindingKind.RECOMMENDATION else None,
            deadline=blank(deadline),
        )

    return _write(request, inspection_id, csrf_token, change)


@router.post("/staff/inspections/{inspection_id}/evidence")
def enter_evidence(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    kind: str | None = Form(None),
    area: str | None = Form(None),
    description: str | None = Form(None),
    sample_size: str | None = Form(None),
    period: str | None = Form(None),
    results: str | None = Form(None),
    reason: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        sample = _whole_number(sample_size, "sample_size")
        workspace_of(request).enter_item(
            inspection_id,
            "evidence",
            actor,
            reason=blank(reason),
            now=now_of(request),
            kind=kind or "",
            area=blank(area),
            description=blank(description),
            sample_size=sample,
            period=blank(period),
            criteria_results=parse_results(results, sample),
        )

    return _write(request, inspection_id, csrf_token, change)


@router.post("/staff/inspections/{inspection_id}/transitions")
def take_transition(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    to: str | None = Form(None),
    embargo_until: str | None = Form(None),
    comment: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        embargo = blank(embargo_until)
        workspace_of(request).transition(
            inspection_id,
            to or "",
            actor,
            embargo_until=parse_uk_time(embargo) if embargo is not None else None,
            comment=blank(comment),
            now=now_of(request),
        )

    return _write(request, inspection_id, csrf_token, change)


@router.post("/staff/inspections/{inspection_id}/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    report: UploadFile | None = File(None),
) -> Response:
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        if report is None or not report.filename:
            raise InvalidRecord(
                "report: choose the report file to upload", code="invalid_parameter"
            )
        content = report.file.read(MAX_UPLOAD_BYTES + 1)
        preview = workspace_of(request).preview_upload(
            inspection_id, report.filename, content, actor, now_of(request)
        )
    except PeelkitError as exc:
        return _desk(request, inspection_id, actor, error=exc)
    return _desk(request, inspection_id, actor, preview=preview)


@router.post("/staff/inspections/{inspection_id}/upload/confirm")
def confirm_upload(
    request: Request,
    inspection_id: int,
    csrf_token: str | None = Form(None),
    token: str | None = Form(None),
) -> Response:
    def change(actor: Actor) -> None:
        workspace_of(request).confirm_upload(inspection_id, token or "", actor, now_of(request))

    return _write(request, inspection_id, csrf_token, change)


# --- accounts and the audit log (administrators) ----------------------------------------------


def _users_page(
    request: Request, session: SessionView, status: int = 200, error: Any = None
) -> Response:
    actor = auth.actor_for(session, VIA)
    return _page(
        request,
        "staff_users.html.j2",
        status,
        users=workspace_of(request).users(actor),
        roles=[r.value for r in Role],
        error=error,
    )


@router.get("/staff/users", response_class=HTMLResponse)
def users(request: Request) -> Response:
    session = _signed_in(request)
    if session is None:
        return _back("/signin")
    return _users_page(request, session)


@router.post("/staff/users")
def add_user(
    request: Request,
    csrf_token: str | None = Form(None),
    username: str | None = Form(None),
    role: str | None = Form(None),
    password: str | None = Form(None),
) -> Response:
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        workspace_of(request).add_user(
            (username or "").strip(), role or "", password or "", actor, now_of(request)
        )
    except PeelkitError as exc:
        return _users_page(request, auth.require_session(request), _status_of(exc), _error(exc))
    return _back("/staff/users")


@router.post("/staff/users/{username}/disable")
def disable_user(request: Request, username: str, csrf_token: str | None = Form(None)) -> Response:
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        workspace_of(request).disable_user(username, actor, now_of(request))
    except PeelkitError as exc:
        return _users_page(request, auth.require_session(request), _status_of(exc), _error(exc))
    return _back("/staff/users")


@router.post("/staff/groups")
def load_groups(
    request: Request,
    csrf_token: str | None = Form(None),
    groups: UploadFile | None = File(None),
) -> Response:
    """Reference data: a most-similar-groups CSV (``year,force,msg_force``), as
    ``peel groups load`` loads it (administrators)."""
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        if groups is None or not groups.filename:
            raise InvalidRecord(
                "groups: choose the most similar groups CSV to load", code="invalid_parameter"
            )
        content = groups.file.read(inspectors.MAX_GROUPS_BYTES + 1)
        workspace_of(request).load_uploaded_groups(groups.filename, content, actor)
    except PeelkitError as exc:
        return _users_page(request, auth.require_session(request), _status_of(exc), _error(exc))
    return _back("/staff/users")


@router.get("/staff/audit", response_class=HTMLResponse)
def audit(request: Request) -> Response:
    session = _signed_in(request)
    if session is None:
        return _back("/signin")
    events = workspace_of(request).audit(auth.actor_for(session, VIA))
    return _page(request, "staff_audit.html.j2", events=events)
