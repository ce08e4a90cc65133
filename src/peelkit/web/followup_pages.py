"""The follow-up pages: the register at ``/follow-up`` (what became of every cause of concern,
recommendation and area for improvement), a finding's history at ``/findings/{id}/history``,
the force page's follow-up section, and the staff page ``/staff/follow-up`` where signed-in
staff confirm or reject the links detection found and record a finding's status.

The public pages show only what the public may see at the app clock's time (every workspace
call passes ``public_at``) and are cached as the other pages are; they work without scripts
(the filters are a GET form). The staff page follows ``web/staff.py``: never cached, every form
with the session's CSRF token (checked by :func:`peelkit.web.auth.writing_actor`); the library
checks the role (``Action.FOLLOW_UP``) and writes the audit log; a refused write shows the page
again with the library's message and the error's status, nothing changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from peelkit.domain.followup import EVENT_SOURCES, FOLLOWED_KINDS, RELATIONS, STATUSES
from peelkit.errors import InvalidRecord, Location, PeelkitError
from peelkit.record.audit import Actor
from peelkit.reference import all_forces, resolve_force
from peelkit.views.followup import (
    LinkView,
    MonitoringEpisodeView,
    RegisterRowView,
    RegisterView,
    ResponseRowView,
)
from peelkit.views.force_record import KIND_LABELS
from peelkit.web import auth
from peelkit.web.app import now_of, workspace_of
from peelkit.web.pages import blank, cached, force_names, html_of
from peelkit.web.staff import NO_STORE, VIA

router = APIRouter(include_in_schema=False)


# --- what the templates are given ------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


def status_counts(rows: tuple[RegisterRowView, ...]) -> tuple[StatusCount, ...]:
    """How many rows have each status, in the order of the list of statuses."""
    return tuple(StatusCount(s, sum(1 for r in rows if r.status == s)) for s in STATUSES)


@dataclass(frozen=True)
class ForceFollowUp:
    """The force page's follow-up section: the workspace's follow-up views for one force."""

    force: str
    register: RegisterView
    counts: tuple[StatusCount, ...]
    overdue: tuple[RegisterRowView, ...]
    links: tuple[LinkView, ...]
    episodes: tuple[MonitoringEpisodeView, ...]
    responses: tuple[ResponseRowView, ...]


def force_followup(request: Request, force_id: str) -> ForceFollowUp:
    """What the force page says of one force's follow-up (public at the app clock's time)."""
    ws = workspace_of(request)
    now = now_of(request)
    register = ws.followup_register(force=force_id, public_at=now, today=now.date())
    return ForceFollowUp(
        force=force_id,
        register=register,
        counts=status_counts(register.rows),
        overdue=tuple(r for r in register.rows if r.overdue),
        links=tuple(ws.followup_links(force=force_id, public_at=now)),
        episodes=tuple(ws.followup_monitoring(force=force_id, public_at=now)),
        responses=tuple(ws.followup_responses(force=force_id, public_at=now, today=now.date())),
    )


def _filters() -> dict[str, list[Choice]]:
    return {
        "forces": [Choice("", "Any force")] + [Choice(f.id, f.name) for f in all_forces()],
        "statuses": [Choice("", "Any status")] + [Choice(s, s.replace("_", " ")) for s in STATUSES],
        "kinds": [Choice("", "Any kind")] + [Choice(k, KIND_LABELS[k]) for k in FOLLOWED_KINDS],
    }


def _kind(kind: str | None) -> str | None:
    if kind is None or kind in FOLLOWED_KINDS:
        return kind
    raise PeelkitError(
        f"unknown kind {kind!r} (expected one of: {', '.join(FOLLOWED_KINDS)})",
        code="unknown_choice",
        location=Location(field="kind"),
    )


# --- the register --------------------------------------------------------------------------------


@router.get("/follow-up", response_class=HTMLResponse)
def register(
    request: Request,
    force: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    overdue: bool = False,
) -> Response:
    named = blank(force)
    chosen: dict[str, Any] = {
        "force": resolve_force(named).id if named is not None else None,
        "status": blank(status),
        "kind": _kind(blank(kind)),
        "overdue": overdue,
    }

    def produce() -> str:
        now = now_of(request)
        view = workspace_of(request).followup_register(
            force=chosen["force"],
            status=chosen["status"],
            overdue=overdue,
            public_at=now,
            today=now.date(),
        )
        rows = tuple(r for r in view.rows if chosen["kind"] in (None, r.kind))
        return html_of(
            request,
            "followup.html.j2",
            rows=rows,
            counts=status_counts(rows),
            overdue_count=sum(1 for r in rows if r.overdue),
            chosen=chosen,
            today=now.date(),
            kind_labels=KIND_LABELS,
            names=force_names(),
            **_filters(),
        )

    return cached(request, produce)


@router.get("/findings/{finding_id}/history", response_class=HTMLResponse)
def history(request: Request, finding_id: int) -> Response:
    def produce() -> str:
        now = now_of(request)
        view = workspace_of(request).finding_history(finding_id, public_at=now, today=now.date())
        return html_of(
            request,
            "finding_history.html.j2",
            view=view,
            kind_labels=KIND_LABELS,
            names=force_names(),
        )

    return cached(request, produce)


# --- the staff page: links to decide, statuses to record ---------------------------------------


def _desk(
    request: Request,
    status: int = 200,
    error: PeelkitError | None = None,
    recorded: int | None = None,
) -> HTMLResponse:
    """The staff follow-up page: every link (as staff see the record: drafts too)."""
    ws = workspace_of(request)
    links = ws.followup_links()
    notice = None
    if recorded is not None:
        try:
            notice = ws.finding_history(recorded)
        except PeelkitError:
            notice = None
    context = {
        "session": auth.current_session(request),
        "error": {"message": error.message, "code": error.code} if error is not None else None,
        "candidates": [link for link in links if link.status == "candidate"],
        "decided": [link for link in links if link.status != "candidate"],
        "relations": RELATIONS,
        "statuses": STATUSES,
        "sources": EVENT_SOURCES,
        "notice": notice,
        "kind_labels": KIND_LABELS,
    }
    page = html_of(request, "staff_followup.html.j2", **context)
    return HTMLResponse(page, status, headers=NO_STORE)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


@router.get("/staff/follow-up", response_class=HTMLResponse)
def desk(request: Request, recorded: str | None = None) -> Response:
    if auth.current_session(request) is None:
        return _back("/signin")
    shown = int(recorded) if recorded is not None and recorded.isdigit() else None
    return _desk(request, recorded=shown)


def _decide(
    request: Request,
    link_id: int,
    decision: str,
    csrf_token: str | None,
    note: str | None,
    relation: str | None,
) -> Response:
    actor: Actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        workspace_of(request).decide_link(
            link_id, decision, actor, note=blank(note), relation=blank(relation)
        )
    except PeelkitError as exc:
        return _desk(request, exc.status, exc)
    return _back("/staff/follow-up")


@router.post("/staff/follow-up/links/{link_id}/confirm")
def confirm_link(
    request: Request,
    link_id: int,
    csrf_token: str | None = Form(None),
    relation: str | None = Form(None),
    note: str | None = Form(None),
) -> Response:
    return _decide(request, link_id, "confirmed", csrf_token, note, relation)


@router.post("/staff/follow-up/links/{link_id}/reject")
def reject_link(
    request: Request,
    link_id: int,
    csrf_token: str | None = Form(None),
    note: str | None = Form(None),
) -> Response:
    return _decide(request, link_id, "rejected", csrf_token, note, None)


def _finding_id(value: str | None) -> int:
    text = (value or "").strip()
    if not text.isdigit():
        raise InvalidRecord(
            f"finding: expected a finding's id (a whole number), got {text!r}",
            code="invalid_parameter",
            location=Location(field="finding"),
        )
    return int(text)


def _date(value: str | None) -> dt.date:
    text = (value or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(
            f"date: expected a date as YYYY-MM-DD, got {text!r}",
            code="invalid_parameter",
            location=Location(field="date"),
        ) from None


@router.post("/staff/follow-up/status")
def record_status(
    request: Request,
    csrf_token: str | None = Form(None),
    finding: str | None = Form(None),
    status: str | None = Form(None),
    date: str | None = Form(None),
    source: str | None = Form(None),
    note: str | None = Form(None),
) -> Response:
    actor = auth.writing_actor(request, VIA, csrf_token)
    try:
        finding_id = _finding_id(finding)
        workspace_of(request).record_status(
            finding_id,
            status or "",
            _date(date),
            blank(source) or "person",
            blank(note),
            actor,
        )
    except PeelkitError as exc:
        return _desk(request, exc.status, exc)
    return _back(f"/staff/follow-up?recorded={finding_id}")
