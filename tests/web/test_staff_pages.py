"""The staff pages through the app (TestClient), on SQLite and PostgreSQL: signing in with the
double-submit token, the CSRF token on every form, forms that offer only the framework's areas
and grades (compared with the framework's YAML file read here), escaping, and the publish
button and route refused to inspectors. Also: docs/inspectors.md's permission table is the
permission table."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.record.audit import Actor

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = REPO / "src" / "peelkit" / "frameworks" / "data"
PASSWORD = "a long enough passphrase 7"
NOW = dt.datetime(2026, 6, 1, 12, 0)
OPERATOR = Actor("operator:test", "operator", "library")


class Selects(HTMLParser):
    """The options of every <select> by its id, and the ids of every form with their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[str]] = {}
        self.forms: dict[str, list[str]] = {}
        self._select: str | None = None
        self._form: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self._select = found.get("id") or ""
            self.options[self._select] = []
        elif tag == "option" and self._select is not None:
            self.options[self._select].append(found.get("value") or "")
        elif tag == "form":
            self._form = found.get("id") or found.get("action") or ""
            self.forms[self._form] = []
        if tag in ("input", "select", "textarea") and self._form is not None:
            self.forms[self._form].append(found.get("name") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def parse(html: str) -> Selects:
    parser = Selects()
    parser.feed(html)
    return parser


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.initialise()
    for name, role in (("ines", "inspector"), ("mo", "moderator"), ("ada", "admin")):
        workspace.add_user(name, role, PASSWORD, OPERATOR, NOW)
    return workspace


def make_client(ws: Workspace) -> TestClient:
    from peelkit.web.app import create_app

    return TestClient(create_app(ws, clock=lambda: NOW))


@pytest.fixture
def client(ws: Workspace) -> Iterator[TestClient]:
    with make_client(ws) as opened:
        yield opened


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has a csrf_token field"
    return found.group(1)


def signin_token(client: TestClient) -> str:
    """The sign-in form's own token (the header's sign-out form has the session's)."""
    html = client.get("/signin").text
    return form_token(html[html.index('action="/signin"') :])


def sign_in(client: TestClient, username: str) -> str:
    """Sign in through the form; the session's CSRF token (from the staff page)."""
    token = signin_token(client)
    answer = client.post(
        "/signin",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/staff"
    return form_token(client.get("/staff").text)


def new_draft(client: TestClient, csrf: str, framework: str = "peel-2018-19") -> int:
    answer = client.post(
        "/staff/inspections",
        data={"csrf_token": csrf, "force": "kent", "framework": framework, "title": "Kent"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/staff/inspections/(\d+)", answer.headers["location"])
    assert found
    return int(found.group(1))


def desk(ws: Workspace, inspection_id: int) -> Any:
    return ws.desk_inspection(inspection_id, OPERATOR, NOW)


# --- signing in -------------------------------------------------------------------------------


def test_signin_form_needs_its_double_submit_token(client: TestClient) -> None:
    # Without ever loading the form: no peel_signin cookie, so the token cannot match.
    answer = client.post(
        "/signin",
        data={"username": "ines", "password": PASSWORD, "csrf_token": "made-up"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "peel_session" not in client.cookies
    # With the cookie but a different token in the form.
    client.get("/signin")
    answer = client.post(
        "/signin",
        data={"username": "ines", "password": PASSWORD, "csrf_token": "other"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "peel_session" not in client.cookies


def test_wrong_password_shows_the_form_again_with_401(client: TestClient) -> None:
    token = signin_token(client)
    answer = client.post(
        "/signin",
        data={"username": "ines", "password": "not the password", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert "the username or password is not right" in answer.text
    assert 'name="username"' in answer.text
    assert "peel_session" not in client.cookies
    # An unknown name gets the same message.
    answer = client.post(
        "/signin",
        data={"username": "nobody", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert "the username or password is not right" in answer.text


def test_staff_pages_send_strangers_to_sign_in_and_are_not_cached(client: TestClient) -> None:
    for path in ("/staff", "/staff/inspections/1", "/staff/users", "/staff/audit"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/signin"
    sign_in(client, "ines")
    answer = client.get("/staff")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "Sign out" in answer.text


def test_signing_in_again_revokes_the_old_session(client: TestClient) -> None:
    sign_in(client, "ines")
    first = client.cookies["peel_session"]
    sign_in(client, "mo")
    second = client.cookies["peel_session"]
    assert first != second
    with make_client(client.app.state.workspace) as other:  # type: ignore[attr-defined]
        other.cookies.set("peel_session", first)
        assert other.get("/staff", follow_redirects=False).status_code == 303


def test_sign_out_needs_the_token_and_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client, "ines")
    token = client.cookies["peel_session"]
    assert client.post("/signout", data={}, follow_redirects=False).status_code == 403
    answer = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    client.cookies.set("peel_session", token)  # the old cookie, reused
    assert client.get("/staff", follow_redirects=False).status_code == 303


# --- forms that know the framework ------------------------------------------------------------


def _yaml_areas(areas: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for area in areas:
        found.append(area["id"])
        found.extend(_yaml_areas(area.get("areas", [])))
    return found


def _yaml_scale(scale_id: str) -> list[str]:
    scales = yaml.safe_load((FRAMEWORKS / "grade-scales.yaml").read_text())
    (scale,) = [s for s in scales["scales"] if s["id"] == scale_id]
    return [g["id"] for g in scale["grades"]] + [g["id"] for g in scale.get("non_grades", [])]


def test_judgment_form_offers_only_the_frameworks_areas_and_grades(client: TestClient) -> None:
    spec = yaml.safe_load((FRAMEWORKS / "peel-2018-19.yaml").read_text())
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    page = parse(client.get(f"/staff/inspections/{inspection_id}").text)
    assert page.options["judgment-area"] == _yaml_areas(spec["areas"])
    assert "effectiveness" in page.options["judgment-area"]
    assert page.options["judgment-grade"] == _yaml_scale(spec["grade_scale"])
    # 2018/19 has no direction of travel: no direction select at all.
    assert "direction_scale" not in spec
    assert "judgment-direction" not in page.options
    assert "csrf_token" in page.forms["judgment-form"]


def test_direction_select_only_where_the_framework_has_one(client: TestClient) -> None:
    spec = yaml.safe_load((FRAMEWORKS / "baseline-2005.yaml").read_text())
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf, "baseline-2005")
    page = parse(client.get(f"/staff/inspections/{inspection_id}").text)
    assert page.options["judgment-area"] == _yaml_areas(spec["areas"])
    assert page.options["judgment-grade"] == _yaml_scale(spec["grade_scale"])
    assert page.options["judgment-direction"] == ["", *_yaml_scale(spec["direction_scale"])]


def test_a_grade_off_the_scale_is_refused_on_the_page(ws: Workspace, client: TestClient) -> None:
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    answer = client.post(
        f"/staff/inspections/{inspection_id}/judgments",
        data={"csrf_token": csrf, "area": "effectiveness", "grade": "adequate"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    assert "Not saved" in answer.text
    assert "adequate" in answer.text
    assert desk(ws, inspection_id).inspection.judgments == ()


def test_recommendation_picks_its_cause_and_evidence_shows_counts(
    ws: Workspace, client: TestClient
) -> None:
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    url = f"/staff/inspections/{inspection_id}"
    cause = {"csrf_token": csrf, "kind": "cause_of_concern", "text": "Vulnerable people wait."}
    assert client.post(url + "/findings", data=cause, follow_redirects=False).status_code == 303
    (cause_id,) = [f.id for f in desk(ws, inspection_id).inspection.findings]
    page = parse(client.get(url).text)
    assert page.options["finding-cause"] == ["", str(cause_id)]
    # A recommendation without its cause: refused, nothing added.
    rec = {"csrf_token": csrf, "kind": "recommendation", "text": "Answer calls faster."}
    answer = client.post(url + "/findings", data=rec, follow_redirects=False)
    assert answer.status_code == 400
    assert "cause of concern" in answer.text
    assert len(desk(ws, inspection_id).inspection.findings) == 1
    answer = client.post(
        url + "/findings", data={**rec, "cause_of_concern": str(cause_id)}, follow_redirects=False
    )
    assert answer.status_code == 303
    findings = desk(ws, inspection_id).inspection.findings
    assert [(f.kind, f.cause_of_concern) for f in findings] == [
        ("cause_of_concern", None),
        ("recommendation", cause_id),
    ]
    evidence = {
        "csrf_token": csrf,
        "kind": "case_file_review",
        "sample_size": "90",
        "period": "April to September 2018",
        "results": "risk assessed: 72\nvictim contacted: 9 of 20",
    }
    assert client.post(url + "/evidence", data=evidence, follow_redirects=False).status_code == 303
    html = client.get(url).text
    assert "72 of 90 (80%)" in html  # 72 / 90 = 0.8
    assert "9 of 20 (45%)" in html  # 9 / 20 = 0.45
    assert html.count("small sample") == 1  # 20 is under 30; 90 is not
    (stored,) = desk(ws, inspection_id).inspection.evidence
    assert stored.sample_size == 90
    assert list(stored.criteria_results) == [
        {"criterion": "risk assessed", "count": 72},
        {"criterion": "victim contacted", "count": 9, "of": 20},
    ]
    bad = {**evidence, "results": "risk assessed: 95"}
    answer = client.post(url + "/evidence", data=bad, follow_redirects=False)
    assert answer.status_code == 400
    assert "95 of 90" in answer.text
    assert len(desk(ws, inspection_id).inspection.evidence) == 1


# --- CSRF, escaping, permissions --------------------------------------------------------------


def test_a_form_post_without_the_csrf_token_is_refused(ws: Workspace, client: TestClient) -> None:
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    events = len(ws.audit(OPERATOR))
    url = f"/staff/inspections/{inspection_id}"
    for path, data in (
        ("/findings", {"kind": "strength", "text": "Good"}),
        ("/judgments", {"area": "effectiveness", "grade": "good"}),
        ("/evidence", {"kind": "survey", "sample_size": "40"}),
    ):
        assert client.post(url + path, data=data, follow_redirects=False).status_code == 403
        wrong = {**data, "csrf_token": "not-the-token"}
        assert client.post(url + path, data=wrong, follow_redirects=False).status_code == 403
    answer = client.post("/staff/inspections", data={"force": "essex", "framework": "peel-2018-19"})
    assert answer.status_code == 403
    view = desk(ws, inspection_id).inspection
    assert (view.findings, view.judgments, view.evidence) == ((), (), ())
    assert len(ws.audit(OPERATOR)) == events
    assert [i.id for i in ws.staff_inspections(OPERATOR, NOW).items] == [inspection_id]


def test_script_and_sql_in_a_finding_are_stored_as_text_and_shown_escaped(
    ws: Workspace, client: TestClient
) -> None:
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    text = "<script>alert('x')</script>'); DROP TABLE finding; --"
    answer = client.post(
        f"/staff/inspections/{inspection_id}/findings",
        data={"csrf_token": csrf, "kind": "strength", "text": text},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    (stored,) = desk(ws, inspection_id).inspection.findings
    assert stored.text == text
    html = client.get(f"/staff/inspections/{inspection_id}").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#39;); DROP TABLE finding; --" in html


def test_inspectors_get_no_publish_button_and_a_forged_publish_is_refused(
    ws: Workspace, client: TestClient
) -> None:
    csrf = sign_in(client, "ines")
    inspection_id = new_draft(client, csrf)
    url = f"/staff/inspections/{inspection_id}"
    page = parse(client.get(url).text)
    assert not [f for f in page.forms if f.startswith("transition-")]
    forged = {"csrf_token": csrf, "to": "moderated"}
    answer = client.post(url + "/transitions", data=forged, follow_redirects=False)
    assert answer.status_code == 403
    assert "may not" in answer.text
    with make_client(ws) as moderator:
        mod_csrf = sign_in(moderator, "mo")
        mod_page = parse(moderator.get(url).text)
        assert [f for f in mod_page.forms if f.startswith("transition-")] == ["transition-moderate"]
        moderate = {"csrf_token": mod_csrf, "to": "moderated"}
        answer = moderator.post(url + "/transitions", data=moderate, follow_redirects=False)
        assert answer.status_code == 303
        mod_page = parse(moderator.get(url).text)
        assert sorted(f for f in mod_page.forms if f.startswith("transition-")) == [
            "transition-publish",
            "transition-return",
        ]
    page = parse(client.get(url).text)
    assert not [f for f in page.forms if f.startswith("transition-")]
    forged = {"csrf_token": csrf, "to": "published"}
    answer = client.post(url + "/transitions", data=forged, follow_redirects=False)
    assert answer.status_code == 403
    assert desk(ws, inspection_id).inspection.status == "moderated"


def test_admin_pages_are_for_admins(ws: Workspace, client: TestClient) -> None:
    sign_in(client, "ines")
    assert client.get("/staff/audit").status_code == 403
    assert client.get("/staff/users").status_code == 403
    with make_client(ws) as admin:
        csrf = sign_in(admin, "ada")
        users = admin.get("/staff/users")
        assert users.status_code == 200
        assert parse(users.text).options["user-role"] == ["inspector", "moderator", "admin"]
        answer = admin.post(
            "/staff/users",
            data={"csrf_token": csrf, "username": "newbie", "role": "inspector", "password": "x"},
            follow_redirects=False,
        )
        assert answer.status_code == 400  # too short a password
        assert "newbie" not in [u.username for u in ws.users(OPERATOR)]
        answer = admin.post(
            "/staff/users/ines/disable", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert [u.disabled for u in ws.users(OPERATOR) if u.username == "ines"] == [True]
        log = admin.get("/staff/audit").text
        actions = re.findall(r'<td class="audit-action">([^<]+)</td>', log)
        assert actions == [e.action for e in ws.audit(OPERATOR)]
        assert actions[-1] == "account.disable"
    # The disabled inspector's session has ended.
    assert client.get("/staff", follow_redirects=False).status_code == 303


# --- the permission table in the guide --------------------------------------------------------


def test_the_guides_permission_table_is_the_permission_table() -> None:
    from peelkit.domain.permissions import PERMISSIONS, Action, Role

    text = (REPO / "docs" / "inspectors.md").read_text()
    lines = [line for line in text.splitlines() if line.startswith("| `")]
    table: dict[str, dict[str, bool]] = {}
    header = next(line for line in text.splitlines() if line.startswith("| Action |"))
    roles = [c.strip().lower() for c in header.strip("|").split("|")[2:]]
    assert roles == [r.value for r in Role]
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert all(c in ("yes", "no") for c in cells[2:]), line
        table[cells[0].strip("`")] = {r: c == "yes" for r, c in zip(roles, cells[2:], strict=True)}
    assert sorted(table) == sorted(a.value for a in Action)
    for action in Action:
        for role in Role:
            assert table[action.value][role.value] == (action in PERMISSIONS[role.value]), (
                action,
                role,
            )
