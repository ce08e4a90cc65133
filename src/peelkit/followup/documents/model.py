"""What a follow-up reader makes of a letter, a notice, a register page or a PCC response.

Plain data with the lines every item came from (``Span``), as the document stated it. The
store (``peelkit.followup.documents.store``) matches what is quoted to the record; readers never
touch the database.

Families (``ParsedFollowup.family``):

- ``accelerated_cause_of_concern``: an HMICFRS notice of an accelerated cause of concern, with
  its recommendations ("Within three months, X should make sure that: ...").
- ``cause_of_concern_revisit``: an HMICFRS revisit letter (progress reviewed, causes of concern
  still open, closed, monitoring stage changed).
- ``recommendations_register``: entries of the older HMIC recommendations register, national
  recommendations addressed to all forces, each with its ``[on]DATE [status]slug[/status][/on]``
  history.
- ``pcc_response``: a police and crime commissioner's section 55 response form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from peelkit.reportimport.model import ImportWarning, SourceInfo, Span

FAMILIES = (
    "accelerated_cause_of_concern",
    "cause_of_concern_revisit",
    "recommendations_register",
    "pcc_response",
)


@dataclass
class QuotedFinding:
    """A cause of concern, recommendation or area for improvement a document states or quotes.

    ``ordinal`` is its 1-based position in the document's own list of causes of concern ("the
    first two causes of concern" refers to ordinals 1 and 2); ``cause_of_concern`` the index,
    in ``ParsedFollowup.findings``, of the cause of concern a recommendation belongs to.
    """

    kind: str  # cause_of_concern | recommendation | area_for_improvement
    text: str
    span: Span
    area_hint: str | None = (
        None  # the heading it sits under, as printed ("Responding to the public")
    )
    deadline: str | None = None  # as printed: "Within three months", "immediately"
    cause_of_concern: int | None = None
    ordinal: int | None = None
    # A notice states a cause of concern twice: briefly in its opening list ("adequately identify
    # or assess victim vulnerability ...") and in full in its own "Cause of concern" block. Then
    # ``text``/``span`` are the full statement and these the list's wording and line.
    listed_as: str | None = None
    listed_span: Span | None = None


@dataclass
class StatedStatus:
    """A status the document gives, to one finding or to a set of them.

    ``findings`` are indexes in ``ParsedFollowup.findings``. ``scope`` says which set when the
    document names them as a group: ``"listed"`` (exactly ``findings``), ``"remaining"`` (the
    inspection's causes of concern not yet closed: "close the force's remaining causes of
    concern").
    """

    status: str  # one of peelkit.domain.followup.STATUSES
    date: dt.date
    span: Span
    findings: list[int] = field(default_factory=list)
    scope: str = "listed"
    note: str | None = None


@dataclass
class StatedOrigin:
    """When a letter says the findings it quotes were made: at the inspection it dates
    ("Between 17 January and 11 February 2022, we inspected Wiltshire Police ... During our
    inspection, we identified three causes of concern"). ``findings`` are indexes in
    ``ParsedFollowup.findings``: the causes of concern listed and their recommendations."""

    printed: str  # the dates as printed: "Between 17 January and 11 February 2022"
    first: dt.date  # the first day printed (the store dates the finding's "open" on it)
    last: dt.date
    span: Span
    findings: list[int] = field(default_factory=list)


@dataclass
class StatedStage:
    """A monitoring stage the force entered on a date, as the document states it."""

    stage: str  # scan | engage
    date: dt.date
    span: Span
    # Indexes in ParsedFollowup.findings of the causes of concern given as the reason.
    reasons: list[int] = field(default_factory=list)


@dataclass
class RegisterEvent:
    date: dt.date
    span: Span
    status_as_printed: str | None = None  # the slug: "awaiting-review"
    status: str | None = None  # what it means (STATUSES), None for a comment-only entry
    comment: str | None = None


@dataclass
class RegisterEntry:
    """One national recommendation of the register, with its dated history."""

    reference: str  # the register's number, "4822"
    inspection_title: str  # as printed before the number
    framework: str | None  # the framework the title names, when peelkit knows it
    text: str
    span: Span
    deadline: str | None = None  # "Not later than 31 March 2015", "With immediate effect"
    addressed_to: str = "all forces"
    events: list[RegisterEvent] = field(default_factory=list)


@dataclass
class PccResponse:
    """A police and crime commissioner's section 55 response to one inspection report."""

    inspection_title: str | None
    inspection_published: dt.date | None
    stated_deadline: dt.date | None  # the deadline the form prints (not always 56 days)
    responded: dt.date | None  # "Date response sent"
    address: str | None  # where the response was sent, as printed
    text: str | None  # the response as a whole
    span: Span | None = None
    # Text per recommendation where the form gives it: (index in findings, text).
    items: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ParsedFollowup:
    source: SourceInfo
    family: str  # one of FAMILIES
    title: str | None
    force: str | None  # None for national documents (the register)
    framework: str | None  # the framework of the inspection followed up
    period: str | None  # that inspection's period, "2021/22"
    published: dt.date | None  # the document's own date ("Published on", "Sent on")
    sender: str | None = None
    recipients: list[str] = field(default_factory=list)
    findings: list[QuotedFinding] = field(default_factory=list)
    statuses: list[StatedStatus] = field(default_factory=list)
    stages: list[StatedStage] = field(default_factory=list)
    identified: StatedOrigin | None = None  # when a letter says its findings were made
    register: list[RegisterEntry] = field(default_factory=list)
    response: PccResponse | None = None
    warnings: list[ImportWarning] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    detected_by: list[str] = field(default_factory=list)  # which signals told the family

    def to_json(self) -> dict[str, Any]:
        """The documented shape of ``peel import --dry-run --json`` for a follow-up document."""
        return {
            "family": self.family,
            "document": {
                "title": self.title,
                "force": self.force,
                "framework": self.framework,
                "period": self.period,
                "published": self.published.isoformat() if self.published else None,
                "sender": self.sender,
                "recipients": list(self.recipients),
                "source": asdict(self.source),
                "detected_by": list(self.detected_by),
            },
            "findings": [asdict(f) for f in self.findings],
            "statuses": [_dated(asdict(s)) for s in self.statuses],
            "stages": [_dated(asdict(s)) for s in self.stages],
            "identified": _dated(asdict(self.identified)) if self.identified else None,
            "register": [_register(e) for e in self.register],
            "response": _dated(asdict(self.response)) if self.response else None,
            "warnings": [w.to_json() for w in self.warnings],
            "not_found": list(self.not_found),
        }


def _dated(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in value.items()}


def _register(entry: RegisterEntry) -> dict[str, Any]:
    value = asdict(entry)
    value["events"] = [_dated(asdict(e)) for e in entry.events]
    return value
