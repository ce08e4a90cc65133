"""When a finding was made, from what the documents state (peelkit.followup.made): a report's
publication, a notice issuing it, a letter dating the inspection it came from, or not known."""

from __future__ import annotations

import datetime as dt

from peelkit.followup.made import made_of
from peelkit.followup.status import Event

D = dt.date
PERIOD_START = D(2021, 1, 1)  # the first day of the 2021/22 period


def _open(date: dt.date, document_date: dt.date, event_id: int, note: str | None = None) -> Event:
    return Event(
        "open", date, "letter", note=note, document=event_id, event_id=event_id,
        document_date=document_date,
    )  # fmt: skip


def test_a_letter_that_dates_nothing_leaves_the_day_not_known() -> None:
    made = made_of(
        [],
        of_report=False,
        published=None,
        report_document=False,
        letter_date=D(2024, 5, 21),
        period_start=PERIOD_START,
    )
    assert made.date is None
    assert made.rule == "not known: the letter's date (21 May 2024) is the latest it can be"
    # Nothing is known earlier than the inspection's period: a status after its start is fine.
    assert made.earliest == PERIOD_START


def test_a_notice_issuing_it_makes_it_on_its_date() -> None:
    notice = _open(D(2022, 3, 29), D(2022, 3, 29), 1, "issued on 29 March 2022")
    letter = _open(D(2022, 1, 1), D(2024, 5, 21), 2, "identified at the inspection")
    made = made_of(
        [letter, notice],
        of_report=False,
        published=None,
        report_document=False,
        letter_date=D(2022, 3, 29),
        period_start=PERIOD_START,
    )
    assert (made.date, made.earliest) == (D(2022, 3, 29), D(2022, 1, 1))
    assert made.rule.startswith("issued on 29 March 2022")


def test_a_letter_dating_the_inspection_makes_it_then() -> None:
    letter = _open(D(2022, 1, 17), D(2022, 12, 20), 3, "identified at the inspection ...")
    made = made_of(
        [letter],
        of_report=False,
        published=None,
        report_document=False,
        letter_date=D(2022, 12, 20),
        period_start=PERIOD_START,
    )
    assert (made.date, made.earliest) == (D(2022, 1, 17), D(2022, 1, 17))
    assert "from the letter of 20 December 2022" in made.rule


def test_a_report_finding_is_made_when_published_unless_a_notice_issued_it_before() -> None:
    def made(events: list[Event]) -> tuple[dt.date | None, bool]:
        found = made_of(
            events,
            of_report=True,
            published=D(2022, 6, 1),
            report_document=True,
            letter_date=None,
            period_start=PERIOD_START,
        )
        return found.date, found.day_assumed

    assert made([]) == (D(2022, 6, 1), True)  # a report's "June 2022", on the 1st
    assert made([_open(D(2022, 3, 29), D(2022, 3, 29), 1)]) == (D(2022, 3, 29), False)
