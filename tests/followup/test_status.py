"""The current status, derived from a history of events; claims and verdicts kept apart."""

from __future__ import annotations

import datetime as dt

from peelkit.followup.status import Event, current

MADE = dt.date(2022, 3, 29)


def test_no_events_means_open_since_the_finding_was_made() -> None:
    status = current([], MADE)
    assert (status.status, status.date, status.source) == ("open", MADE, "inspection")
    assert status.claimed is None and status.verified is None


def test_the_latest_event_by_date_decides_whatever_order_they_were_recorded() -> None:
    events = [
        Event("closed", dt.date(2024, 5, 21), "letter", event_id=3),
        Event("in_progress", dt.date(2023, 2, 10), "letter", event_id=4),
    ]
    status = current(events, MADE)
    assert (status.status, status.date) == ("closed", dt.date(2024, 5, 21))
    assert status.settled


def test_a_claim_is_not_a_verdict() -> None:
    events = [
        Event("in_progress", dt.date(2023, 2, 10), "letter", event_id=1),
        Event("reported_complete", dt.date(2023, 6, 1), "pcc_response", event_id=2),
    ]
    status = current(events, MADE)
    assert status.status == "reported_complete" and not status.settled
    assert status.claimed is not None and status.claimed.date == dt.date(2023, 6, 1)
    assert status.verified is None


def test_a_later_hmicfrs_review_after_a_claim_keeps_the_claim_visible() -> None:
    events = [
        Event("reported_complete", dt.date(2023, 6, 1), "pcc_response", event_id=1),
        Event("in_progress", dt.date(2023, 12, 1), "letter", event_id=2),
    ]
    status = current(events, MADE)
    assert status.status == "in_progress"
    assert status.claimed is not None


def test_comments_do_not_change_the_status() -> None:
    events = [
        Event("open", dt.date(2014, 9, 4), "register", event_id=1),
        Event(None, dt.date(2016, 9, 30), "register", note="being reviewed", event_id=2),
    ]
    status = current(events, None)
    assert (status.status, status.date) == ("open", dt.date(2014, 9, 4))


def test_events_on_one_day_count_in_the_order_recorded() -> None:
    day = dt.date(2024, 5, 21)
    events = [
        Event("closed", day, "letter", event_id=7),
        Event("in_progress", day, "letter", event_id=5),
    ]
    assert current(events, MADE).status == "closed"
