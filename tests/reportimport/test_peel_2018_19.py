"""The integrated PEEL assessment 2018/19 reader, against the reference report.

Expected values come from reading the report (see the domain notes on it, §2 to §6 and §13), or
are counted here by simple independent means over the report's lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from peelkit.reportimport.model import ParsedDocument, ParsedFigure
from peelkit.reportimport.readers import peel_2018_19
from peelkit.reportimport.text import SourceText

REPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "reference-reports"
REPORT = "001_2e8c9026aad1a9d7.txt"
OTHER_REPORTS = (
    "000_033c6fd077a275c5.txt",
    "002_b3b722981796a923.txt",
    "003_02b487485919232c.txt",
    "004_8971e4e9a7c1f0c8.txt",
)
EXAMPLE_PAGE = (
    REPORTS.parent / "examples" / "hmicfrs-web-pages" / "kent_peel-2017_effectiveness.txt"
)


def source(path: Path) -> SourceText:
    return SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)


@cache
def report_text() -> SourceText:
    return source(REPORTS / REPORT)


@cache
def parsed() -> ParsedDocument:
    return peel_2018_19.read(report_text(), "peel-2018-19", "metropolitan")


def grades_by_area(level: str) -> dict[str, str | None]:
    return {j.area: j.grade for j in parsed().judgments if j.level == level}


# -- detection --------------------------------------------------------------------------------


def test_detects_the_integrated_assessment_report() -> None:
    assert peel_2018_19.detect(report_text()) == "peel-2018-19"


@pytest.mark.parametrize("name", OTHER_REPORTS)
def test_does_not_detect_the_other_reference_reports(name: str) -> None:
    assert peel_2018_19.detect(source(REPORTS / name)) is None


def test_does_not_detect_a_web_page() -> None:
    assert peel_2018_19.detect(source(EXAMPLE_PAGE)) is None


def test_reader_declares_its_framework() -> None:
    assert peel_2018_19.READER.frameworks == ("peel-2018-19",)
    assert peel_2018_19.READER.read is peel_2018_19.read


# -- judgments --------------------------------------------------------------------------------


def test_pillar_grades() -> None:
    assert grades_by_area("pillar") == {
        "effectiveness": "requires_improvement",
        "efficiency": "good",
        "legitimacy": "good",
    }


def test_legitimacy_grade_comes_from_its_heading_with_a_warning() -> None:
    legitimacy = next(j for j in parsed().judgments if j.area == "legitimacy")
    assert legitimacy.span is not None
    printed = report_text().line(legitimacy.span.line_start)
    # the Overall summary table lost this grade: the line is the pillar's own grade heading
    assert printed.lstrip("#* ").rstrip("* ") == "Good"
    warned = [w for w in parsed().warnings if w.row == "Legitimacy"]
    assert len(warned) == 1
    assert warned[0].table == "Overall summary"
    assert warned[0].span == legitimacy.span


def test_component_grades_and_year_last_inspected() -> None:
    assert grades_by_area("component") == {
        "preventing-crime": "good",
        "investigating-crime": "requires_improvement",
        "protecting-vulnerable-people": "requires_improvement",
        "serious-and-organised-crime": "outstanding",
        "armed-policing": "ungraded",
        "meeting-current-demands": "good",
        "planning-for-the-future": "good",
        "treating-the-public-fairly": "good",
        "ethical-and-lawful-workforce-behaviour": "requires_improvement",
        "treating-the-workforce-fairly": "good",
    }
    components = [j for j in parsed().judgments if j.level == "component"]
    assert {j.year_last_inspected for j in components} == {"2018/19"}
    assert not any(j.carried_over for j in components)


def test_armed_response_capability_is_printed_ungraded() -> None:
    armed = next(j for j in parsed().judgments if j.area == "armed-policing")
    assert armed.grade_as_printed == "Ungraded"


def test_every_judgment_points_at_the_line_printing_its_grade() -> None:
    for judgment in parsed().judgments:
        assert judgment.span is not None and judgment.grade_as_printed
        line = report_text().line(judgment.span.line_start)
        assert judgment.grade_as_printed in line, judgment.area


# -- findings ---------------------------------------------------------------------------------

EXPECTED_FINDINGS = {  # domain notes §4: component -> (causes, recommendations, AFIs)
    "investigating-crime": (0, 0, 4),
    "protecting-vulnerable-people": (1, 2, 3),
    "meeting-current-demands": (0, 0, 1),
    "treating-the-public-fairly": (0, 0, 3),
    "ethical-and-lawful-workforce-behaviour": (1, 3, 4),
    "treating-the-workforce-fairly": (0, 0, 4),
}


def test_findings_per_component() -> None:
    counts = Counter((f.area, f.kind) for f in parsed().findings)
    found = {
        area: (
            counts[area, "cause_of_concern"],
            counts[area, "recommendation"],
            counts[area, "area_for_improvement"],
        )
        for area in {f.area for f in parsed().findings}
    }
    assert found == EXPECTED_FINDINGS


def test_totals() -> None:
    kinds = Counter(f.kind for f in parsed().findings)
    assert kinds == {"cause_of_concern": 2, "recommendation": 5, "area_for_improvement": 19}


def test_listed_findings_match_the_bullets_under_their_headings() -> None:
    """Count top-level bullets under each findings heading independently of the reader."""
    lines = report_text().lines
    expected = 0
    for number, line in enumerate(lines):
        if re.fullmatch(r"#+ \**(Recommendations|Areas for improvement)\**", line.strip()):
            rest = lines[number + 1 :]
            block = rest[
                : next(
                    i for i, x in enumerate(rest) if x.startswith("#") or x.startswith("We set out")
                )
            ]
            expected += sum(1 for x in block if x.startswith("- "))
    listed = [f for f in parsed().findings if f.kind != "cause_of_concern"]
    assert len(listed) == expected == 24


def test_recommendations_are_linked_to_their_cause_of_concern() -> None:
    findings = parsed().findings
    recommendations = [f for f in findings if f.kind == "recommendation"]
    for rec in recommendations:
        assert rec.cause_of_concern is not None
        concern = findings[rec.cause_of_concern]
        assert concern.kind == "cause_of_concern"
        assert concern.area == rec.area
    per_concern = Counter(findings[r.cause_of_concern or 0].area for r in recommendations)
    assert per_concern == {
        "protecting-vulnerable-people": 2,
        "ethical-and-lawful-workforce-behaviour": 3,
    }


def test_recommendation_deadlines() -> None:
    for rec in (f for f in parsed().findings if f.kind == "recommendation"):
        if rec.text.startswith("Within 12 months"):
            assert rec.deadline == "within 12 months"
        elif rec.text.startswith("The force takes immediate steps"):
            assert rec.deadline == "immediately"
        else:
            assert rec.deadline is None
    deadlines = {f.deadline for f in parsed().findings if f.kind == "recommendation"}
    assert deadlines == {"within 12 months", "immediately", None}


def test_other_findings_have_no_deadline_or_concern() -> None:
    for finding in parsed().findings:
        if finding.kind != "recommendation":
            assert finding.deadline is None and finding.cause_of_concern is None


def test_the_ethical_afi_with_three_sub_items() -> None:
    with_subs = [f for f in parsed().findings if f.sub_items]
    assert len(with_subs) == 1
    afi = with_subs[0]
    assert afi.kind == "area_for_improvement"
    assert afi.area == "ethical-and-lawful-workforce-behaviour"
    indented = [x for x in report_text().lines if re.match(r"^\s+- ", x)]
    assert len(afi.sub_items) == len(indented) == 3
    assert afi.text == afi.lead_in
    assert afi.text.endswith(":")
    assert afi.span is not None and afi.span.line_end - afi.span.line_start == 3


def test_findings_are_whole_and_clean() -> None:
    for finding in parsed().findings:
        for text in (finding.text, *finding.sub_items):
            assert text == text.strip() and text
            assert not re.search(r"</?b>|\*\*|\]\(#\)|^- ", text)
        assert finding.span is not None
        first_line = report_text().line(finding.span.line_start)
        assert finding.text[:40] in first_line


def test_narrative_recommendations_are_not_findings() -> None:
    assert not any(f.text.startswith("We recommend") for f in parsed().findings)
    assert not any(f.text.startswith("We set out") for f in parsed().findings)


# -- force in context -------------------------------------------------------------------------


def figure(measure_start: str, area: str | None = None) -> ParsedFigure:
    matches = [
        f for f in parsed().figures if f.measure.startswith(measure_start) and f.area == area
    ]
    assert len(matches) == 1, measure_start
    return matches[0]


def test_force_in_context_rows() -> None:
    per_area = Counter(f.area for f in parsed().figures)
    assert per_area == {None: 6, "effectiveness": 10, "efficiency": 6, "legitimacy": 4}


def test_every_figure_row_points_at_its_values() -> None:
    """Each printed value is in the tab-separated row its span points at."""
    for fig in parsed().figures:
        assert fig.span is not None
        cells = report_text().line(fig.span.line_start).split("\t")
        assert fig.force_value_as_printed in cells
        if fig.comparator_value_as_printed is not None:
            assert fig.comparator_value_as_printed in cells


def test_emergency_calls_against_england_and_wales() -> None:
    calls = figure("999 calls per 1,000 population")
    assert (calls.force_value_as_printed, calls.force_value) == ("255", 255.0)
    assert (calls.comparator_value_as_printed, calls.comparator_value) == ("175", 175.0)
    assert calls.comparator == "england_and_wales"
    assert calls.period == "12 months ending 31 March 2019"


def test_victim_based_crime_against_the_most_similar_forces() -> None:
    theft = figure("Theft Offences / Robbery", "effectiveness")
    assert theft.table == "Victim-based crime per 1,000 population"
    assert theft.comparator == "most_similar_group"
    assert (theft.force_value, theft.comparator_value) == (49.0, 47.0)
    assert theft.period == "12 months ending 30 September 2018"
    recorded = figure("Recorded crime per 1,000 population")
    assert (recorded.force_value, recorded.comparator_value) == (93.0, 100.0)


@pytest.mark.parametrize(
    ("measure", "now", "then", "change"),
    [
        ("Police Officer", "30,435", "30,932", "-2%"),
        ("Police Community Support Officer", "1,255", "2,087", "-40%"),
        ("Police Staff", "8,390", "11,303", "-26%"),
    ],
)
def test_workforce_against_2014(measure: str, now: str, then: str, change: str) -> None:
    row = next(f for f in parsed().figures if f.measure == measure)
    assert row.comparator == "earlier_date"
    assert row.comparator_label == "31 March 2014"
    assert row.force_value_as_printed == now
    assert row.force_value == float(now.replace(",", ""))
    assert row.comparator_value_as_printed == then
    assert row.comparator_value == float(then.replace(",", ""))
    assert row.change_as_printed == change
    assert row.change == float(change.rstrip("%"))


def test_spend_per_head_is_printed_twice() -> None:
    spends = [f for f in parsed().figures if f.measure == "Spend per head of population"]
    assert [f.area for f in spends] == [None, "efficiency"]
    for spend in spends:
        assert (spend.force_value_as_printed, spend.force_value) == ("£297", 297.0)
        assert (spend.comparator_value_as_printed, spend.comparator_value) == ("£192", 192.0)
        assert spend.unit == "pounds"
        assert spend.period == "2018/19 projection"


def test_ethnicity_against_the_local_population() -> None:
    bame = figure("Black, Asian and minority ethnic", "legitimacy")
    assert bame.comparator == "local_population"
    assert (bame.force_value_as_printed, bame.comparator_value_as_printed) == ("18.4%", "40.2%")
    assert bame.unit == "percent"
    not_stated = figure("Not Stated", "legitimacy")
    assert not_stated.force_value == 3.0
    assert not_stated.comparator_value is None
    assert not_stated.comparator_value_as_printed is None


def test_crime_outcome_label_kept_as_printed() -> None:
    suspect = figure("Proportion of crimes where suspect was identified", "effectiveness")
    assert suspect.table == "Crime Outcomes"
    assert (suspect.force_value, suspect.comparator_value) == (36.0, 46.0)


def test_chart_without_data_is_warned_about() -> None:
    codes = [w.table for w in parsed().warnings if w.code == "chart_without_data"]
    assert codes == ["Stop and search by ethnicity"]


# -- front and back matter --------------------------------------------------------------------


def test_document_facts() -> None:
    doc = parsed()
    assert doc.most_similar_group == ["west-midlands", "greater-manchester", "west-yorkshire"]
    assert doc.hm_inspector == "Matt Parr"
    # only "September 2019" is printed: the first of the month stands for it
    assert doc.published == dt.date(2019, 9, 1)
    assert doc.title is not None
    assert doc.title.startswith("PEEL") and "2018/19" in doc.title
    assert doc.framework == "peel-2018-19" and doc.force == "metropolitan"
    assert doc.source.sha256 == report_text().sha256
    assert doc.source.line_count == len(report_text().lines)


def test_a_complete_report_misses_nothing() -> None:
    assert parsed().not_found == []


# -- bad input --------------------------------------------------------------------------------


def test_truncated_report_lists_what_is_missing() -> None:
    lines = report_text().lines
    cut = SourceText.from_string("\n".join(lines[: int(len(lines) * 0.4)]), filename="cut.txt")
    doc = peel_2018_19.read(cut, "peel-2018-19", "metropolitan")
    assert doc.not_found
    assert any("Legitimacy" in item for item in doc.not_found)
    # what the first 40% holds is still read
    assert grades_by_area("pillar")["effectiveness"] in {j.grade for j in doc.judgments}
    assert len([f for f in doc.figures if f.area is None]) == 6


@pytest.mark.parametrize("content", ["", "\x00\x01\x02 not a report", "# PEEL\n\n[...]\n"])
def test_odd_input_gives_a_partial_document(content: str) -> None:
    doc = peel_2018_19.read(SourceText.from_string(content), "peel-2018-19", "metropolitan")
    assert doc.not_found
    assert doc.judgments == [] and doc.findings == [] and doc.figures == []
    assert peel_2018_19.detect(SourceText.from_string(content)) is None
