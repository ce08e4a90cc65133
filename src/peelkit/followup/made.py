"""When a finding was made, as far as the record knows it.

Read from what is stored, so that it is the same whatever order the documents came in:

- a finding of a report (or entered by a person) was made when its report was published;
- a document that *issues* a finding (an accelerated cause of concern notice) states it
  ``open`` on its own date: the finding was made then, by that document;
- a letter that quotes a finding and says when it was identified ("Between 17 January and
  11 February 2022, we inspected ... During our inspection, we identified three causes of
  concern") states it ``open`` on that date, before its own: the finding was made then, at the
  inspection the letter dates (on the first day it prints);
- a finding known only from a letter that dates nothing was made on a day not known: the
  letter's date is the latest it can be.

``date`` is the date due dates count from (the earliest of the report's publication and the
issuing documents' dates; else the date a letter states); ``earliest`` the earliest day any
document says it existed, the bound a status event may not come before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peelkit.followup.status import Event


@dataclass(frozen=True)
class Made:
    date: dt.date | None  # the date it was made (due dates count from it); None: not known
    earliest: dt.date | None  # the earliest day it can have been made (a status's bound)
    rule: str  # how ``date`` is known, or why it is not
    day_assumed: bool = False  # ``date`` is a report's "March 2017", on the 1st


def day_month_year(date: dt.date) -> str:
    """A date as the documents print it: "2 March 2017"."""
    return f"{date.day} {date:%B %Y}"


def states_origin(event: Event) -> bool:
    """A stored ``open`` read from a document: the document says the finding existed then."""
    return event.status == "open" and event.document is not None and event.event_id is not None


def made_of(
    events: Sequence[Event],
    *,
    of_report: bool,
    published: dt.date | None,
    report_document: bool,
    letter_date: dt.date | None,
    period_start: dt.date,
) -> Made:
    """When a finding was made. ``of_report``: the finding is its inspection's own (read from
    its report, or entered), published on ``published`` (``report_document``: read from a
    report document, whose "March 2017" is dated on the 1st); else it was created from a
    follow-up document dated ``letter_date``. ``period_start`` (the first day of the
    inspection's period) is the bound when nothing else is known."""
    origins = [e for e in events if states_origin(e)]
    issued = sorted(e.date for e in origins if e.document_date == e.date)
    stated = sorted(
        (e for e in origins if e.document_date is None or e.date < e.document_date),
        key=lambda e: (e.date, e.document_date or dt.date.max),
    )
    known = [e.date for e in origins]
    date: dt.date | None = None
    day_assumed = False
    if of_report and published is not None and not (issued and issued[0] < published):
        date = published
        day_assumed = report_document and published.day == 1
        rule = f"published with its report on {day_month_year(published)}"
        if day_assumed:
            rule += (
                " (a report that prints only its month and year, as 'March 2017', is dated on "
                "the 1st: the day is assumed)"
            )
    elif issued:
        date = issued[0]
        rule = f"issued on {day_month_year(date)} by the document of that date (a notice)"
    elif stated:
        first = stated[0]
        date = first.date
        when = day_month_year(first.document_date) if first.document_date else "unknown date"
        rule = f"from the letter of {when}: {first.note or 'made at the inspection it dates'}"
    elif of_report:
        rule = "not known: its inspection has no publication date"
    else:
        latest = day_month_year(letter_date) if letter_date else "not known either"
        rule = f"not known: the letter's date ({latest}) is the latest it can be"
    if date is not None:
        known.append(date)
    earliest = min(known) if known else period_start
    return Made(date, earliest, rule, day_assumed)
