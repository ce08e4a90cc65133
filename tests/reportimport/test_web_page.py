"""The HMICFRS per-force PEEL web page reader.

The one real page (Kent, PEEL 2017 effectiveness) is read from the shared examples folder. The
other pages below are small synthetic ones, each named after the quirk it reproduces; their
sentences are made up for the test, in the pages' layout.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from peelkit.reportimport.model import ParsedDocument, ParsedJudgment
from peelkit.reportimport.readers import web_page
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REPORTS = SHARED / "reference-reports"
KENT = SHARED / "examples" / "hmicfrs-web-pages" / "kent_peel-2017_effectiveness.txt"


@cache
def kent_text() -> SourceText:
    return SourceText.from_string(KENT.read_text(encoding="utf-8"), filename=KENT.name)


@cache
def kent() -> ParsedDocument:
    return web_page.read(kent_text(), "peel-2017", "kent")


def page(content: str) -> SourceText:
    return SourceText.from_string(content, filename="page.txt")


def judgment(doc: ParsedDocument, area: str) -> ParsedJudgment:
    found = [j for j in doc.judgments if j.area == area]
    assert len(found) == 1, area
    return found[0]


def line_after(text: SourceText, wording: str) -> int:
    """The number of the first non-blank line after the line that is exactly ``wording``."""
    start = text.lines.index(wording) + 2
    return next(n for n in range(start, len(text.lines) + 1) if text.line(n).strip())


# -- the Kent page ----------------------------------------------------------------------------


def test_detects_the_kent_page() -> None:
    assert web_page.detect(kent_text()) == "peel-2017"


@pytest.mark.parametrize("path", sorted(REPORTS.glob("0*.txt")), ids=lambda p: p.name)
def test_does_not_detect_the_reference_reports(path: Path) -> None:
    text = SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)
    assert web_page.detect(text) is None


def test_kent_pillar_grade_and_date() -> None:
    pillar = judgment(kent(), "effectiveness")
    assert (pillar.level, pillar.grade, pillar.grade_as_printed) == ("pillar", "good", "Good")
    assert pillar.span is not None
    assert kent_text().line(pillar.span.line_start) == "Good"
    assert kent().published == dt.date(2018, 3, 22)
    title = kent().title
    assert title is not None and title.startswith("Kent PEEL 2017")


def test_kent_question_grades() -> None:
    investigating = judgment(kent(), "investigating-crime")
    protecting = judgment(kent(), "protecting-vulnerable-people")
    for question in (investigating, protecting):
        assert (question.level, question.grade, question.carried_over) == (
            "question",
            "good",
            False,
        )
        assert question.span is not None
        assert kent_text().line(question.span.line_start).startswith("Kent Police is good at")


def test_kent_preventing_crime_is_carried_over() -> None:
    preventing = judgment(kent(), "preventing-crime")
    assert preventing.carried_over
    assert preventing.grade is None
    assert preventing.year_last_inspected == "2016"  # "last year's inspection", on a 2017 page
    assert any("Preventing crime" in item for item in kent().not_found)


def test_kent_area_for_improvement() -> None:
    text = kent_text()
    expected_line = line_after(text, "Areas for improvement")
    afis = [f for f in kent().findings if f.kind == "area_for_improvement"]
    assert len(afis) == len(text.find_all(r"^Areas for improvement$")) == 1
    afi = afis[0]
    assert afi.area == "investigating-crime"
    assert afi.span is not None and afi.span.line_start == expected_line
    assert afi.text == text.line(expected_line).removeprefix("- ")


def test_kent_summary_bullets_are_not_findings() -> None:
    assert len(kent().findings) == 1


def test_kent_reports_what_the_missing_stretches_hid() -> None:
    missing = " | ".join(kent().not_found)
    assert "serious and organised crime" in missing.lower()
    assert "specialist capabilities" in missing.lower()
    assert "Protecting vulnerable people" in missing


def test_truncated_kent_page_lists_what_is_missing() -> None:
    lines = kent_text().lines
    cut = page("\n".join(lines[: int(len(lines) * 0.4)]))
    doc = web_page.read(cut, "peel-2017", "kent")
    assert doc.not_found
    assert judgment(doc, "effectiveness").grade == "good"


# -- detection of headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "framework"),
    [
        ("Kent PEEL 2015", "peel-2015"),
        ("Kent PEEL 2016", "peel-2016"),
        ("Avon and Somerset Constabulary PEEL 2017", "peel-2017"),
        ("Metropolitan Police Service PEEL 2018/19", "peel-2018-19"),
        ("Dyfed-Powys Police PEEL 2018", "peel-2018-19"),
        ("Atlantis Police PEEL 2017", None),  # no such force
        ("Kent PEEL 2021", None),  # not a year of these pages
        ("PEEL 2017", None),
        ("Kent Police annual report 2017", None),
    ],
)
def test_detect_reads_the_first_line(first_line: str, framework: str | None) -> None:
    assert web_page.detect(page(f"\n{first_line}\n\nEffectiveness\n")) == framework


# -- synthetic pages --------------------------------------------------------------------------

PAGE_2018_19 = """Surrey PEEL 2018/19

Efficiency

How efficiently does the force operate and how sustainable are its services?

Last updated 27/09/2019
Requires improvement

Made-up summary paragraph one.

How well does the force use its resources to meet the demand it faces?
Surrey Police requires improvement in the way it meets demand. More made-up words.
A made-up summary line.
Areas for improvement
• The force should do the first made-up thing.
• The force should do the second made-up thing, which runs on
over a wrapped line.
A made-up paragraph after the list.
How well does the force plan for the future?
Surrey Police is outstanding at planning for the future.
"""


def test_a_2018_19_page() -> None:
    text = page(PAGE_2018_19)
    assert web_page.detect(text) == "peel-2018-19"
    doc = web_page.read(text, "peel-2018-19", "surrey")
    assert judgment(doc, "efficiency").grade == "requires_improvement"
    meeting = judgment(doc, "meeting-current-demands")
    assert (meeting.level, meeting.grade) == ("component", "requires_improvement")
    assert judgment(doc, "planning-for-the-future").grade == "outstanding"
    assert doc.published == dt.date(2019, 9, 27)
    afis = [f.text for f in doc.findings]
    assert afis == [
        "The force should do the first made-up thing.",
        "The force should do the second made-up thing, which runs on over a wrapped line.",
    ]
    assert {f.area for f in doc.findings} == {"meeting-current-demands"}
    assert doc.not_found == []


PAGE_GRADE_LINE_MISSING = """Kent PEEL 2016

Legitimacy

How legitimate is the force at keeping people safe and reducing crime?

Last updated 08/12/2016

Made-up summary, where the pillar grade line should have been.

To what extent does the force treat its workforce with fairness and respect?
Kent Police is good at treating its workforce with fairness and respect.
"""


def test_a_page_whose_pillar_grade_line_is_missing() -> None:
    doc = web_page.read(page(PAGE_GRADE_LINE_MISSING), "peel-2016", "kent")
    assert not [j for j in doc.judgments if j.area == "legitimacy"]
    assert "Grade of Legitimacy" in doc.not_found
    assert judgment(doc, "fair-treatment-of-the-workforce").grade == "good"
    assert doc.published == dt.date(2016, 12, 8)


PAGE_ALL_GAPS = "[...]\n\n[...]\n[...]\n"


def test_a_page_that_is_all_gaps() -> None:
    text = page(PAGE_ALL_GAPS)
    assert web_page.detect(text) is None
    doc = web_page.read(text, "peel-2017", "kent")
    assert doc.judgments == [] and doc.findings == []
    assert doc.not_found


@pytest.mark.parametrize("content", ["", "\x00\x01 binary", "Kent PEEL 2017\n"])
def test_odd_input_gives_a_partial_document(content: str) -> None:
    doc = web_page.read(page(content), "peel-2017", "kent")
    assert doc.not_found


PAGE_GRADE_IN_GAP = """Kent PEEL 2017

Effectiveness

How effective is the force at keeping people safe and reducing crime?

Last updated 22/03/2018
Good

How effective is the force at tackling serious and organised crime?
[...]
Areas for improvement
- The force should do a made-up thing.
"""


def test_a_question_whose_grade_is_in_a_missing_stretch() -> None:
    doc = web_page.read(page(PAGE_GRADE_IN_GAP), "peel-2017", "kent")
    assert not [j for j in doc.judgments if j.area == "serious-and-organised-crime"]
    assert any(
        "Tackling serious and organised crime" in item and "missing" in item
        for item in doc.not_found
    )
    # the findings after the gap are still read
    assert [f.area for f in doc.findings] == ["serious-and-organised-crime"]


PAGE_UNKNOWN_QUESTION = """Kent PEEL 2017

Effectiveness

How effective is the force at keeping people safe and reducing crime?

Last updated 22/03/2018
Good

How effective is the force at something no framework asks?
Kent Police is good at it.
"""


def test_a_question_wording_that_does_not_resolve() -> None:
    doc = web_page.read(page(PAGE_UNKNOWN_QUESTION), "peel-2017", "kent")
    assert [j.area for j in doc.judgments] == ["effectiveness"]
    assert [w.code for w in doc.warnings] == ["unknown_area"]
    assert doc.warnings[0].span is not None and doc.warnings[0].span.line_start == 10


PAGE_CARRIED_OVER_WITH_GRADE = """Kent PEEL 2018/19

Effectiveness

How effectively does the force reduce crime and keep people safe?

Last updated 02/05/2019
Good

How effective is the force at tackling serious and organised crime?
This question was not inspected in 2018/19. The grade of outstanding from last year still stands.
"""


def test_a_carried_over_question_that_prints_its_grade() -> None:
    doc = web_page.read(page(PAGE_CARRIED_OVER_WITH_GRADE), "peel-2018-19", "kent")
    serious = judgment(doc, "serious-and-organised-crime")
    assert (serious.carried_over, serious.grade, serious.year_last_inspected) == (
        True,
        "outstanding",
        "2017",
    )


PAGE_CAUSE_OF_CONCERN = """Kent PEEL 2016

Effectiveness

How effective is the force at keeping people safe and reducing crime?

Last updated 02/03/2017
Requires improvement

How effective is the force at protecting those who are vulnerable from harm, and supporting victims?
Kent Police is inadequate at protecting those who are vulnerable from harm.
Cause of concern
A made-up cause of concern.
Recommendations
- A made-up first recommendation.
- A made-up second recommendation.
Areas for improvement
- A made-up area for improvement.
"""


def test_a_page_with_a_cause_of_concern_and_recommendations() -> None:
    doc = web_page.read(page(PAGE_CAUSE_OF_CONCERN), "peel-2016", "kent")
    assert judgment(doc, "protecting-vulnerable-people").grade == "inadequate"
    kinds = [f.kind for f in doc.findings]
    assert kinds == [
        "cause_of_concern",
        "recommendation",
        "recommendation",
        "area_for_improvement",
    ]
    assert [f.cause_of_concern for f in doc.findings] == [None, 0, 0, None]


PAGE_FINDING_CUT_SHORT = """Kent PEEL 2017

Effectiveness

How effective is the force at keeping people safe and reducing crime?

Last updated 22/03/2018
Good

How effective is the force at investigating crime and reducing re-offending?
Kent Police is good at investigating crime.
Areas for improvement
- The force should do a made-up thing that is cut
[...]
"""


def test_a_finding_cut_short_by_a_missing_stretch() -> None:
    doc = web_page.read(page(PAGE_FINDING_CUT_SHORT), "peel-2017", "kent")
    assert [w.code for w in doc.warnings] == ["text_cut"]
    assert any(item.startswith("Rest of Investigating crime") for item in doc.not_found)
    assert len(doc.findings) == 1
