"""Views of the inspectors' workflow: accounts, sessions, the audit log, an inspection as staff
see it (with what they may do next), earlier versions of corrected inspections, and the preview
of a report uploaded into a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peelkit.domain.frameworks import Framework
from peelkit.record.schema import AccountRow, AuditEventRow, InspectionVersionRow
from peelkit.views.inspections import InspectionView, iso_or_none


@dataclass(frozen=True)
class AccountView:
    username: str
    role: str
    created_at: str
    disabled: bool
    disabled_at: str | None

    @classmethod
    def of(cls, row: AccountRow) -> AccountView:
        return cls(
            username=row.username,
            role=row.role,
            created_at=row.created_at.isoformat(),
            disabled=row.disabled_at is not None,
            disabled_at=iso_or_none(row.disabled_at),
        )


@dataclass(frozen=True)
class SessionView:
    """``GET /api/v1/session``: who is signed in, their role, and the CSRF token their writes
    must carry (the ``X-CSRF-Token`` header, or the forms' hidden field)."""

    username: str
    role: str
    csrf_token: str
    signed_in_at: str
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the cookie (never shown again) and the session."""

    token: str
    session: SessionView


@dataclass(frozen=True)
class AuditEventView:
    id: int
    at: str
    actor: str
    role: str
    via: str
    action: str
    object_type: str
    object_id: str | None
    inspection: int | None
    before: Any
    after: Any
    comment: str | None

    @classmethod
    def of(cls, row: AuditEventRow) -> AuditEventView:
        return cls(
            id=row.id,
            at=row.at.isoformat(),
            actor=row.actor,
            role=row.role,
            via=row.via,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            inspection=row.inspection_id,
            before=row.before,
            after=row.after,
            comment=row.comment,
        )


@dataclass(frozen=True)
class InspectionVersionView:
    """A published inspection as it stood before correction ``number``."""

    number: int
    taken_at: str
    corrected_by: str
    reason: str
    inspection: Any  # the inspection's JSON as it stood

    @classmethod
    def of(cls, row: InspectionVersionRow) -> InspectionVersionView:
        return cls(row.number, row.taken_at.isoformat(), row.corrected_by, row.reason, row.snapshot)


@dataclass(frozen=True)
class AreaChoice:
    """An area a judgment or finding can be entered on, with the grades it can take."""

    id: str
    name: str
    level: str
    code: str | None
    graded: bool
    direction: bool


@dataclass(frozen=True)
class GradeChoice:
    id: str
    label: str
    is_grade: bool


@dataclass(frozen=True)
class TransitionChoice:
    name: str  # moderate | return | publish
    to: str
    needs_comment: bool
    takes_embargo: bool


@dataclass(frozen=True)
class EvidenceResultView:
    """A result per criterion as shown: ``72 of 90 (80%)``, with a warning for small samples."""

    criterion: str
    count: int | None
    of: int | None
    percent: str | None
    shown: str
    warning: str | None


@dataclass(frozen=True)
class DeskInspectionView:
    """An inspection as staff see it: everything it holds, the framework's areas and grades to
    enter, what the signed-in person may do next, its embargo notice and its history."""

    inspection: InspectionView
    framework_title: str
    force_name: str
    embargo_notice: str | None
    public_now: bool
    editable: bool
    needs_reason: bool
    transitions: tuple[TransitionChoice, ...]
    areas: tuple[AreaChoice, ...]
    grades: tuple[GradeChoice, ...]
    directions: tuple[GradeChoice, ...]
    causes_of_concern: tuple[tuple[int, str], ...]
    evidence_results: tuple[tuple[int, tuple[EvidenceResultView, ...]], ...]
    history: tuple[AuditEventView, ...]
    versions: tuple[InspectionVersionView, ...]


@dataclass(frozen=True)
class DeskListView:
    """The staff list: every inspection not yet public (drafts, moderated, embargoed)."""

    items: tuple[DeskListItem, ...]


@dataclass(frozen=True)
class DeskListItem:
    id: int
    force: str
    framework: str
    period: str
    title: str | None
    status: str
    embargo_notice: str | None
    judgments: int
    findings: int


@dataclass(frozen=True)
class UploadPreviewView:
    """What an uploaded report would add to a draft; confirm with ``token``."""

    token: str
    filename: str
    force: str
    framework: str
    period: str | None
    title: str | None
    judgments: int
    findings: int
    figures: int
    warnings: tuple[str, ...]
    grades: tuple[tuple[str, str | None], ...]  # (area, grade)


@dataclass(frozen=True)
class UploadResultView:
    inspection: int
    document: int
    already_imported: bool
    counts: dict[str, int]


def area_choices(framework: Framework) -> tuple[AreaChoice, ...]:
    return tuple(
        AreaChoice(a.id, a.name, a.level, a.code, a.graded, a.direction) for a in framework.walk()
    )


def grade_choices(framework: Framework, direction: bool = False) -> tuple[GradeChoice, ...]:
    scale = framework.direction_scale if direction else framework.grade_scale
    if scale is None:
        return ()
    return tuple(GradeChoice(v.id, v.label, v.is_grade) for v in scale.values)


SMALL_SAMPLE = 30


def evidence_result(result: dict[str, Any], sample_size: int | None) -> EvidenceResultView:
    """``72 of 90 (80%)``; a sample under :data:`SMALL_SAMPLE` is flagged."""
    criterion = str(result.get("criterion") or "")
    count = result.get("count")
    of = result.get("of", sample_size)
    if not isinstance(count, int) or not isinstance(of, int) or of <= 0:
        shown = str(result.get("result") or result.get("text") or criterion)
        return EvidenceResultView(criterion, None, None, None, shown, None)
    percent = f"{int(count * 100 / of + 0.5)}%"  # rounded half up, as published
    warning = (
        f"small sample: {of} is fewer than {SMALL_SAMPLE}, so the percentage is unreliable"
        if of < SMALL_SAMPLE
        else None
    )
    return EvidenceResultView(
        criterion, count, of, percent, f"{count} of {of} ({percent})", warning
    )
