"""Follow-up in the API: /api/v1/followup/{register,links,responses,monitoring} and
/api/v1/findings/{id}/history (public, paged, CSV, cached, only what is public), and the writes
staff make (confirm or reject a link, record a status): signed in, with the CSRF token, refused
with the one error body, audited.

The record is tests/web/test_followup_pages.py's: the five reference reports and a Met
inspection under embargo whose area for improvement repeats a 2018/19 one word for word.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.web.app import create_app
from tests.web.test_api import run_cli, walk
from tests.web.test_followup_pages import (
    AFTER,
    BEFORE,
    HELD_CAUSE,
    IMMEDIATE_2018,
    IOM_2015,
    PASSWORD,
    RSO_CAUSE_2018,
    RSO_RISKS_2016,
    THRIVE_2018,
    build_followup_record,
)
from tests.web.test_permission_matrix import OPERATOR

API = "/api/v1"
ERROR_KEYS = {"code", "message", "status", "location"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("followup-api") / "record.sqlite"
    return path, build_followup_record(path)


@pytest.fixture(scope="module")
def ws(base: tuple[Path, dict[str, int]]) -> Iterator[Workspace]:
    with Workspace(f"sqlite:///{base[0]}") as opened:
        yield opened


@pytest.fixture(scope="module")
def ids(base: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return base[1]


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws, clock=lambda: BEFORE))


@pytest.fixture(scope="module")
def later(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws, clock=lambda: AFTER))


@pytest.fixture
def fresh(base: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(base[0], copy)
    with Workspace(f"sqlite:///{copy}") as opened:
        yield opened


def get_json(client: TestClient, path: str, status: int = 200) -> Any:
    response = client.get(API + path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert (body["error"]["code"], body["error"]["status"]) == (code, status)
    return dict(body["error"])


def _text(item: dict[str, Any]) -> str:
    return str((item["finding"] or item["national"])["text"])


# --- reading ---------------------------------------------------------------------------------


def test_the_register_is_the_clis_for_what_is_public(
    client: TestClient,
    base: tuple[Path, dict[str, int]],
    ids: dict[str, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = get_json(client, "/followup/register?force=Met")
    assert set(body) == {"items", "next", "total", "overdue"}
    items = walk(client, "/followup/register?force=Met&limit=7")
    assert len(items) == body["total"] == len({i["finding"]["id"] for i in items})
    assert body["overdue"] == sum(1 for i in items if i["overdue"]) > 0
    # The CLI (the operator, who sees the embargoed inspection too) prints the same rows, and
    # the embargoed inspection's besides.
    db = f"sqlite:///{base[0]}"
    printed = run_cli(capsys, "followup", "register", "--force", "Met", "--json", "--db", db)
    held = [r for r in printed if r["inspection"] == ids["held"]]
    assert {r["finding"]["text"] for r in held} == {THRIVE_2018, HELD_CAUSE}
    public = [r for r in printed if r["inspection"] != ids["held"]]
    assert len(public) == len(items)
    by_id = {i["finding"]["id"]: i for i in items}
    for row in public:
        shown = by_id[row["finding"]["id"]]
        if row["finding"]["id"] == ids["thrive_2018"]:
            # Superseded by the embargoed repeat for the operator; open for the public.
            assert (row["status"], shown["status"]) == ("superseded", "open")
        else:
            assert shown == row


def test_the_register_rows_say_what_the_reports_say(client: TestClient) -> None:
    items = walk(client, "/followup/register?force=metropolitan&kind=area_for_improvement")
    assert {i["finding"]["kind"] for i in items} == {"area_for_improvement"}
    (iom,) = [
        i for i in items if i["finding"]["text"] == IOM_2015 and i["framework"] == "peel-2015"
    ]
    assert iom["status"] == "superseded" and iom["status_date"].startswith("2017-03")
    assert iom["verified"]["status"] == "superseded" and iom["claimed"] is None
    overdue = walk(client, "/followup/register?force=metropolitan&overdue=true")
    (immediate,) = [i for i in overdue if i["finding"]["text"] == IMMEDIATE_2018]
    # "takes immediate steps", in a report published September 2019: due at once, from the
    # 1st (the report prints only its month: the day is assumed, and the row says so).
    assert (immediate["due"], immediate["due_rule"]) == ("2019-09-01", "immediately")
    assert (immediate["made"], immediate["made_day_assumed"]) == ("2019-09-01", True)
    superseded = walk(client, "/followup/register?status=superseded")
    assert {i["status"] for i in superseded} == {"superseded"}
    assert IOM_2015 in {_text(i) for i in superseded}


def test_links_responses_and_monitoring(client: TestClient, ids: dict[str, int]) -> None:
    links = walk(client, "/followup/links?force=Met")
    pairs = {(x["earlier"]["text"], x["later"]["text"]): x for x in links}
    rso = pairs[(RSO_RISKS_2016, RSO_CAUSE_2018)]
    assert (rso["relation"], rso["status"], rso["source"]) == ("escalated", "candidate", "detected")
    assert (
        rso["earlier"]["framework"] == "peel-2016" and rso["later"]["framework"] == "peel-2018-19"
    )
    candidates = walk(client, "/followup/links?force=Met&status=candidate")
    assert {x["status"] for x in candidates} == {"candidate"} and rso in candidates
    # Not the embargoed inspection's link.
    assert all(
        ids["held"] not in (x["earlier"]["inspection"], x["later"]["inspection"]) for x in links
    )
    responses = walk(client, "/followup/responses?force=Met")
    (row_2016,) = [r for r in responses if r["inspection"] == ids["inspection_2016"]]
    assert (row_2016["published"], row_2016["due"]) == (
        "2017-03-01",
        str(dt.date(2017, 3, 1) + dt.timedelta(days=56)),
    )
    # No response recorded and the 56 days over: missing (not late: nothing came late).
    assert (row_2016["responded"], row_2016["late"], row_2016["missing"]) == (None, None, True)
    assert ids["held"] not in {r["inspection"] for r in responses}
    (engage, scan) = walk(client, "/followup/monitoring?force=Met")
    assert (engage["stage"], engage["entered"], engage["exited"]) == (
        "engage",
        "2022-07-06",
        "2024-05-10",
    )
    assert [r["text"] for r in engage["reasons"]] == [RSO_CAUSE_2018]  # the public reason only
    assert (scan["stage"], scan["exited"]) == ("scan", None)


def test_an_embargoed_inspection_is_absent_until_its_embargo_passes(
    client: TestClient, later: TestClient, ids: dict[str, int]
) -> None:
    def seen(c: TestClient) -> dict[str, Any]:
        register = walk(c, "/followup/register?force=Met")
        links = walk(c, "/followup/links?force=Met")
        (engage, _) = walk(c, "/followup/monitoring?force=Met")
        thrive = get_json(c, f"/findings/{ids['thrive_2018']}/history")
        return {
            "register": HELD_CAUSE in {_text(i) for i in register},
            "link": any(x["later"]["inspection"] == ids["held"] for x in links),
            "reason": HELD_CAUSE in [r["text"] for r in engage["reasons"]],
            "superseded": thrive["status"] == "superseded",
            "history": c.get(f"{API}/findings/{ids['held_cause']}/history").status_code,
            "responses": ids["held"] in {r["inspection"] for r in walk(c, "/followup/responses")},
        }

    assert seen(client) == {
        "register": False,
        "link": False,
        "reason": False,
        "superseded": False,
        "history": 404,
        "responses": False,
    }
    assert seen(later) == {
        "register": True,
        "link": True,
        "reason": True,
        "superseded": True,
        "history": 200,
        "responses": True,
    }


def test_a_findings_history(client: TestClient, ids: dict[str, int]) -> None:
    body = get_json(client, f"/findings/{ids['iom_2015']}/history")
    assert body["finding"]["text"] == IOM_2015 and body["status"] == "superseded"
    (event,) = body["history"]
    assert (event["status"], event["source"], event["derived"]) == (
        "superseded",
        "inspection",
        True,
    )
    (link,) = body["links"]
    assert (link["relation"], link["status"]) == ("repeated", "confirmed")


def test_csv_etag_and_cors(client: TestClient) -> None:
    response = client.get(f"{API}/followup/links.csv?force=Met")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == int(response.headers["x-total-count"])
    assert {"earlier.text", "later.text", "relation", "status"} <= set(rows[0])
    assert (RSO_RISKS_2016, RSO_CAUSE_2018) in {(r["earlier.text"], r["later.text"]) for r in rows}
    first = client.get(f"{API}/followup/register?force=Met")
    assert first.headers["access-control-allow-origin"] == "*"
    again = client.get(
        f"{API}/followup/register?force=Met", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/followup/register?status=finished", 400, "unknown_status"),
        ("/followup/register?kind=strength", 400, "invalid_parameter"),
        ("/followup/register?force=narnia", 404, "unknown_force"),
        ("/followup/links?status=maybe", 400, "invalid_parameter"),
        ("/followup/links?cursor=not-a-cursor", 400, "invalid_cursor"),
        ("/followup/responses?overdue=perhaps", 400, "invalid_parameter"),
        ("/followup/monitoring?force=narnia", 404, "unknown_force"),
        ("/findings/0/history", 400, "invalid_parameter"),
        ("/findings/999999/history", 404, "finding_not_found"),
    ],
)
def test_bad_input_is_the_error_body(client: TestClient, path: str, status: int, code: str) -> None:
    error_of(client.get(API + path), status, code)


# --- writing ---------------------------------------------------------------------------------


def _signed_in(ws: Workspace) -> tuple[TestClient, str]:
    client = TestClient(create_app(ws, clock=lambda: BEFORE))
    answer = client.post(f"{API}/session", json={"username": "ines", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, str(answer.json()["csrf_token"])


def _candidate(ws: Workspace) -> int:
    (link,) = [x for x in ws.followup_links(status="candidate") if x.earlier.text == RSO_RISKS_2016]
    return link.id


def test_confirm_needs_a_session_and_its_csrf_token(fresh: Workspace) -> None:
    link = _candidate(fresh)
    path = f"{API}/followup/links/{link}/confirm"
    events = len(fresh.audit(OPERATOR))
    anonymous = TestClient(create_app(fresh, clock=lambda: BEFORE))
    error_of(anonymous.post(path, json={}), 401, "not_signed_in")
    client, token = _signed_in(fresh)
    # An attacker's page can make the browser send the cookie, not the token.
    error_of(client.post(path, json={"note": "x"}), 403, "csrf_failed")
    error_of(client.post(path, json={}, headers={"X-CSRF-Token": "guessed"}), 403, "csrf_failed")
    assert len(fresh.audit(OPERATOR)) == events + 1  # the sign-in only
    assert _candidate(fresh) == link
    done = client.post(
        path,
        json={"note": "the cause of concern escalates it", "relation": "escalated"},
        headers={"X-CSRF-Token": token},
    )
    assert done.status_code == 200, done.text
    assert done.headers["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in done.headers  # writes are same-origin
    body = done.json()
    assert (body["id"], body["status"], body["decided_by"]) == (link, "confirmed", "ines")
    event = fresh.audit(OPERATOR)[-1]
    assert (event.action, event.actor, event.via, event.object_id) == (
        "link.confirm",
        "ines",
        "api",
        str(link),
    )
    assert (event.before["status"], event.after["status"]) == ("candidate", "confirmed")
    # Confirmed: the 2016 area for improvement is superseded by the 2018/19 cause of concern.
    history = get_json(client, f"/findings/{body['earlier']['finding']}/history")
    assert (history["status"], history["status_date"]) == ("superseded", "2019-09-01")


def test_reject_and_bad_decisions(fresh: Workspace) -> None:
    client, token = _signed_in(fresh)
    headers = {"X-CSRF-Token": token}
    link = _candidate(fresh)
    # No body at all is a decision without a note.
    done = client.post(f"{API}/followup/links/{link}/reject", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    assert fresh.audit(OPERATOR)[-1].action == "link.reject"
    events = len(fresh.audit(OPERATOR))
    for path, body, status, code in (
        ("/followup/links/99999/confirm", {}, 404, "link_not_found"),
        (f"/followup/links/{link}/confirm", {"relation": "cousin"}, 400, "unknown_relation"),
        (f"/followup/links/{link}/confirm", {"why": "x"}, 400, "unknown_field"),
        (f"/followup/links/{link}/confirm", {"note": 5}, 400, "invalid_parameter"),
    ):
        error_of(client.post(API + path, json=body, headers=headers), status, code)
    answer = client.post(
        f"{API}/followup/links/{link}/confirm",
        content=b"note=x",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    error_of(answer, 400, "json_body_required")
    assert len(fresh.audit(OPERATOR)) == events


def test_record_a_status(fresh: Workspace, ids: dict[str, int]) -> None:
    client, token = _signed_in(fresh)
    headers = {"X-CSRF-Token": token}
    finding = ids["cause_2018"]
    path = f"{API}/findings/{finding}/status"
    body = {"status": "closed", "date": "2021-03-04", "source": "letter", "note": "closed"}
    events = len(fresh.audit(OPERATOR))
    for change, status, code in (
        ({"status": "finished"}, 400, "unknown_status"),
        ({"date": "4 March 2021"}, 400, "invalid_parameter"),
        ({"date": "2019-08-31"}, 400, "status_before_publication"),  # published September 2019
        ({"source": "rumour"}, 400, "unknown_status_source"),
    ):
        error_of(client.post(path, json={**body, **change}, headers=headers), status, code)
    error_of(
        client.post(f"{API}/findings/999999/status", json=body, headers=headers),
        404,
        "finding_not_found",
    )
    error_of(client.post(path, json=body), 403, "csrf_failed")
    assert len(fresh.audit(OPERATOR)) == events
    done = client.post(path, json=body, headers=headers)
    assert done.status_code == 201, done.text
    shown = done.json()
    assert (shown["status"], shown["status_date"]) == ("closed", "2021-03-04")
    assert shown["verified"] == {"status": "closed", "date": "2021-03-04", "source": "letter"}
    event = fresh.audit(OPERATOR)[-1]
    assert (event.action, event.actor, event.via, event.object_id) == (
        "status.add",
        "ines",
        "api",
        str(finding),
    )
    # The public register says so.
    rows = walk(client, "/followup/register?force=Met&status=closed")
    assert [r["finding"]["id"] for r in rows] == [finding]
