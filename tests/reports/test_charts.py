"""The report charts as real matplotlib SVG, parsed back: what is drawn, labelled and tabled.

Values come from the indicator engine (recorded crime per 1,000 population, 12 months to
30 September 2018, mid-2018 population, and the same indicator over five years) and grades from
the raw PEEL grades file, so the charts are checked against the engine's and the data's own
figures, not numbers typed in here.
"""

from __future__ import annotations

import csv
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.frameworks import load_framework
from peelkit.reference import all_forces, get_force, resolve_force
from peelkit.reports.chart import Chart
from peelkit.reports.charts import (
    NO_DATA,
    NOT_AVAILABLE,
    grade_comparison_chart,
    rank_words,
    ranked_bar_chart,
    slug,
    trend_chart,
)
from peelkit.views.json import to_json
from tests.reports.svg import SVG
from tests.reports.svg import by_id as _by_id
from tests.reports.svg import parse as _parse
from tests.reports.svg import texts as _texts

INDICATOR = "recorded_crime_per_1000"
SEP_2018 = Period.from_month("2018-09")
GRADES_CSV = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw" / "peel-grades"
) / "peel_grades.csv"


# -- fixtures: the engine's figures ---------------------------------------------------------------


@pytest.fixture(scope="module")
def engine_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = Workspace(f"sqlite:///{tmp_path_factory.mktemp('charts') / 'charts.sqlite'}")
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def every_force(engine_workspace: Workspace) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = to_json(
        engine_workspace.indicators(SEP_2018, indicator_ids=[INDICATOR], population_year=2018)
    )
    assert len(rows) == 43
    return rows


@pytest.fixture(scope="module")
def met_msg(engine_workspace: Workspace) -> dict[str, Any]:
    (row,) = to_json(engine_workspace.indicators(
        SEP_2018, force="metropolitan", indicator_ids=[INDICATOR], comparator="msg",
        population_year=2018,
    ))  # fmt: skip
    assert isinstance(row, dict)
    return row


def _name(force_id: str) -> str:
    return get_force(force_id).name


def _ski_slope(rows: list[dict[str, Any]], msg: dict[str, Any], highlight: str | None) -> Chart:
    met = next(r for r in rows if r["force"] == "metropolitan")
    return ranked_bar_chart(
        f"{met['label']}, {met['period']}",
        [(_name(r["force"]), r["value"], r["display"]) for r in rows],
        highlight,
        [
            ("England and Wales", met["comparator_value"], met["comparator_display"]),
            ("Most similar group", msg["comparator_value"], msg["comparator_display"]),
        ],
        met["unit"],
        ranks={_name(r["force"]): r["rank_display"] for r in rows},
    )


# -- helpers: reading the SVG back ----------------------------------------------------------------


def _ids(root: ET.Element, prefix: str) -> list[str]:
    return [k for k in _by_id(root) if k.startswith(prefix)]


def _style(element: ET.Element) -> dict[str, str]:
    """The style of the group's first drawn path, as a dict."""
    path = next(element.iter(f"{SVG}path"))
    return {
        key.strip(): value.strip()
        for key, value in (item.split(":", 1) for item in path.get("style", "").split(";") if item)
    }


def _check_labels(chart: Chart) -> None:
    root = _parse(chart)
    assert root[0].tag == f"{SVG}title" and root[0].text == chart.title
    assert root[1].tag == f"{SVG}desc" and root[1].text == chart.alt
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == root[0].get("id")
    assert not chart.svg.startswith("<?xml")  # embeddable in HTML as it is
    assert "<metadata" not in chart.svg
    # matplotlib's automatic ids (figure_1, patch_3 ...) would clash between charts on a page
    assert not re.search(r' id="[A-Za-z.]+_\d+"', chart.svg)


# -- the ranked bar chart -------------------------------------------------------------------------


def test_ski_slope_draws_one_bar_per_force_in_descending_order(every_force, met_msg):
    chart = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    _check_labels(chart)
    root = _parse(chart)
    bars = _ids(root, "bar-")
    assert len(bars) == 43
    ordered = sorted(every_force, key=lambda r: -r["value"])
    assert bars == [f"bar-{slug(_name(r['force']))}" for r in ordered]
    assert chart.columns == ("Rank", "Force", "per 1,000 population")
    assert chart.rows == tuple(
        (r["rank_display"], _name(r["force"]), r["display"]) for r in ordered
    )
    # bar heights follow the values: the first bar is the tallest
    heights = [_bar_height(_by_id(root)[b]) for b in bars]
    assert heights == sorted(heights, reverse=True)
    assert heights[0] > heights[-1]


def _bar_height(group: ET.Element) -> float:
    path = next(group.iter(f"{SVG}path"))
    ys = [float(y) for y in re.findall(r"[ML] [-\d.]+ ([-\d.]+)", path.get("d", ""))]
    return max(ys) - min(ys)


def test_ski_slope_marks_the_highlighted_force(every_force, met_msg):
    chart = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    root = _parse(chart)
    ids = _by_id(root)
    fills = {key: _style(ids[key])["fill"] for key in _ids(root, "bar-")}
    met_fill = fills.pop("bar-metropolitan-police-service")
    assert len(set(fills.values())) == 1
    assert met_fill not in fills.values()
    met = next(r for r in every_force if r["force"] == "metropolitan")
    # not by colour alone: the name in bold and the value written above the bar
    bold = [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if "font-weight: 700" in t.get("style", "")
    ]
    assert "Metropolitan Police Service" in bold
    assert met["display"] in bold
    assert f"Metropolitan Police Service is ranked {rank_words(met['rank_display'])} of 43" in (
        chart.alt
    )
    assert f"at {met['display']}" in chart.alt


def test_ski_slope_writes_the_reference_lines_labels(every_force, met_msg):
    chart = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    root = _parse(chart)
    met = next(r for r in every_force if r["force"] == "metropolitan")
    assert f"England and Wales {met['comparator_display']}" in _texts(root)
    assert f"Most similar group {met_msg['comparator_display']}" in _texts(root)
    lines = _ids(root, "reference-")
    assert "reference-england-and-wales" in lines and "reference-most-similar-group" in lines
    dashes = {
        _style(_by_id(root)[k]).get("stroke-dasharray")
        for k in ("reference-england-and-wales", "reference-most-similar-group")
    }
    assert len(dashes) == 2  # told apart by line style, not only by label
    assert f"England and Wales {met['comparator_display']}" in chart.alt


def test_ski_slope_leaves_forces_without_data_out_of_the_drawing(every_force, met_msg):
    rows = [dict(r) for r in every_force]
    for row in rows:
        if row["force"] in ("gwent", "kent"):
            row["value"] = None
    chart = _ski_slope(rows, met_msg, None)
    root = _parse(chart)
    assert len(_ids(root, "bar-")) == 41
    assert "bar-kent-police" not in _by_id(root)
    assert chart.rows[-2:] == (("", "Gwent Police", NO_DATA), ("", "Kent Police", NO_DATA))
    assert len(chart.rows) == 43
    assert "No data for Gwent Police and Kent Police" in chart.alt
    assert "Bar chart of 41 forces" in chart.alt


def test_ski_slope_ranks_by_position_without_the_engines_ranks():
    chart = ranked_bar_chart(
        "Test", [("A", 1.0, "1"), ("B", 3.0, "3"), ("C", 3.0, "3"), ("D", None, "")], "A", [], "u"
    )
    assert chart.rows == (
        ("1=", "B", "3"),
        ("1=", "C", "3"),
        ("3", "A", "1"),
        ("", "D", NO_DATA),
    )
    assert "A is ranked 3rd of 3 at 1." in chart.alt
    assert rank_words("9=") == "9th equal"
    assert rank_words("12") == "12th"


def test_ski_slope_refuses_an_unknown_highlight_and_twice_named_forces():
    with pytest.raises(ValueError, match="highlighted"):
        ranked_bar_chart("T", [("A", 1.0, "1")], "B", [], "u")
    with pytest.raises(ValueError, match="named"):
        ranked_bar_chart("T", [("A", 1.0, "1"), ("A", 2.0, "2")], None, [], "u")


def test_charts_are_deterministic_and_salted_per_chart(every_force, met_msg):
    first = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    again = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    assert first.svg == again.svg
    other = _ski_slope(every_force, met_msg, "Kent Police")
    salted = set(re.findall(r' id="(chart-[^"]+)"', first.svg))  # its title's and description's
    assert len(salted) == 2
    assert salted.isdisjoint(re.findall(r' id="(chart-[^"]+)"', other.svg))


def test_the_chart_stays_vector_text_in_a_weasyprint_pdf(tmp_path, every_force, met_msg):
    from weasyprint import HTML

    chart = _ski_slope(every_force, met_msg, "Metropolitan Police Service")
    pdf = tmp_path / "chart.pdf"
    HTML(string=f"<html><body><figure>{chart.svg}</figure></body></html>").write_pdf(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    met = next(r for r in every_force if r["force"] == "metropolitan")
    assert f"England and Wales {met['comparator_display']}" in text
    assert "Metropolitan Police Service" in text
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert len(images.strip().splitlines()) == 2  # header lines only: no raster image


# -- the trend chart ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_years(engine_workspace: Workspace) -> dict[str, Any]:
    """The Met, its most similar group and England and Wales, 2014 to 2018, from the engine."""
    periods, met, msg, ew = [], [], [], []
    for year in range(2014, 2019):
        period = Period.from_month(f"{year}-09")
        (ew_row,) = to_json(
            engine_workspace.indicators(period, force="metropolitan", indicator_ids=[INDICATOR])
        )
        (msg_row,) = to_json(
            engine_workspace.indicators(
                period, force="metropolitan", indicator_ids=[INDICATOR], comparator="msg"
            )
        )
        periods.append(ew_row["period"])
        met.append(ew_row)
        msg.append(msg_row)
        ew.append(ew_row)
    return {"periods": periods, "met": met, "msg": msg, "ew": ew}


def _trend(data: dict[str, Any], gap: int | None = None) -> Chart:
    def values(rows: list[dict[str, Any]], key: str) -> list[float | None]:
        return [None if i == gap else r[key] for i, r in enumerate(rows)]

    def shown(rows: list[dict[str, Any]], key: str) -> list[str | None]:
        return [r[key] for r in rows]

    return trend_chart(
        "Recorded crime per 1,000 population",
        data["periods"],
        [
            ("Metropolitan Police Service", values(data["met"], "value")),
            ("Most similar group", values(data["msg"], "comparator_value")),
            ("England and Wales", values(data["ew"], "comparator_value")),
        ],
        "per 1,000 population",
        highlight="Metropolitan Police Service",
        displays={
            "Metropolitan Police Service": shown(data["met"], "display"),
            "Most similar group": shown(data["msg"], "comparator_display"),
            "England and Wales": shown(data["ew"], "comparator_display"),
        },
    )


def test_trend_draws_three_lines_told_apart_by_style(five_years):
    chart = _trend(five_years)
    _check_labels(chart)
    root = _parse(chart)
    ids = _by_id(root)
    series = sorted(_ids(root, "series-"))
    assert series == [
        "series-england-and-wales",
        "series-metropolitan-police-service",
        "series-most-similar-group",
    ]
    dashes = [_style(ids[k]).get("stroke-dasharray") for k in series]
    assert len(set(dashes)) == 3
    widths = [float(_style(ids[k])["stroke-width"]) for k in series]
    assert widths[1] > max(widths[0], widths[2])  # the force's own line is the thickest
    texts = _texts(root)
    for name in ("Metropolitan Police Service", "Most similar group", "England and Wales"):
        assert name in texts  # the legend
    for period in five_years["periods"]:
        assert period in texts


def test_trend_table_is_the_engines_figures(five_years):
    chart = _trend(five_years)
    assert chart.columns == (
        "Period",
        "Metropolitan Police Service",
        "Most similar group",
        "England and Wales",
    )
    assert chart.rows == tuple(
        (p, met["display"], msg["comparator_display"], ew["comparator_display"])
        for p, met, msg, ew in zip(
            five_years["periods"], five_years["met"], five_years["msg"], five_years["ew"],
            strict=True,
        )
    )  # fmt: skip
    first, last = five_years["met"][0], five_years["met"][-1]
    assert (
        f"Metropolitan Police Service went from {first['display']} in {first['period']} "
        f"to {last['display']} in {last['period']}" in chart.alt
    )


def test_trend_leaves_a_gap_for_a_missing_year(five_years):
    whole = _parse(_trend(five_years))
    gapped = _parse(_trend(five_years, gap=2))
    line = "series-metropolitan-police-service"

    def moves(root: ET.Element) -> int:
        path = next(_by_id(root)[line].iter(f"{SVG}path"))
        return path.get("d", "").count("M ")

    assert moves(whole) == 1
    assert moves(gapped) == 2
    chart = _trend(five_years, gap=2)
    assert chart.rows[2][1:] == (NO_DATA, NO_DATA, NO_DATA)


def test_trend_without_displays_prints_the_values_and_checks_lengths():
    chart = trend_chart("T", ["2017", "2018"], [("A", [1.25, None]), ("B", [2.0, 3.5])], "u")
    assert chart.rows == (("2017", "1.25", "2.00"), ("2018", NO_DATA, "3.50"))
    with pytest.raises(ValueError, match="periods"):
        trend_chart("T", ["2017", "2018"], [("A", [1.0])], "u")


# -- the grade comparison figure ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pillar_grades() -> dict[tuple[str, str, str], str]:
    """(force id, pillar, year) → grade for the pillar grades in the raw PEEL grades file."""
    grades: dict[tuple[str, str, str], str] = {}
    with GRADES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["question"]:
                grades[(resolve_force(row["force"]).id, row["pillar"], row["year"])] = row["grade"]
    return grades


def test_grade_grid_prints_every_grade_by_name(met_msg, pillar_grades):
    framework = load_framework("peel-2018-19")
    assert framework.grade_scale is not None
    scale = [g.label for g in framework.grade_scale.grades]
    pillars = [a.name for a in framework.areas]
    forces = [_name(f) for f in met_msg["comparator_forces"]]
    cells: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for force_id, force in zip(met_msg["comparator_forces"], forces, strict=True):
        for pillar in pillars:
            cells[(force, pillar)] = (pillar_grades[(force_id, pillar, "2018/19")], None)
    # as if one group force's efficiency were not inspected in 2018/19: its 2017 grade stands
    second = met_msg["comparator_forces"][1]
    cells[(forces[1], "Efficiency")] = (pillar_grades[(second, "Efficiency", "2017")], "2017")
    cells[(forces[-1], pillars[-1])] = (None, None)  # a judgment nobody made: not invented

    chart = grade_comparison_chart("Pillar grades", forces, pillars, cells, scale)
    _check_labels(chart)
    root = _parse(chart)
    ids = _by_id(root)
    cell_ids = _ids(root, "cell-")
    assert len(cell_ids) == len(forces) * len(pillars)
    texts = _texts(root)
    fills: dict[str, set[str]] = {}
    for (force, pillar), (grade, _) in cells.items():
        shown = grade or NOT_AVAILABLE
        element = ids[f"cell-{slug(force)}-{slug(pillar)}"]
        fills.setdefault(shown, set()).add(_style(element)["fill"])
        assert shown in texts, shown
    notes = [note for _, note in cells.values() if note]
    assert sum(1 for t in texts if re.fullmatch(r"\(\d{4}\)", t)) == len(notes)
    assert all(len(f) == 1 for f in fills.values())  # one colour per grade
    assert len({next(iter(f)) for f in fills.values()}) == len(fills)  # and different grades differ
    assert fills[NOT_AVAILABLE] == {next(iter(fills[NOT_AVAILABLE]))}
    assert next(iter(fills[NOT_AVAILABLE])).startswith("url(#")  # hatched, not a grade colour
    for label in [*scale, NOT_AVAILABLE]:
        assert label in texts  # the legend
    assert chart.columns == ("Force", *pillars)
    for row, force in zip(chart.rows, forces, strict=True):
        assert row[0] == force
        for pillar, text in zip(pillars, row[1:], strict=True):
            grade, note = cells[(force, pillar)]
            assert text == (grade or NOT_AVAILABLE) + (f" ({note})" if note else "")
    assert chart.rows[-1][-1] == NOT_AVAILABLE


def test_grade_grid_prints_a_grade_off_the_scale_by_name():
    chart = grade_comparison_chart(
        "T", ["A"], ["P", "Q"], {("A", "P"): ("Ungraded", None), ("A", "Q"): ("Good", "2017")},
        ["Outstanding", "Good"],
    )  # fmt: skip
    texts = _texts(_parse(chart))
    assert "Ungraded" in texts
    assert "Good" in texts and "(2017)" in texts
    assert chart.rows == (("A", "Ungraded", "Good (2017)"),)


# -- uncertainty on the ranked and trend charts (issue 13) ----------------------------------------


@pytest.fixture(scope="module")
def uncertain_spec(engine_workspace: Workspace) -> Any:
    """The ranked chart spec built by the view from the engine's rows, with intervals."""
    from peelkit.views.context import ranked_chart

    rows = list(
        engine_workspace.indicators(SEP_2018, indicator_ids=[INDICATOR], population_year=2018)
    )
    met = next(r for r in rows if r.force == "metropolitan")
    return rows, ranked_chart(get_force("metropolitan"), rows, met, met)


def _exact(count: float, population: float) -> tuple[float, float]:
    """The exact Poisson 95% interval of a rate per 1,000 (scipy), an independent check."""
    from scipy.stats import chi2

    low = chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = chi2.ppf(0.975, 2 * (count + 1)) / 2
    return low * 1000 / population, high * 1000 / population


def test_ski_slope_whiskers_are_the_95_percent_intervals(uncertain_spec):
    from peelkit.reports.drawing import draw

    rows, spec = uncertain_spec
    chart = draw(spec)
    _check_labels(chart)
    root = _parse(chart)
    ids = _by_id(root)
    names = {f.id: f.short_name for f in all_forces()}
    assert chart.columns == (
        "Rank", "Force", "per 1,000 population",
        "95% confidence interval: lower", "95% confidence interval: upper", "Note",
    )  # fmt: skip
    table = {r[1]: r for r in chart.rows}
    for row in rows:
        label = names[row.force]
        low, high = _exact(row.numerator, row.denominator)
        shown = table[label]
        # printed with one decimal more than the figure; Byar is within 0.5% of exact here
        assert float(shown[3]) == pytest.approx(low, rel=0.005, abs=0.05), label
        assert float(shown[4]) == pytest.approx(high, rel=0.005, abs=0.05), label
        if row.force != "city-of-london":
            assert f"interval-{slug(label)}" in ids  # a whisker on every bar on the scale
    # a whisker spans its interval: its length against its bar's height is (upper - lower) / value
    met = next(r for r in rows if r.force == "metropolitan")
    whisker = next(ids["interval-metropolitan-police"].iter(f"{SVG}path")).get("d", "")
    ys = [float(y) for y in re.findall(r"[ML] [-\d.]+ ([-\d.]+)", whisker)]
    bar = _bar_height(ids["bar-metropolitan-police"])
    assert (max(ys) - min(ys)) / bar == pytest.approx(
        (met.ci95_upper - met.ci95_lower) / met.value, rel=0.05
    )
    assert "whiskers on the bars show each force's 95% confidence interval" in chart.alt


def test_ski_slope_draws_city_of_london_off_the_scale(uncertain_spec):
    from peelkit.reports.drawing import draw

    rows, spec = uncertain_spec
    chart = draw(spec)
    root = _parse(chart)
    ids = _by_id(root)
    city = next(r for r in rows if r.force == "city-of-london")
    second = max((r for r in rows if r.force != "city-of-london"), key=lambda r: r.value)
    names = {f.id: f.short_name for f in all_forces()}
    city_bar, second_bar = (
        f"bar-{slug(names['city-of-london'])}",
        f"bar-{slug(names[second.force])}",
    )
    # on the scale the City's bar would be over six times the next one's; it is not
    ratio = _bar_height(ids[city_bar]) / _bar_height(ids[second_bar])
    assert ratio < 1.3 < city.value / second.value
    ticks = [float(t) for t in _texts(root) if re.fullmatch(r"\d+(\.\d+)?", t)]
    assert max(ticks) < city.value  # no tick reaches its value: it is kept out of the scale
    assert f"off-scale-{slug(names['city-of-london'])}" in ids  # the break in the bar
    assert city.display in _texts(root)  # its value written
    assert f"{names['city-of-london']}'s value, {city.display}, is beyond the scale" in chart.alt
    row = next(r for r in chart.rows if r[1] == names["city-of-london"])
    assert row[-1] == city.population_note


def test_trend_marker_is_printed_on_the_chart_and_in_its_table(five_years):
    words = "Trend over the last 5 years: increasing (significant at the 99.8% level)."
    chart = trend_chart(
        "T", five_years["periods"],
        [("Met", [r["value"] for r in five_years["met"]]),
         ("England and Wales", [r["comparator_value"] for r in five_years["ew"]])],
        "u", highlight="Met", marker=words,
    )  # fmt: skip
    root = _parse(chart)
    assert "trend-marker" in _by_id(root)
    assert words in _texts(root)
    assert chart.rows[-1] == ("Trend", words, "")
    assert chart.alt.endswith(words)
    plain = trend_chart("T", ["2017"], [("A", [1.0])], "u")
    assert "trend-marker" not in _by_id(_parse(plain)) and plain.rows[-1][0] != "Trend"
