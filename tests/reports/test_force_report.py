"""Force reports of the Met under three frameworks after importing the reference reports, and of
a force with no imported report: grades as the record holds them, numbers as the engine gives
them, and every item with its origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.frameworks import load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.record.operations import Provenance
from peelkit.reports.render import render_html
from peelkit.views.json import to_json
from tests.reports.test_render import (
    REPORTS,
    body_rows,
    imported,
    inspection_id,
    parse_html,
    row_cells,
    tables_by_caption,
)

__all__ = ["imported"]  # the module-scoped fixture, shared with test_render


def _grade_cells(html: str) -> dict[str, str]:
    root = parse_html(html)
    cells: dict[str, str] = {}
    for cell in root.iter("td"):
        if "grade" in cell.classes() and "data-area" in cell.attrs:
            cells.setdefault(cell.attrs["data-area"], cell.text())
    return cells


def _label(framework: str, grade: str | None) -> str:
    spec = load_framework(framework)
    assert spec.grade_scale is not None
    return "Not available" if grade is None else spec.grade_scale.get(grade).label


@pytest.mark.parametrize("framework", ["peel-2018-19", "peel-2016", "peel-2015", "baseline-2005"])
def test_grade_cells_are_the_record_grades(imported: Workspace, framework: str) -> None:
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", framework)))
    assert record["judgments"]
    html = render_html(imported.force_report("Metropolitan Police", framework))
    cells = _grade_cells(html)
    for judgment in record["judgments"]:
        assert cells[judgment["area"]] == _label(framework, judgment["grade"])
    spec = load_framework(framework)
    judged = {j["area"] for j in record["judgments"]}
    for area in spec.walk():
        if area.graded and area.id not in judged:
            assert cells[area.id] == "Not available"


def test_grades_say_where_they_came_from(imported: Workspace) -> None:
    report = imported.force_report("Met", "peel-2018-19")
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "peel-2018-19")))
    by_area = {j["area"]: j for j in record["judgments"]}
    for grade in report.grades:
        judgment = by_area[grade.area_id]
        line = judgment["provenance"]["line_start"]
        assert grade.source.startswith(record["title"])
        assert f"line {line}" in grade.source or f"lines {line}–" in grade.source
    assert report.grade("preventing-crime") is not None
    assert report.grade("preventing-crime").year_last_inspected == "2018/19"  # type: ignore[union-attr]


def _indicator_rows(root_html: str, caption_start: str) -> dict[str, list[str]]:
    tables = tables_by_caption(parse_html(root_html))
    table = next(t for c, t in tables.items() if c.startswith(caption_start))
    return {cells[0]: cells for cells in (row_cells(r) for r in body_rows(table))}


def test_force_in_context_is_the_engine(imported: Workspace) -> None:
    html = render_html(imported.force_report("Met", "peel-2018-19"))
    period = Period.from_month("2018-09")
    crime = [
        i.id
        for i in catalogue().indicators.values()
        if i.kind == "rate" and (i.numerator or "").startswith("crimes.")
    ]
    expected = to_json(
        imported.indicators(
            period, force="Met", indicator_ids=crime, comparator="msg", population_year=2018
        )
    )
    shown = _indicator_rows(html, "Recorded crime per 1,000 population, against")
    assert len(shown) == len(expected)
    for row in expected:
        cells = shown[row["label"]]
        assert cells[1] == row["period"] == "12 months to 30 September 2018"
        assert cells[2] == row["unit"]
        assert cells[3] == (row["display"] or "Not available")
        assert cells[4] == (row["comparator_display"] or "Not available")
    # The engine's figures are the ones the report printed (read by the importer).
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "peel-2018-19")))
    printed = next(
        f
        for f in record["figures"]
        if f["measure"].startswith("Recorded crime") and f["comparator"] == "most_similar_group"
    )
    recorded = shown["Recorded crime (excluding fraud) per 1,000 population"]
    assert (recorded[3], recorded[4]) == (
        printed["force_value_as_printed"],
        printed["comparator_value_as_printed"],
    )
    workforce = to_json(
        imported.indicators(
            period, force="Met", indicator_ids=["police_officers_fte"], population_year=2018
        )
    )[0]
    assert _indicator_rows(html, "Workforce")[workforce["label"]][3] == workforce["display"]


def test_causes_of_concern_are_followed_by_their_recommendations(imported: Workspace) -> None:
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "peel-2018-19")))
    causes = [f for f in record["findings"] if f["kind"] == "cause_of_concern"]
    assert len(causes) == 2
    root = parse_html(render_html(imported.force_report("Met", "peel-2018-19")))
    shown = [n for n in root.iter("li") if "finding-cause_of_concern" in n.classes()]
    assert len(shown) == len(causes)
    for cause, item in zip(causes, shown, strict=True):
        assert cause["text"] in item.text()
        recommendations = [
            f["text"] for f in record["findings"] if f["cause_of_concern"] == cause["id"]
        ]
        listed = next(item.iter("ol"))
        texts = [li.text() for li in listed.elements()]
        assert len(texts) == len(recommendations) > 0
        assert all(r in t for r, t in zip(recommendations, texts, strict=True))
    improvements = [f for f in record["findings"] if f["kind"] == "area_for_improvement"]
    shown_afi = [n for n in root.iter("li") if "finding-area_for_improvement" in n.classes()]
    assert len(shown_afi) == len(improvements)


def test_about_the_data_lists_every_publication_used(imported: Workspace) -> None:
    html = render_html(imported.force_report("Met", "peel-2018-19"))
    rows = to_json(
        imported.indicators(
            Period.from_month("2018-09"), force="Met", comparator="msg", population_year=2018
        )
    )
    checksums = {p["sha256"] for r in rows for p in r["provenance"]}
    assert checksums
    for checksum in checksums:
        assert checksum in html
    assert "British Transport Police is excluded" in html
    assert "mid-2018" in html
    assert "revised between releases" in html or "later releases revise" in html


def test_baseline_performance_tables(imported: Workspace) -> None:
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "baseline-2005")))
    rows = record["performance_table"]
    assert len(rows) == 165
    html = render_html(imported.force_report("Met", "baseline-2005"))
    root = parse_html(html)
    imported_rows = [r for r in root.iter("tr") if r.attrs.get("data-origin") == "imported"]
    computed_rows = [r for r in root.iter("tr") if r.attrs.get("data-origin") == "computed"]
    assert len(imported_rows) == len(rows)
    for row, shown in zip(rows, imported_rows, strict=True):
        cells = row_cells(shown)
        assert cells[0] == row["indicator"]
        assert cells[2] == (row["current"]["printed"] or "*")
        assert cells[7] == (row["national_rank"]["printed"] or "*")
        assert cells[8].startswith("imported from Baseline Assessment Metropolitan Police Service")
        assert f"line {row['provenance']['line_start']}" in cells[8] or (
            f"lines {row['provenance']['line_start']}–" in cells[8]
        )
    assert "*" in {c for r in imported_rows for c in row_cells(r)}
    ids = ["domestic_burglary_per_1000_households", "robbery_per_1000", "vehicle_crime_per_1000"]
    period = Period.financial_year("2004/05")
    current = to_json(
        imported.indicators(
            period, force="Met", indicator_ids=ids, comparator="msg", population_year=2004
        )
    )
    before = to_json(
        imported.indicators(
            period.shifted(-1),
            force="Met",
            indicator_ids=ids,
            comparator="ew",
            population_year=2003,
        )
    )
    national = to_json(
        imported.indicators(
            period, force="Met", indicator_ids=ids, comparator="ew", population_year=2004
        )
    )
    assert computed_rows
    by_label: dict[str, list[str]] = {}
    for shown in computed_rows:
        cells = row_cells(shown)
        by_label[cells[0]] = cells
        assert cells[8].startswith("computed from ")
    assert len(by_label) == len(ids)
    for now, then, ew in zip(current, before, national, strict=True):
        cells = by_label[f"{now['label']} ({now['period']})"]
        assert cells[1] == then["display"]
        assert cells[2] == now["display"]
        assert cells[4] == now["comparator_display"]
        assert cells[6] == ew["comparator_display"]
        assert cells[7] == f"{now['rank_display']} out of {now['of']}"
        for source in [*now["provenance"], *then["provenance"], *ew["provenance"]]:
            assert f"{source['title']} ({source['release']})" in cells[8]
    # Summary of judgements: grade and direction of every area, by domain.
    spec = load_framework("baseline-2005")
    assert spec.direction_scale is not None
    tables = tables_by_caption(root)
    summary = [t for c, t in tables.items() if c.startswith("Domain ")]
    assert len(summary) == 7
    directions = {
        cells[0].split(" ")[0]: cells[2]
        for t in summary
        for cells in (row_cells(r) for r in body_rows(t))
    }
    for judgment in record["judgments"]:
        expected = (
            spec.direction_scale.get(judgment["direction"]).label
            if judgment["direction"]
            else "Not available"
        )
        assert directions[judgment["area"]] == expected


def test_peel_2016_force_in_numbers(imported: Workspace) -> None:
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "peel-2016")))
    html = render_html(imported.force_report("Met", "peel-2016"))
    tables = tables_by_caption(parse_html(html))
    shown = body_rows(tables["Force in numbers as the report printed it"])
    assert len(shown) == len(record["figures"]) == 14
    for figure, row in zip(record["figures"], shown, strict=True):
        assert row.attrs["data-origin"] == "imported"
        assert row_cells(row)[:4] == [
            figure["measure"],
            figure["period"],
            figure["unit"],
            figure["force_value_as_printed"],
        ]
    engine = to_json(
        imported.indicators(
            Period.year_ending(2016, 6), force="Met", comparator="ew", population_year=2015
        )
    )
    computed = _indicator_rows(html, "Force in numbers computed from the statistics")
    assert len(computed) == len(engine)
    for item in engine:
        assert computed[item["label"]][3] == (item["display"] or "Not available")
        assert computed[item["label"]][4] == (item["comparator_display"] or "Not available")
    printed = next(f for f in record["figures"] if f["measure"].startswith("Crimes recorded"))
    recorded = computed["Recorded crime (excluding fraud) per 1,000 population"]
    assert recorded[3] == printed["force_value_as_printed"]
    findings = parse_html(html)
    assert len([n for n in findings.iter("li") if "finding" in n.classes()]) == len(
        record["findings"]
    )


@pytest.fixture
def kent(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(f"sqlite:///{tmp_path / 'kent.sqlite'}") as ws:
        ws.initialise()
        yield ws


def test_force_without_a_report_prints_not_available(kent: Workspace) -> None:
    entered = to_json(
        kent.add_inspection(
            force="Kent", framework="peel-2018-19", status="published", entered_by="A. Inspector"
        )
    )
    to_json(
        kent.add_judgment(
            entered["id"],
            area="effectiveness",
            grade="Good",
            provenance=Provenance(entered_by="A. Inspector"),
        )
    )
    report = kent.force_report("Kent", "peel-2018-19")
    effectiveness = report.grade("effectiveness")
    assert effectiveness is not None and effectiveness.label == "Good"
    assert effectiveness.source == "entered by A. Inspector"
    cells = _grade_cells(render_html(report))
    spec = load_framework("peel-2018-19")
    graded = [a.id for a in spec.walk() if a.graded]
    assert cells["effectiveness"] == "Good"
    assert [a for a in graded if cells[a] == "Not available"] == [
        a for a in graded if a != "effectiveness"
    ]


def test_one_inspection_shows_the_report_and_keeps_the_table(kent: Workspace) -> None:
    """A report's grade is shown, a grades table's for the same area is kept beside it and
    named; an area only the table grades is shown from the table."""
    report = to_json(
        kent.register_document(
            sha256="a" * 64, title="A Kent report", filename="kent.txt", media_type="text/plain"
        )
    )
    table = to_json(
        kent.register_document(
            sha256="b" * 64, title="Grades table", filename="grades.csv", media_type="text/csv"
        )
    )
    inspection = to_json(
        kent.add_inspection(
            force="Kent", framework="peel-2018-19", status="published", document_id=report["id"]
        )
    )
    for area, grade, document, line in (
        ("effectiveness", "Inadequate", table, 3),
        ("legitimacy", "Inadequate", table, 4),
        ("legitimacy", "Outstanding", report, 12),
    ):
        kent.add_judgment(
            inspection["id"],
            area=area,
            grade=grade,
            provenance=Provenance(document_id=document["id"], line_start=line, line_end=line),
        )
    view = kent.force_report("Kent", "peel-2018-19")
    legitimacy = view.grade("legitimacy")
    effectiveness = view.grade("effectiveness")
    assert legitimacy is not None and effectiveness is not None
    assert (legitimacy.label, legitimacy.source) == ("Outstanding", "A Kent report, line 12")
    (other,) = legitimacy.other_sources
    assert (other.label, other.source, other.agrees) == (
        "Inadequate",
        "Grades table, line 4",
        False,
    )
    assert (
        legitimacy.note is not None and "Grades table, line 4 gives Inadequate" in legitimacy.note
    )
    assert (effectiveness.label, effectiveness.source) == ("Inadequate", "Grades table, line 3")
    assert effectiveness.other_sources == ()
    assert view.inspections == (inspection["id"],)
    html = render_html(view)
    assert "Grades table, line 4 gives Inadequate" in html


def test_group_grades_use_previous_judgments(kent: Workspace) -> None:
    met_2018 = next(p for p in REPORTS if p.name.startswith("001_"))
    kent.import_report(met_2018)
    earlier = to_json(
        kent.add_inspection(
            force="West Midlands",
            framework="peel-2017",
            period="2017",
            status="published",
            entered_by="tester",
        )
    )
    to_json(
        kent.add_judgment(
            earlier["id"],
            area="effectiveness",
            grade="Requires improvement",
            provenance=Provenance(entered_by="tester"),
        )
    )
    report = kent.force_report("Met", "peel-2018-19")
    root = parse_html(render_html(report))
    figure = next(f for f in root.iter("figure") if "group-grades" in f.attrs.get("id", ""))
    data = figure.next_element()
    assert data is not None
    rows = {cells[0]: cells for cells in (row_cells(r) for r in body_rows(data))}
    assert rows["West Midlands Police"][1].startswith("Requires improvement")
    assert rows["Metropolitan Police Service"][1].startswith("Requires improvement")
    assert rows["Greater Manchester Police"][1].startswith("Not available")
    text = root.text()
    assert "West Midlands Police has no judgments under" in text
    assert "previous judgments, from PEEL" in text and "(2017)" in text


def test_a_grade_stated_in_a_sentence_says_so(kent: Workspace, shared: Path) -> None:
    """Durham's 2017 efficiency page prints no grade line: every grade is stated in its
    summary sentences ("Durham Constabulary is ... at ..."), and the report says so beside
    each one, as it does for a grade carried over."""
    page = shared / "examples" / "hmicfrs-web-pages" / "durham_2017_efficiency.txt"
    kent.import_report(page)
    report = kent.force_report("Durham", "peel-2017")
    stated = [
        area.id
        for area in load_framework("peel-2017").walk()
        if (grade := report.grade(area.id)) is not None and grade.grade_id is not None
    ]
    assert "efficiency" in stated
    for area_id in stated:
        grade = report.grade(area_id)
        assert grade is not None and grade.note is not None
        assert "stated in a sentence of the report" in grade.note, area_id
