"""The force report's "Progress since the last inspection", rendered to HTML from the reference
reports: the Met's 2016 report looks back at 2015, its 2018/19 report at 2016; a report with no
earlier inspection (the 2005 baseline, the first the record holds) says so in one sentence.

Expected texts are read from the reports in ../shared/reference-reports
(tests/report_text.py): from 2015 (002_...), the areas for improvement of the question on
investigating crime (integrated offender management, scenes of crime); from 2016 (000_...,
"March 2017"), the same area for improvement word for word and the two about registered sex
offenders; from 2018/19 (001_...), the cause of concern about registered sex offenders and its
recommendation on frontline staff.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.frameworks import load_framework
from peelkit.reports.render import render_html
from peelkit.views.json import to_json
from tests.report_text import printed_sentence
from tests.reports.test_render import REPORTS, Node, body_rows, parse_html, row_cells

PEEL_2015, PEEL_2016, PEEL_2018_19 = (
    "002_b3b722981796a923.txt",
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
)
IOM = printed_sentence(PEEL_2016, "The force should ensure that its integrated offender")
RSO_RISKS_2016 = printed_sentence(PEEL_2016, "The force should ensure that the risks posed by")
RSO_STAFF_2016 = printed_sentence(PEEL_2016, "The force should ensure that frontline staff")
RSO_CAUSE_2018 = printed_sentence(PEEL_2018_19, "The Metropolitan Police Service is failing")
RSO_RECOMMENDATION_2018 = printed_sentence(
    PEEL_2018_19, "The force should ensure that frontline staff"
)
# A 2015 area for improvement that nothing in 2016 repeats (2015 report, same list as IOM).
SCENES_2015 = printed_sentence(PEEL_2015, "The force should ensure that officers attending")
SECTION = "Progress since the last inspection"
NO_EARLIER = "so there is no progress since one to report"


@pytest.fixture(scope="module")
def met(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the five reference reports (copied by tests that change it)."""
    assert len(REPORTS) == 5, "the reference reports are expected in ../shared/reference-reports"
    path = tmp_path_factory.mktemp("progress") / "record.sqlite"
    with Workspace(f"sqlite:///{path}") as ws:
        ws.initialise()
        for report in REPORTS:
            ws.import_report(report)
    return path


@pytest.fixture
def ws(met: Path) -> Iterator[Workspace]:
    with Workspace(f"sqlite:///{met}") as opened:
        yield opened


def _inspection(ws: Workspace, framework: str) -> int:
    (found,) = [i for i in ws.inspections("metropolitan", framework)]
    return found.id


def _section(html: str) -> Node:
    root = parse_html(html)
    (section,) = [s for s in root.iter("section") if s.attrs.get("id") == "progress"]
    heading = next(section.iter("h2"))
    assert heading.text() == SECTION
    return section


def _rows(section: Node) -> dict[str, list[str]]:
    """Earlier finding text -> the row's cells (finding, kind, status now, in this report)."""
    (table,) = list(section.iter("table"))
    rows = [row_cells(r) for r in body_rows(table)]
    assert all(len(cells) == 4 for cells in rows)
    return {cells[0]: cells for cells in rows}


def test_the_2016_report_looks_back_at_2015(ws: Workspace) -> None:
    section = _section(render_html(ws.force_report("Met", "peel-2016")))
    intro = next(section.iter("p")).text()
    title_2015 = load_framework("peel-2015").title
    assert f"{title_2015} (2015), inspection {_inspection(ws, 'peel-2015')}" in intro
    rows = _rows(section)
    # The 2016 report repeats the 2015 area for improvement word for word: confirmed by
    # detection itself, so the 2015 one is superseded on the 2016 report's date (March 2017).
    kind, status, later = rows[IOM][1:]
    assert kind == "Area for improvement"
    assert status.startswith("superseded since 2017-03")
    assert later == f"repeated: area for improvement: {IOM}"
    # One nothing repeats: still open, nothing in this report.
    assert rows[SCENES_2015][2:] == ["open", "none"]


def test_the_2018_19_report_shows_possible_escalations_of_2016(ws: Workspace) -> None:
    section = _section(render_html(ws.force_report("Met", "peel-2018-19")))
    intro = next(section.iter("p")).text()
    title_2016 = load_framework("peel-2016").title
    assert f"{title_2016} (2016), inspection {_inspection(ws, 'peel-2016')}" in intro
    assert "published 2017-03" in intro
    rows = _rows(section)
    # Detection found the escalations but no one has confirmed them: still open, and shown as
    # possible matches.
    assert rows[RSO_RISKS_2016][1:3] == ["Area for improvement", "open since 2017-03-01"]
    assert rows[RSO_RISKS_2016][3] == (
        f"possible match, not yet confirmed (escalated): cause of concern: {RSO_CAUSE_2018}"
    )
    assert rows[RSO_STAFF_2016][3] == (
        f"possible match, not yet confirmed (escalated): recommendation: {RSO_RECOMMENDATION_2018}"
    )
    # The 2016 IOM repeat is not carried into 2018/19.
    assert rows[IOM][2:] == ["open since 2017-03-01", "none"]


def test_a_confirmed_escalation_supersedes_the_earlier_finding(met: Path, tmp_path: Path) -> None:
    copy = tmp_path / "confirmed.sqlite"
    shutil.copy(met, copy)
    with Workspace(f"sqlite:///{copy}") as ws:
        (link,) = [
            x
            for x in ws.followup_links(force="Met", status="candidate")
            if x.earlier.text == RSO_RISKS_2016
        ]
        ws.decide_link(link.id, "confirmed", note="the 2018/19 cause of concern escalates it")
        rows = _rows(_section(render_html(ws.force_report("Met", "peel-2018-19"))))
    status, later = rows[RSO_RISKS_2016][2:]
    assert status.startswith("superseded since 2019-09")  # the 2018/19 report: September 2019
    assert later == f"escalated: cause of concern: {RSO_CAUSE_2018}"
    # The other one stays a candidate.
    assert rows[RSO_STAFF_2016][3].startswith("possible match, not yet confirmed (escalated)")


def test_the_json_view_carries_the_section(ws: Workspace) -> None:
    progress = to_json(ws.force_report("Met", "peel-2016"))["progress"]
    assert progress["since_inspection"] == _inspection(ws, "peel-2015")
    assert (progress["since_framework"], progress["since_period"]) == ("peel-2015", "2015")
    (row,) = [r for r in progress["rows"] if r["earlier"]["text"] == IOM]
    assert row["status"] == "superseded"
    (later,) = row["later"]
    assert (later["relation"], later["link_status"]) == ("repeated", "confirmed")
    assert later["finding"]["inspection"] == _inspection(ws, "peel-2016")


def test_the_first_inspection_has_no_earlier_one(ws: Workspace) -> None:
    section = _section(render_html(ws.force_report("Met", "baseline-2005")))
    (sentence,) = [p.text() for p in section.iter("p")]
    assert sentence.startswith("The record holds no earlier inspection of Metropolitan Police")
    assert NO_EARLIER in sentence
    assert list(section.iter("table")) == []


def test_an_earlier_inspection_without_followed_findings_does_not_count(tmp_path: Path) -> None:
    """Kent's first inspection has a strength only: nothing to follow, so the second one's report
    has no progress to show."""
    with Workspace(f"sqlite:///{tmp_path / 'kent.sqlite'}") as ws:
        ws.initialise()
        first = ws.add_inspection(force="Kent", framework="peel-2017", status="published")
        ws.add_finding(first.id, kind="strength", text="Kent answers emergency calls quickly.")
        second = ws.add_inspection(force="Kent", framework="peel-2018-19", status="published")
        ws.add_finding(second.id, kind="area_for_improvement", text="Kent should do better.")
        html = render_html(ws.force_report("Kent", "peel-2018-19"))
    (sentence,) = [p.text() for p in _section(html).iter("p")]
    assert "no earlier inspection of Kent Police" in sentence and NO_EARLIER in sentence


def test_every_layout_has_the_section(ws: Workspace) -> None:
    for framework in ("peel-2018-19", "peel-2016", "peel-2015", "baseline-2005"):
        report = ws.force_report("Met", framework)
        _section(render_html(report))
