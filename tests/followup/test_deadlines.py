"""Due dates from printed deadlines (the phrases the reference reports and letters print)."""

from __future__ import annotations

import datetime as dt

import pytest

from peelkit.followup.deadlines import due_date

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
