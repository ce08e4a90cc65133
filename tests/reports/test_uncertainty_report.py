"""Issue 13 in the reports: the Met's 2018/19 report (after importing the reference reports)
shows the 95% intervals on its ski slope and in its tables, a funnel plot and a trend marker;
City of London's rate is drawn off the scale with its note. HTML parsed as in test_render.

Expected values come from the engine's rows (``peel indicators``) and, for the intervals, from
scipy's exact Poisson quantiles over the engine's counts and populations.
"""

from __future__ import annotations

import pytest
from scipy.stats import chi2

from peelkit import Workspace
from peelkit.domain.periods import Period
from peelkit.reference import all_forces
from peelkit.reports.render import render_html
from peelkit.views.json import to_json
from tests.reports.test_render import (
    Node,
    body_rows,
    check_accessible,
    imported,
    parse_html,
    row_cells,
    tables_by_caption,
)

__all__ = ["imported"]

SEP_2018 = Period.from_month("2018-09")
INDICATOR = "recorded_crime_per_1000"


def _figures(root: Node) -> dict[str, tuple[Node, Node]]:
    """Each figure by caption, with the data table that follows it."""
    out = {}
    for figure in root.iter("figure"):
        table = figure.next_element()
        assert table is not None and table.tag == "table"
        out[next(figure.iter("figcaption")).text()] = (figure, table)
    return out


def _alt(figure: Node) -> str:
    return next(n for n in figure.iter() if n.attrs.get("role") == "img").attrs["aria-label"]


def _exact95(count: float, population: float) -> tuple[float, float]:
    low = chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = chi2.ppf(0.975, 2 * (count + 1)) / 2
    return low * 1000 / population, high * 1000 / population


@pytest.fixture(scope="module")
def met_html(imported: Workspace) -> Node:
    root = parse_html(render_html(imported.force_report("Met", "peel-2018-19")))
    check_accessible(root)
    return root


@pytest.fixture(scope="module")
def every_force(imported: Workspace) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = to_json(
        imported.indicators(SEP_2018, indicator_ids=[INDICATOR], population_year=2018)
    )
    return rows


def test_met_table_shows_the_interval_and_the_significance_word(
    imported: Workspace, met_html: Node
) -> None:
    table = tables_by_caption(met_html)[
        "Recorded crime per 1,000 population, against the most similar group"
    ]
    header = [th.text() for th in next(table.iter("thead")).iter("th")]
    assert header[5:7] == ["95% interval", "Against Most similar group"]
    (met,) = to_json(
        imported.indicators(
            SEP_2018, force="Met", indicator_ids=[INDICATOR], comparator="msg",
            population_year=2018,
        )
    )  # fmt: skip
    cells = next(row_cells(r) for r in body_rows(table) if row_cells(r)[0] == met["label"])
    low, high = _exact95(met["numerator"], met["denominator"])
    shown_low, shown_high = (float(x) for x in cells[5].split(" to "))
    assert shown_low == pytest.approx(low, abs=0.06) and shown_high == pytest.approx(high, abs=0.06)
    # The Met (93) against its group (100): the group's value is above the Met's interval
    assert met["comparator_value"] > high
    assert cells[6].startswith("lower, better")  # recorded crime: low is good
    assert cells[7] == met["rank_interval"]["display"]
    assert cells[7].startswith(f"rank {met['rank']} (") and cells[7].endswith(" of 43")


def test_met_ski_slope_has_whiskers_and_city_of_london_off_the_scale(
    met_html: Node, every_force: list[dict[str, object]]
) -> None:
    figures = _figures(met_html)
    caption = next(c for c in figures if c.endswith(": every force"))
    figure, table = figures[caption]
    header = [th.text() for th in next(table.iter("thead")).iter("th")]
    assert header[3:] == [
        "95% confidence interval: lower", "95% confidence interval: upper", "Note",
    ]  # fmt: skip
    names = {f.id: f.short_name for f in all_forces()}
    shown = {r[1]: r for r in map(row_cells, body_rows(table))}
    assert len(shown) == 43
    for row in every_force:
        cells = shown[names[str(row["force"])]]
        assert cells[2] == row["display"]
        low, high = _exact95(float(row["numerator"]), float(row["denominator"]))  # type: ignore[arg-type]
        assert float(cells[3]) == pytest.approx(low, rel=0.005, abs=0.06)
        assert float(cells[4]) == pytest.approx(high, rel=0.005, abs=0.06)
    city = next(r for r in every_force if r["force"] == "city-of-london")
    assert shown[names["city-of-london"]][5] == city["population_note"]
    alt = _alt(figure)
    assert "whiskers on the bars show each force's 95% confidence interval" in alt
    assert f"{names['city-of-london']}'s value, {city['display']}, is beyond the scale" in alt
    svg = next(figure.iter("svg"))
    ids = {n.attrs.get("id", "") for n in svg.iter()}
    assert any(i.endswith("off-scale-city-of-london") for i in ids)
    assert any(i.endswith("interval-metropolitan-police") for i in ids)


def test_met_report_has_a_funnel_plot(met_html: Node, every_force: list[dict[str, object]]) -> None:
    figures = _figures(met_html)
    caption = next(c for c in figures if "against its population" in c)
    figure, table = figures[caption]
    header = [th.text() for th in next(table.iter("thead")).iter("th")]
    assert header[:4] == ["Force", "Population", "per 1,000 population", "Against the limits"]
    names = {f.id: f.short_name for f in all_forces()}
    shown = {r[0]: r for r in map(row_cells, body_rows(table))}
    assert len(shown) == 43
    for row in every_force:
        cells = shown[names[str(row["force"])]]
        assert cells[1] == f"{row['denominator']:,.0f}" and cells[2] == row["display"]
    assert shown[names["city-of-london"]][3] == "off the scale"
    alt = _alt(figure)
    assert "Funnel plot of 43 forces" in alt and "95% and 99.8% control limits" in alt
    # the next paragraph says how to read it
    reading = table.next_element()
    assert reading is not None and "How to read the funnel plot" in reading.text()


def test_met_report_has_a_trend_marker(imported: Workspace, met_html: Node) -> None:
    (met,) = to_json(
        imported.indicators(SEP_2018, force="Met", indicator_ids=[INDICATOR], population_year=2018)
    )
    trend = met["trend"]
    assert trend is not None and trend["call"] in (
        "increasing", "decreasing", "no significant change", "cannot be calculated",
    )  # fmt: skip
    figures = _figures(met_html)
    caption = next(c for c in figures if "its most similar group and England and Wales" in c)
    figure, table = figures[caption]
    last = row_cells(body_rows(table)[-1])
    assert last[0] == "Trend" and trend["call"] in last[1]
    markers = [p.text() for p in met_html.iter("p") if "trend-marker" in p.classes()]
    assert markers == [last[1]]
    assert last[1] in _alt(figure)
