"""Security of the API's write side through the app (TestClient), on SQLite and PostgreSQL: the
CSRF header, roles, sessions (signed out, rotated at sign-in, disabled account, idle timeout),
the session cookie's flags, throttled sign-ins, injection attempts stored as text and shown
escaped, and writes kept same-origin (no CORS for them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from tests.web.test_api_write import (
    API,
    PASSWORD,
    START,
    Clock,
    Staff,
    desk,
    make_client,
    new_draft,
    ok,
    refused,
    sign_in,
    with_accounts,
)

SQL = "Robert'); DROP TABLE judgment; --"
SCRIPT = "<script>alert('peel')</script>"
QUOTES = '" OR 1=1 -- <img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert("


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    return with_accounts(workspace)


def state(staff: Staff, inspection: int) -> tuple[Any, int]:
    """The inspection as staff see it, and how many events the audit log holds."""
    view = desk(staff, inspection)
    return view["inspection"], len(view["history"])


def session_cookie(response: httpx2.Response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if "peel_session=" in h]
    return header


# --- CSRF and roles --------------------------------------------------------------------------


def test_a_write_without_the_csrf_header_is_refused_and_nothing_changes(
    ws: Workspace, clock: Clock
) -> None:
    ines = Staff(ws, clock, "ines")
    inspection = new_draft(ines)
    path = f"{API}/inspections/{inspection}/judgments"
    judgment = ok(ines.post(f"/inspections/{inspection}/judgments", {"area": "Efficiency"}), 201)
    before = state(ines, inspection)
    listed = ok(ines.get("/staff/inspections"))

    body = {"area": "Effectiveness", "grade": "Good"}
    attempts = [
        ines.client.post(path, json=body),
        ines.client.post(path, json=body, headers={"X-CSRF-Token": "not-the-token"}),
        ines.client.post(path, json=body, headers={"X-CSRF-Token": ""}),
        ines.client.patch(f"{path}/{judgment['id']}", json={"version": 1, "grade": "Good"}),
        ines.client.delete(f"{path}/{judgment['id']}", params={"version": 1}),
        ines.client.post(f"{API}/inspections/{inspection}/transitions", json={"to": "moderated"}),
        ines.client.post(
            f"{API}/inspections", json={"force": "essex", "framework": "peel-2018-19"}
        ),
        ines.client.delete(f"{API}/session"),
    ]
    for answer in attempts:
        refused(answer, 403, "csrf_failed")
    assert state(ines, inspection) == before
    assert ok(ines.get("/staff/inspections")) == listed
    assert ok(ines.get("/session"))["username"] == "ines"  # still signed in


def test_an_inspector_cannot_take_a_moderators_transitions(ws: Workspace, clock: Clock) -> None:
    ines, mo = Staff(ws, clock, "ines"), Staff(ws, clock, "mo")
    inspection = new_draft(ines)
    transitions = f"/inspections/{inspection}/transitions"
    refused(ines.post(transitions, {"to": "moderated"}), 403, "not_permitted")
    ok(mo.post(transitions, {"to": "moderated"}))
    before = state(mo, inspection)
    error = refused(ines.post(transitions, {"to": "published"}), 403, "not_permitted")
    assert "ines is an inspector" in error["message"]
    embargoed = {"to": "published", "embargo_until": "2026-12-03 00:01"}
    refused(ines.post(transitions, embargoed), 403, "not_permitted")
    refused(ines.post(transitions, {"to": "draft", "comment": "no"}), 403, "not_permitted")
    # Nor edit it once moderated.
    refused(
        ines.post(f"/inspections/{inspection}/judgments", {"area": "Efficiency", "grade": "Good"}),
        403,
        "not_permitted",
    )
    assert state(mo, inspection) == before
    assert before[0]["status"] == "moderated"


# --- sessions --------------------------------------------------------------------------------


def test_a_signed_out_session_cannot_be_used_again(ws: Workspace, clock: Clock) -> None:
    client = make_client(ws, clock)
    csrf = sign_in(client, "mo")
    cookie = client.cookies["peel_session"]
    inspection = new_draft(Staff(ws, clock, "ines"))

    out = client.delete(f"{API}/session", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert "max-age=0" in session_cookie(out).lower()  # the cookie is cleared
    refused(client.get(f"{API}/session"), 401, "not_signed_in")

    # The old cookie, replayed by someone who kept it, is dead.
    replay = make_client(ws, clock)
    replay.cookies.set("peel_session", cookie)
    refused(replay.get(f"{API}/session"), 401, "session_ended")
    write = replay.post(
        f"{API}/inspections/{inspection}/transitions",
        json={"to": "moderated"},
        headers={"X-CSRF-Token": csrf},
    )
    refused(write, 401, "session_ended")
    refused(replay.get(f"{API}/staff/inspections"), 401, "session_ended")
    assert ws.inspection(inspection).status == "draft"


def test_the_session_id_changes_at_every_sign_in_and_the_old_one_ends(
    ws: Workspace, clock: Clock
) -> None:
    client = make_client(ws, clock)
    first_csrf = sign_in(client, "ines")
    first = client.cookies["peel_session"]
    second_csrf = sign_in(client, "ines")  # signing in again with the session cookie set
    second = client.cookies["peel_session"]
    assert first != second
    assert first_csrf != second_csrf
    assert ok(client.get(f"{API}/session"))["csrf_token"] == second_csrf

    old = make_client(ws, clock)
    old.cookies.set("peel_session", first)
    refused(old.get(f"{API}/session"), 401, "session_ended")
    # The first session's CSRF token is no good with the second session either.
    stale = client.post(
        f"{API}/inspections",
        json={"force": "kent", "framework": "peel-2018-19"},
        headers={"X-CSRF-Token": first_csrf},
    )
    refused(stale, 403, "csrf_failed")


@pytest.mark.parametrize(
    ("base_url", "secure"), [("http://testserver", False), ("https://testserver", True)]
)
def test_the_session_cookie_is_httponly_lax_and_secure_over_https(
    ws: Workspace, clock: Clock, base_url: str, secure: bool
) -> None:
    client = make_client(ws, clock, base_url=base_url)
    answer = client.post(f"{API}/session", json={"username": "ines", "password": PASSWORD})
    assert answer.status_code == 200
    parts = [p.strip().lower() for p in session_cookie(answer).split(";")]
    assert "httponly" in parts
    assert "samesite=lax" in parts
    assert "path=/" in parts
    assert ("secure" in parts) is secure
    # The cookie holds the session's token and nothing else: not the user's name or role.
    token = parts[0].removeprefix("peel_session=")
    assert len(token) >= 40
    assert "ines" not in token and "inspector" not in token
    assert token not in answer.text  # nor is the token in the body (only the CSRF token)


def test_a_disabled_accounts_session_ends(ws: Workspace, clock: Clock) -> None:
    ines, ada = Staff(ws, clock, "ines"), Staff(ws, clock, "ada")
    inspection = new_draft(ines)
    ok(ada.post("/users/ines/disable"))
    refused(ines.get("/session"), 401, "session_ended")
    refused(
        ines.post(f"/inspections/{inspection}/judgments", {"area": "Efficiency"}),
        401,
        "session_ended",
    )
    # And the account cannot sign in again (the same refusal as a wrong password).
    again = ines.client.post(f"{API}/session", json={"username": "ines", "password": PASSWORD})
    refused(again, 401, "sign_in_refused")


def test_an_idle_session_ends_after_30_minutes(ws: Workspace, clock: Clock) -> None:
    ines = Staff(ws, clock, "ines")
    clock.set(START + dt.timedelta(minutes=29))
    assert ok(ines.get("/session"))["username"] == "ines"  # used: the idle time starts again
    clock.set(START + dt.timedelta(minutes=29 + 29))
    assert ok(ines.get("/staff/inspections"))["items"] == []
    clock.set(START + dt.timedelta(minutes=29 + 29 + 31))
    refused(ines.get("/session"), 401, "session_ended")
    refused(
        ines.post("/inspections", {"force": "kent", "framework": "peel-2018-19"}),
        401,
        "session_ended",
    )


# --- throttling --------------------------------------------------------------------------------


def test_failed_sign_ins_are_throttled_with_one_message_for_known_and_unknown_names(
    ws: Workspace, clock: Clock
) -> None:
    client = make_client(ws, clock)

    def attempt(username: str, password: str) -> httpx2.Response:
        return client.post(f"{API}/session", json={"username": username, "password": password})

    messages = {}
    for username in ("ines", "nobody"):
        for _ in range(5):
            refused(attempt(username, "wrong password here"), 401, "sign_in_refused")
        # The sixth is refused even with the right password (for ines), before it is checked.
        sixth = attempt(username, PASSWORD)
        error = refused(sixth, 429, "too_many_attempts")
        assert int(sixth.headers["retry-after"]) > 0
        messages[username] = error["message"]
    assert messages["ines"] == messages["nobody"]
    assert "peel_session" not in client.cookies
    # Past the window, ines signs in.
    clock.set(START + dt.timedelta(minutes=16))
    assert attempt("ines", PASSWORD).status_code == 200


# --- injection -----------------------------------------------------------------------------------


def test_injection_attempts_are_stored_as_text_and_shown_escaped(
    ws: Workspace, clock: Clock
) -> None:
    ines, mo = Staff(ws, clock, "ines"), Staff(ws, clock, "mo")
    title = f"Kent {SCRIPT} {SQL}"
    created = ok(
        ines.post(
            "/inspections",
            {"force": "kent", "framework": "peel-2018-19", "title": title},
        ),
        201,
    )
    inspection = created["id"]
    assert created["title"] == title
    base = f"/inspections/{inspection}"
    judgment = ok(
        ines.post(
            f"{base}/judgments",
            {"area": "Effectiveness", "grade": "Good", "rationale": f"{SCRIPT}{SQL}{QUOTES}"},
        ),
        201,
    )
    finding = ok(
        ines.post(
            f"{base}/findings",
            {
                "kind": "area_for_improvement",
                "text": f"{SCRIPT} {SQL}",
                "heading": QUOTES,
                "lead_in": SCRIPT,
                "sub_items": [SCRIPT, SQL],
            },
        ),
        201,
    )
    evidence = ok(
        ines.post(
            f"{base}/evidence",
            {
                "kind": "case_file_review",
                "description": f"{SCRIPT} {QUOTES}",
                "period": SQL,
                "sample_size": 60,
                "criteria_results": [{"criterion": SCRIPT, "count": 30}],
            },
        ),
        201,
    )
    # Read back exactly as sent.
    stored = desk(ines, inspection)["inspection"]
    assert stored["title"] == title
    (j,) = stored["judgments"]
    assert j["rationale"] == f"{SCRIPT}{SQL}{QUOTES}" == judgment["rationale"]
    (f,) = stored["findings"]
    assert (f["text"], f["heading"], f["lead_in"]) == (f"{SCRIPT} {SQL}", QUOTES, SCRIPT)
    assert f["sub_items"] == [SCRIPT, SQL] == finding["sub_items"]
    (e,) = stored["evidence"]
    assert (e["description"], e["period"]) == (f"{SCRIPT} {QUOTES}", SQL)
    assert e["criteria_results"] == [{"criterion": SCRIPT, "count": 30}]
    assert evidence["id"] == e["id"]

    def shows_escaped(page: str) -> None:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert ESCAPED_SCRIPT in page

    staff_page = ines.client.get(f"/staff/inspections/{inspection}")
    assert staff_page.status_code == 200
    shows_escaped(staff_page.text)
    # Published, the public page shows them escaped too.
    ok(mo.post(f"{base}/transitions", {"to": "moderated"}))
    ok(mo.post(f"{base}/transitions", {"to": "published"}))
    public = make_client(ws, clock)
    public_page = public.get(f"/inspections/{inspection}")
    assert public_page.status_code == 200
    shows_escaped(public_page.text)
    # The tables named in the SQL are still there (nothing ran), and the JSON is as stored.
    api = public.get(f"{API}/inspections/{inspection}").json()
    assert [x["rationale"] for x in api["judgments"]] == [f"{SCRIPT}{SQL}{QUOTES}"]
    assert api["title"] == title


# --- same-origin writes --------------------------------------------------------------------------


def test_writes_are_not_offered_to_other_origins(ws: Workspace, clock: Clock) -> None:
    client = make_client(ws, clock)
    preflight = {
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-csrf-token",
    }
    for path in ("/inspections", "/session", "/inspections/1/judgments", "/users"):
        answer = client.options(API + path, headers=preflight)
        allowed = answer.headers.get("access-control-allow-methods", "")
        assert "POST" not in allowed, (path, allowed)
    # The answers of writes (and of the session) carry no CORS header.
    signed = client.post(
        f"{API}/session",
        json={"username": "ines", "password": PASSWORD},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert signed.status_code == 200
    assert "access-control-allow-origin" not in signed.headers
    assert "access-control-allow-credentials" not in signed.headers
    fetched = client.get(f"{API}/session", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in fetched.headers


def test_an_anonymous_client_reads_no_staff_route(ws: Workspace, clock: Clock) -> None:
    ines = Staff(ws, clock, "ines")
    inspection = new_draft(ines)
    anonymous: TestClient = make_client(ws, clock)
    for path in (
        "/session",
        "/staff/inspections",
        f"/staff/inspections/{inspection}",
        f"/inspections/{inspection}/versions",
        "/users",
        "/audit",
    ):
        refused(anonymous.get(API + path), 401, "not_signed_in")
    refused(anonymous.get(f"{API}/inspections/{inspection}"), 404, "inspection_not_found")
