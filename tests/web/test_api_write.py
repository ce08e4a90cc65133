"""The API's write side through the app (TestClient), on SQLite and PostgreSQL: an inspection
made, moderated and published under embargo through the JSON API alone, with the audit log
checked step by step; two sessions editing one judgment; bad input refused with its code and
nothing changed; an administrator's correction of a published inspection.

Expected area and grade ids are read here from the framework's YAML files; the rules (who may
do what, which transitions exist, embargoes in UK time) are the issue's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.record.audit import Actor
from peelkit.web.app import create_app
from tests.conftest import SHARED

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = REPO / "src" / "peelkit" / "frameworks" / "data"
API = "/api/v1"
PASSWORD = "a long enough passphrase 7"
# 12:00 UTC on Monday 1 June 2026: 13:00 in the UK (BST).
START = dt.datetime(2026, 6, 1, 12, 0)
ACCOUNTS = (("ines", "inspector"), ("ivan", "inspector"), ("mo", "moderator"), ("ada", "admin"))
LETTER_2014 = SHARED / "reference-reports" / "003_02b487485919232c.txt"


class Clock:
    """The app's clock, moved by the test (naive UTC)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def with_accounts(workspace: Workspace) -> Workspace:
    """``workspace`` initialised, with the accounts of :data:`ACCOUNTS` (made by the operator)."""
    workspace.initialise()
    for name, role in ACCOUNTS:
        workspace.add_user(name, role, PASSWORD, actor=Actor.operator(), now=START)
    return workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    return with_accounts(workspace)


def make_client(ws: Workspace, clock: Clock, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_app(ws, clock=clock), base_url=base_url)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the JSON API; the session's CSRF token."""
    answer = client.post(f"{API}/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["username"] == username
    return str(body["csrf_token"])


class Staff:
    """A signed-in person with their own client (cookie jar) and CSRF token."""

    def __init__(self, ws: Workspace, clock: Clock, username: str) -> None:
        self.client = make_client(ws, clock)
        self.username = username
        self.csrf = sign_in(self.client, username)

    def sign_in_again(self) -> None:
        """After the clock has moved past the idle timeout."""
        self.csrf = sign_in(self.client, self.username)

    def _headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    def get(self, path: str, **params: Any) -> httpx2.Response:
        return self.client.get(API + path, params=params)

    def post(self, path: str, body: Any = None) -> httpx2.Response:
        return self.client.post(API + path, json=body, headers=self._headers())

    def patch(self, path: str, body: Any) -> httpx2.Response:
        return self.client.patch(API + path, json=body, headers=self._headers())

    def delete(self, path: str, **params: Any) -> httpx2.Response:
        return self.client.delete(API + path, params=params, headers=self._headers())

    def upload(self, path: str, name: str, content: bytes) -> httpx2.Response:
        files = {"file": (name, content, "text/plain")}
        return self.client.post(API + path, files=files, headers=self._headers())


def ok(response: httpx2.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json() if status != 204 else None


def refused(response: httpx2.Response, status: int, code: str) -> dict[str, Any]:
    """The JSON error body, with its status and code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "status", "location"}
    assert (error["code"], error["status"]) == (code, status), error
    assert error["message"]
    return error


def framework_areas(framework: str) -> dict[str, str]:
    """Area name -> id, from the framework's YAML file."""
    data = yaml.safe_load((FRAMEWORKS / f"{framework}.yaml").read_text(encoding="utf-8"))
    found: dict[str, str] = {}

    def walk(areas: list[dict[str, Any]]) -> None:
        for area in areas:
            found[area["name"]] = area["id"]
            walk(area.get("areas") or [])

    walk(data["areas"])
    return found


def scale_grades(scale: str) -> dict[str, str]:
    """Grade label -> id, from grade-scales.yaml."""
    data = yaml.safe_load((FRAMEWORKS / "grade-scales.yaml").read_text(encoding="utf-8"))
    (found,) = [s for s in data["scales"] if s["id"] == scale]
    return {g["label"]: g["id"] for g in found["grades"]}


AREAS = framework_areas("peel-2018-19")
GRADES = scale_grades("peel-4-point")


def new_draft(staff: Staff, force: str = "kent", title: str = "PEEL 2018/19: Kent") -> int:
    body = {"force": force, "framework": "peel-2018-19", "period": "2018/19", "title": title}
    created = ok(staff.post("/inspections", body), 201)
    assert created["status"] == "draft"
    return int(created["id"])


def publish_now(moderator: Staff, inspection_id: int) -> None:
    ok(moderator.post(f"/inspections/{inspection_id}/transitions", {"to": "moderated"}))
    ok(moderator.post(f"/inspections/{inspection_id}/transitions", {"to": "published"}))


def desk(staff: Staff, inspection_id: int) -> Any:
    return ok(staff.get(f"/staff/inspections/{inspection_id}"))


# --- the walk ----------------------------------------------------------------------------------


def test_an_inspection_made_moderated_and_published_under_embargo_through_the_api(
    ws: Workspace, clock: Clock
) -> None:
    ines, mo, ada = Staff(ws, clock, "ines"), Staff(ws, clock, "mo"), Staff(ws, clock, "ada")
    public = make_client(ws, clock)

    # The inspector makes a draft and enters the pillar grades by their names.
    inspection = new_draft(ines)
    entered = {}
    for area, grade in (
        ("Effectiveness", "Good"),
        ("Efficiency", "Requires improvement"),
        ("Legitimacy", "RI"),  # the scale's alias for Requires improvement
    ):
        body = {"area": area, "grade": grade, "rationale": f"{area}: as the evidence shows"}
        judgment = ok(ines.post(f"/inspections/{inspection}/judgments", body), 201)
        assert judgment["area"] == AREAS[area]
        assert judgment["version"] == 1
        assert judgment["provenance"]["entered_by"] == "ines"
        entered[AREAS[area]] = judgment["grade"]
    assert entered == {
        "effectiveness": GRADES["Good"],
        "efficiency": GRADES["Requires improvement"],
        "legitimacy": GRADES["Requires improvement"],
    }

    # A cause of concern and the recommendation that answers it.
    cause = ok(
        ines.post(
            f"/inspections/{inspection}/findings",
            {
                "kind": "cause_of_concern",
                "text": "The force does not always assess the risk to vulnerable victims.",
                "area": "Protecting vulnerable people",
            },
        ),
        201,
    )
    assert cause["area"] == AREAS["Protecting vulnerable people"]
    recommendation = ok(
        ines.post(
            f"/inspections/{inspection}/findings",
            {
                "kind": "recommendation",
                "text": "Within six months, the force should assess the risk to every victim.",
                "cause_of_concern": cause["id"],
                "deadline": "within six months",
            },
        ),
        201,
    )
    assert recommendation["cause_of_concern"] == cause["id"]

    # A case file review of 90 files, 72 of which met the criterion.
    evidence = ok(
        ines.post(
            f"/inspections/{inspection}/evidence",
            {
                "kind": "case_file_review",
                "area": "Investigating crime",
                "description": "Review of crime files",
                "sample_size": 90,
                "period": "files closed 1 April to 30 June 2018",
                "criteria_results": [{"criterion": "investigation supervised", "count": 72}],
            },
        ),
        201,
    )
    assert evidence["sample_size"] == 90
    assert evidence["period"] == "files closed 1 April to 30 June 2018"
    assert evidence["criteria_results"] == [{"criterion": "investigation supervised", "count": 72}]
    shown = dict((e, r) for e, r in desk(ines, inspection)["evidence_results"])
    (result,) = shown[evidence["id"]]
    assert (result["count"], result["of"], result["shown"]) == (72, 90, "72 of 90 (80%)")
    assert result["warning"] is None

    # Nobody outside sees the draft: not the public, not the inspector through the public API.
    def public_sees() -> int:
        listed = public.get(f"{API}/inspections?limit=1000").json()["items"]
        found = public.get(f"{API}/inspections/{inspection}")
        assert (found.status_code == 200) == any(i["id"] == inspection for i in listed)
        return found.status_code

    assert public_sees() == 404
    assert ines.get(f"/inspections/{inspection}").status_code == 404
    staff_list = ok(ines.get("/staff/inspections"))["items"]
    assert [(i["id"], i["status"]) for i in staff_list] == [(inspection, "draft")]

    # The moderator moderates, sends it back with a comment, moderates again and publishes
    # with an embargo at 00:01 UK time on 3 June 2026 (23:01 UTC on 2 June: summer time).
    transitions = f"/inspections/{inspection}/transitions"
    assert ok(mo.post(transitions, {"to": "moderated"}))["status"] == "moderated"
    back = {"to": "draft", "comment": "Say which files the review covered"}
    assert ok(mo.post(transitions, back))["status"] == "draft"
    assert ok(mo.post(transitions, {"to": "moderated"}))["status"] == "moderated"
    published = ok(mo.post(transitions, {"to": "published", "embargo_until": "2026-06-03 00:01"}))
    assert published["status"] == "published"
    assert published["published"] == "2026-06-03"
    notice = desk(mo, inspection)["embargo_notice"]
    assert notice.startswith("Not for publication until 00:01 on Wednesday 3 June 2026")

    # Before the embargo the public sees nothing; a minute after it, the grades.
    assert public_sees() == 404
    clock.set(dt.datetime(2026, 6, 2, 23, 0))
    assert public_sees() == 404
    clock.set(dt.datetime(2026, 6, 2, 23, 2))
    assert public_sees() == 200
    seen = public.get(f"{API}/inspections/{inspection}").json()
    assert {j["area"]: j["grade"] for j in seen["judgments"] if j["shown"]} == entered
    # A day and a half on, the sessions have ended (idle): sign in again.
    refused(mo.get("/session"), 401, "session_ended")
    mo.sign_in_again()
    ada.sign_in_again()
    assert desk(mo, inspection)["embargo_notice"] is None

    # The audit log has every step, in order, with who took it and through what.
    events = ok(ada.get("/audit", inspection=inspection))["items"]
    steps = [(e["action"], e["actor"], e["role"], e["via"]) for e in events]
    assert steps == [
        ("inspection.create", "ines", "inspector", "api"),
        *[("judgment.add", "ines", "inspector", "api")] * 3,
        *[("finding.add", "ines", "inspector", "api")] * 2,
        ("evidence.add", "ines", "inspector", "api"),
        ("inspection.moderate", "mo", "moderator", "api"),
        ("inspection.return", "mo", "moderator", "api"),
        ("inspection.moderate", "mo", "moderator", "api"),
        ("inspection.publish", "mo", "moderator", "api"),
    ]
    signs = ok(ada.get("/audit", object_type="account", object_id="mo"))["items"]
    assert [e["action"] for e in signs] == ["account.add", "session.sign_in", "session.sign_in"]
    assert events[8]["comment"] == "Say which files the review covered"
    assert events[-1]["before"]["status"] == "moderated"
    assert events[-1]["after"]["status"] == "published"
    assert events[-1]["after"]["embargo_until"] == "2026-06-02T23:01:00"
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


# --- two people, one judgment --------------------------------------------------------------------


def test_the_second_of_two_edits_from_one_version_is_refused_and_the_first_kept(
    ws: Workspace, clock: Clock
) -> None:
    ines, ivan = Staff(ws, clock, "ines"), Staff(ws, clock, "ivan")
    inspection = new_draft(ines)
    path = f"/inspections/{inspection}/judgments"
    judgment = ok(ines.post(path, {"area": "Effectiveness", "grade": "Good"}), 201)
    assert judgment["version"] == 1

    first = ok(ines.patch(f"{path}/{judgment['id']}", {"version": 1, "grade": "Outstanding"}))
    assert (first["grade"], first["version"]) == (GRADES["Outstanding"], 2)
    second = ivan.patch(f"{path}/{judgment['id']}", {"version": 1, "grade": "Inadequate"})
    error = refused(second, 409, "edit_conflict")
    assert "version 2" in error["message"]

    (kept,) = desk(ivan, inspection)["inspection"]["judgments"]
    assert (kept["grade"], kept["version"]) == (GRADES["Outstanding"], 2)
    # Made again on the current version, the second edit goes through.
    again = ok(ivan.patch(f"{path}/{judgment['id']}", {"version": 2, "grade": "Inadequate"}))
    assert (again["grade"], again["version"]) == (GRADES["Inadequate"], 3)


def test_items_are_edited_and_removed_at_their_version(ws: Workspace, clock: Clock) -> None:
    ines = Staff(ws, clock, "ines")
    inspection = new_draft(ines)
    base = f"/inspections/{inspection}"
    evidence = ok(
        ines.post(f"{base}/evidence", {"kind": "survey", "sample_size": 20, "description": "x"}),
        201,
    )
    changed = ok(
        ines.patch(
            f"{base}/evidence/{evidence['id']}",
            {"version": 1, "criteria_results": [{"criterion": "felt safe", "count": 9, "of": 20}]},
        )
    )
    # Only the fields named changed.
    assert (changed["description"], changed["sample_size"], changed["version"]) == ("x", 20, 2)
    (result,) = dict(desk(ines, inspection)["evidence_results"])[evidence["id"]]
    assert result["shown"] == "9 of 20 (45%)"
    assert result["warning"] is not None  # 20 files is a small sample

    figure = ok(ines.post(f"{base}/figures", {"measure": "Crimes per 1,000 people"}), 201)
    ok(ines.patch(f"{base}/figures/{figure['id']}", {"version": 1, "force_value": 61.5}))
    refused(ines.delete(f"{base}/figures/{figure['id']}", version=1), 409, "edit_conflict")
    refused(ines.delete(f"{base}/figures/{figure['id']}"), 400, "version_required")
    assert ok(ines.delete(f"{base}/figures/{figure['id']}", version=2), 204) is None
    assert desk(ines, inspection)["inspection"]["figures"] == []
    refused(ines.delete(f"{base}/figures/{figure['id']}", version=2), 404, "item_not_found")


# --- bad input ---------------------------------------------------------------------------------


def test_bad_input_is_refused_with_its_code_and_nothing_changes(
    ws: Workspace, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ines, mo, ada = Staff(ws, clock, "ines"), Staff(ws, clock, "mo"), Staff(ws, clock, "ada")
    inspection = new_draft(ines)
    base = f"/inspections/{inspection}"
    ok(ines.post(f"{base}/judgments", {"area": "Effectiveness", "grade": "Good"}), 201)

    def state() -> tuple[Any, int]:
        return desk(ada, inspection)["inspection"], len(ok(ada.get("/audit"))["items"])

    before = state()
    judgments = f"{base}/judgments"
    # A grade not on the framework's scale (Excellent is the baseline assessment's).
    error = refused(
        ines.post(judgments, {"area": "Efficiency", "grade": "Excellent"}), 400, "unknown_grade"
    )
    assert "Excellent" in error["message"]
    # An area not in the framework (a 2021/22 question).
    error = refused(
        ines.post(judgments, {"area": "Treatment of the public", "grade": "Good"}),
        404,
        "unknown_area",
    )
    assert "Treatment of the public" in error["message"]
    # A field no judgment has, and a text past its limit.
    error = refused(
        ines.post(judgments, {"area": "Efficiency", "colour": "red"}), 400, "unknown_field"
    )
    assert "colour" in error["message"] and error["location"]["field"] == "colour"
    long_text = {"area": "Efficiency", "grade": "Good", "rationale": "x" * 20_001}
    error = refused(ines.post(judgments, long_text), 400, "invalid_parameter")
    assert error["location"]["field"] == "rationale"
    # Not JSON.
    answer = ines.client.post(
        API + judgments,
        data={"area": "Efficiency", "grade": "Good"},
        headers={"X-CSRF-Token": ines.csrf},
    )
    refused(answer, 400, "json_body_required")
    # A transition the workflow does not have: a draft cannot be published.
    refused(mo.post(f"{base}/transitions", {"to": "published"}), 409, "transition_not_allowed")
    refused(mo.post(f"{base}/transitions", {"to": "archived"}), 400, "unknown_choice")
    # A report too large, and a file that is not a report.
    monkeypatch.setattr("peelkit.inspectors.MAX_UPLOAD_BYTES", 1000)
    big = ines.upload(f"{base}/uploads", LETTER_2014.name, LETTER_2014.read_bytes())
    refused(big, 413, "upload_too_large")
    notes = ines.upload(f"{base}/uploads", "notes.txt", b"Shopping list\nmilk\neggs\n")
    refused(notes, 400, "unknown_report")
    assert state() == before

    # An embargo in the past, and one that is not a time.
    ok(mo.post(f"{base}/transitions", {"to": "moderated"}))
    moderated = state()
    past = {"to": "published", "embargo_until": "2026-06-01 12:59"}  # 11:59 UTC, before START
    refused(mo.post(f"{base}/transitions", past), 400, "embargo_in_past")
    not_a_time = {"to": "published", "embargo_until": "next Tuesday"}
    refused(mo.post(f"{base}/transitions", not_a_time), 400, "invalid_embargo")
    assert state() == moderated
    assert moderated[0]["status"] == "moderated"


def test_an_unknown_account_and_a_wrong_password_get_the_same_refusal(
    ws: Workspace, clock: Clock
) -> None:
    client = make_client(ws, clock)
    unknown = client.post(f"{API}/session", json={"username": "nobody", "password": PASSWORD})
    wrong = client.post(f"{API}/session", json={"username": "ines", "password": "not it at all"})
    first = refused(unknown, 401, "sign_in_refused")
    second = refused(wrong, 401, "sign_in_refused")
    assert first["message"] == second["message"]
    assert "peel_session" not in client.cookies
    # A form post is not JSON, and a body with a field sign-in does not take is refused.
    as_form = client.post(f"{API}/session", data={"username": "ines", "password": PASSWORD})
    refused(as_form, 400, "json_body_required")
    extra = {"username": "ines", "password": PASSWORD, "role": "admin"}
    refused(client.post(f"{API}/session", json=extra), 400, "unknown_field")


def test_a_report_is_uploaded_into_a_draft_after_its_preview(ws: Workspace, clock: Clock) -> None:
    ines = Staff(ws, clock, "ines")
    created = ines.post(
        "/inspections",
        {"force": "Metropolitan Police Service", "framework": "core-business-2014"},
    )
    inspection = ok(created, 201)["id"]
    preview = ok(
        ines.upload(
            f"/inspections/{inspection}/uploads", LETTER_2014.name, LETTER_2014.read_bytes()
        )
    )
    assert (preview["force"], preview["framework"]) == ("metropolitan", "core-business-2014")
    assert preview["findings"] > 0
    assert desk(ines, inspection)["inspection"]["findings"] == []  # nothing until confirmed
    result = ok(ines.post(f"/inspections/{inspection}/uploads/{preview['token']}/confirm"))
    assert result["inspection"] == inspection
    after = desk(ines, inspection)["inspection"]
    assert after["status"] == "draft"
    assert len(after["findings"]) == preview["findings"] == result["counts"]["findings"]
    # The token is used up.
    again = ines.post(f"/inspections/{inspection}/uploads/{preview['token']}/confirm")
    refused(again, 404, "upload_not_found")


# --- correcting a published inspection ----------------------------------------------------------


def test_a_correction_of_a_published_inspection_needs_a_reason_and_keeps_the_earlier_version(
    ws: Workspace, clock: Clock
) -> None:
    ines, mo, ada = Staff(ws, clock, "ines"), Staff(ws, clock, "mo"), Staff(ws, clock, "ada")
    inspection = new_draft(ines)
    path = f"/inspections/{inspection}/judgments"
    judgment = ok(ines.post(path, {"area": "Legitimacy", "grade": "Good"}), 201)
    publish_now(mo, inspection)
    item = f"{path}/{judgment['id']}"
    version = desk(ada, inspection)["inspection"]["judgments"][0]["version"]

    refused(
        mo.patch(item, {"version": version, "grade": "Outstanding", "reason": "typo"}),
        403,
        "not_permitted",
    )
    no_reason = ada.patch(item, {"version": version, "grade": "Outstanding"})
    refused(no_reason, 400, "correction_needs_reason")
    assert ok(ada.get(f"/inspections/{inspection}/versions"))["items"] == []

    reason = "The grade was entered from the wrong force's report"
    corrected = ok(ada.patch(item, {"version": version, "grade": "Outstanding", "reason": reason}))
    assert corrected["grade"] == GRADES["Outstanding"]
    (earlier,) = ok(ada.get(f"/inspections/{inspection}/versions"))["items"]
    assert (earlier["number"], earlier["corrected_by"], earlier["reason"]) == (1, "ada", reason)
    (old,) = earlier["inspection"]["judgments"]
    assert old["grade"] == GRADES["Good"]
    public = make_client(ws, clock).get(f"{API}/inspections/{inspection}").json()
    assert [j["grade"] for j in public["judgments"]] == [GRADES["Outstanding"]]
    (event,) = [
        e
        for e in ok(ada.get("/audit", inspection=inspection))["items"]
        if e["action"] == "judgment.edit"
    ]
    assert (event["actor"], event["comment"]) == ("ada", reason)
    assert event["before"]["grade"] == GRADES["Good"]
    assert event["after"]["grade"] == GRADES["Outstanding"]


def test_accounts_through_the_api(ws: Workspace, clock: Clock) -> None:
    ada = Staff(ws, clock, "ada")
    made = ok(
        ada.post("/users", {"username": "nia", "role": "moderator", "password": PASSWORD}), 201
    )
    assert (made["username"], made["role"], made["disabled"]) == ("nia", "moderator", False)
    refused(
        ada.post("/users", {"username": "nia2", "role": "moderator", "password": "short"}),
        400,
        "weak_password",
    )
    refused(
        ada.post("/users", {"username": "nia", "role": "moderator", "password": PASSWORD}),
        409,
        "account_exists",
    )
    names = [u["username"] for u in ok(ada.get("/users"))["items"]]
    assert sorted(names) == sorted([*(n for n, _ in ACCOUNTS), "nia"])
    nia = Staff(ws, clock, "nia")
    assert ok(nia.get("/session"))["role"] == "moderator"
    assert ok(ada.post("/users/nia/disable"))["disabled"] is True
    refused(nia.get("/session"), 401, "session_ended")
