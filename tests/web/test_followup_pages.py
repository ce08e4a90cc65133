"""The follow-up pages through the app (TestClient): the register at /follow-up with its filters,
the force page's follow-up section, a finding's history, and the staff page where signed-in
staff confirm or reject links and record statuses (CSRF-checked, audited).

The record: the five reference reports, plus a published Met inspection under embargo whose
area for improvement repeats a 2018/19 one word for word (so detection links the two, confirmed)
and whose cause of concern is one of the reasons of a monitoring stage. Before the embargo the
public sees none of it: not the finding, not the link, not the superseding it would cause, not
the reason. Expected texts and dates are read from the reports in ../shared/reference-reports
(2015: 002_..., 2016: 000_... "March 2017", 2018/19: 001_... September 2019).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.followup import store
from peelkit.record.audit import Actor
from peelkit.web.app import create_app
from tests.report_text import printed_sentence
from tests.reports.test_render import REPORTS, Node, body_rows, parse_html, row_cells
from tests.web.test_pages import check_page
from tests.web.test_permission_matrix import OPERATOR

PASSWORD = "a long enough passphrase 7"
BEFORE = dt.datetime(2030, 6, 1, 12, 0)
EMBARGO = dt.datetime(2031, 1, 1, 9, 30)
AFTER = dt.datetime(2031, 1, 2, 9, 0)

IOM_2015 = printed_sentence(
    "002_b3b722981796a923.txt", "The force should ensure that its integrated offender"
)
RSO_RISKS_2016 = printed_sentence(
    "000_033c6fd077a275c5.txt", "The force should ensure that the risks posed by"
)
RSO_CAUSE_2018 = printed_sentence(
    "001_2e8c9026aad1a9d7.txt", "The Metropolitan Police Service is failing"
)
IMMEDIATE_2018 = printed_sentence("001_2e8c9026aad1a9d7.txt", "The force takes immediate steps")
THRIVE_2018 = printed_sentence(
    "001_2e8c9026aad1a9d7.txt", "The force should improve its initial assessment"
)
# The embargoed inspection's own cause of concern: words no report uses.
HELD_CAUSE = "The Metropolitan Police Service does not supervise its quokka patrols at all."


def build_followup_record(path: Path) -> dict[str, int]:
    """The record described above, in a SQLite file; ids of what the tests look at."""
    assert len(REPORTS) == 5, "the reference reports are expected in ../shared/reference-reports"
    with Workspace(f"sqlite:///{path}") as ws:
        ws.initialise()
        for report in REPORTS:
            ws.import_report(report)
        ws.add_user("ines", "inspector", PASSWORD, actor=OPERATOR, now=BEFORE)
        held = ws.add_inspection(
            force="Met",
            framework="peel-2021-22",
            status="published",
            published=dt.date(2022, 5, 1),
            embargo_until=EMBARGO,
            title="Met PEEL 2021/22 (embargoed in these tests)",
        )
        repeat = ws.add_finding(held.id, kind="area_for_improvement", text=THRIVE_2018)
        cause = ws.add_finding(held.id, kind="cause_of_concern", text=HELD_CAUSE)
        found = {f.text: f.id for f in ws.inspection(_id(ws, "peel-2018-19")).findings}
        with ws.database.transaction() as session:
            store.record_monitoring_statement(
                session,
                force_id="metropolitan",
                stage="engage",
                date=dt.date(2022, 7, 6),
                reasons=[found[RSO_CAUSE_2018], cause.id],
            )
            store.record_monitoring_statement(
                session, force_id="metropolitan", stage="scan", date=dt.date(2024, 5, 10)
            )
        ids = {f.text: f.id for i in ws.inspections("Met") for f in ws.inspection(i.id).findings}
        return {
            "held": held.id,
            "held_repeat": repeat.id,
            "held_cause": cause.id,
            "iom_2015": _finding(ws, "peel-2015", IOM_2015),
            "rso_2016": _finding(ws, "peel-2016", RSO_RISKS_2016),
            "thrive_2018": found[THRIVE_2018],
            "cause_2018": ids[RSO_CAUSE_2018],
            "inspection_2016": _id(ws, "peel-2016"),
            "inspection_2018": _id(ws, "peel-2018-19"),
        }


def _id(ws: Workspace, framework: str) -> int:
    (found,) = ws.inspections("metropolitan", framework)
    return found.id


def _finding(ws: Workspace, framework: str, text: str) -> int:
    (found,) = [f.id for f in ws.inspection(_id(ws, framework)).findings if f.text == text]
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("followup-pages") / "record.sqlite"
    return path, build_followup_record(path)


@pytest.fixture(scope="module")
def ws(base: tuple[Path, dict[str, int]]) -> Iterator[Workspace]:
    """The record as built: the public pages' tests only read it."""
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
    """A copy of the record for a test that changes it."""
    copy = tmp_path / "copy.sqlite"
    shutil.copy(base[0], copy)
    with Workspace(f"sqlite:///{copy}") as opened:
        yield opened


def page(client: TestClient, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert "Traceback" not in response.text
    root = parse_html(response.text)
    if status == 200:
        check_page(root, url)
    return root


def register_rows(root: Node) -> dict[tuple[str, str], list[str]]:
    """The register's rows by the finding's text (its History link's words removed) and the
    year of its inspection (2016 repeats a 2015 finding word for word)."""
    (table,) = [t for t in root.iter("table") if "register" in t.classes()]
    rows = {}
    for row in body_rows(table):
        cells = row_cells(row)
        text = re.sub(r"\s*History of finding \d+$", "", cells[0])
        year = re.search(r"\(([^()]*)\)$", cells[3])
        rows[(text, year[1] if year else "")] = cells
    return rows


def counted(root: Node) -> str:
    return next(n for n in root.iter("h2") if n.attrs.get("id") == "counts-heading").text()


# --- the register ----------------------------------------------------------------------------


def test_the_register_lists_the_mets_findings_with_their_status(
    client: TestClient, ids: dict[str, int]
) -> None:
    root = page(client, "/follow-up")
    rows = register_rows(root)
    # 2015's integrated offender management area for improvement, repeated word for word in
    # 2016 (March 2017): superseded then.
    _, kind, force, inspection, status, claimed, due, overdue = rows[(IOM_2015, "2015")]
    assert (kind, force) == ("Area for improvement", "Metropolitan Police Service")
    assert inspection.endswith("(2015)")
    assert status.startswith("superseded since 2017-03")
    # Superseding is HMICFRS's own word (a later inspection), so it counts as verified.
    assert claimed.startswith("verified superseded on 2017-03")
    assert (due, overdue) == ("—", "no")
    # 2016's registered sex offenders area for improvement: only a possible escalation, open.
    assert rows[(RSO_RISKS_2016, "2016")][4] == "open since 2017-03-01"
    # "immediate steps" (2018/19, published September 2019): due on publication, overdue now.
    assert rows[(IMMEDIATE_2018, "2018/19")][6].startswith("2019-09-01")
    assert rows[(IMMEDIATE_2018, "2018/19")][7] == "Overdue"
    # Links go to the inspection's page and the finding's history.
    (table,) = [t for t in root.iter("table") if "register" in t.classes()]
    hrefs = {a.attrs["href"] for a in table.iter("a")}
    assert f"/inspections/{ids['inspection_2016']}" in hrefs
    assert f"/findings/{ids['iom_2015']}/history" in hrefs
    every = [row_cells(r) for r in body_rows(table)]
    overdue_rows = sum(1 for cells in every if cells[7] == "Overdue")
    assert counted(root) == f"{len(every)} findings, {overdue_rows} overdue"


def test_the_register_filters(client: TestClient) -> None:
    superseded = register_rows(page(client, "/follow-up?force=Met&status=superseded"))
    assert (IOM_2015, "2015") in superseded and (RSO_RISKS_2016, "2016") not in superseded
    assert {r[4].split(" since")[0] for r in superseded.values()} == {"superseded"}
    causes = register_rows(page(client, "/follow-up?kind=cause_of_concern"))
    assert (RSO_CAUSE_2018, "2018/19") in causes and {r[1] for r in causes.values()} == {
        "Cause of concern"
    }
    overdue = register_rows(page(client, "/follow-up?force=metropolitan&overdue=true"))
    assert (IMMEDIATE_2018, "2018/19") in overdue and {r[7] for r in overdue.values()} == {
        "Overdue"
    }
    # The form keeps the choices it was given.
    root = page(client, "/follow-up?force=metropolitan&status=open&kind=recommendation")
    selected = {
        s.attrs["name"]: o.attrs["value"]
        for s in root.iter("select")
        for o in s.iter("option")
        if "selected" in o.attrs
    }
    assert selected == {"force": "metropolitan", "status": "open", "kind": "recommendation"}


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/follow-up?status=finished", 400, "unknown_status"),
        ("/follow-up?kind=strength", 400, "unknown_choice"),
        ("/follow-up?force=narnia", 404, "unknown_force"),
        ("/follow-up?overdue=perhaps", 400, "invalid_parameter"),
        ("/findings/999999/history", 404, "finding_not_found"),
    ],
)
def test_bad_filters_are_an_error_page(
    client: TestClient, url: str, status: int, code: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert f"<code>{code}</code>" in response.text and "Traceback" not in response.text


def test_an_embargoed_inspection_shows_nowhere_until_its_embargo_passes(
    client: TestClient, later: TestClient, ids: dict[str, int]
) -> None:
    before = page(client, "/follow-up?force=Met")
    assert (THRIVE_2018, "2018/19") in register_rows(before)
    assert HELD_CAUSE not in before.text()
    # The 2018/19 finding its repeat would supersede is still open for the public.
    assert register_rows(before)[(THRIVE_2018, "2018/19")][4] == "open since 2019-09-01"
    history = page(client, f"/findings/{ids['thrive_2018']}/history")
    assert "(from a confirmed link)" not in history.text()
    assert "quokka" not in history.text() and "2021/22" not in history.text()
    page(client, f"/findings/{ids['held_cause']}/history", status=404)
    force = page(client, "/forces/metropolitan").text()
    assert "quokka" not in force and HELD_CAUSE not in force

    after = page(later, "/follow-up?force=Met")
    assert HELD_CAUSE in after.text()
    assert register_rows(after)[(THRIVE_2018, "2018/19")][4] == "superseded since 2022-05-01"
    assert (
        "(from a confirmed link)" in page(later, f"/findings/{ids['thrive_2018']}/history").text()
    )
    assert HELD_CAUSE in page(later, "/forces/metropolitan").text()


def test_a_findings_history(client: TestClient, ids: dict[str, int]) -> None:
    root = page(client, f"/findings/{ids['iom_2015']}/history")
    text = root.text()
    assert IOM_2015 in text
    status = next(n for n in root.iter("dd") if n.attrs.get("id") == "finding-status").text()
    assert status.startswith("superseded since 2017-03")
    (events, links) = list(root.iter("table"))
    (event,) = [row_cells(r) for r in body_rows(events)]
    assert event[1] == "superseded (from a confirmed link)" and event[2] == "inspection"
    (link,) = [row_cells(r) for r in body_rows(links)]
    assert link[0].endswith(IOM_2015) and link[1].endswith(IOM_2015)
    assert (link[2], link[3].split(" (")[0]) == ("repeated", "confirmed")


# --- the force page --------------------------------------------------------------------------


def _section(root: Node) -> Node:
    return next(s for s in root.iter("section") if s.attrs.get("id") == "follow-up")


def _table(section: Node, css: str) -> list[list[str]]:
    (table,) = [t for t in section.iter("table") if css in t.classes()]
    return [row_cells(r) for r in body_rows(table)]


def test_the_force_page_has_a_follow_up_section(client: TestClient, ids: dict[str, int]) -> None:
    root = page(client, "/forces/metropolitan")
    section = _section(root)
    assert "/follow-up?force=metropolitan" in {a.attrs.get("href") for a in section.iter("a")}
    register = register_rows(page(client, "/follow-up?force=metropolitan"))
    counts = dict((row[0], int(row[1])) for row in _table(section, "status-counts"))
    expected: dict[str, int] = {}
    for row in register.values():
        word = row[4].split(" since")[0]
        expected[word] = expected.get(word, 0) + 1
    assert counts == expected and counts["superseded"] >= 2
    overdue = next(n for n in section.iter("ul") if "overdue" in n.classes()).text()
    assert IMMEDIATE_2018 in overdue
    links = _table(section, "links")
    (rso,) = [row for row in links if row[1].endswith(RSO_RISKS_2016)]
    assert rso[0].endswith(RSO_CAUSE_2018)
    assert rso[2:] == ["escalated", "possible match, not yet confirmed"]
    (iom,) = [row for row in links if row[1].endswith(IOM_2015)]
    assert iom[2:] == ["repeated", "confirmed"]
    # Monitoring: engage from 6 July 2022 until the return to scan, with the public reason only.
    engage, scan = _table(section, "monitoring")
    assert engage[:3] == ["engage", "2022-07-06", "2024-05-10"]
    assert engage[3] == RSO_CAUSE_2018
    assert scan[:3] == ["scan", "2024-05-10", "now"]
    # PCC responses: due 56 days after publication (2016 report: March 2017 -> 1 March 2017).
    responses = {row[0]: row for row in _table(section, "responses")}
    row_2016 = next(r for title, r in responses.items() if title.endswith("2016"))
    assert row_2016[1:] == [
        "2017-03-01",
        str(dt.date(2017, 3, 1) + dt.timedelta(days=56)),
        "not recorded",
        "missing",  # no response recorded and the 56 days over; nothing came late
    ]


# --- staff: deciding links and recording statuses ----------------------------------------------


def _sign_in(client: TestClient) -> str:
    form = client.get("/signin").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    answer = client.post(
        "/signin", data={"username": "ines", "password": PASSWORD, "csrf_token": token[1]}
    )
    assert answer.status_code == 303, answer.text
    desk = client.get("/staff/follow-up").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', desk)
    assert found
    return found[1]


def _candidate(ws: Workspace, earlier_text: str) -> int:
    (link,) = [x for x in ws.followup_links(status="candidate") if x.earlier.text == earlier_text]
    return link.id


def test_staff_confirm_a_candidate_with_the_csrf_token(fresh: Workspace) -> None:
    client = TestClient(create_app(fresh, clock=lambda: BEFORE), follow_redirects=False)
    assert client.get("/staff/follow-up").headers["location"] == "/signin"
    token = _sign_in(client)
    link = _candidate(fresh, RSO_RISKS_2016)
    desk = parse_html(client.get("/staff/follow-up").text)
    check_page(desk, "/staff/follow-up")
    (row,) = [r for r in desk.iter("tr") if r.attrs.get("data-link") == str(link)]
    assert RSO_RISKS_2016 in row.text() and RSO_CAUSE_2018 in row.text()
    forms = {f.attrs["action"] for f in row.iter("form")}
    assert forms == {
        f"/staff/follow-up/links/{link}/confirm",
        f"/staff/follow-up/links/{link}/reject",
    }
    events = len(fresh.audit(OPERATOR))
    # Without the token: refused, nothing changed.
    refused = client.post(f"/staff/follow-up/links/{link}/confirm", data={"note": "same"})
    assert refused.status_code == 403 and "csrf_failed" in refused.text
    assert len(fresh.audit(OPERATOR)) == events
    assert _candidate(fresh, RSO_RISKS_2016) == link
    done = client.post(
        f"/staff/follow-up/links/{link}/confirm",
        data={
            "csrf_token": token,
            "relation": "escalated",
            "note": "the 2018/19 cause escalates it",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/staff/follow-up"
    (decided,) = [x for x in fresh.followup_links() if x.id == link]
    assert (decided.status, decided.decided_by, decided.note) == (
        "confirmed",
        "ines",
        "the 2018/19 cause escalates it",
    )
    (event,) = [e for e in fresh.audit(OPERATOR) if e.action == "link.confirm"]
    assert (event.actor, event.via, event.object_id) == ("ines", "web", str(link))
    assert event.before["status"] == "candidate" and event.after["status"] == "confirmed"
    # The public register now has the 2016 area for improvement superseded (September 2019).
    public = TestClient(create_app(fresh, clock=lambda: BEFORE))
    rows = register_rows(page(public, "/follow-up?force=Met"))
    assert rows[(RSO_RISKS_2016, "2016")][4] == "superseded since 2019-09-01"


def test_staff_reject_a_candidate(fresh: Workspace) -> None:
    client = TestClient(create_app(fresh, clock=lambda: BEFORE), follow_redirects=False)
    token = _sign_in(client)
    link = _candidate(fresh, RSO_RISKS_2016)
    done = client.post(
        f"/staff/follow-up/links/{link}/reject", data={"csrf_token": token, "note": "not alike"}
    )
    assert done.status_code == 303
    (decided,) = [x for x in fresh.followup_links() if x.id == link]
    assert decided.status == "rejected"
    assert [e.action for e in fresh.audit(OPERATOR)][-1] == "link.reject"
    # An unknown link: the page again with the message, nothing changed.
    missing = client.post("/staff/follow-up/links/99999/confirm", data={"csrf_token": token})
    assert missing.status_code == 404 and "link_not_found" in missing.text


def test_staff_record_a_status(fresh: Workspace, ids: dict[str, int]) -> None:
    client = TestClient(create_app(fresh, clock=lambda: BEFORE), follow_redirects=False)
    token = _sign_in(client)
    finding = ids["cause_2018"]
    form = {
        "csrf_token": token,
        "finding": str(finding),
        "status": "in_progress",
        "date": "2020-02-03",
        "source": "letter",
        "note": "HMICFRS revisited the force",
    }
    done = client.post("/staff/follow-up/status", data=form)
    assert done.status_code == 303
    assert done.headers["location"] == f"/staff/follow-up?recorded={finding}"
    notice = parse_html(client.get(done.headers["location"]).text)
    shown = next(p for p in notice.iter("p") if p.attrs.get("id") == "status-recorded").text()
    assert shown == f"Recorded: finding {finding} is now in progress since 2020-02-03."
    history = fresh.finding_history(finding)
    assert (history.status, history.status_date) == ("in_progress", dt.date(2020, 2, 3))
    (event,) = [e for e in fresh.audit(OPERATOR) if e.action == "status.add"]
    assert (event.actor, event.via, event.after["source"]) == ("ines", "web", "letter")
    events = len(fresh.audit(OPERATOR))
    for change, status, code in (
        ({"status": "finished"}, 400, "unknown_status"),
        ({"date": "3 February 2020"}, 400, "invalid_parameter"),
        ({"date": "2019-01-01"}, 400, "status_before_publication"),  # before September 2019
        ({"finding": "999999"}, 404, "finding_not_found"),
        ({"finding": "x"}, 400, "invalid_parameter"),
    ):
        refused = client.post("/staff/follow-up/status", data={**form, **change})
        assert refused.status_code == status, (change, refused.text[:300])
        assert f"<code>{code}</code>" in refused.text
    assert len(fresh.audit(OPERATOR)) == events


def test_an_attacker_without_the_session_cannot_write(
    fresh: Workspace, ids: dict[str, int]
) -> None:
    client = TestClient(create_app(fresh, clock=lambda: BEFORE), follow_redirects=False)
    link = _candidate(fresh, RSO_RISKS_2016)
    events = len(fresh.audit(Actor.operator()))
    answer = client.post(f"/staff/follow-up/links/{link}/confirm", data={"csrf_token": "guess"})
    assert answer.status_code == 401
    answer = client.post(
        "/staff/follow-up/status",
        data={"finding": str(ids["cause_2018"]), "status": "closed", "date": "2020-01-01"},
    )
    assert answer.status_code == 401
    assert len(fresh.audit(Actor.operator())) == events
