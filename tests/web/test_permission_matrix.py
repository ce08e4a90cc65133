"""The permission matrix: every state-changing API route × {anonymous, inspector, moderator,
admin}, each with a valid request on fresh objects, answers the status the issue's permission
list gives (anonymous 401; a role without the action 403, nothing changed; a role with it the
route's success). The list is written out here from the issue's text and cross-checked against
``peelkit.domain.permissions.PERMISSIONS``; the routes are checked against the app's own routes
so that a new write route without a row here fails. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import pytest
import yaml
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.domain.permissions import PERMISSIONS
from peelkit.frameworks.loader import reload
from peelkit.record.audit import Actor
from peelkit.web.api_write import WRITE_ROUTES
from peelkit.web.app import create_app
from tests.conftest import _private_schema
from tests.web.test_api_write import API, LETTER_2014, PASSWORD, START

Opened = TypeVar("Opened")

# A most similar group of the user's own (the shared msg.csv has its header only).
GROUPS_CSV = ("groups.csv", b"year,force,msg_force\n2019/20,Kent,Essex\n2019/20,Kent,Hampshire\n")
ROLES = ("inspector", "moderator", "admin")
WHO = ("anonymous", *ROLES)
OPERATOR = Actor.operator()

# The issue's permission list ("3. Permissions"), roles cumulative; issue 11 (follow-up) adds
# confirming or rejecting links and recording statuses for every role ("people confirm or
# reject candidates").
_INSPECTOR = {"read_staff", "create_inspection", "edit_draft", "import_into_draft", "follow_up"}
_MODERATOR = _INSPECTOR | {"edit_moderated", "moderate", "return", "publish"}
_ADMIN = _MODERATOR | {"correct_published", "manage_accounts", "manage_reference", "read_audit"}
ISSUE_PERMISSIONS = {"inspector": _INSPECTOR, "moderator": _MODERATOR, "admin": _ADMIN}


def test_the_permission_table_is_the_issues() -> None:
    for role, actions in ISSUE_PERMISSIONS.items():
        assert {a.value for a in PERMISSIONS[role]} == actions, role


# --- fresh objects for each request ---------------------------------------------------------

_names = itertools.count(1)
# One inspection per force, framework and period, and a period its framework inspects: each
# fresh draft takes a year of its own under MATRIX_FRAMEWORK, the PEEL 2018/19 framework's
# areas and scale on a test framework file that inspects every year from 1100/01 (the 2014
# letter names its force and year, so its draft replaces the one before).
MATRIX_FRAMEWORK = "peel-2018-19-matrix"
_FIRST_YEAR = 1100
_years = itertools.count(_FIRST_YEAR)


# A status event is dated after its finding was made: a hand-entered finding of a draft is made
# no earlier than its period's first year, and the drafts' periods run up to 8999/00.
STATUS_DATE = "9999-06-30"


def _period() -> str:
    year = next(_years)
    return f"{year}/{(year + 1) % 100:02d}"


@contextmanager
def matrix_framework(folder: Path) -> Iterator[None]:
    """MATRIX_FRAMEWORK on PEELKIT_FRAMEWORKS_PATH while the block runs."""
    shipped = resources.files("peelkit.frameworks").joinpath("data", "peel-2018-19.yaml")
    data = yaml.safe_load(shipped.read_text("utf-8"))
    data["id"] = MATRIX_FRAMEWORK
    data["programme"] = "Permission matrix tests"
    data["era"] = {
        **data["era"],
        "predecessor": None,
        "readers": [],
        "year_spellings": ["matrix"],
        "other_periods": [
            f"{y}/{(y + 1) % 100:02d}" for y in range(_FIRST_YEAR, 9000) if y != 2018
        ],
    }
    (folder / f"{MATRIX_FRAMEWORK}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    before = os.environ.get("PEELKIT_FRAMEWORKS_PATH")
    os.environ["PEELKIT_FRAMEWORKS_PATH"] = str(folder)
    reload()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PEELKIT_FRAMEWORKS_PATH", None)
        else:
            os.environ["PEELKIT_FRAMEWORKS_PATH"] = before
        reload()


def _draft(ws: Workspace) -> int:
    made = ws.create_draft(OPERATOR, force="kent", framework=MATRIX_FRAMEWORK, period=_period())
    return int(made.id)


def _letter_draft(ws: Workspace) -> int:
    for earlier in ws.staff_inspections(OPERATOR, START).items:
        if (earlier.force, earlier.framework) == ("metropolitan", "core-business-2014"):
            ws.delete_inspection(earlier.id, actor=OPERATOR)
    made = ws.create_draft(OPERATOR, force="metropolitan", framework="core-business-2014")
    return int(made.id)


FIRST_ITEM: dict[str, dict[str, Any]] = {
    "judgment": {"area": "effectiveness", "grade": "good"},
    "finding": {"kind": "strength", "text": "The force answers calls quickly."},
    "evidence": {"kind": "survey", "sample_size": 10},
    "figure": {"measure": "Crimes per 1,000 people"},
}
NEW_ITEM: dict[str, dict[str, Any]] = {
    "judgments": {"area": "Effectiveness", "grade": "Good"},
    "findings": {"kind": "strength", "text": "Victims are kept informed."},
    "evidence": {"kind": "survey", "sample_size": 10, "description": "Victims' survey"},
    "figures": {"measure": "Crimes per 1,000 people", "force_value": 61.5},
}
ITEM_CHANGE: dict[str, dict[str, Any]] = {
    "judgments": {"version": 1, "grade": "Outstanding"},
    "findings": {"version": 1, "text": "Victims are always kept informed."},
    "evidence": {"version": 1, "description": "Survey of victims"},
    "figures": {"version": 1, "unit": "per 1,000"},
}
SINGULAR = {
    "judgments": "judgment",
    "findings": "finding",
    "evidence": "evidence",
    "figures": "figure",
}


@dataclass(frozen=True)
class Case:
    """One write route: how to make fresh objects for it (path parameters), its valid request,
    the action the issue requires (None: any signed-in session; "public": anyone) and the
    status of success."""

    method: str
    path: str
    action: str | None
    success: int
    prepare: Callable[[Workspace, str], dict[str, str]]
    body: Callable[[str], Any] = lambda who: None
    query: dict[str, str] | None = None
    upload: bool = False
    file: Path | tuple[str, bytes] = (
        LETTER_2014  # what an upload sends (a file, or its name and bytes)
    )
    own_client: bool = False  # the route signs in or out: a fresh client for each request


def _nothing(ws: Workspace, who: str) -> dict[str, str]:
    return {}


def _with_draft(ws: Workspace, who: str) -> dict[str, str]:
    return {"inspection_id": str(_draft(ws))}


def _with_item(items: str) -> Callable[[Workspace, str], dict[str, str]]:
    def prepare(ws: Workspace, who: str) -> dict[str, str]:
        inspection = _draft(ws)
        item_type = SINGULAR[items]
        item = ws.enter_item(inspection, item_type, OPERATOR, **FIRST_ITEM[item_type])
        return {"inspection_id": str(inspection), "item_id": str(item.id)}

    return prepare


def _with_letter_draft(ws: Workspace, who: str) -> dict[str, str]:
    return {"inspection_id": str(_letter_draft(ws))}


def _with_preview(ws: Workspace, who: str) -> dict[str, str]:
    """A draft of the letter's force and year with the letter previewed by ``who``."""
    inspection = _letter_draft(ws)
    if who == "anonymous":
        return {"inspection_id": str(inspection), "token": "no-session-no-token"}
    actor = Actor(ACCOUNT_OF[who], who, "api")
    preview = ws.preview_upload(inspection, LETTER_2014.name, LETTER_2014.read_bytes(), actor)
    return {"inspection_id": str(inspection), "token": preview.token}


def _with_link(ws: Workspace, who: str) -> dict[str, str]:
    """Two drafts of Kent, the later repeating the earlier's area for improvement word for word:
    detection links them (confirmed, as an exact match; a decision may be taken again)."""
    earlier, later = _draft(ws), _draft(ws)
    text = f"Kent should check the {who} custody record number {next(_names)} every week."
    first = ws.enter_item(earlier, "finding", OPERATOR, kind="area_for_improvement", text=text)
    second = ws.enter_item(later, "finding", OPERATOR, kind="area_for_improvement", text=text)
    (link,) = [
        x
        for x in ws.followup_links(force="kent")
        if (x.earlier.finding, x.later.finding) == (first.id, second.id)
    ]
    return {"link_id": str(link.id)}


def _with_followed_finding(ws: Workspace, who: str) -> dict[str, str]:
    inspection = _draft(ws)
    text = f"Kent should publish its stop and search records ({who}, {next(_names)})."
    item = ws.enter_item(inspection, "finding", OPERATOR, kind="area_for_improvement", text=text)
    return {"finding_id": str(item.id)}


def _with_account(ws: Workspace, who: str) -> dict[str, str]:
    name = f"temp{next(_names)}"
    ws.add_user(name, "inspector", PASSWORD, actor=OPERATOR, now=START)
    return {"username": name}


def _credentials(who: str) -> dict[str, str]:
    return {"username": ACCOUNT_OF.get(who, "ines"), "password": PASSWORD}


def _new_account(who: str) -> dict[str, str]:
    return {"username": f"new{next(_names)}", "role": "inspector", "password": PASSWORD}


ITEMS_PATH = f"{API}/inspections/{{inspection_id}}"
CASES: list[Case] = [
    Case("POST", f"{API}/session", "public", 200, _nothing, _credentials, own_client=True),
    Case("DELETE", f"{API}/session", None, 204, _nothing, own_client=True),
    Case(
        "POST",
        f"{API}/inspections",
        "create_inspection",
        201,
        _nothing,
        lambda who: {"force": "kent", "framework": MATRIX_FRAMEWORK, "period": _period()},
    ),
    *(
        case
        for items in ("judgments", "findings", "evidence", "figures")
        for case in (
            Case(
                "POST",
                f"{ITEMS_PATH}/{items}",
                "edit_draft",
                201,
                _with_draft,
                lambda who, items=items: NEW_ITEM[items],  # type: ignore[misc]
            ),
            Case(
                "PATCH",
                f"{ITEMS_PATH}/{items}/{{item_id}}",
                "edit_draft",
                200,
                _with_item(items),
                lambda who, items=items: ITEM_CHANGE[items],  # type: ignore[misc]
            ),
            Case(
                "DELETE",
                f"{ITEMS_PATH}/{items}/{{item_id}}",
                "edit_draft",
                204,
                _with_item(items),
                query={"version": "1"},
            ),
        )
    ),
    # Moderating a draft; returning and publishing are checked in test_security.py.
    Case(
        "POST",
        f"{ITEMS_PATH}/transitions",
        "moderate",
        200,
        _with_draft,
        lambda who: {"to": "moderated"},
    ),
    Case(
        "POST", f"{ITEMS_PATH}/uploads", "import_into_draft", 200, _with_letter_draft, upload=True
    ),
    Case(
        "POST", f"{ITEMS_PATH}/uploads/{{token}}/confirm", "import_into_draft", 200, _with_preview
    ),
    Case("POST", f"{API}/groups", "manage_reference", 201, _nothing, upload=True, file=GROUPS_CSV),
    Case("POST", f"{API}/users", "manage_accounts", 201, _nothing, _new_account),
    Case("POST", f"{API}/users/{{username}}/disable", "manage_accounts", 200, _with_account),
    Case("POST", f"{API}/followup/links/{{link_id}}/confirm", "follow_up", 200, _with_link),
    Case(
        "POST",
        f"{API}/followup/links/{{link_id}}/reject",
        "follow_up",
        200,
        _with_link,
        lambda who: {"note": "not the same finding"},
    ),
    Case(
        "POST",
        f"{API}/findings/{{finding_id}}/status",
        "follow_up",
        201,
        _with_followed_finding,
        lambda who: {"status": "in_progress", "date": STATUS_DATE},
    ),
]
ACCOUNT_OF = {"inspector": "ines", "moderator": "mo", "admin": "ada"}


def expected_status(case: Case, who: str) -> int:
    if case.action == "public":
        return case.success
    if who == "anonymous":
        return 401
    if case.action is None or case.action in ISSUE_PERMISSIONS[who]:
        return case.success
    return 403


# --- the app -------------------------------------------------------------------------------


@dataclass
class Matrix:
    ws: Workspace
    clients: dict[str, TestClient]
    tokens: dict[str, str]

    def new_client(self) -> TestClient:
        return TestClient(create_app(self.ws, clock=lambda: START))


def _open(url: str) -> Iterator[Matrix]:
    with Workspace(url) as ws:
        ws.initialise()
        for role, name in ACCOUNT_OF.items():
            ws.add_user(name, role, PASSWORD, actor=OPERATOR, now=START)
        matrix = Matrix(ws, {}, {})
        for who in WHO:
            matrix.clients[who] = matrix.new_client()
            if who != "anonymous":
                matrix.tokens[who] = _sign_in(matrix.clients[who], ACCOUNT_OF[who])
        yield matrix


def _sign_in(client: TestClient, username: str) -> str:
    answer = client.post(f"{API}/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    yield from on_each_database(request.param, tmp_path_factory.mktemp("matrix"), _open)


def on_each_database(
    database: str, folder: Path, open_at: Callable[[str], Iterator[Opened]]
) -> Iterator[Opened]:
    """What ``open_at`` opens on a new record of the matrix's framework: a SQLite file in
    ``folder`` (``database`` "sqlite") or a private PostgreSQL schema (else)."""
    with matrix_framework(folder):
        if database == "sqlite":
            yield from open_at(f"sqlite:///{folder / 'record.sqlite'}")
            return
        with _private_schema() as url:
            yield from open_at(url)


def _request(matrix: Matrix, case: Case, who: str, params: dict[str, str]) -> httpx2.Response:
    path = case.path.format(**params)
    client = matrix.clients[who]
    headers: dict[str, str] = {}
    if case.own_client:
        client = matrix.new_client()
        if who != "anonymous":
            headers["X-CSRF-Token"] = _sign_in(client, ACCOUNT_OF[who])
    elif who != "anonymous":
        headers["X-CSRF-Token"] = matrix.tokens[who]
    body = case.body(who)
    if case.upload:
        name, content = (
            case.file if isinstance(case.file, tuple) else (case.file.name, case.file.read_bytes())
        )
        files = {"file": (name, content, "text/plain")}
        return client.post(path, files=files, headers=headers)
    return client.request(case.method, path, json=body, params=case.query, headers=headers)


def _case_id(case: Case) -> str:
    return f"{case.method} {case.path.removeprefix(API)}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_write_route_for_every_role(matrix: Matrix, case: Case) -> None:
    got: dict[str, int] = {}
    for who in WHO:
        params = case.prepare(matrix.ws, who)
        events = len(matrix.ws.audit(OPERATOR))
        answer = _request(matrix, case, who, params)
        got[who] = answer.status_code
        if answer.status_code in (401, 403):
            error = answer.json()["error"]
            assert error["code"] in ("not_signed_in", "not_permitted"), error
            # Refused before anything changed: no event (and so no change) was recorded.
            assert len(matrix.ws.audit(OPERATOR)) == events
    assert got == {who: expected_status(case, who) for who in WHO}


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/staff/inspections", "read_staff"),
        ("/users", "manage_accounts"),
        ("/audit", "read_audit"),
    ],
)
def test_staff_reads_for_every_role(matrix: Matrix, path: str, action: str) -> None:
    got = {who: matrix.clients[who].get(API + path).status_code for who in WHO}
    expected = {"anonymous": 401} | {
        role: 200 if action in ISSUE_PERMISSIONS[role] else 403 for role in ROLES
    }
    assert got == expected


def test_the_matrix_covers_every_write_route_of_the_app() -> None:
    with Workspace("sqlite://") as empty:
        app = create_app(empty)
    routes = {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)  # through the included routers
        if route.path is not None and route.path.startswith(API)
        for method in set(route.methods or ()) & {"POST", "PATCH", "PUT", "DELETE"}
    }
    assert ("POST", f"{API}/session") in routes  # the introspection sees included routes
    assert routes == {(c.method, c.path) for c in CASES}
    assert routes == {(r.method, r.path) for r in WRITE_ROUTES}
    # WRITE_ROUTES names the action the issue gives each route.
    issue = {(c.method, c.path): c.action for c in CASES}
    for route in WRITE_ROUTES:
        wanted = issue[(route.method, route.path)]
        assert (route.action.value if route.action else None) == (
            None if wanted == "public" else wanted
        ), route
