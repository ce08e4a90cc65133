"""A police and crime commissioner's section 55 response form.

The real form (Hampshire, PEEL effectiveness 2016) is read from the shared examples folder; the
expected values are written down from its text. The small forms below are made up for the test
in the form's layout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peelkit.followup.documents import parse_followup
from peelkit.followup.documents.model import ParsedFollowup
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText

FORM = "hampshire_2016_effectiveness_pcc-s55-response.txt"


@pytest.fixture(scope="module")
def hampshire(shared: Path) -> tuple[SourceText, ParsedFollowup]:
    text = read_source(shared / "examples" / "follow-up" / FORM)
    return text, parse_followup(text)


def small(content: str) -> ParsedFollowup:
    return parse_followup(SourceText.from_string(content, filename="form.txt"))


def codes(doc: ParsedFollowup) -> list[str]:
    return [w.code for w in doc.warnings]


def test_the_form_names_force_framework_and_dates(
    hampshire: tuple[SourceText, ParsedFollowup],
) -> None:
    _, doc = hampshire
    assert doc.family == "pcc_response"
    assert doc.title == (
        "Response by the Police and Crime Commissioner to HMIC Inspections of Hampshire "
        "Constabulary"
    )
    assert (doc.force, doc.framework, doc.period) == ("hampshire", "peel-2016", "2016")
    assert doc.published == dt.date(2017, 4, 3)  # the date the response was sent
    response = doc.response
    assert response is not None
    assert response.inspection_title == "PEEL Effectiveness Report 2016 – Hampshire Constabulary"
    assert response.inspection_published == dt.date(2017, 3, 2)
    assert response.stated_deadline == dt.date(2017, 3, 30)  # as printed, not 56 days
    assert response.responded == dt.date(2017, 4, 3)  # "03/04/2017", day first
    assert response.address == (
        "Responses to be sent to sof.scetion55responses@homeoffice,gsi.gov.uk & PCC@hmic.gsi.gov.uk"
    )
    assert doc.not_found == []


def test_the_response_text_runs_to_the_cut(hampshire: tuple[SourceText, ParsedFollowup]) -> None:
    text, doc = hampshire
    response = doc.response
    assert response is not None and response.text is not None and response.span is not None
    assert response.text.startswith(
        "The HMIC report on Effectiveness is the third of the 2016 graded PEEL inspection reports."
    )
    assert "Since the inspection the arrest rate has risen from 25% to 42%." in response.text
    assert response.text.endswith("The report also")
    number = next(n for n, line in enumerate(text.lines, 1) if line.startswith("FORCE RESPONSE:"))
    assert (response.span.line_start, response.span.line_end) == (number, number)
    assert response.items == [] and doc.findings == []


def test_the_deadline_not_56_days_after_publication_is_said(
    hampshire: tuple[SourceText, ParsedFollowup],
) -> None:
    text, doc = hampshire
    [deadline] = [w for w in doc.warnings if w.code == "pcc_deadline_not_statutory"]
    assert deadline.span is not None
    assert "Deadline for Response: 30 March 2017" in text.line(deadline.span.line_start)
    # 2 March 2017 + 56 days = 27 April 2017; the form gives 28 days.
    assert "28 days" in deadline.message and "27 April 2017" in deadline.message
    [elided] = [w for w in doc.warnings if w.code == "followup_text_elided"]
    assert elided.span is not None and text.line(elided.span.line_start) == "[...]"


FORM_WITH_ITEMS = """\
Response by the Police and Crime Commissioner to HMIC Inspections of Kent Police
Title of Inspection: PEEL Efficiency 2017 – Kent Police
Date Inspection Published: 9 November 2017
Deadline for Response: 4 January 2018
Date response sent: 20/12/2017 (Responses to the Home Office)
FORCE RESPONSE: I welcome the report.
Recommendation 1: The force should improve how it plans for demand.
Response: The force has set up a demand team,
which reports to me monthly.
Area for improvement 2: The force should review its shift patterns. Response: Done in
December.
Recommendation 3: The force should publish its workforce plan.
"""


def test_text_per_recommendation_in_the_documented_pattern() -> None:
    doc = small(FORM_WITH_ITEMS)
    assert (doc.force, doc.framework, doc.published) == ("kent", "peel-2017", dt.date(2017, 12, 20))
    assert [(f.kind, f.ordinal, f.text, f.span.line_start) for f in doc.findings] == [
        ("recommendation", 1, "The force should improve how it plans for demand.", 7),
        ("area_for_improvement", 2, "The force should review its shift patterns.", 10),
        ("recommendation", 3, "The force should publish its workforce plan.", 12),
    ]
    response = doc.response
    assert response is not None
    assert response.items == [
        (0, "The force has set up a demand team, which reports to me monthly."),
        (1, "Done in December."),
    ]
    assert response.address == "Responses to the Home Office"
    assert "the response to Recommendation 3" in doc.not_found
    # 9 November 2017 + 56 days is 4 January 2018: no warning.
    assert doc.warnings == []


def test_missing_fields_are_listed_and_a_bad_date_is_a_warning() -> None:
    doc = small(
        "Title of Inspection: PEEL Legitimacy 2016 – Essex Police\nDate response sent: 31/02/2017\n"
    )
    assert (doc.force, doc.framework) == ("essex", "peel-2016")
    assert doc.published is None
    assert codes(doc) == ["followup_date_unreadable"]
    assert doc.not_found == [
        "Date Inspection Published",
        "Deadline for Response",
        "the response (FORCE RESPONSE)",
    ]


def test_an_inspection_title_of_no_known_framework_is_a_warning() -> None:
    doc = small(
        "Title of Inspection: Stop and search powers – Essex Police\n"
        "Date response sent: 01/02/2017\nFORCE RESPONSE: Noted.\n"
    )
    assert (doc.framework, doc.period, doc.force) == (None, None, "essex")
    assert codes(doc) == ["followup_framework_unmatched"]


def test_other_spellings_of_the_labels() -> None:
    doc = small(
        "Inspection title: PEEL Legitimacy 2017 – Durham Constabulary\n"
        "Date of publication: 12 December 2017\n"
        "Response deadline: 6 February 2018\n"
        "Date of response: 01/02/2018\n"
        "PCC RESPONSE: We accept the findings.\n"
    )
    response = doc.response
    assert response is not None
    assert (response.inspection_published, response.stated_deadline, response.responded) == (
        dt.date(2017, 12, 12),
        dt.date(2018, 2, 6),
        dt.date(2018, 2, 1),
    )
    assert (doc.force, doc.framework, response.text) == (
        "durham",
        "peel-2017",
        "We accept the findings.",
    )
    assert doc.warnings == []  # 12 December 2017 + 56 days is 6 February 2018
