"""The pages, through the app (``TestClient``) on a record with the five reference reports and
the HMICFRS grades CSV loaded.

Expected values come from the record itself as ``to_json(ws.inspection(id))`` gives it (the
judgments and findings as stored), from the engine's rows (``ws.indicators``), and from the
figures the reference reports print (docs/statistics.md): never from the page views. Two
inspections are added: a draft, and a published one embargoed until a time; neither shows on
any page before that time, and the embargoed one shows on every page after it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.frameworks import load_all, load_framework
from peelkit.record.operations import Provenance
from peelkit.reference import all_forces, resolve_force, territorial_forces
from peelkit.views.json import to_json
from peelkit.web.app import create_app
from tests.conftest import _private_schema
from tests.reports.test_render import Node, body_rows, parse_html, row_cells, tables_by_caption

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REPORTS = sorted((SHARED / "reference-reports").glob("*.txt"))
GRADES_CSV = SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv"

BEFORE = dt.datetime(2030, 6, 1, 12, 0)
EMBARGO = dt.datetime(2031, 1, 1, 9, 30)
AFTER = dt.datetime(2031, 1, 1, 9, 31)

# Forces the grades CSV has no PEEL 2023-25 grades for: the added inspections are theirs alone.
EMBARGOED_FORCE = "dorset"
DRAFT_FORCE = "suffolk"
EMBARGOED_TEXT = "Quokka patrol rotas are not reviewed by any supervisor"
DRAFT_TEXT = "Wombat custody records are kept on paper only"
LATEST = "peel-2023-25"


class Record:
    """The workspace and the two added inspections."""

    def __init__(self, ws: Workspace, embargoed: int, draft: int) -> None:
        self.ws = ws
        self.embargoed = embargoed
        self.draft = draft


def _fill(ws: Workspace) -> Record:
    ws.initialise()
    for path in REPORTS:
        ws.import_report(path)
    ws.load_grades(GRADES_CSV)
    ids = []
    for force, status, embargo, grade, text in (
        (EMBARGOED_FORCE, "published", EMBARGO, "inadequate", EMBARGOED_TEXT),
        (DRAFT_FORCE, "draft", None, "outstanding", DRAFT_TEXT),
    ):
        item = to_json(
            ws.add_inspection(
                force=force,
                framework=LATEST,
                status=status,
                embargo_until=embargo,
                title=f"Test inspection of {force}",
                entered_by="page tests",
            )
        )
        ws.add_judgment(
            item["id"],
            area="investigating-crime",
            grade=grade,
            provenance=Provenance(entered_by="page tests"),
        )
        ws.add_finding(
            item["id"],
            kind="cause_of_concern",
            area="investigating-crime",
            text=text,
            provenance=Provenance(entered_by="page tests"),
        )
        ids.append(int(item["id"]))
    return Record(ws, ids[0], ids[1])


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def record(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Record]:
    assert len(REPORTS) == 5 and GRADES_CSV.is_file(), (
        "the reference reports and the grades CSV are expected in ../shared"
    )
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("pages")
        with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
            yield _fill(ws)
        return
    with _private_schema() as url, Workspace(url) as ws:
        yield _fill(ws)


@pytest.fixture(scope="module")
def ws(record: Record) -> Workspace:
    return record.ws


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    """The site before the embargo passes."""
    return TestClient(create_app(ws, clock=lambda: BEFORE), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def later(ws: Workspace) -> TestClient:
    """The site after the embargo has passed."""
    return TestClient(create_app(ws, clock=lambda: AFTER), raise_server_exceptions=False)


# --- reading pages --------------------------------------------------------------------------


def page(client: TestClient, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return parse_html(response.text)


def text_of(root: Node) -> str:
    return root.text()


def main_of(root: Node) -> Node:
    found = [n for n in root.iter("main")]
    assert len(found) == 1
    return found[0]


def check_page(root: Node, path: str) -> None:
    """What every page has: lang, a skip link to main, one h1, headings in order, labelled
    controls, tables with captions and scoped header cells, figures with alt text followed by
    their data table, the current section marked in the navigation."""
    html = next(root.iter("html"))
    assert html.attrs.get("lang") == "en-GB"
    skip = next(root.iter("a"))
    assert skip.attrs.get("href") == "#main" and "skip-link" in skip.classes()
    assert main_of(root).attrs.get("id") == "main"
    headings = [int(n.tag[1]) for n in root.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert headings and headings[0] == 1 and headings.count(1) == 1, headings
    for before, after in itertools.pairwise(headings):
        assert after <= before + 1, f"h{after} follows h{before} on {path}"
    labels = {n.attrs.get("for") for n in root.iter("label")}
    for control in [*root.iter("input"), *root.iter("select")]:
        if control.attrs.get("type") != "hidden":
            assert control.attrs.get("id") in labels, control.attrs
    for table in root.iter("table"):
        assert next(table.iter("caption")).text()
        headers = list(table.iter("th"))
        assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers)
    for figure in root.iter("figure"):
        image = next(n for n in figure.iter() if n.attrs.get("role") == "img")
        assert len(image.attrs["aria-label"]) > 20
        following = figure.next_element()
        assert following is not None and following.tag == "table"
    nav = next(n for n in root.iter("nav") if n.attrs.get("aria-label") == "Main")
    current = [a.attrs["href"] for a in nav.iter("a") if a.attrs.get("aria-current") == "page"]
    section = "/" + path.split("?")[0].strip("/").split("/")[0]
    if section in ("/", "/forces", "/findings", "/indicators", "/data"):
        assert current == [section]


def error_message(root: Node) -> str:
    return next(n for n in root.iter("p") if "error-message" in n.classes()).text()


def grade_cells(root: Node) -> dict[tuple[str, str], str]:
    return {
        (cell.attrs["data-force"], cell.attrs["data-area"]): cell.text()
        for cell in root.iter("td")
        if "grade" in cell.classes() and "data-force" in cell.attrs
    }


def label_of(framework: str, grade: str | None) -> str:
    spec = load_framework(framework)
    assert spec.grade_scale is not None
    return spec.grade_scale.get(grade).label if grade else "Not available"


def public_ids(ws: Workspace, when: dt.datetime, **filters: str) -> set[int]:
    return {int(i["id"]) for i in to_json(ws.inspections(public_at=when, **filters))}


# --- the national picture -------------------------------------------------------------------


def test_home_shows_every_force_graded_as_the_record_holds(
    ws: Workspace, client: TestClient
) -> None:
    url = "/?framework=peel-2018-19&level=pillar"
    root = page(client, url)
    check_page(root, url)
    cells = grade_cells(root)
    pillars = ["effectiveness", "efficiency", "legitimacy"]
    assert len(cells) == 43 * 3
    assert {force for force, _ in cells} == {f.id for f in territorial_forces()}
    checked = set()
    for inspection_id in public_ids(ws, BEFORE, framework="peel-2018-19"):
        held = to_json(ws.inspection(inspection_id))
        for judgment in held["judgments"]:
            if judgment["shown"] and judgment["area"] in pillars:
                key = (held["force"], judgment["area"])
                assert cells[key] == label_of("peel-2018-19", judgment["grade"]), key
                checked.add(key)
    assert len(checked) >= 40 * 3  # the grades CSV grades nearly every force's pillars
    for key, shown in cells.items():
        if key not in checked:
            assert shown == "Not available", key
    assert cells[("metropolitan", "effectiveness")] == "Requires improvement"  # the 2018/19 report
    table = next(t for c, t in tables_by_caption(root).items() if c.startswith("Grades of every"))
    assert "sortable" in table.classes() and len(body_rows(table)) == 43
    assert '<script src="/scripts/sort-table.js"' in client.get(url).text


def test_home_defaults_to_the_latest_framework_and_counts_the_grades(
    ws: Workspace, client: TestClient
) -> None:
    root = page(client, "/")
    check_page(root, "/")
    h1 = next(root.iter("h1")).text()
    assert load_framework(LATEST).title in h1
    cells = grade_cells(root)
    spec = load_framework(LATEST)
    areas = [a.id for a in spec.walk() if a.graded and a.level == "area"]
    assert len(cells) == 43 * len(areas)
    distribution = next(
        t for c, t in tables_by_caption(root).items() if c.startswith("Number of forces")
    )
    counted: dict[str, list[int]] = {}
    for cells_ in map(row_cells, body_rows(distribution)):
        counted[cells_[0]] = [int(x) for x in cells_[1:]]
    for index, area in enumerate(areas):
        column = [v for (_, a), v in cells.items() if a == area]
        for label, counts in counted.items():
            assert counts[index] == column.count(label), (label, area)
    # The map and the ranked chart, each with its data table (checked by check_page).
    captions = [n.text() for n in root.iter("figcaption")]
    assert any("map of the 43 force areas" in c for c in captions)


def test_home_sorts_and_groups_without_scripts(client: TestClient) -> None:
    url = "/?framework=peel-2018-19&sort=grade:effectiveness&by_region=true"
    root = page(client, url)
    check_page(root, url)
    tables = {c: t for c, t in tables_by_caption(root).items() if c.startswith("Grades: ")}
    regions = {f.region for f in territorial_forces()}
    assert {c.split(":")[1].split("(")[0].strip() for c in tables} == regions
    order = ["Outstanding", "Good", "Requires improvement", "Inadequate", "Not available"]
    total = 0
    for table in tables.values():
        rows = [row_cells(r) for r in body_rows(table)]
        total += len(rows)
        shown = [order.index(r[2]) for r in rows]
        assert shown == sorted(shown)
    assert total == 43
    by_name = page(client, "/?framework=peel-2018-19&sort=force")
    table = next(t for c, t in tables_by_caption(by_name).items() if c.startswith("Grades of"))
    names = [row_cells(r)[0] for r in body_rows(table)]
    assert names == sorted(f.name for f in territorial_forces())


def test_home_at_question_and_component_level(client: TestClient) -> None:
    root = page(client, "/?framework=peel-2016&level=question")
    questions = [
        a for a in load_framework("peel-2016").walk() if a.graded and a.level == "question"
    ]
    assert {a for _, a in grade_cells(root)} == {a.id for a in questions}
    root = page(client, "/?framework=peel-2018-19&level=component")
    assert len(grade_cells(root)) == 43 * 9


# --- forces ---------------------------------------------------------------------------------


def test_forces_lists_all_44_with_region_and_ons_code(client: TestClient) -> None:
    root = page(client, "/forces")
    check_page(root, "/forces")
    table = next(iter(tables_by_caption(root).values()))
    rows = {r[0]: r for r in map(row_cells, body_rows(table))}
    assert len(rows) == 44
    for force in all_forces():
        assert rows[force.name][1] == (force.region or "—")
        assert rows[force.name][3] == (force.ons_code or "—")


@pytest.mark.parametrize("name", ["Met", "metropolitan", "Metropolitan Police Service", "MPS"])
def test_force_page_resolves_any_name(client: TestClient, name: str) -> None:
    root = page(client, f"/forces/{quote(name)}")
    assert next(root.iter("h1")).text() == "Metropolitan Police Service"


def test_force_page(ws: Workspace, client: TestClient) -> None:
    root = page(client, "/forces/metropolitan")
    check_page(root, "/forces/metropolitan")
    text = text_of(root)
    force = resolve_force("metropolitan")
    assert force.ons_code and force.ons_code in text and (force.region or "") in text
    tables = tables_by_caption(root)
    # Most similar groups by year with their source (from the records the imports made).
    groups = next(t for c, t in tables.items() if c.startswith("Most similar group"))
    years = {r[0]: r for r in map(row_cells, body_rows(groups))}
    for group in to_json(ws.most_similar_groups("metropolitan"))["groups"]:
        assert group["source"] in years[group["year"]][2]
    # Every inspection of the force the public may see, each linked.
    listed = next(t for c, t in tables.items() if c.startswith("Every published inspection"))
    links = {
        int(a.attrs["href"].rsplit("/", 1)[1]) for row in body_rows(listed) for a in row.iter("a")
    }
    assert links == public_ids(ws, BEFORE, force="metropolitan")
    # The grade history: one table per scale, a marked break between them.
    history = {c: t for c, t in tables.items() if "one row per framework and year" in c}
    assert len(history) == 2
    breaks = [n for n in root.iter("p") if "series-break" in n.classes()]
    assert len(breaks) == 1 and "not comparable" in breaks[0].text()
    assert "baseline-delivery" in breaks[0].text() and "peel-4-point" in breaks[0].text()
    four_point = next(t for c, t in history.items() if "four-point" in c)
    rows = {r[1]: r for r in map(row_cells, body_rows(four_point))}
    met_2018 = to_json(ws.inspection(_met_2018(ws)))
    for judgment in met_2018["judgments"]:
        if judgment["shown"] and judgment["area"] in ("effectiveness", "efficiency", "legitimacy"):
            name = load_framework("peel-2018-19").area(judgment["area"]).name
            assert f"{name}: {label_of('peel-2018-19', judgment['grade'])}" in rows["2018/19"][2]
    baseline = next(t for c, t in history.items() if "Baseline" in c)
    assert [r[1] for r in map(row_cells, body_rows(baseline))] == ["2004/05"]
    # The latest findings: the 2018/19 report's, with their sources.
    for finding in met_2018["findings"]:
        assert " ".join(finding["text"].split()) in text
    # Key indicators against the group, as the 2018/19 report prints them: 93 against 100.
    crime = tables["Recorded crime per 1,000 population, against the most similar group"]
    first = row_cells(body_rows(crime)[0])
    assert first[0] == "Recorded crime (excluding fraud) per 1,000 population"
    assert first[3:5] == ["93", "100"]
    assert any("every force" in n.text() for n in root.iter("figcaption"))


def test_force_without_record_or_figures(client: TestClient) -> None:
    root = page(client, "/forces/btp")
    check_page(root, "/forces/btp")
    text = text_of(root)
    assert "not among the forces the indicator figures cover" in text
    assert "no published inspection" in text


# --- inspections ----------------------------------------------------------------------------


def _met_2018(ws: Workspace) -> int:
    return next(iter(public_ids(ws, BEFORE, force="metropolitan", framework="peel-2018-19")))


def test_inspection_page_prints_the_report_with_its_sources(
    ws: Workspace, client: TestClient
) -> None:
    inspection_id = _met_2018(ws)
    url = f"/inspections/{inspection_id}"
    root = page(client, url)
    check_page(root, url)
    held = to_json(ws.inspection(inspection_id))
    text = text_of(root)
    spec = load_framework("peel-2018-19")
    summary = next(t for c, t in tables_by_caption(root).items() if c.endswith("2018/19 grades"))
    by_area = {
        cell.attrs["data-area"]: cell for cell in summary.iter("td") if "data-area" in cell.attrs
    }
    shown = [j for j in held["judgments"] if j["shown"]]
    assert shown
    for judgment in shown:
        cell = by_area[judgment["area"]]
        assert cell.text() == label_of("peel-2018-19", judgment["grade"])
        source = row_cells(cell.parent)[-1] if cell.parent else ""
        line = judgment["provenance"]["line_start"]
        assert f"line {line}" in source or f"lines {line}" in source
    assert {j["area"] for j in shown} <= {a.id for a in spec.walk()}
    for finding in held["findings"]:
        assert " ".join(finding["text"].split()) in text
    assert "Source: PEEL: Police effectiveness, efficiency and legitimacy 2018/19" in text
    hrefs = {a.attrs.get("href") for a in root.iter("a")}
    assert {f"{url}/report.html", f"{url}/report.pdf"} <= hrefs


def test_baseline_inspection_in_its_era_structure(ws: Workspace, client: TestClient) -> None:
    inspection_id = next(iter(public_ids(ws, BEFORE, framework="baseline-2005")))
    root = page(client, f"/inspections/{inspection_id}")
    check_page(root, f"/inspections/{inspection_id}")
    headings = [n.text() for n in root.iter("h2")]
    spec = load_framework("baseline-2005")
    for domain in spec.areas:
        assert any(domain.name in h for h in headings), domain.name
    assert "Appendix 1: performance tables" in headings


def test_report_downloads(ws: Workspace, client: TestClient) -> None:
    inspection_id = _met_2018(ws)
    html = client.get(f"/inspections/{inspection_id}/report.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    report = parse_html(html.text)
    assert (
        next(report.iter("h1")).text()
        == next(page(client, f"/inspections/{inspection_id}").iter("h1")).text()
    )
    pdf = client.get(f"/inspections/{inspection_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


# --- findings -------------------------------------------------------------------------------


def test_findings_search(ws: Workspace, client: TestClient) -> None:
    url = "/findings?q=registered+sex+offenders&force=metropolitan"
    root = page(client, url)
    check_page(root, url)
    results = [n for n in root.iter("ol") if "search-results" in n.classes()]
    assert results
    hits = [n.text() for n in results[0].iter("li") if "finding" in n.classes()]
    met_2018 = to_json(ws.inspection(_met_2018(ws)))
    cause = next(
        f
        for f in met_2018["findings"]
        if f["kind"] == "cause_of_concern" and "registered sex offenders" in f["text"]
    )
    assert any(" ".join(cause["text"].split()) in hit for hit in hits)
    assert all("Metropolitan Police Service" in hit for hit in hits)
    assert all("Source:" in hit for hit in hits)
    facets = next(n for n in root.iter("section") if "facets" in n.classes())
    labels = facets.text()
    assert "Cause of concern" in labels and re.search(r"\(\d+\)", labels)


def test_findings_pages_on(client: TestClient) -> None:
    root = page(client, "/findings")
    check_page(root, "/findings")
    pager = [a for a in root.iter("a") if a.attrs.get("rel") == "next"]
    assert pager, "every finding of the record is more than one page"
    first = [n.text() for n in root.iter("li") if "finding" in n.classes()]
    second_page = page(client, pager[0].attrs["href"])
    second = [n.text() for n in second_page.iter("li") if "finding" in n.classes()]
    assert second and not set(first) & set(second)


# --- indicators -----------------------------------------------------------------------------


def test_indicator_catalogue(client: TestClient) -> None:
    from peelkit.indicators.catalogue import catalogue

    root = page(client, "/indicators")
    check_page(root, "/indicators")
    table = next(iter(tables_by_caption(root).values()))
    rows = body_rows(table)
    assert len(rows) == len(catalogue().indicators)
    text = text_of(root)
    for indicator in catalogue().indicators.values():
        assert indicator.label in text
        assert f"/indicators/{indicator.id}" in {a.attrs.get("href") for a in root.iter("a")}


def test_indicator_page_ranks_the_engines_rows(ws: Workspace, client: TestClient) -> None:
    url = "/indicators/recorded_crime_per_1000?month=2018-09&comparator=msg&population_year=2018"
    root = page(client, url)
    check_page(root, url)
    expected = to_json(
        ws.indicators(
            Period.from_month("2018-09"),
            indicator_ids=["recorded_crime_per_1000"],
            comparator="msg",
            population_year=2018,
        )
    )
    names = {f.id: f.name for f in all_forces()}
    table = next(t for c, t in tables_by_caption(root).items() if "every force ranked" in c)
    shown = {r[1]: r for r in map(row_cells, body_rows(table))}
    assert len(shown) == len(expected) == 43
    for row in expected:
        cells = shown[names[row["force"]]]
        rank = f"{row['rank_display']} of {row['of']}" if row["rank_display"] else "Not available"
        assert cells[0] == rank
        assert cells[2] == (row["display"] or "Not available")
        assert cells[3] == (row["comparator_display"] or "Not available")
    # The Met against its most similar group, as the 2018/19 report prints: 93 against 100.
    assert shown["Metropolitan Police Service"][2:4] == ["93", "100"]
    captions = [n.text() for n in root.iter("figcaption")]
    assert any("every force" in c for c in captions)
    assert any("map of the 43 force areas" in c for c in captions)


def test_indicator_page_against_the_region(ws: Workspace, client: TestClient) -> None:
    url = "/indicators/recorded_crime_per_1000?month=2018-09&comparator=region"
    root = page(client, url)
    check_page(root, url)
    select = next(n for n in root.iter("select") if n.attrs.get("id") == "field-comparator")
    options = {o.attrs.get("value"): o for o in select.iter("option")}
    assert set(options) == {"ew", "msg", "region"}
    assert "selected" in options["region"].attrs
    expected = to_json(
        ws.indicators(
            Period.from_month("2018-09"),
            indicator_ids=["recorded_crime_per_1000"],
            comparator="region",
        )
    )
    names = {f.id: f.name for f in all_forces()}
    table = next(t for c, t in tables_by_caption(root).items() if "every force ranked" in c)
    assert "against Region" in next(c for c in tables_by_caption(root) if "every force" in c)
    shown = {r[1]: r for r in map(row_cells, body_rows(table))}
    for row in expected:
        assert shown[names[row["force"]]][3] == (row["comparator_display"] or "Not available")
    # Two forces of one region show the same figure against it; two regions differ.
    wales = {shown[names[f]][3] for f in ("dyfed-powys", "gwent", "north-wales", "south-wales")}
    assert len(wales) == 1 and wales != {shown[names["kent"]][3]}


def test_indicator_page_shows_interval_significance_rank_interval_and_funnel(
    ws: Workspace, client: TestClient
) -> None:
    url = "/indicators/recorded_crime_per_1000?month=2018-09&comparator=ew&population_year=2018"
    root = page(client, url)
    check_page(root, url)
    expected = to_json(
        ws.indicators(
            Period.from_month("2018-09"),
            indicator_ids=["recorded_crime_per_1000"],
            population_year=2018,
        )
    )
    names = {f.id: f.name for f in all_forces()}
    table = next(t for c, t in tables_by_caption(root).items() if "every force ranked" in c)
    header = [th.text() for th in next(table.iter("thead")).iter("th")]
    assert header[4:7] == ["95% interval", "Against England and Wales", "Rank with its uncertainty"]
    shown = {r[1]: r for r in map(row_cells, body_rows(table))}
    for row in expected:
        cells = shown[names[row["force"]]]
        low, high = (float(x) for x in cells[4].split(" to "))
        # the engine's interval, printed with one decimal more than the figure
        assert low == pytest.approx(row["ci95_lower"], abs=0.051)
        assert high == pytest.approx(row["ci95_upper"], abs=0.051)
        assert low <= row["value"] <= high
        call = next(
            s for s in row["significance"]
            if s["comparator"] == "england_and_wales" and s["level"] == "95"
        )  # fmt: skip
        # the England and Wales value outside the interval is what makes a force differ
        outside = not low <= row["comparator_value"] <= high
        assert (cells[5] != "similar") == outside == (call["call"] != "similar")
        assert cells[6] == row["rank_interval"]["display"]
    captions = [n.text() for n in root.iter("figcaption")]
    assert any("against its population" in c for c in captions)  # the funnel plot


def test_indicator_page_defaults_to_the_latest_period(ws: Workspace, client: TestClient) -> None:
    root = page(client, "/indicators/police_officers_fte")
    month = next(n for n in root.iter("input") if n.attrs.get("name") == "month")
    latest = Period.from_month(month.attrs["value"])
    # The latest workforce date in the statistics (independently: the engine's index).
    with ws.database.transaction() as session:
        engine = ws._indicator_engine(session)
    dates = engine.index.periods("workforce.police_officers_fte")
    assert latest.end == dates[-1].end
    assert latest.label() in next(root.iter("h2")).text()
    root = page(client, "/indicators/recorded_crime_per_1000?year=2017/18")
    assert "2017/18" in next(root.iter("h2")).text()


# --- frameworks -----------------------------------------------------------------------------


def test_framework_tree(client: TestClient) -> None:
    for spec in load_all():
        root = page(client, f"/frameworks/{spec.id}")
        check_page(root, f"/frameworks/{spec.id}")
        text = text_of(root)
        for area in spec.walk():
            assert area.name in text, (spec.id, area.id)
    page(client, "/frameworks")


def test_data_link_in_the_navigation_works(client: TestClient) -> None:
    root = page(client, "/forces")
    nav = next(n for n in root.iter("nav") if n.attrs.get("aria-label") == "Main")
    for link in nav.iter("a"):
        assert client.get(link.attrs["href"]).status_code == 200, link.attrs["href"]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/forces/metropolitn", 404, "unknown force 'metropolitn' (closest: "),
        ("/forces/nowhere-at-all", 404, "unknown force 'nowhere-at-all'"),
        ("/inspections/999999", 404, "no inspection with id 999999"),
        ("/inspections/999999/report.pdf", 404, "no inspection with id 999999"),
        ("/inspections/abc", 400, "inspection_id"),
        ("/frameworks/peel-2099", 404, "unknown framework 'peel-2099'"),
        ("/?framework=peel-2099", 404, "unknown framework 'peel-2099'"),
        ("/?framework=peel-2018-19&level=area", 400, "peel-2018-19 grades at pillar, component"),
        ("/?level=shire", 400, "level 'shire'"),
        ("/?framework=peel-2018-19&sort=colour", 400, "sort 'colour'"),
        ("/indicators/crime_per_cow", 404, "unknown indicator 'crime_per_cow'"),
        ("/indicators/recorded_crime_per_1000?month=2018-13", 400, "invalid period '2018-13'"),
        ("/indicators/recorded_crime_per_1000?month=Sept", 400, "invalid period 'Sept'"),
        ("/indicators/recorded_crime_per_1000?year=2017", 400, "invalid period '2017'"),
        ("/indicators/recorded_crime_per_1000?comparator=world", 400, "unknown comparator"),
        ("/indicators/recorded_crime_per_1000?population_year=abc", 400, "population_year"),
        ("/indicators/recorded_crime_per_1000?month=1990-03", 404, "no data for"),
        ("/indicators/recorded_crime_per_1000?month=2018-09&year=2017/18", 400, "not both"),
        ("/findings?kind=rumour", 400, "rumour"),
        ("/findings?after=not-a-cursor", 400, ""),
        ("/findings?q=%22unbalanced+OR+NEAR(", 200, None),
        ("/findings?q=x%27%3B+DROP+TABLE+findings%3B--", 200, None),
    ],
)
def test_bad_input_is_an_error_page(
    client: TestClient, url: str, status: int, message: str | None
) -> None:
    root = page(client, url, status)
    if message is not None:
        assert message in error_message(root)


def test_closest_names_are_suggested(client: TestClient) -> None:
    root = page(client, "/forces/metropolitn", 404)
    assert "Metropolitan" in error_message(root)


# --- what the public may see ---------------------------------------------------------------


def _shows(client: TestClient, inspection_id: int, force: str, text: str) -> dict[str, bool]:
    """Where the inspection shows: its page and downloads, the force page, the home page's
    grades, the findings search and its facet counts, the force's inspections."""
    inspection = client.get(f"/inspections/{inspection_id}")
    download = client.get(f"/inspections/{inspection_id}/report.html")
    force_page = parse_html(client.get(f"/forces/{force}").text)
    home = grade_cells(parse_html(client.get(f"/?framework={LATEST}").text))
    words = quote(" ".join(text.split()[:2]))
    search = parse_html(client.get(f"/findings?q={words}").text)
    facets = next(n for n in search.iter("section") if "facets" in n.classes())
    force_name = resolve_force(force).name
    return {
        "inspection page": inspection.status_code == 200,
        "download": download.status_code == 200,
        "force page link": any(
            a.attrs.get("href") == f"/inspections/{inspection_id}" for a in force_page.iter("a")
        ),
        "force page finding": text in force_page.text(),
        "home grade": home[(force, "investigating-crime")] != "Not available",
        "search": text in search.text(),
        "facets": f"{force_name} (1)" in facets.text(),
    }


def test_unpublished_and_embargoed_inspections_stay_out_until_their_time(
    record: Record, client: TestClient, later: TestClient
) -> None:
    before = _shows(client, record.embargoed, EMBARGOED_FORCE, EMBARGOED_TEXT)
    assert not any(before.values()), before
    after = _shows(later, record.embargoed, EMBARGOED_FORCE, EMBARGOED_TEXT)
    assert all(after.values()), after
    for site in (client, later):
        draft = _shows(site, record.draft, DRAFT_FORCE, DRAFT_TEXT)
        assert not any(draft.values()), draft
    # Not found exactly as an id that does not exist.
    for site in (client, later):
        missing = site.get("/inspections/999999")
        hidden = site.get(f"/inspections/{record.draft}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text.replace("999999", str(record.draft))
    hidden = client.get(f"/inspections/{record.embargoed}")
    assert hidden.text == client.get("/inspections/999999").text.replace(
        "999999", str(record.embargoed)
    )


def test_embargoed_grade_and_counts_after_the_embargo(
    record: Record, client: TestClient, later: TestClient
) -> None:
    url = f"/?framework={LATEST}"
    assert grade_cells(page(client, url))[(EMBARGOED_FORCE, "investigating-crime")] == (
        "Not available"
    )
    assert grade_cells(page(later, url))[(EMBARGOED_FORCE, "investigating-crime")] == "Inadequate"
    assert grade_cells(page(later, url))[(DRAFT_FORCE, "investigating-crime")] == "Not available"

    # The findings total counts the embargoed finding only after the embargo.
    def total(site: TestClient) -> int:
        heading = next(
            n for n in page(site, "/findings").iter("h2") if n.attrs.get("id") == "results-heading"
        )
        return int(heading.text().split()[0])

    assert total(later) == total(client) + 1


# --- caching --------------------------------------------------------------------------------


def test_pages_carry_an_etag_and_answer_304(client: TestClient) -> None:
    first = client.get("/forces/metropolitan")
    etag = first.headers.get("etag")
    assert etag and first.headers.get("cache-control")
    again = client.get("/forces/metropolitan", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
