"""The inspectors' workflow in a real browser (Debian's Chromium through Playwright), against the
app served by uvicorn with a clock the test moves: an inspector signs in, makes a draft for Kent
under peel-2018-19 with pillar grades, a cause of concern and its recommendation and a case file
review; the public cannot see it; a moderator moderates and publishes it under an embargo given
in UK time; the public sees nothing until the embargo passes, then sees it on the force page, in
the search and in the downloads; the audit log holds every step, in order.

The screenshots of docs/inspectors.md (docs/images/staff-*.png) are taken here, each run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.record.audit import Actor
from tests.web.test_browser import CHROMIUM, LiveServer, _serious

pytestmark = pytest.mark.browser

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PASSWORD = "a long enough passphrase 7"
OPERATOR = Actor("operator:test", "operator", "library")
VIEWPORT = {"width": 1100, "height": 800}
TITLE = "Kent PEEL 2018/19 (browser walk)"
CAUSE = "Kent does not yet protect vulnerable people well enough (walk cause)"
RECOMMENDATION = "Within six months Kent should review its risk assessments (walk recommendation)"
# An area for improvement of an earlier inspection that the cause of concern escalates.
EARLIER_AREA = "Kent should make sure that it protects vulnerable people well enough (walk cause)"
# 09:30 on 2 June 2026 in UK time is BST (UTC+1): 08:30 UTC.
EMBARGO_UK = "2026-06-02T09:30"
EMBARGO_UTC = dt.datetime(2026, 6, 2, 8, 30)


class Clock:
    """The app's clock: naive UTC, moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock(dt.datetime(2026, 6, 1, 10, 0))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("workflow")
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        ws.initialise()
        for name, role in (("ines", "inspector"), ("mo", "moderator"), ("ada", "admin")):
            ws.add_user(name, role, PASSWORD, OPERATOR, clock.now)
        yield ws


@pytest.fixture(scope="module")
def site(workspace: Workspace, clock: Clock) -> Iterator[str]:
    from peelkit.web.app import create_app

    with LiveServer(create_app(workspace, clock=clock)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by scripts/setup.sh"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    return context


def _shot(page: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name))


def _sign_in(page: Any, site: str, username: str, shot: str | None = None) -> None:
    page.goto(site + "/signin")
    page.fill("#signin-username", username)
    page.fill("#signin-password", PASSWORD)
    if shot:
        _shot(page, shot)
    page.click("button:text('Sign in')")
    page.wait_for_url(site + "/staff")
    assert "Inspections being made" in page.locator("h1").inner_text()


def _public_sees(browser: Any, site: str, inspection_id: int) -> dict[str, bool]:
    """What a visitor who is not signed in sees of the walk's inspection, page by page."""
    context = _context(browser)
    page = context.new_page()
    seen: dict[str, bool] = {}
    page.goto(site + "/forces/kent")
    seen["force page"] = page.locator(f"a[href='/inspections/{inspection_id}']").count() > 0
    page.goto(site + "/findings?q=walk+cause")
    seen["search"] = CAUSE in page.locator("main").inner_text()
    answer = page.request.get(f"{site}/inspections/{inspection_id}")
    seen["inspection page"] = answer.status == 200
    findings = page.request.get(site + "/data/findings.csv").text()
    inspections = page.request.get(site + "/data/inspections.csv").text()
    seen["findings download"] = CAUSE in findings and RECOMMENDATION in findings
    seen["inspections download"] = TITLE in inspections
    context.close()
    return seen


def _transition(page: Any, name: str) -> None:
    page.locator(f"#transition-{name} button[type=submit]").click()
    page.wait_for_load_state()


def test_inspector_to_publication_walk(
    browser: Any, site: str, workspace: Workspace, clock: Clock
) -> None:
    # --- the inspector makes the draft ------------------------------------------------------
    staff = _context(browser)
    page = staff.new_page()
    _sign_in(page, site, "ines", shot="staff-signin.png")
    page.select_option("#new-force", "kent")
    page.select_option("#new-framework", "peel-2018-19")
    page.fill("#new-title", TITLE)
    page.click("button:text('Create the draft')")
    page.wait_for_url(re.compile(r".*/staff/inspections/\d+$"))
    inspection_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator("#inspection-status").text_content() == "draft"
    # Pillar grades, entered (never derived).
    for area, grade in (
        ("effectiveness", "good"),
        ("efficiency", "requires_improvement"),
        ("legitimacy", "good"),
    ):
        page.select_option("#judgment-area", area)
        page.select_option("#judgment-grade", grade)
        page.click("button:text('Enter the judgment')")
        page.wait_for_load_state()
    pillars = {
        row.get_attribute("data-area"): row.locator(".pillar-grade").inner_text()
        for row in page.locator("table.pillars tbody tr").all()
    }
    assert pillars == {
        "effectiveness": "Good",
        "efficiency": "Requires improvement",
        "legitimacy": "Good",
    }
    # A cause of concern, then its recommendation picking it.
    page.select_option("#finding-kind", "cause_of_concern")
    page.select_option("#finding-area", "protecting-vulnerable-people")
    page.fill("#finding-text", CAUSE)
    page.click("button:text('Enter the finding')")
    page.wait_for_load_state()
    page.select_option("#finding-kind", "recommendation")
    page.fill("#finding-text", RECOMMENDATION)
    page.select_option("#finding-cause", index=1)
    page.fill("#finding-deadline", "March 2027")
    page.click("button:text('Enter the finding')")
    page.wait_for_load_state()
    assert page.locator(".desk-findings li").count() == 2
    # A case file review of 90 files.
    page.select_option("#evidence-kind", "case_file_review")
    page.select_option("#evidence-area", "protecting-vulnerable-people")
    page.fill("#evidence-description", "Domestic abuse case files")
    page.fill("#evidence-sample", "90")
    page.fill("#evidence-period", "1 April to 30 September 2018")
    page.fill("#evidence-results", "risk assessment completed: 72")
    page.click("button:text('Record the evidence')")
    page.wait_for_load_state()
    assert "risk assessment completed: 72 of 90 (80%)" in page.locator(".evidence").inner_text()
    page.locator("h1").scroll_into_view_if_needed()
    _shot(page, "staff-inspection.png")
    page.evaluate("document.querySelector('.evidence').scrollIntoView({block: 'center'})")
    _shot(page, "staff-evidence.png")
    # An inspector has no workflow buttons.
    assert page.locator("form.transition").count() == 0

    nothing = {
        "force page": False,
        "search": False,
        "inspection page": False,
        "findings download": False,
        "inspections download": False,
    }
    assert _public_sees(browser, site, inspection_id) == nothing
    page.click("button:text('Sign out')")
    page.wait_for_url(site + "/")
    staff.close()

    # --- the moderator moderates and publishes under embargo ---------------------------------
    staff = _context(browser)
    page = staff.new_page()
    _sign_in(page, site, "mo")
    page.click(f"a[href='/staff/inspections/{inspection_id}']")
    page.wait_for_load_state()
    _transition(page, "moderate")
    assert page.locator("#inspection-status").text_content() == "moderated"
    page.fill("#embargo-publish", EMBARGO_UK)
    page.locator("#transition-publish").scroll_into_view_if_needed()
    _shot(page, "staff-publish.png")
    _transition(page, "publish")
    assert page.locator("#inspection-status").text_content() == "published"
    notice = page.locator("#embargo-notice").inner_text()
    assert notice == "Not for publication until 09:30 on Tuesday 2 June 2026 (UK time, BST)"
    page.goto(site + "/staff")
    assert "Not for publication until 09:30" in page.locator("table.staff-list").inner_text()

    # --- the embargo holds, then passes -------------------------------------------------------
    assert _public_sees(browser, site, inspection_id) == nothing
    clock.now = EMBARGO_UTC - dt.timedelta(minutes=1)  # 09:29 in UK time
    assert _public_sees(browser, site, inspection_id) == nothing
    clock.now = EMBARGO_UTC + dt.timedelta(minutes=1)
    assert _public_sees(browser, site, inspection_id) == dict.fromkeys(nothing, True)
    staff.close()

    # --- the audit log holds every step, in order ---------------------------------------------
    expected = [
        ("operator:test", "account.add"),
        ("operator:test", "account.add"),
        ("operator:test", "account.add"),
        ("ines", "session.sign_in"),
        ("ines", "inspection.create"),
        ("ines", "judgment.add"),
        ("ines", "judgment.add"),
        ("ines", "judgment.add"),
        ("ines", "finding.add"),
        ("ines", "finding.add"),
        ("ines", "evidence.add"),
        ("ines", "session.sign_out"),
        ("mo", "session.sign_in"),
        ("mo", "inspection.moderate"),
        ("mo", "inspection.publish"),
    ]
    events = workspace.audit(OPERATOR)
    assert [(e.actor, e.action) for e in events] == expected
    assert [e.via for e in events[3:]] == ["web"] * (len(expected) - 3)
    publish = events[-1]
    assert publish.inspection == inspection_id
    assert publish.before["status"] == "moderated"
    assert publish.after["status"] == "published"
    assert publish.after["embargo_until"] == EMBARGO_UTC.isoformat()
    areas = [e.after["area"] for e in events if e.action == "judgment.add"]
    assert areas == ["effectiveness", "efficiency", "legitimacy"]
    cause, recommendation = [e.after for e in events if e.action == "finding.add"]
    assert (cause["kind"], cause["text"]) == ("cause_of_concern", CAUSE)
    assert recommendation["cause_of_concern"] == cause["id"]
    (evidence,) = [e.after for e in events if e.action == "evidence.add"]
    assert (evidence["kind"], evidence["sample_size"]) == ("case_file_review", 90)

    admin = _context(browser)
    page = admin.new_page()
    _sign_in(page, site, "ada")
    page.goto(site + "/staff/audit")
    rows = page.locator("table.audit tbody tr").all()
    shown = [
        (
            row.locator("td").nth(1).inner_text().split(" (")[0],
            row.locator("td").nth(3).inner_text(),
        )
        for row in rows
    ]
    assert shown == [*expected, ("ada", "session.sign_in")]
    _shot(page, "staff-audit.png")
    # The staff pages pass axe-core too (no serious or critical violation).
    problems = {}
    staff_pages = ("/signin", "/staff", f"/staff/inspections/{inspection_id}", "/staff/users")
    for path in (*staff_pages, "/staff/audit"):
        page.goto(site + path)
        assert page.locator("h1").count() == 1, path
        if found := _serious(page):
            problems[path] = found
    assert problems == {}

    # --- follow-up: an earlier Kent inspection's area for improvement comes back as the walk's
    # cause of concern; detection offers the link, the administrator confirms it by a click.
    earlier = workspace.add_inspection(force="Kent", framework="peel-2017", title="Kent 2017")
    workspace.add_finding(earlier.id, kind="area_for_improvement", text=EARLIER_AREA)
    (candidate,) = workspace.followup_links(force="kent", status="candidate")
    assert (candidate.earlier.text, candidate.later.text) == (EARLIER_AREA, CAUSE)
    page.goto(site + "/staff/follow-up")
    row = page.locator(f"tr[data-link='{candidate.id}']")
    assert EARLIER_AREA in row.inner_text() and CAUSE in row.inner_text()
    if found := _serious(page):
        problems["/staff/follow-up"] = found
    assert problems == {}
    page.fill(f"#confirm-note-{candidate.id}", "the cause of concern escalates it")
    page.locator(f"#confirm-{candidate.id} button[type=submit]").click()
    page.wait_for_url(site + "/staff/follow-up")
    decided = page.locator(f"#decided tr[data-link='{candidate.id}'] .link-status")
    assert decided.inner_text() == "confirmed"
    (confirmed,) = [x for x in workspace.followup_links(force="kent") if x.id == candidate.id]
    assert (confirmed.status, confirmed.decided_by) == ("confirmed", "ada")
    last = workspace.audit(OPERATOR)[-1]
    assert (last.actor, last.via, last.action) == ("ada", "web", "link.confirm")
    admin.close()
