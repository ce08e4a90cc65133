"""The permission matrix of the staff pages: every form's POST route × {anonymous, inspector,
moderator, admin}, each a valid form with the session's CSRF token on fresh objects, answers as
the issue's permission list says: anonymous 401, a role without the action 403 with nothing
changed, a role with it the route's success (a 303 back to the page, or the upload's preview).
The routes are checked against the app's own, so a new form route without a row here fails.
(The API's matrix is tests/web/test_permission_matrix.py; both share its fresh objects.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.record.audit import Actor
from peelkit.web.app import create_app
from tests.web.test_api_write import API, LETTER_2014, PASSWORD, START
from tests.web.test_permission_matrix import (
    ACCOUNT_OF,
    GROUPS_CSV,
    ISSUE_PERMISSIONS,
    MATRIX_FRAMEWORK,
    OPERATOR,
    ROLES,
    STATUS_DATE,
    WHO,
    _draft,
    _letter_draft,
    _period,
    _with_account,
    _with_followed_finding,
    _with_link,
    on_each_database,
)

Prepare = Callable[[Workspace, str], dict[str, str]]


@dataclass(frozen=True)
class Case:
    path: str
    action: str | None  # None: any signed-in session; "public": anyone
    success: int
    prepare: Prepare
    form: Callable[[dict[str, str]], dict[str, str]] = lambda params: {}
    upload: bool = False
    upload_field: str = "report"
    upload_file: tuple[str, bytes] | None = None  # default: the 2014 letter
    own_client: bool = False


def _nothing(ws: Workspace, who: str) -> dict[str, str]:
    return {}


def _with_draft(ws: Workspace, who: str) -> dict[str, str]:
    return {"inspection_id": str(_draft(ws))}


def _with_judgment(ws: Workspace, who: str) -> dict[str, str]:
    inspection = _draft(ws)
    item = ws.enter_item(inspection, "judgment", OPERATOR, area="effectiveness", grade="good")
    return {"inspection_id": str(inspection), "item_id": str(item.id)}


def _with_preview(ws: Workspace, who: str) -> dict[str, str]:
    inspection = _letter_draft(ws)
    if who == "anonymous":
        return {"inspection_id": str(inspection), "token": "no-session-no-token"}
    actor = Actor(ACCOUNT_OF[who], who, "web")
    preview = ws.preview_upload(inspection, LETTER_2014.name, LETTER_2014.read_bytes(), actor)
    return {"inspection_id": str(inspection), "token": preview.token}


DESK = "/staff/inspections/{inspection_id}"
CASES: list[Case] = [
    Case("/signin", "public", 303, _nothing, own_client=True),
    Case("/signout", None, 303, _nothing, own_client=True),
    Case(
        "/staff/inspections",
        "create_inspection",
        303,
        _nothing,
        lambda p: {"force": "kent", "framework": MATRIX_FRAMEWORK, "period": _period()},
    ),
    Case(
        f"{DESK}/judgments",
        "edit_draft",
        303,
        _with_draft,
        lambda p: {"area": "Effectiveness", "grade": "Good"},
    ),
    Case(
        f"{DESK}/judgments/{{item_id}}",
        "edit_draft",
        303,
        _with_judgment,
        lambda p: {"version": "1", "grade": "Outstanding"},
    ),
    Case(
        f"{DESK}/findings",
        "edit_draft",
        303,
        _with_draft,
        lambda p: {"kind": "strength", "text": "Victims are kept informed."},
    ),
    Case(
        f"{DESK}/evidence",
        "edit_draft",
        303,
        _with_draft,
        lambda p: {"kind": "survey", "sample_size": "10", "results": "Kept informed: 7"},
    ),
    Case(f"{DESK}/transitions", "moderate", 303, _with_draft, lambda p: {"to": "moderated"}),
    Case(
        f"{DESK}/upload",
        "import_into_draft",
        200,
        lambda ws, who: {"inspection_id": str(_letter_draft(ws))},
        upload=True,
    ),
    Case(
        f"{DESK}/upload/confirm",
        "import_into_draft",
        303,
        _with_preview,
        lambda p: {"token": p["token"]},
    ),
    Case(
        "/staff/users",
        "manage_accounts",
        303,
        _nothing,
        lambda p: {"username": f"web{_period()[:4]}", "role": "inspector", "password": PASSWORD},
    ),
    Case("/staff/users/{username}/disable", "manage_accounts", 303, _with_account),
    Case(
        "/staff/groups",
        "manage_reference",
        303,
        _nothing,
        upload=True,
        upload_field="groups",
        upload_file=GROUPS_CSV,
    ),
    Case("/staff/follow-up/links/{link_id}/confirm", "follow_up", 303, _with_link),
    Case(
        "/staff/follow-up/links/{link_id}/reject",
        "follow_up",
        303,
        _with_link,
        lambda p: {"note": "not the same finding"},
    ),
    Case(
        "/staff/follow-up/status",
        "follow_up",
        303,
        _with_followed_finding,
        lambda p: {"finding": p["finding_id"], "status": "in_progress", "date": STATUS_DATE},
    ),
]


def expected_status(case: Case, who: str) -> int:
    if case.action == "public":
        return case.success
    if who == "anonymous":
        return 401
    if case.action is None or case.action in ISSUE_PERMISSIONS[who]:
        return case.success
    return 403


# --- the app, signed in through the sign-in form ---------------------------------------------


@dataclass
class Pages:
    ws: Workspace
    clients: dict[str, TestClient]
    tokens: dict[str, str]

    def new_client(self) -> TestClient:
        return TestClient(create_app(self.ws, clock=lambda: START), follow_redirects=False)


def _sign_in(client: TestClient, username: str) -> str:
    """Sign in through the form; the CSRF token of the new session (from the session API)."""
    form = client.get("/signin").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match, "the sign-in form carries its token"
    answer = client.post(
        "/signin", data={"username": username, "password": PASSWORD, "csrf_token": match[1]}
    )
    assert answer.status_code == 303, answer.text
    return str(client.get(f"{API}/session").json()["csrf_token"])


def _open(url: str) -> Iterator[Pages]:
    with Workspace(url) as ws:
        ws.initialise()
        for role, name in ACCOUNT_OF.items():
            ws.add_user(name, role, PASSWORD, actor=OPERATOR, now=START)
        pages = Pages(ws, {}, {})
        for who in WHO:
            pages.clients[who] = pages.new_client()
            if who != "anonymous":
                pages.tokens[who] = _sign_in(pages.clients[who], ACCOUNT_OF[who])
        yield pages


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def pages(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pages]:
    yield from on_each_database(request.param, tmp_path_factory.mktemp("staff-matrix"), _open)


def _post(pages: Pages, case: Case, who: str, params: dict[str, str]) -> httpx2.Response:
    path = case.path.format(**params)
    client = pages.clients[who]
    form: dict[str, Any] = dict(case.form(params))
    if case.path == "/signin":
        client = pages.new_client()
        page = client.get("/signin").text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match
        form = {"username": ACCOUNT_OF.get(who, "ines"), "password": PASSWORD}
        form["csrf_token"] = match[1]
        return client.post(path, data=form)
    if case.own_client:
        client = pages.new_client()
        if who != "anonymous":
            form["csrf_token"] = _sign_in(client, ACCOUNT_OF[who])
    elif who != "anonymous":
        form["csrf_token"] = pages.tokens[who]
    if case.upload:
        name, content = case.upload_file or (LETTER_2014.name, LETTER_2014.read_bytes())
        files = {case.upload_field: (name, content, "text/plain")}
        return client.post(path, data=form, files=files)
    return client.post(path, data=form)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.path)
def test_every_form_route_for_every_role(pages: Pages, case: Case) -> None:
    got: dict[str, int] = {}
    for who in WHO:
        params = case.prepare(pages.ws, who)
        events = len(pages.ws.audit(OPERATOR))
        answer = _post(pages, case, who, params)
        got[who] = answer.status_code
        if answer.status_code in (401, 403):
            assert "Error code" in answer.text or "not allowed" in answer.text.lower()
            assert len(pages.ws.audit(OPERATOR)) == events  # refused before any change
    assert got == {who: expected_status(case, who) for who in WHO}


def test_the_matrix_covers_every_form_route_of_the_app() -> None:
    with Workspace("sqlite://") as empty:
        app = create_app(empty)
    routes = {
        str(route.path)
        for route in iter_route_contexts(app.routes)
        if route.path is not None and not route.path.startswith(API)
        for method in set(route.methods or ()) & {"POST", "PATCH", "PUT", "DELETE"}
    }
    assert "/signin" in routes
    assert routes == {case.path for case in CASES}


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_are_read_by_the_roles_the_table_allows(pages: Pages, role: str) -> None:
    client = pages.clients[role]
    for path, action in (
        ("/staff", "read_staff"),
        ("/staff/users", "manage_accounts"),
        ("/staff/audit", "read_audit"),
        ("/staff/follow-up", "follow_up"),
    ):
        wanted = 200 if action in ISSUE_PERMISSIONS[role] else 403
        assert client.get(path).status_code == wanted, (role, path)
    assert pages.clients["anonymous"].get("/staff").status_code == 303  # to /signin


def test_an_admin_loads_most_similar_groups_from_the_accounts_page(pages: Pages) -> None:
    client = pages.clients["admin"]
    assert 'action="/staff/groups"' in client.get("/staff/users").text
    name, content = GROUPS_CSV
    answer = client.post(
        "/staff/groups",
        data={"csrf_token": pages.tokens["admin"]},
        files={"groups": (name, content, "text/csv")},
    )
    assert answer.status_code == 303
    loaded = [g for g in pages.ws.groups("Kent") if g.year == "2019/20"]
    assert [list(g.peers) for g in loaded] == [["essex", "hampshire"]]
    # A file that is not a groups file: the page again with the message, nothing loaded.
    events = len(pages.ws.audit(OPERATOR))
    bad = client.post(
        "/staff/groups",
        data={"csrf_token": pages.tokens["admin"]},
        files={"groups": ("groups.csv", b"year,force\n2019/20,Kent\n", "text/csv")},
    )
    assert bad.status_code == 400 and "groups.csv" in bad.text
    assert len(pages.ws.audit(OPERATOR)) == events
