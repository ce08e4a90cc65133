"""A finding's status history and its current status, derived, never stored.

The history is the finding's stored status events (append-only) plus one derived event per
confirmed link that carries it forward: when a later inspection repeats, rewords, escalates or
supersedes a finding, the finding is ``superseded`` on that inspection's date (following the
later finding is how it is followed up). Derived events go when their link is rejected.

The current status is the latest event with a status (by date, then by the date of the document
that states it, the later document's word last, then as recorded); with none, a finding is
``open`` from the date of the document that made it. Ordering by the documents' dates, not by
when they were imported, gives the same history whatever order the documents came in. What a
force or PCC claims (``reported_complete``) and what HMICFRS verifies (``closed``,
``closed_not_implemented``, ``superseded``) are kept apart: ``claimed`` and ``verified`` are the
latest of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peelkit.domain.followup import CLAIMED_STATUSES, VERIFIED_STATUSES

# Relations of a confirmed link that supersede the earlier finding.
CARRIED_FORWARD = ("repeated", "reworded", "escalated", "superseded")
# A finding in one of these is no longer waiting for anything.
SETTLED = ("closed", "closed_not_implemented", "superseded")


@dataclass(frozen=True)
class Event:
    status: str | None  # None: a comment
    date: dt.date
    source: str  # inspection, letter, pcc_response, register, person
    note: str | None = None
    document: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    entered_by: str | None = None
    status_as_printed: str | None = None
    event_id: int | None = None  # None for a derived event
    link: int | None = None  # the link a derived event comes from
    document_date: dt.date | None = None  # the date of the document it was read from


@dataclass(frozen=True)
class Current:
    status: str
    date: dt.date | None
    source: str
    claimed: Event | None
    verified: Event | None

    @property
    def settled(self) -> bool:
        return self.status in SETTLED


def ordered(events: Sequence[Event]) -> list[Event]:
    """Oldest first; on one date, stored events before derived ones, those read from documents
    by the documents' dates (a person's after them), then in the order recorded."""
    return sorted(
        events,
        key=lambda e: (
            e.date,
            e.event_id is None,
            e.document_date or dt.date.max,
            e.line_start or 0,
            e.event_id or 0,
            e.link or 0,
        ),
    )


def current(events: Sequence[Event], made: dt.date | None) -> Current:
    history = [e for e in ordered(events) if e.status is not None]
    claimed = next((e for e in reversed(history) if e.status in CLAIMED_STATUSES), None)
    verified = next((e for e in reversed(history) if e.status in VERIFIED_STATUSES), None)
    if not history:
        return Current("open", made, "inspection", None, None)
    last = history[-1]
    assert last.status is not None
    return Current(last.status, last.date, last.source, claimed, verified)
