"""The web app in a real browser: Debian's Chromium driven by Playwright (launched with
``executable_path``), against the app served by uvicorn on loopback, with the five reference
reports imported and the HMICFRS grades loaded. One walk through the page types, the grades
table sorted by a click, a download compared with the API, and axe-core on every page type.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from peelkit import Workspace
from tests.reports.test_render import REPORTS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GRADES = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw" / "peel-grades"


class LiveServer:
    """uvicorn serving an app in a thread on a free loopback port."""

    def __init__(self, app: Any) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web app did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from peelkit.web.app import create_app

    folder = tmp_path_factory.mktemp("browser")
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        ws.initialise()
        for path in REPORTS:
            ws.import_report(path)
        ws.load_grades(GRADES / "peel_grades.csv")
        with LiveServer(create_app(ws)) as url:
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


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def _serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as ``rule: target`` lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
            found.append(f"{violation['id']}: {'; '.join(targets)}")
    return found


PAGE_TYPES = [
    "/",
    "/forces",
    "/forces/metropolitan",
    "/findings?q=registered+sex+offenders",
    "/follow-up",
    "/indicators",
    "/indicators/recorded_crime_per_1000",
    "/frameworks/peel-2018-19",
    "/data",
    "/forces/no-such-force",
]


def test_every_page_type_passes_axe(site: str, page: Any) -> None:
    problems = {}
    for path in [*PAGE_TYPES, _inspection_path(site)]:
        page.goto(site + path)
        assert page.locator("h1").count() == 1, path
        found = _serious(page)
        if found:
            problems[path] = found
    assert problems == {}


def _inspection_path(site: str) -> str:
    import urllib.request

    with urllib.request.urlopen(
        f"{site}/api/v1/inspections?force=metropolitan&framework=peel-2018-19"
    ) as answer:
        (item,) = json.load(answer)["items"]
    return f"/inspections/{item['id']}"


def test_walk_home_force_inspection_findings_indicator(site: str, page: Any) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="Skip to content").focus()
    assert page.locator("table").count() >= 1
    # Home -> the Met's page, by its link in the grades table.
    page.get_by_role("link", name="Metropolitan Police Service").first.click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/forces/metropolitan")
    assert "Metropolitan Police Service" in page.locator("h1").inner_text()
    # Force -> its 2018/19 inspection.
    page.locator("a[href^='/inspections/']").filter(has_text="2018/19").first.click()
    page.wait_for_load_state()
    assert "/inspections/" in page.url
    body = page.locator("main").inner_text()
    assert "Requires improvement" in body or "Good" in body
    # Findings search from the nav.
    page.get_by_role("link", name="Findings").first.click()
    page.get_by_role("searchbox").fill("registered sex offenders")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_load_state()
    results = page.locator("main").inner_text().lower()
    assert "registered sex offender" in results
    # Indicator page: the ranked table of the 43 forces.
    page.goto(site + "/indicators")
    page.locator("a[href^='/indicators/recorded_crime_per_1000']").first.click()
    page.wait_for_load_state()
    ranked = page.locator("table").filter(has_text="Metropolitan")
    assert ranked.count() >= 1
    assert ranked.first.locator("tbody tr").count() >= 43


def _column(page: Any, table: Any, index: int) -> list[str]:
    rows = table.locator("tbody tr")
    return [rows.nth(i).locator("th, td").nth(index).inner_text() for i in range(rows.count())]


def test_sorting_the_grades_table(site: str, page: Any) -> None:
    page.goto(site + "/")
    table = page.locator("table.sortable").first
    headers = table.locator("thead th")
    names = [headers.nth(i).inner_text().strip() for i in range(headers.count())]
    force_column = next(i for i, n in enumerate(names) if n.lower().startswith("force"))
    before = _column(page, table, force_column)
    # The sort script turns each heading into a button: first click ascending, then descending.
    button = headers.nth(force_column).get_by_role("button")
    button.click()
    assert headers.nth(force_column).get_attribute("aria-sort") == "ascending"
    assert _column(page, table, force_column) == sorted(before, key=str.lower)
    button.click()
    assert headers.nth(force_column).get_attribute("aria-sort") == "descending"
    assert _column(page, table, force_column) == sorted(before, key=str.lower, reverse=True)
    # A grade column sorts best grade first (the cells' data-sort keys), Not available last.
    grade_column = force_column + 2
    headers.nth(grade_column).get_by_role("button").click()
    cells = table.locator(f"tbody tr > :nth-child({grade_column + 1})")
    keys = [float(cells.nth(i).get_attribute("data-sort") or "nan") for i in range(cells.count())]
    assert keys == sorted(keys)
    assert cells.last.inner_text() == "Not available" or keys[-1] == keys[0]


def test_a_download_equals_the_api(site: str, page: Any, tmp_path: Path) -> None:
    import urllib.request

    page.goto(site + "/data")
    with page.expect_download() as download:
        page.locator("a[href$='grades.csv']").first.click()
    saved = tmp_path / "grades.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    with urllib.request.urlopen(f"{site}/api/v1/grades?framework=peel-2018-19&level=pillar") as r:
        api = json.load(r)
    assert rows, "the grades download has rows"
    downloaded = {
        (row["force"], row["area"]): row["grade"]
        for row in rows
        if row.get("framework") == "peel-2018-19"
    }
    compared = 0
    for item in api["items"]:
        for grade in item.get("grades", []):
            key = (item["force_id"] if "force_id" in item else item["force"], grade["area_id"])
            if grade.get("grade_id") is not None and key in downloaded:
                assert downloaded[key] == grade["grade_id"]
                compared += 1
    assert compared > 0
