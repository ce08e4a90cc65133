"""The PEEL effectiveness reader on the 2015 and 2016 reference reports.

Expected grades and counts are those of the domain notes on these two reports (built by hand
from the reports); other expectations are read from the report text here by simple means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers import peel_effectiveness
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REPORTS = SHARED / "reference-reports"
REPORT_2015 = "002_b3b722981796a923.txt"
REPORT_2016 = "000_033c6fd077a275c5.txt"
OTHERS = ("001_2e8c9026aad1a9d7.txt", "003_02b487485919232c.txt", "004_8971e4e9a7c1f0c8.txt")
FORCE = "metropolitan"

RI = "requires_improvement"
# E0 (the effectiveness pillar's overall question) to E4/E5, domain notes §9.1 and §9.2.
GRADES_2015 = {
    "effectiveness": RI,
    "preventing-crime": "good",
    "investigating-crime": RI,
    "protecting-vulnerable-people": RI,
    "serious-and-organised-crime": "good",
}
GRADES_2016 = {
    "effectiveness": RI,
    "preventing-crime": "good",
    "investigating-crime": RI,
    "protecting-vulnerable-people": "inadequate",
    "serious-and-organised-crime": RI,
    "specialist-capabilities": "ungraded",
}
# The previous grades the 2016 report states (notes §2): not for E1, which it does not restate.
PREVIOUS_2016 = {
    "effectiveness": RI,
    "preventing-crime": None,
    "investigating-crime": RI,
    "protecting-vulnerable-people": RI,
    "serious-and-organised-crime": "good",
    "specialist-capabilities": None,
}
# Force in numbers (notes §9.6): (measure starts with, period, MPS as printed, E&W as printed).
FIGURES_2016 = [
    ("Calls for assistance", "12 months to 30 June 2016", "138", "240"),
    ("Crimes recorded", "12 months to 30 June 2016", "86", "68"),
    (
        "Change in recorded crime",
        "12 months to 30 June 2015 against 12 months to 30 June 2016",
        "+3.3%",
        "+7.8%",
    ),
    ("Change in recorded crime", "5 years to the 12 months to 30 June 2016", "-9.6%", "-3.4%"),
    ("Charged/summonsed", "12 months to 30 June 2016", "10.6%", "12.1%"),
    ("Evidential difficulties", "12 months to 30 June 2016", "8.8%", "10.6%"),
    ("Investigation completed", "12 months to 30 June 2016", "50.8%", "47.4%"),
    ("Anti-social behaviour", "12 months to 31 March 2016", "28", "31"),
    ("Anti-social behaviour", "12 months to 31 March 2015", "31", "34"),
    ("Domestic abuse calls", "12 months to 30 June 2016", "8", "16"),
    ("Domestic abuse as a percentage", "12 months to 30 June 2016", "10.3%", "11.1%"),
    ("Domestic abuse as a percentage", "12 months to 31 March 2015", "9.4%", "10.0%"),
    ("Organised crime groups", "as at 1 July 2016", "84", "46"),
    ("Victim satisfaction", "12 months to 30 June 2016", "79.5%", "83.3%"),
]


def source(name: str) -> SourceText:
    path = REPORTS / name
    return SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)


@pytest.fixture(scope="module")
def text_2015() -> SourceText:
    return source(REPORT_2015)


@pytest.fixture(scope="module")
def text_2016() -> SourceText:
    return source(REPORT_2016)


@pytest.fixture(scope="module")
def doc_2015(text_2015: SourceText) -> ParsedDocument:
    return peel_effectiveness.read(text_2015, "peel-2015", FORCE)


@pytest.fixture(scope="module")
def doc_2016(text_2016: SourceText) -> ParsedDocument:
    return peel_effectiveness.read(text_2016, "peel-2016", FORCE)


def by_kind(doc: ParsedDocument, kind: str) -> Counter[str | None]:
    return Counter(f.area for f in doc.findings if f.kind == kind)


# --- detection ---


def test_detects_each_year(text_2015: SourceText, text_2016: SourceText) -> None:
    assert peel_effectiveness.detect(text_2015) == "peel-2015"
    assert peel_effectiveness.detect(text_2016) == "peel-2016"


@pytest.mark.parametrize("name", OTHERS)
def test_does_not_detect_the_other_reports(name: str) -> None:
    assert peel_effectiveness.detect(source(name)) is None


def test_does_not_detect_a_web_page() -> None:
    pages = sorted((SHARED / "examples" / "hmicfrs-web-pages").glob("*.txt"))
    assert pages, "the web page examples are missing"
    for page in pages:
        text = SourceText.from_string(page.read_text(encoding="utf-8"), filename=page.name)
        assert peel_effectiveness.detect(text) is None, page.name


def test_a_2016_report_with_a_2015_title_page_is_not_taken_for_2016(
    text_2016: SourceText,
) -> None:
    # The year comes from the title page before any other clue.
    lines = [line.replace("effectiveness 2016", "effectiveness 2015") for line in text_2016.lines]
    assert peel_effectiveness.detect(SourceText.from_string("\n".join(lines))) == "peel-2015"


# --- 2015 ---


def test_2015_grades(doc_2015: ParsedDocument) -> None:
    assert {j.area: j.grade for j in doc_2015.judgments} == GRADES_2015
    assert len(doc_2015.judgments) == len(GRADES_2015)
    levels = {j.area: j.level for j in doc_2015.judgments}
    assert levels.pop("effectiveness") == "pillar"
    assert set(levels.values()) == {"question"}
    assert all(j.previous_grade is None for j in doc_2015.judgments)  # the first graded year


def test_2015_grade_spans_point_at_the_printed_grade(
    doc_2015: ParsedDocument, text_2015: SourceText
) -> None:
    for judgment in doc_2015.judgments:
        assert judgment.span is not None and judgment.grade_as_printed
        printed = text_2015.line(judgment.span.line_end).strip()
        assert printed == judgment.grade_as_printed


def test_2015_areas_for_improvement(doc_2015: ParsedDocument, text_2015: SourceText) -> None:
    assert by_kind(doc_2015, "area_for_improvement") == {
        "investigating-crime": 4,
        "serious-and-organised-crime": 4,
    }
    assert {f.kind for f in doc_2015.findings} == {"area_for_improvement"}
    # Independently: one finding per "•" line between each "Areas for improvement" heading and
    # the next page-opening heading.
    bullets = 0
    for heading in text_2015.find_all(r"^Areas for improvement\s*$"):
        end = text_2015.find(r"^ (How effective|Annex)", heading) or len(text_2015.lines) + 1
        bullets += sum(1 for n in range(heading, end) if text_2015.line(n).startswith("•"))
    assert bullets == len(doc_2015.findings)


def test_2015_bullet_broken_by_a_blank_line_is_whole(
    doc_2015: ParsedDocument, text_2015: SourceText
) -> None:
    # The extraction leaves a blank line inside some bullets: the finding runs on past it.
    for finding in doc_2015.findings:
        assert finding.span is not None
        first, last = finding.span.line_start, finding.span.line_end
        assert text_2015.line(first).startswith("•")
        printed = [text_2015.line(n).strip() for n in range(first, last + 1)]
        assert finding.text.endswith(printed[-1])
        assert finding.text.endswith(".")
    assert any(
        not text_2015.line(f.span.line_start + 1).strip() for f in doc_2015.findings if f.span
    )


def test_2015_has_no_force_in_numbers_title_or_date(doc_2015: ParsedDocument) -> None:
    assert doc_2015.figures == []
    assert "Force in numbers" in doc_2015.not_found
    assert doc_2015.published is None  # the extraction does not print it
    assert doc_2015.title is None


# --- 2016 ---


def test_2016_grades(doc_2016: ParsedDocument) -> None:
    assert {j.area: j.grade for j in doc_2016.judgments} == GRADES_2016
    assert len(doc_2016.judgments) == len(GRADES_2016)
    assert {j.area: j.level for j in doc_2016.judgments}["effectiveness"] == "pillar"


def test_2016_overall_grade_read_from_the_sentence_with_a_warning(
    doc_2016: ParsedDocument, text_2016: SourceText
) -> None:
    box = text_2016.find(r"^Overall judgment")
    assert box is not None
    warnings = [w for w in doc_2016.warnings if w.code == "grade_box_blank"]
    assert len(warnings) == 1
    assert warnings[0].span is not None and warnings[0].span.line_start == box
    overall = next(j for j in doc_2016.judgments if j.area == "effectiveness")
    assert overall.span is not None and overall.span.line_start == box
    sentence_line = text_2016.line(overall.span.line_end)
    assert overall.grade_as_printed and overall.grade_as_printed in sentence_line


def test_2016_previous_grades(doc_2016: ParsedDocument) -> None:
    assert {j.area: j.previous_grade for j in doc_2016.judgments} == PREVIOUS_2016


def test_2016_findings(doc_2016: ParsedDocument) -> None:
    assert by_kind(doc_2016, "area_for_improvement") == {
        "preventing-crime": 3,
        "investigating-crime": 3,
        "serious-and-organised-crime": 5,
    }
    assert by_kind(doc_2016, "cause_of_concern") == {"protecting-vulnerable-people": 1}
    assert by_kind(doc_2016, "recommendation") == {"protecting-vulnerable-people": 8}
    assert len(doc_2016.findings) == 11 + 1 + 8


def test_2016_recommendations_share_their_lead_in_and_concern(
    doc_2016: ParsedDocument, text_2016: SourceText
) -> None:
    concern = next(i for i, f in enumerate(doc_2016.findings) if f.kind == "cause_of_concern")
    recommendations = [f for f in doc_2016.findings if f.kind == "recommendation"]
    heading = text_2016.find(r"^Recommendations\s*$")
    assert heading is not None
    lead_line = next(n for n in range(heading + 1, heading + 5) if text_2016.line(n).strip())
    for recommendation in recommendations:
        assert recommendation.cause_of_concern == concern
        assert recommendation.lead_in == text_2016.line(lead_line).strip()
        assert recommendation.span is not None
        assert text_2016.line(recommendation.span.line_start).startswith("- ")
        assert not recommendation.text.endswith((";", "; and"))


def test_2016_areas_for_improvement_start_with_the_force_should(doc_2016: ParsedDocument) -> None:
    for finding in doc_2016.findings:
        if finding.kind == "area_for_improvement":
            assert finding.text.startswith("The force should")


def test_2016_narrative_bullets_are_not_findings(
    doc_2016: ParsedDocument, text_2016: SourceText
) -> None:
    # The 2016 vulnerability section lists last year's areas for improvement and the child
    # protection weaknesses as bullets in its narrative, before its summary of findings.
    start = text_2016.find(r"^Has the force improved since")
    end = text_2016.find(r"^Summary of findings", start or 1)
    assert start is not None and end is not None
    narrative_bullets = [n for n in range(start, end) if text_2016.line(n).startswith("- ")]
    assert narrative_bullets
    for finding in doc_2016.findings:
        assert finding.span is not None
        assert not start <= finding.span.line_start < end


def test_iom_area_for_improvement_is_the_same_text_in_both_years(
    doc_2015: ParsedDocument, doc_2016: ParsedDocument
) -> None:
    # Notes §9.4: one area for improvement is repeated verbatim; 2015 prints it across lines.
    def iom(doc: ParsedDocument) -> str:
        return next(f.text for f in doc.findings if "integrated offender management" in f.text)

    assert iom(doc_2015) == iom(doc_2016)


def test_finding_texts_are_clean(doc_2015: ParsedDocument, doc_2016: ParsedDocument) -> None:
    for finding in [*doc_2015.findings, *doc_2016.findings]:
        text = finding.text
        assert text == text.strip() and "  " not in text and "\n" not in text
        assert not re.search(r"[a-z][,.;:]?\d", text), text  # no footnote marker
        assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", text), text
        assert not re.search(r"\w- \w", text), text  # no hyphenation break left
        assert "http" not in text and "•" not in text


def test_2016_force_in_numbers(doc_2016: ParsedDocument) -> None:
    figures = doc_2016.figures
    assert len(figures) == len(FIGURES_2016) == 14
    for figure, (measure, period, force, comparator) in zip(figures, FIGURES_2016, strict=True):
        assert figure.measure.startswith(measure)
        assert figure.period == period
        assert figure.force_value_as_printed == force
        assert figure.comparator_value_as_printed == comparator
        assert figure.force_value == float(force.rstrip("%"))
        assert figure.comparator_value == float(comparator.rstrip("%"))
        assert figure.comparator == "england_and_wales"
        assert figure.comparator_label == "England and Wales"
        assert figure.table == "Force in numbers"
        assert (figure.unit == "percent") == force.endswith("%")


def test_2016_force_in_numbers_spans_cover_the_values(
    doc_2016: ParsedDocument, text_2016: SourceText
) -> None:
    for figure in doc_2016.figures:
        assert figure.span is not None
        lines = [
            text_2016.line(n).strip()
            for n in range(figure.span.line_start, figure.span.line_end + 1)
        ]
        assert figure.force_value_as_printed in lines
        assert figure.comparator_value_as_printed in lines
        assert lines[0].startswith(figure.measure)


def test_2016_title_and_date(doc_2016: ParsedDocument) -> None:
    assert doc_2016.title is not None
    assert doc_2016.title.startswith("PEEL: Police effectiveness 2016")
    assert doc_2016.published == dt.date(2017, 3, 1)  # "March 2017" on the title page
    assert doc_2016.force == FORCE and doc_2016.framework == "peel-2016"
    assert doc_2016.not_found == []


def test_source_info(doc_2016: ParsedDocument, text_2016: SourceText) -> None:
    assert doc_2016.source.sha256 == text_2016.sha256
    assert doc_2016.source.line_count == len(text_2016.lines)
    assert doc_2016.source.filename == REPORT_2016


# --- bad input ---


@pytest.mark.parametrize(
    ("name", "framework"), [(REPORT_2015, "peel-2015"), (REPORT_2016, "peel-2016")]
)
def test_truncated_report_lists_what_is_missing(name: str, framework: str) -> None:
    text = source(name)
    truncated = SourceText.from_string("\n".join(text.lines[: len(text.lines) * 4 // 10]))
    doc = peel_effectiveness.read(truncated, framework, FORCE)
    assert doc.not_found
    assert any("Summary of findings" in item for item in doc.not_found)
    assert len(doc.findings) < len(peel_effectiveness.read(text, framework, FORCE).findings)


@pytest.mark.parametrize(
    "content",
    ["", "\x00\x01garbage\n\n", "Summary of findings\n\nAreas for improvement\n- \n"],
)
def test_odd_input_does_not_crash(content: str) -> None:
    doc = peel_effectiveness.read(SourceText.from_string(content), "peel-2016", FORCE)
    assert doc.not_found
    assert peel_effectiveness.detect(SourceText.from_string(content)) is None


def test_another_report_read_as_2016_does_not_crash() -> None:
    doc = peel_effectiveness.read(source(OTHERS[0]), "peel-2016", FORCE)
    assert doc.not_found


# --- clean-ups, on made-up text in each extraction's layout ---

SEPARATOR = " " * 44
MADE_UP_2015 = f"""Overview – How effective is the force at keeping
people safe and reducing crime?

Overall judgment1

Good

How effective is the force at investigating crime and
managing offenders?

Summary of findings

Good

Made-up summary.

Areas for improvement
• The force should keep victims,2 whoever they are, safe at a cost of £1.58

{SEPARATOR}
2 A made-up note.
http://www.example.org/
 billion each year.3

• The force should adopt a '4 Ps' plan for inves-
tigation in 2015.4
 Annex A – HMIC judgments
"""

MADE_UP_2016 = """How effective is the force at investigating crime and reducing re-offending?

Summary of findings

Good

Areas for improvement

- The force should work with *named* partners³ so that

³ A made-up note.

victims are kept safe.
- The force should review its plans.

How effective is the force at protecting those who are vulnerable from harm, and supporting victims?
"""


def test_bullets_are_rejoined_across_notes_and_pages_without_markers() -> None:
    doc = peel_effectiveness.read(SourceText.from_string(MADE_UP_2015), "peel-2015", FORCE)
    assert [f.text for f in doc.findings] == [
        "The force should keep victims, whoever they are, safe at a cost of £1.58 billion each "
        "year.",
        "The force should adopt a '4 Ps' plan for investigation in 2015.",
    ]
    assert [(f.span.line_start, f.span.line_end) for f in doc.findings if f.span] == [
        (18, 23),
        (25, 26),
    ]
    assert {j.area: j.grade for j in doc.judgments} == {
        "effectiveness": "good",
        "investigating-crime": "good",
    }


def test_superscript_notes_do_not_split_a_2016_bullet() -> None:
    doc = peel_effectiveness.read(SourceText.from_string(MADE_UP_2016), "peel-2016", FORCE)
    assert [f.text for f in doc.findings] == [
        "The force should work with named partners so that victims are kept safe.",
        "The force should review its plans.",
    ]
    assert "Overall judgment" in doc.not_found
