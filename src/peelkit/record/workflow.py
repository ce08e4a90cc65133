"""How an inspection is made: its states, the transitions between them, who may take each, and
what may be edited when. The web app, the API and the CLI all come through here.

    draft ──moderate──▶ moderated ──publish (now, or at an embargo time)──▶ published
      ▲                     │
      └──return (comment)───┘

- A draft is edited by inspectors (and anyone above), a moderated inspection by moderators.
- A published inspection is frozen: only an administrator may correct it, giving the reason;
  the inspection as it stood is kept first (``inspection_version``), so earlier versions stay
  readable.
- Embargo times are given and shown in UK time (Europe/London) and stored as naive UTC.

:func:`authorise` is the one place a role is checked against the permission table
(``peelkit.domain.permissions``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peelkit.domain.findings import InspectionStatus
from peelkit.domain.permissions import ACTION_WORDS, Action, allowed, roles_allowed
from peelkit.errors import Forbidden, InvalidRecord
from peelkit.record import serialise
from peelkit.record.audit import Actor
from peelkit.record.schema import Inspection, InspectionVersionRow

LONDON = ZoneInfo("Europe/London")
DRAFT = InspectionStatus.DRAFT.value
MODERATED = InspectionStatus.MODERATED.value
PUBLISHED = InspectionStatus.PUBLISHED.value


@dataclass(frozen=True)
class Transition:
    name: str  # moderate | return | publish: the CLI command and the audit action
    source: str
    target: str
    action: Action
    needs_comment: bool = False
    takes_embargo: bool = False


TRANSITIONS = (
    Transition("moderate", DRAFT, MODERATED, Action.MODERATE),
    Transition("return", MODERATED, DRAFT, Action.RETURN, needs_comment=True),
    Transition("publish", MODERATED, PUBLISHED, Action.PUBLISH, takes_embargo=True),
)


def _article(role: str) -> str:
    return "an" if role[:1] in "aeiou" else "a"


def authorise(actor: Actor, action: Action) -> None:
    """Refuse (403) an actor whose role does not allow ``action``."""
    if not allowed(actor.role, action):
        who = ", ".join(roles_allowed(action))
        raise Forbidden(
            f"{actor.name} is {_article(actor.role)} {actor.role} and may not "
            f"{ACTION_WORDS[action]} (allowed: {who})",
            code="not_permitted",
        )


def find_transition(source: str, target: str) -> Transition:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    possible = [t.target for t in TRANSITIONS if t.source == source]
    hint = (
        f"a {source} inspection can go to: {', '.join(possible)}"
        if possible
        else (f"a {source} inspection is frozen (an administrator corrects it, giving a reason)")
    )
    raise InvalidRecord(
        f"an inspection cannot go from {source} to {target} ({hint})",
        code="transition_not_allowed",
        kind="conflict",
    )


# --- UK time ---------------------------------------------------------------------------------


def parse_uk_time(value: str) -> dt.datetime:
    """``2026-12-03 00:01`` (UK time) or an ISO time with its offset, as naive UTC."""
    text = (value or "").strip().replace("T", " ")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(
            f"embargo time {value!r} is not a date and time such as 2026-12-03 00:01 (UK time)",
            code="invalid_embargo",
        ) from None
    if parsed.tzinfo is None:
        local = parsed.replace(tzinfo=LONDON)
        back = local.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None)
        if back != parsed:
            raise InvalidRecord(
                f"embargo time {value!r} does not exist in UK time (the clocks go forward then)",
                code="invalid_embargo",
            )
        parsed = local
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)


def uk_time(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone(LONDON)


def describe_uk_time(utc: dt.datetime) -> str:
    """``00:01 on Thursday 3 December 2026 (UK time, GMT)``."""
    local = uk_time(utc)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y} (UK time, {local.tzname()})"


def embargo_notice(utc: dt.datetime | None, now: dt.datetime) -> str | None:
    """``Not for publication until ...`` while the embargo holds, else None."""
    if utc is None or utc <= now:
        return None
    return f"Not for publication until {describe_uk_time(utc)}"


# --- what may be edited, by whom --------------------------------------------------------------


def edit_action(inspection: Inspection) -> Action:
    return {
        DRAFT: Action.EDIT_DRAFT,
        MODERATED: Action.EDIT_MODERATED,
        PUBLISHED: Action.CORRECT_PUBLISHED,
    }[inspection.status]


def check_editable(
    session: Session, inspection: Inspection, actor: Actor, reason: str | None, now: dt.datetime
) -> None:
    """Refuse an edit the actor may not make in the inspection's state; before the first
    change of a correction to a published inspection, keep the inspection as it stands."""
    authorise(actor, edit_action(inspection))
    if inspection.status != PUBLISHED:
        return
    if not (reason or "").strip():
        raise InvalidRecord(
            f"inspection {inspection.id} is published: a correction needs its reason",
            code="correction_needs_reason",
        )
    keep_version(session, inspection, actor, str(reason).strip(), now)


def keep_version(
    session: Session, inspection: Inspection, actor: Actor, reason: str, now: dt.datetime
) -> InspectionVersionRow:
    number = session.scalar(
        select(func.coalesce(func.max(InspectionVersionRow.number), 0)).where(
            InspectionVersionRow.inspection_id == inspection.id
        )
    )
    row = InspectionVersionRow(
        inspection_id=inspection.id,
        number=int(number or 0) + 1,
        taken_at=now,
        corrected_by=actor.name,
        reason=reason,
        snapshot=serialise.inspection(inspection),
    )
    session.add(row)
    session.flush()
    return row


def versions(session: Session, inspection_id: int) -> list[InspectionVersionRow]:
    query = (
        select(InspectionVersionRow)
        .where(InspectionVersionRow.inspection_id == inspection_id)
        .order_by(InspectionVersionRow.number)
    )
    return list(session.scalars(query))


# --- taking a transition ----------------------------------------------------------------------


def take_transition(
    session: Session,
    inspection: Inspection,
    target: str,
    actor: Actor,
    now: dt.datetime,
    *,
    embargo_until: dt.datetime | None = None,
    comment: str | None = None,
) -> Transition:
    """Move the inspection to ``target`` if the workflow and the actor's role allow it."""
    statuses = [s.value for s in InspectionStatus]
    if target not in statuses:
        raise InvalidRecord(
            f"unknown status {target!r} (expected one of: {', '.join(statuses)})",
            code="unknown_choice",
        )
    transition = find_transition(inspection.status, target)
    authorise(actor, transition.action)
    if transition.needs_comment and not (comment or "").strip():
        raise InvalidRecord(
            "sending an inspection back needs a comment saying what to change",
            code="comment_required",
        )
    if embargo_until is not None and not transition.takes_embargo:
        raise InvalidRecord(
            f"only publishing takes an embargo time, not {transition.name}", code="usage"
        )
    if embargo_until is not None and embargo_until <= now:
        raise InvalidRecord(
            f"the embargo time {describe_uk_time(embargo_until)} has passed: give a later one "
            "or publish now",
            code="embargo_in_past",
        )
    inspection.status = target
    inspection.bump()
    if target == PUBLISHED:
        inspection.embargo_until = embargo_until
        inspection.published = uk_time(embargo_until or now).date()
    return transition
