"""The families of HMICFRS per-force PEEL pages, 2015 to 2018/19, on small synthetic pages.

Each page is made up for the test (its sentences are invented, in the pages' layout) and named
after the quirk it reproduces: a "Skip to content" first line, a force overview, questions
carried over in 2018/19, a box and a sentence that disagree, the 2015 wordings, a numbered
question view with a cause of concern, furniture everywhere, a saved HTML page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peelkit.reportimport.importer import parse_file, parse_text
from peelkit.reportimport.model import ParsedDocument, ParsedJudgment
from peelkit.reportimport.readers import web_page
from peelkit.reportimport.text import SourceText


def page(content: str, filename: str = "page.txt") -> SourceText:
    return SourceText.from_string(content, filename=filename)


def judgment(doc: ParsedDocument, area: str) -> ParsedJudgment:
    found = [j for j in doc.judgments if j.area == area]
    assert len(found) == 1, area
    return found[0]


def line_of(text: SourceText, start: str) -> int:
    """The number of the only line that starts with ``start``."""
    (number,) = [n for n, line in enumerate(text.lines, 1) if line.startswith(start)]
    return number


def layout(doc: ParsedDocument) -> str:
    return next(s.value for s in doc.detected_by if s.decides == "layout")


SKIP_TO_CONTENT_FIRST_LINE = """Skip to content

Suffolk PEEL 2017

Efficiency

How efficient is the force at keeping people safe and reducing crime?

Last updated 09/11/2017
Good

Suffolk Constabulary is good at made-up things.
"""


def test_a_skip_to_content_first_line() -> None:
    text = page(SKIP_TO_CONTENT_FIRST_LINE)
    assert web_page.detect(text) == "peel-2017"
    doc = parse_text(text)
    assert (doc.force, doc.framework, doc.title) == (
        "suffolk",
        "peel-2017",
        "Suffolk PEEL 2017: Efficiency",
    )
    efficiency = judgment(doc, "efficiency")
    assert efficiency.span is not None and text.line(efficiency.span.line_start) == "Good"
    assert doc.published == dt.date(2017, 11, 9)


FORCE_OVERVIEW = "\n".join(
    [
        "Skip to content",
        "Home > PEEL assessments > PEEL 2016 > Suffolk",
        "Suffolk PEEL 2016",
        "Effectiveness",
        "Good",
        "Last updated 02/03/2017",
        "Suffolk Constabulary is good at keeping people safe and reducing crime. Made-up words.",
        "Read more",
        "Efficiency",
        "Requires improvement",
        "Last updated 03/11/2016",
        (
            "Suffolk Constabulary is judged as requiring improvement in the efficiency with "
            "which it keeps people safe and reduces crime."
        ),
        "Read more",
        "",
    ]
)


def test_a_force_overview_page() -> None:
    text = page(FORCE_OVERVIEW)
    doc = parse_text(text)
    grades = {j.area: (j.grade, j.read_from) for j in doc.judgments}
    assert grades == {
        "effectiveness": ("good", "box"),
        "efficiency": ("requires_improvement", "box"),
    }
    assert layout(doc) == "force_overview"
    assert doc.title == "Suffolk PEEL 2016"  # all pillars: no pillar's name after it
    assert doc.published == dt.date(2017, 3, 2)  # the first "Last updated"
    # the page lacks the legitimacy pillar; an overview lists no questions
    assert doc.not_found == ["Grade of Legitimacy"]
    assert doc.warnings == []


CARRIED_OVER_2018_19 = "\n".join(
    [
        "Norfolk PEEL 2018/19",
        "Effectiveness",
        "How effectively does the force reduce crime and keep people safe?",
        "Last updated 02/05/2019",
        "Good",
        (
            "In 2017, we judged Norfolk Constabulary as good at preventing crime and tackling "
            "anti-social behaviour and at tackling serious and organised crime."
        ),
        (
            "How effective is the force at preventing crime, tackling anti-social behaviour "
            "and keeping people safe?"
        ),
        (
            "This question was not subject to detailed inspection in 2018/19. Our judgment "
            "from 2017 has been carried over."
        ),
        "How effective is the force at investigating crime and reducing re-offending?",
        "Norfolk Constabulary requires improvement at investigating crime. Made-up words.",
        (
            "How effective is the force at protecting those who are vulnerable from harm, and "
            "supporting victims?"
        ),
        (
            "This question was not subject to detailed inspection in 2018/19; the judgment "
            "from the 2016 inspection is carried over."
        ),
        "How effective is the force at tackling serious and organised crime?",
        "We did not inspect this question this year. The earlier judgment is carried over.",
        "",
    ]
)


def test_questions_carried_over_in_2018_19() -> None:
    text = page(CARRIED_OVER_2018_19)
    doc = parse_text(text)
    stated = line_of(text, "In 2017, we judged")
    preventing = judgment(doc, "preventing-crime")
    assert (preventing.carried_over, preventing.grade, preventing.year_last_inspected) == (
        True,
        "good",
        "2017",
    )
    assert preventing.read_from == "sentence"
    assert preventing.span is not None and preventing.span.line_start == stated
    serious = judgment(doc, "serious-and-organised-crime")
    assert (serious.carried_over, serious.grade, serious.year_last_inspected) == (
        True,
        "good",
        "2017",
    )
    protecting = judgment(doc, "protecting-vulnerable-people")
    assert (protecting.carried_over, protecting.grade, protecting.year_last_inspected) == (
        True,
        None,
        "2016",
    )
    investigating = judgment(doc, "investigating-crime")
    assert (investigating.carried_over, investigating.grade, investigating.read_from) == (
        False,
        "requires_improvement",
        "sentence",
    )
    assert (
        "Grade of Protecting vulnerable people (carried over from an earlier inspection, "
        "not printed)"
    ) in doc.not_found
    assert "Question: Armed policing" in doc.not_found  # ungraded, but not on the page


BOX_AND_SENTENCE_DISAGREE = "\n".join(
    [
        "Kent PEEL 2017",
        "Legitimacy",
        "How legitimate is the force at keeping people safe and reducing crime?",
        "Last updated 12/12/2017",
        "Good",
        (
            "Kent Police is judged to be inadequate at how legitimately it keeps people safe "
            "and reduces crime."
        ),
        "To what extent does the force treat its workforce with fairness and respect?",
        "Outstanding",
        "Kent Police is good at treating its workforce with fairness and respect.",
        "",
    ]
)


def test_a_box_and_a_sentence_that_disagree() -> None:
    text = page(BOX_AND_SENTENCE_DISAGREE)
    doc = parse_text(text)
    assert (judgment(doc, "legitimacy").grade, judgment(doc, "legitimacy").read_from) == (
        "good",
        "box",
    )
    workforce = judgment(doc, "fair-treatment-of-the-workforce")
    assert (workforce.grade, workforce.read_from) == ("outstanding", "box")
    codes = [(w.code, w.span.line_start if w.span else None) for w in doc.warnings]
    assert codes == [
        ("grade_box_and_sentence_disagree", line_of(text, "Kent Police is judged")),
        ("grade_box_and_sentence_disagree", line_of(text, "Kent Police is good")),
    ]
    assert "'Good'" in doc.warnings[0].message and "'inadequate'" in doc.warnings[0].message


PILLAR_GRADE_ONLY_IN_A_SENTENCE = "\n".join(
    [
        "Kent PEEL 2016",
        "How efficient is the force at keeping people safe and reducing crime?",
        "Last updated 03/11/2016",
        (
            "Kent Police has been assessed as inadequate in respect of the efficiency with "
            "which it keeps people safe and reduces crime."
        ),
        "",
    ]
)


def test_a_pillar_grade_stated_only_in_a_sentence() -> None:
    doc = parse_text(page(PILLAR_GRADE_ONLY_IN_A_SENTENCE))
    efficiency = judgment(doc, "efficiency")
    assert (efficiency.grade, efficiency.read_from, efficiency.grade_as_printed) == (
        "inadequate",
        "sentence",
        "inadequate",
    )
    assert not any(item.startswith("Grade of Efficiency") for item in doc.not_found)


WORDING_2015 = """Kent PEEL 2015
Efficiency
How efficient is the force at keeping people safe and reducing crime?
Last updated 15/10/2015
Good
How well does the force use its resources to meet its demand?
Good
How sustainable and affordable is the workforce model?
Requires improvement
How sustainable is the force's financial position for the short and long term?
Kent Police is outstanding at planning its made-up finances.
"""


def test_the_2015_wordings() -> None:
    text = page(WORDING_2015)
    doc = parse_text(text)
    grades = {j.area: (j.level, j.grade, j.read_from) for j in doc.judgments}
    assert grades == {
        "efficiency": ("pillar", "good", "box"),
        "use-of-resources": ("question", "good", "box"),
        "workforce-model": ("question", "requires_improvement", "box"),
        # the sentence that opens a question's section states its grade
        "financial-position": ("question", "outstanding", "sentence"),
    }
    assert doc.not_found == []


QUESTION_VIEW_NUMBERED = "\n".join(
    [
        "Kent PEEL 2016",
        "Effectiveness",
        "How effective is the force at keeping people safe and reducing crime?",
        "Last updated 02/03/2017",
        "Requires improvement",
        "Questions for Effectiveness",
        "1",
        (
            "How effective is the force at preventing crime, tackling anti-social behaviour "
            "and keeping people safe?"
        ),
        "Good",
        "Made-up summary.",
        "Question 2",
        (
            "How effective is the force at protecting those who are vulnerable from harm, and "
            "supporting victims?"
        ),
        "Inadequate",
        "Cause of concern",
        "A made-up cause of concern.",
        "To address this cause of concern, we recommend that within three months the force:",
        "- does a made-up first thing;",
        "- does a made-up second thing.",
        "Areas for improvement",
        "- The force should do a made-up thing.",
        "",
    ]
)


def test_a_numbered_question_view_with_a_cause_of_concern() -> None:
    text = page(QUESTION_VIEW_NUMBERED)
    doc = parse_text(text)
    assert judgment(doc, "preventing-crime").grade == "good"
    assert judgment(doc, "protecting-vulnerable-people").grade == "inadequate"
    found = [
        (f.kind, f.cause_of_concern, f.deadline, f.span.line_start) for f in doc.findings if f.span
    ]
    concern = line_of(text, "A made-up cause")
    assert found == [
        ("cause_of_concern", None, None, concern),
        ("recommendation", 0, "within three months", concern + 2),
        ("recommendation", 0, "within three months", concern + 3),
        ("area_for_improvement", None, None, concern + 5),
    ]
    lead_in = text.line(concern + 1)
    assert [f.lead_in for f in doc.findings[1:3]] == [lead_in, lead_in]
    assert {f.area for f in doc.findings} == {"protecting-vulnerable-people"}
    missing = " | ".join(doc.not_found)
    assert "Question: Investigating crime" in missing and "(and its grade)" in missing


GRADES_NOT_STATED = """Kent PEEL 2017
Efficiency
How efficient is the force at keeping people safe and reducing crime?
Last updated 09/11/2017
Made-up summary with no grade.
How well does the force understand demand?
Made-up words.
How well does the force use its resources?
More made-up words.
How well is the force planning for the future?
[...]
"""


def test_a_page_whose_grades_cannot_be_read_names_each() -> None:
    # (read by the reader itself: an import of a page with nothing read is refused)
    doc = web_page.read(page(GRADES_NOT_STATED), "peel-2017", "kent")
    assert doc.judgments == []
    assert doc.not_found == [
        "Rest of Planning for the future (in a missing stretch)",
        "Grade of Efficiency",
        "Grade of Understanding demand",
        "Grade of Using resources",
        "Grade of Planning for the future (in a missing stretch)",
    ]


CLEAN = """Kent PEEL 2017
Effectiveness
How effective is the force at keeping people safe and reducing crime?
Last updated 22/03/2018
Good
Kent Police is good at keeping people safe and reducing crime.
How effective is the force at investigating crime and reducing re-offending?
Kent Police's made-up opening. Kent Police is outstanding at investigating crime.
Areas for improvement
- The force should do a made-up thing.
"""

FURNITURE_EVERYWHERE = "\n".join(
    [
        "22/03/2018, 10:15 Kent PEEL 2017 - HMICFRS",
        "Skip to content",
        "We use cookies to make this website work. Accept all cookies",
        "Home",
        "About us",
        "Publications",
        "Home > PEEL assessments > PEEL 2017 > Kent",
        "Kent PEEL 2017",
        "Print this document",
        "Effectiveness",
        "How effective is the force at keeping people safe and reducing crime?",
        "Last updated 22/03/2018",
        "Good",
        "Kent\u00a0Police is good at keeping people safe and reducing crime.",
        "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/peel-2017/kent/"
        "effectiveness/ 1/2",
        "22/03/2018, 10:15 Kent PEEL 2017 - HMICFRS",
        "Kent PEEL 2017",
        "Effectiveness",
        "How effective is the force at keeping people safe and reducing crime?",
        "How effective is the force at investigating crime and reducing re-offending?",
        (
            "Kent Police\u2019s made-up opening. Kent Police is outstanding at "
            "inves\u00adtigating crime."
        ),
        "2",
        "Areas for improvement",
        "- The force should do a made-up thing.",
        "© Crown copyright",
        "",
    ]
)


def test_furniture_everywhere_reads_like_the_clean_page() -> None:
    clean = parse_text(page(CLEAN))
    text = page(FURNITURE_EVERYWHERE)
    messy = parse_text(text)
    assert (messy.force, messy.framework, messy.title, messy.published) == (
        clean.force,
        clean.framework,
        clean.title,
        clean.published,
    )
    assert [(j.area, j.grade, j.read_from) for j in messy.judgments] == [
        (j.area, j.grade, j.read_from) for j in clean.judgments
    ]
    assert [(f.kind, f.area, f.text) for f in messy.findings] == [
        (f.kind, f.area, f.text) for f in clean.findings
    ]
    assert messy.not_found == clean.not_found and messy.warnings == clean.warnings
    # the lines are the user's file's
    investigating = judgment(messy, "investigating-crime")
    assert investigating.span is not None
    assert "outstanding at inves" in text.line(investigating.span.line_start)
    (afi,) = messy.findings
    assert afi.span is not None and text.line(afi.span.line_start).startswith("- The force")


def test_a_saved_html_page(tmp_path: Path) -> None:
    html = tmp_path / "kent_2017_effectiveness.html"
    html.write_text(
        "<html><body><nav><ul><li>Home</li><li>About us</li><li>Publications</li></ul></nav>"
        "<p>Skip to content</p><h1>Kent PEEL 2017</h1><h2>Effectiveness</h2>"
        "<p>How effective is the force at keeping people safe and reducing crime?</p>"
        "<p>Last updated 22/03/2018</p><p>Good</p>"
        "<p>Kent Police is good at keeping people safe and reducing crime.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = parse_file(html)
    assert (doc.force, doc.framework, doc.source.media_type) == ("kent", "peel-2017", "text/html")
    assert [(j.area, j.grade, j.read_from) for j in doc.judgments] == [
        ("effectiveness", "good", "box")
    ]


IPA_PAGE_BEHIND_A_BANNER = """Skip to content
Surrey PEEL 2018/19
Efficiency
How efficiently does the force operate and how sustainable are its services?
Last updated 27/09/2019
Good
This page is part of our made-up integrated PEEL assessment of 2018/19.
"""


def test_a_2018_19_page_behind_a_banner_is_not_taken_for_the_report() -> None:
    # the integrated report's reader steps aside for a page whose title is "<force> PEEL
    # <year>": the banner above the title must not hide it
    doc = parse_text(page(IPA_PAGE_BEHIND_A_BANNER))
    family = next(s for s in doc.detected_by if s.decides == "family")
    assert (family.value, doc.framework) == ("web-page", "peel-2018-19")
    assert [(j.area, j.grade) for j in doc.judgments] == [("efficiency", "good")]
