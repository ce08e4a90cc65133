"""Due dates from printed deadlines (the phrases the reference reports and letters print), read
only where a recommendation prints its own time; areas for improvement have none."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

import pytest

from peelkit.followup.deadlines import due_date, printed_deadline, recommendation_due
from peelkit.workspace import Workspace
from tests.report_text import REFERENCE_REPORTS

MADE = dt.date(2022, 3, 29)  # the Staffordshire accelerated cause of concern notice


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Within three months, Staffordshire Police should make sure that:", dt.date(2022, 6, 29)),
        ("Within 12 months the force should ensure all staff", dt.date(2023, 3, 29)),
        ("within 28 days", dt.date(2022, 4, 26)),
        ("within six weeks", dt.date(2022, 5, 10)),
        ("The force takes immediate steps to increase", MADE),
        ("With immediate effect, all forces should review", MADE),
        ("The force should immediately take steps to improve", MADE),
        ("Not later than 31 March 2015 those forces", dt.date(2015, 3, 31)),
        ("By 31 March 2015 all forces should ensure", dt.date(2015, 3, 31)),
        ("by the 1st April 2016", dt.date(2016, 4, 1)),
    ],
)
def test_printed_deadlines_become_due_dates(printed: str, expected: dt.date) -> None:
    assert due_date(printed, MADE).date == expected


def test_a_month_later_than_the_31st_is_the_months_last_day() -> None:
    assert due_date("within one month", dt.date(2023, 1, 31)).date == dt.date(2023, 2, 28)
    assert due_date("within one month", dt.date(2024, 1, 31)).date == dt.date(2024, 2, 29)


def test_a_period_without_the_documents_date_has_no_due_date_and_says_why() -> None:
    due = due_date("Within three months", None)
    assert due.date is None
    assert "unknown" in due.rule
    assert due.phrase == "Within three months"


def test_a_printed_date_needs_no_document_date() -> None:
    assert due_date("by 31 March 2015", None).date == dt.date(2015, 3, 31)


def test_no_deadline_and_an_impossible_date() -> None:
    assert due_date("The force should improve its crime recording.", MADE).date is None
    assert due_date(None, MADE).rule == "no deadline printed"
    impossible = due_date("by 31 February 2015", MADE)
    assert impossible.date is None and "does not exist" in impossible.rule


# -- where a deadline is printed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Within three months, Staffordshire Police should make sure that:", "Within three months"),
        ("Within 12 months the force should ensure all staff have vetting.", "Within 12 months"),
        ("By 31 March 2015, all forces should ensure that crime is recorded.", "By 31 March 2015"),
        (
            "Not later than 31 March 2015 those forces should provide",
            "Not later than 31 March 2015",
        ),
        ("With immediate effect, all forces should review their ICT.", "With immediate effect"),
        ("The force should immediately take steps to improve its services by:", "immediately"),
        (
            "The force takes immediate steps to increase the number of officers.",
            "takes immediate steps",
        ),
        ("The force should review its vetting backlog within six months.", "within six months"),
        ("The force should publish its plan by 31 March 2020.", "by 31 March 2020"),
    ],
)
def test_a_deadline_is_read_where_a_recommendation_prints_its_time(text: str, phrase: str) -> None:
    assert printed_deadline(text) == phrase
    assert due_date(phrase, MADE).date is not None


@pytest.mark.parametrize(
    "text",
    [
        # The 2005 baseline's words: "immediately" inside a sentence about what happened.
        "This was implemented on the first site at Lambeth and immediately failed to match a "
        "single site profile.",
        "The force should make sure that immediate safeguarding is considered at every call.",
        "The force should ensure that victims are contacted within 28 days.",  # what, not when
        "The force should review, immediately after arrest, how it takes DNA samples.",
        "The force should ensure that:",
    ],
)
def test_a_word_inside_a_sentence_is_not_a_deadline(text: str) -> None:
    assert printed_deadline(text) is None


def test_only_recommendations_have_due_dates() -> None:
    words = "The MPS ... and immediately failed to match a single site profile."
    for kind in ("area_for_improvement", "cause_of_concern"):
        due = recommendation_due(kind, deadline="immediately", lead_in=None, text=words, made=MADE)
        assert due.date is None and "no due date" in due.rule
    # A deadline an import read from a word inside the sentence is not the recommendation's.
    inside = recommendation_due(
        "recommendation",
        deadline="immediately",
        lead_in=None,
        text="The force should check that immediate safeguarding is recorded.",
        made=MADE,
    )
    assert inside.date is None and "word inside" in inside.rule
    # One printed elsewhere (a notice's lead-in, kept with the recommendation) counts.
    notice = recommendation_due(
        "recommendation",
        deadline="Within three months",
        lead_in=None,
        text="call handlers use and correctly record structured initial triage",
        made=MADE,
    )
    assert notice.date == dt.date(2022, 6, 29)


# -- on the reference reports ---------------------------------------------------------------------

BASELINE_2005, PEEL_2016, PEEL_2018_19 = (
    "004_8971e4e9a7c1f0c8.txt",
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
)
_MONTH_YEAR = re.compile(r"^(?P<month>[A-Z][a-z]+) (?P<year>\d{4})\b")
_BULLET = re.compile(r"^\s*-\s+")
# The deadline phrases the reports print, read independently: an opening "Within N months" or
# a first clause "... should immediately ..." / "... takes immediate steps ...".
_PRINTED = re.compile(
    r"^(?:Within (?P<months>\d+|three|six|twelve) months\b|[^,.;:]{0,60}?\b"
    r"(?P<now>should immediately|takes immediate steps)\b)"
)
_WORDS = {"three": 3, "six": 6, "twelve": 12}


def _published(lines: list[str]) -> dt.date:
    """The report's date as its title page prints it ("March 2017"): the 1st of that month,
    peelkit's documented day for a report that prints only its month."""
    for line in lines:
        found = _MONTH_YEAR.match(line.strip())
        if found and found["month"] in calendar.month_name:
            return dt.date(int(found["year"]), list(calendar.month_name).index(found["month"]), 1)
    raise AssertionError("no month and year printed")


def _printed_due(lines: list[str]) -> dict[str, dt.date | None]:
    """Each recommendation of a report (a bullet after a "Recommendations" heading, with the
    lead-in above the bullets if any) and the due date its printed deadline gives."""
    published = _published(lines)
    found: dict[str, dt.date | None] = {}
    for number, line in enumerate(lines):
        if line.strip().strip("#* ") != "Recommendations":
            continue
        lead_in = ""
        for following in lines[number + 1 :]:
            text = following.strip()
            if not text:
                continue
            if _BULLET.match(text):
                item = _BULLET.sub("", text)
                match = _PRINTED.match(lead_in) or _PRINTED.match(item)
                due: dt.date | None = None
                if match and match["now"]:
                    due = published
                elif match:
                    months = _WORDS.get(match["months"]) or int(match["months"])
                    year, month = divmod(published.month - 1 + months, 12)
                    due = dt.date(published.year + year, month + 1, published.day)
                found[item[:60]] = due
            elif text.endswith(":") and not lead_in:
                lead_in = text
            else:
                break
    return found


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("deadlines") / "record.sqlite"
    with Workspace(f"sqlite:///{path}") as ws:
        ws.initialise()
        for name in (BASELINE_2005, PEEL_2016, PEEL_2018_19):
            ws.import_report(REFERENCE_REPORTS / name)
        yield ws


def test_no_area_for_improvement_of_the_2005_baseline_has_a_due_date(
    reports: Workspace,
) -> None:
    rows = [
        r
        for r in reports.followup_register(force="Met", today=dt.date(2025, 1, 1)).rows
        if r.framework == "baseline-2005" and r.kind == "area_for_improvement"
    ]
    assert len(rows) > 100
    # The report prints "immediately" inside areas for improvement ("... and immediately
    # failed to match a single site profile"): none of them is due, or overdue.
    text = (REFERENCE_REPORTS / BASELINE_2005).read_text(encoding="utf-8")
    assert "immediately failed to match" in text
    assert any("immediately" in r.text for r in rows)
    assert {(r.due, r.overdue) for r in rows} == {(None, False)}
    assert {r.due_rule for r in rows} == {"an area for improvement has no due date"}


@pytest.mark.parametrize("report", [PEEL_2016, PEEL_2018_19])
def test_recommendations_are_due_as_their_report_prints(reports: Workspace, report: str) -> None:
    lines = (REFERENCE_REPORTS / report).read_text(encoding="utf-8").splitlines()
    expected = _printed_due(lines)
    framework = {PEEL_2016: "peel-2016", PEEL_2018_19: "peel-2018-19"}[report]
    rows = [
        r
        for r in reports.followup_register(force="Met", today=dt.date(2025, 1, 1)).rows
        if r.framework == framework and r.kind == "recommendation"
    ]
    assert rows and len(rows) == len(expected)
    assert {r.text[:60]: r.due for r in rows} == expected
    # The report prints only its month ("March 2017", "September 2019"): the rows say the day
    # due dates count from is assumed.
    assert {(r.made, r.made_day_assumed) for r in rows} == {(_published(lines), True)}
    assert any(due is not None for due in expected.values())
    assert any(due is None for due in expected.values()) or report == PEEL_2016
    # Other followed findings of the report have no due date.
    others = [
        r
        for r in reports.followup_register(force="Met", today=dt.date(2025, 1, 1)).rows
        if r.framework == framework and r.kind != "recommendation"
    ]
    assert others and {r.due for r in others} == {None}
