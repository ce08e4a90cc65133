"""The national report: every force's grades, their distribution, the ranked chart and the map
of an indicator for every force."""

from __future__ import annotations

from pathlib import Path

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.frameworks import load_framework
from peelkit.reference import territorial_forces
from peelkit.reports.render import render_html
from peelkit.sources.dataset import shipped_boundaries
from peelkit.views.json import to_json
from tests.reports.test_render import (
    body_rows,
    check_accessible,
    imported,
    parse_html,
    row_cells,
    tables_by_caption,
)

__all__ = ["imported"]


def _grade_cells(html: str) -> dict[tuple[str, str], str]:
    root = parse_html(html)
    return {
        (cell.attrs["data-force"], cell.attrs["data-area"]): cell.text()
        for cell in root.iter("td")
        if "grade" in cell.classes() and "data-force" in cell.attrs
    }


def test_every_force_graded_as_the_record_holds(imported: Workspace) -> None:
    report = imported.national_report("baseline-2005")
    html = render_html(report)
    root = parse_html(html)
    check_accessible(root)
    cells = _grade_cells(html)
    spec = load_framework("baseline-2005")
    assert spec.grade_scale is not None
    forces = territorial_forces()
    areas = [a for a in spec.walk() if a.graded]
    assert len(cells) == len(forces) * len(areas)  # area level: the 2005 domains are ungraded
    checked = 0
    for summary in to_json(imported.inspections(framework="baseline-2005")):
        for judgment in to_json(imported.inspection(summary["id"]))["judgments"]:
            expected = (
                spec.grade_scale.get(judgment["grade"]).label
                if judgment["grade"]
                else "Not available"
            )
            assert cells[(summary["force"], judgment["area"])] == expected
            checked += 1
    assert checked == 43 * 27
    table = tables_by_caption(root)[f"Grades of every force: {spec.title}"]
    assert "sortable" in table.classes()
    assert len(body_rows(table)) == 43
    assert "<script>" in html and "aria-sort" in html


def test_distribution_counts_the_grades(imported: Workspace) -> None:
    html = render_html(imported.national_report("peel-2018-19"))
    cells = _grade_cells(html)
    assert len(cells) == 43 * 3
    met = to_json(
        imported.inspection(next(i.id for i in imported.inspections("Met", "peel-2018-19")))
    )
    pillars = ["effectiveness", "efficiency", "legitimacy"]
    labels = {"requires_improvement": "Requires improvement", "good": "Good"}
    for judgment in met["judgments"]:
        if judgment["area"] in pillars:
            assert cells[("metropolitan", judgment["area"])] == labels[judgment["grade"]]
    assert sum(1 for v in cells.values() if v == "Not available") == 42 * 3
    root = parse_html(html)
    table = next(t for c, t in tables_by_caption(root).items() if c.startswith("Distribution"))
    counts = {
        cells_[0]: [int(x) for x in cells_[1:]] for cells_ in map(row_cells, body_rows(table))
    }
    assert [sum(column) for column in zip(*counts.values(), strict=True)] == [43, 43, 43]
    assert counts["Not available"] == [42, 42, 42]
    assert counts["Good"] == [0, 1, 1] and counts["Requires improvement"] == [1, 0, 0]


def test_by_region(imported: Workspace) -> None:
    report = imported.national_report("peel-2018-19", by_region=True)
    tables = tables_by_caption(parse_html(render_html(report)))
    regions = {f.region for f in territorial_forces()}
    by_region = {c: t for c, t in tables.items() if c.startswith("Grades: ")}
    assert {c.removeprefix("Grades: ") for c in by_region} == regions
    assert sum(len(body_rows(t)) for t in by_region.values()) == 43
    for caption, table in by_region.items():
        region = caption.removeprefix("Grades: ")
        assert {row_cells(r)[1] for r in body_rows(table)} == {region}


def test_ranked_chart_and_map_are_the_engine(imported: Workspace) -> None:
    assert shipped_boundaries().is_file(), "the boundaries ship with the embedded dataset"
    report = imported.national_report("peel-2018-19", "robbery_per_1000")
    assert report.map_omitted is None
    root = parse_html(render_html(report))
    figures = list(root.iter("figure"))
    assert len(figures) == 3  # the ranked chart, the funnel plot and the map
    rows = to_json(
        imported.indicators(
            Period.from_month("2018-09"), indicator_ids=["robbery_per_1000"], population_year=2018
        )
    )
    names = {f.id: f.short_name for f in territorial_forces()}
    expected = {names[r["force"]]: r["display"] for r in rows}
    for figure in figures:
        table = figure.next_element()
        assert table is not None
        shown = list(map(row_cells, body_rows(table)))
        assert len(shown) == len(expected)
        for name, display in expected.items():
            row = next(r for r in shown if any(c == name or c.startswith(f"{name} ") for c in r))
            assert display in row, (name, row)


def test_map_omitted_without_boundaries(imported: Workspace, tmp_path: Path) -> None:
    report = imported.national_report("peel-2018-19", boundaries=tmp_path / "missing.geojson")
    assert report.map_omitted is not None
    html = render_html(report)
    assert len(list(parse_html(html).iter("figure"))) == 2  # the ranked chart and the funnel
    assert "The map is omitted" in html
