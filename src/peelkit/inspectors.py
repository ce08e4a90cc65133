"""The inspectors' desk: the Workspace's methods for making inspections (accounts, sessions,
drafts, edits, transitions, uploads, corrections, the audit log).

Every method that writes takes an :class:`~peelkit.record.audit.Actor`, checks it once against
the permission table (``record.workflow.authorise``), changes the record and appends its audit
event in one transaction, so an event exists exactly when its change does. The web app, the API
and the CLI call these and nothing below them. ``now`` is naive UTC (the app's clock).
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peelkit.domain.findings import FindingKind
from peelkit.domain.permissions import PERMISSIONS, Action
from peelkit.errors import InvalidRecord, NotFound
from peelkit.followup.store import refresh_links
from peelkit.frameworks import load_framework
from peelkit.record import accounts, editing, serialise, workflow
from peelkit.record import audit as audit_log
from peelkit.record import operations as ops
from peelkit.record.audit import Actor
from peelkit.record.schema import Finding, Inspection, PendingUploadRow
from peelkit.record.visibility import is_public, utc_now
from peelkit.reference import resolve_force
from peelkit.views.inspections import (
    EvidenceView,
    FigureView,
    FindingView,
    InspectionView,
    JudgmentView,
)
from peelkit.views.workflow import (
    AccountView,
    AuditEventView,
    DeskInspectionView,
    DeskListItem,
    DeskListView,
    InspectionVersionView,
    SessionView,
    SignedIn,
    TransitionChoice,
    UploadPreviewView,
    UploadResultView,
    area_choices,
    evidence_result,
    grade_choices,
)

if TYPE_CHECKING:
    from peelkit.record.database import Database

# The largest report an upload may carry.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The largest most-similar-groups file an upload may carry (the shipped groups are ~20 KB).
MAX_GROUPS_BYTES = 2 * 1024 * 1024
# An upload waiting for confirmation is dropped after this long.
UPLOAD_LIFETIME = dt.timedelta(hours=1)

_VIEWS: dict[str, Any] = {
    "judgment": JudgmentView,
    "finding": FindingView,
    "evidence": EvidenceView,
    "figure": FigureView,
}
_SERIALISE: dict[str, Any] = {
    "judgment": serialise.judgment,
    "finding": serialise.finding,
    "evidence": serialise.evidence,
    "figure": serialise.figure,
}


def _session_view(live: accounts.LiveSession) -> SessionView:
    allowed = tuple(sorted(a.value for a in PERMISSIONS.get(live.role, frozenset())))
    return SessionView(live.username, live.role, live.csrf_token, live.started.isoformat(), allowed)


class InspectorsDesk:
    """Mixed into :class:`peelkit.workspace.Workspace` (which provides ``database``)."""

    database: Database

    # --- accounts -----------------------------------------------------------------------------

    def add_user(
        self, username: str, role: str, password: str, actor: Actor, now: dt.datetime | None = None
    ) -> AccountView:
        now = now or utc_now()
        workflow.authorise(actor, Action.MANAGE_ACCOUNTS)
        with self.database.transaction() as session:
            row = accounts.create_account(
                session, username=username, role=role, password=password, now=now
            )
            view = AccountView.of(row)
            self._event(session, actor, "account.add", "account", username, now, after=view)
            return view

    def users(self, actor: Actor) -> list[AccountView]:
        workflow.authorise(actor, Action.MANAGE_ACCOUNTS)
        with self.database.transaction() as session:
            return [AccountView.of(a) for a in accounts.list_accounts(session)]

    def disable_user(
        self, username: str, actor: Actor, now: dt.datetime | None = None
    ) -> AccountView:
        now = now or utc_now()
        workflow.authorise(actor, Action.MANAGE_ACCOUNTS)
        with self.database.transaction() as session:
            before = AccountView.of(accounts.get_account(session, username))
            after = AccountView.of(accounts.disable_account(session, username, now))
            self._event(session, actor, "account.disable", "account", username, now, before, after)
            return after

    # --- sessions -----------------------------------------------------------------------------

    def sign_in(
        self, username: str, password: str, address: str | None, now: dt.datetime, via: str
    ) -> SignedIn:
        """A new session (always a new id), or one message for every refusal."""
        with self.database.transaction() as session:
            accounts.check_throttle(session, username, address, now)
        with self.database.transaction() as session:
            account = accounts.authenticate(session, username, password)
            if account is None:
                accounts.record_failure(session, username, address, now)
        if account is None:
            from peelkit.errors import NotAuthenticated

            raise NotAuthenticated(accounts.SIGN_IN_REFUSED, code="sign_in_refused")
        with self.database.transaction() as session:
            account = accounts.get_account(session, username)
            opened = accounts.open_session(session, account, now, address)
            actor = Actor(account.username, account.role, via)
            self._event(session, actor, "session.sign_in", "account", username, now)
            live = accounts.LiveSession(account.username, account.role, opened.csrf_token, now)
            return SignedIn(opened.token, _session_view(live))

    def session(self, token: str, now: dt.datetime) -> SessionView:
        """The live session of this cookie token (NotAuthenticated when it has ended)."""
        with self.database.transaction() as session:
            return _session_view(accounts.live_session(session, token, now))

    def sign_out(self, token: str, now: dt.datetime, via: str) -> None:
        with self.database.transaction() as session:
            live = accounts.live_session(session, token, now)
            accounts.revoke_session(session, token, now)
            actor = Actor(live.username, live.role, via)
            self._event(session, actor, "session.sign_out", "account", live.username, now)

    # --- drafts -------------------------------------------------------------------------------

    def create_draft(
        self,
        actor: Actor,
        *,
        force: str,
        framework: str,
        period: str | None = None,
        title: str | None = None,
        now: dt.datetime | None = None,
    ) -> InspectionView:
        now = now or utc_now()
        workflow.authorise(actor, Action.CREATE_INSPECTION)
        with self.database.transaction() as session:
            row = ops.create_inspection(
                session,
                force=force,
                framework=framework,
                period=period,
                title=title,
                entered_by=actor.name,
            )
            view = InspectionView.of(row)
            self._event(
                session,
                actor,
                "inspection.create",
                "inspection",
                row.id,
                now,
                None,
                view,
                inspection_id=row.id,
            )
            return view

    def staff_inspections(self, actor: Actor, now: dt.datetime) -> DeskListView:
        """Every inspection the public cannot see yet, by force and period."""
        workflow.authorise(actor, Action.READ_STAFF)
        with self.database.transaction() as session:
            listed = ops.list_inspections(session)
            return DeskListView(
                tuple(
                    DeskListItem(
                        i.id,
                        i.force_id,
                        i.framework_id,
                        i.period,
                        i.title,
                        i.status,
                        workflow.embargo_notice(i.embargo_until, now),
                        sum(1 for j in i.judgments if j.shown),
                        len(i.findings),
                    )
                    for i in listed
                    if not is_public(i.status, i.embargo_until, now)
                )
            )

    def desk_inspection(
        self, inspection_id: int, actor: Actor, now: dt.datetime
    ) -> DeskInspectionView:
        """An inspection as staff see it, with what ``actor`` may do next."""
        workflow.authorise(actor, Action.READ_STAFF)
        with self.database.transaction() as session:
            row = ops.get_inspection(session, inspection_id)
            spec = load_framework(row.framework_id)
            edit = workflow.edit_action(row)
            from peelkit.domain.permissions import allowed

            transitions = tuple(
                TransitionChoice(t.name, t.target, t.needs_comment, t.takes_embargo)
                for t in workflow.TRANSITIONS
                if t.source == row.status and allowed(actor.role, t.action)
            )
            history = audit_log.list_events(session, inspection_id=inspection_id)
            return DeskInspectionView(
                inspection=InspectionView.of(row),
                framework_title=spec.title,
                force_name=resolve_force(row.force_id).name,
                embargo_notice=workflow.embargo_notice(row.embargo_until, now),
                public_now=is_public(row.status, row.embargo_until, now),
                editable=allowed(actor.role, edit),
                needs_reason=row.status == workflow.PUBLISHED,
                transitions=transitions,
                areas=area_choices(spec),
                grades=grade_choices(spec),
                directions=grade_choices(spec, direction=True),
                causes_of_concern=tuple(
                    (f.id, f.text) for f in row.findings if f.kind == FindingKind.CAUSE_OF_CONCERN
                ),
                evidence_results=tuple(
                    (e.id, tuple(evidence_result(r, e.sample_size) for r in e.criteria_results))
                    for e in row.evidence
                ),
                history=tuple(AuditEventView.of(e) for e in history),
                versions=tuple(
                    InspectionVersionView.of(v) for v in workflow.versions(session, inspection_id)
                ),
            )

    # --- entering and editing items -----------------------------------------------------------

    def enter_item(
        self,
        inspection_id: int,
        item_type: str,
        actor: Actor,
        *,
        reason: str | None = None,
        now: dt.datetime | None = None,
        **fields: Any,
    ) -> Any:
        """Record a judgment, finding, evidence or figure entered by ``actor``."""
        now = now or utc_now()
        record: Any = {
            "judgment": ops.record_judgment,
            "finding": ops.record_finding,
            "evidence": ops.record_evidence,
            "figure": ops.record_figure,
        }[item_type]
        if item_type == "finding":
            _recommendation_names_its_cause(
                actor, fields.get("kind"), fields.get("cause_of_concern_id")
            )
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            self._check_editable(session, inspection, actor, reason, now)
            provenance = fields.pop("provenance", None) or ops.Provenance(
                entered_by=None if actor.is_operator else actor.name
            )
            item = record(session, inspection, provenance=provenance, **fields)
            session.flush()
            if item_type == "finding":
                # Lineage runs whenever a finding is entered, as it does on import.
                refresh_links(session, inspection.force_id, now, [inspection.id])
            view = _VIEWS[item_type].of(item)
            self._event(
                session,
                actor,
                f"{item_type}.add",
                item_type,
                item.id,
                now,
                None,
                view,
                inspection_id=inspection_id,
                comment=reason,
            )
            return view

    def edit_item(
        self,
        inspection_id: int,
        item_type: str,
        item_id: int,
        version: int | None,
        changes: dict[str, Any],
        actor: Actor,
        *,
        reason: str | None = None,
        now: dt.datetime | None = None,
    ) -> Any:
        now = now or utc_now()
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            self._check_editable(session, inspection, actor, reason, now)
            before = _SERIALISE[item_type](
                editing.get_item(session, inspection, item_type, item_id)
            )
            row = editing.edit_item(session, inspection, item_type, item_id, version, changes)
            if isinstance(row, Finding) and {"kind", "cause_of_concern"} & set(changes):
                _recommendation_names_its_cause(actor, row.kind, row.cause_of_concern_id)
            view = _VIEWS[item_type].of(row)
            self._event(
                session,
                actor,
                f"{item_type}.edit",
                item_type,
                item_id,
                now,
                before,
                view,
                inspection_id=inspection_id,
                comment=reason,
            )
            return view

    def remove_item(
        self,
        inspection_id: int,
        item_type: str,
        item_id: int,
        version: int | None,
        actor: Actor,
        *,
        reason: str | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        now = now or utc_now()
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            self._check_editable(session, inspection, actor, reason, now)
            before = _SERIALISE[item_type](
                editing.get_item(session, inspection, item_type, item_id)
            )
            editing.remove_item(session, inspection, item_type, item_id, version)
            self._event(
                session,
                actor,
                f"{item_type}.remove",
                item_type,
                item_id,
                now,
                before,
                None,
                inspection_id=inspection_id,
                comment=reason,
            )

    # --- the workflow -------------------------------------------------------------------------

    def transition(
        self,
        inspection_id: int,
        to: str,
        actor: Actor,
        *,
        embargo_until: dt.datetime | None = None,
        comment: str | None = None,
        now: dt.datetime | None = None,
    ) -> InspectionView:
        """Moderate, return or publish (now, or at an embargo time)."""
        now = now or utc_now()
        with self.database.transaction() as session:
            row = ops.get_inspection(session, inspection_id)
            before = _status(row)
            taken = workflow.take_transition(
                session, row, to, actor, now, embargo_until=embargo_until, comment=comment
            )
            session.flush()
            self._event(
                session,
                actor,
                f"inspection.{taken.name}",
                "inspection",
                inspection_id,
                now,
                before,
                _status(row),
                inspection_id=inspection_id,
                comment=comment,
            )
            return InspectionView.of(row)

    def inspection_versions(self, inspection_id: int, actor: Actor) -> list[InspectionVersionView]:
        workflow.authorise(actor, Action.READ_STAFF)
        with self.database.transaction() as session:
            ops.get_inspection(session, inspection_id)
            return [InspectionVersionView.of(v) for v in workflow.versions(session, inspection_id)]

    def audit(
        self,
        actor: Actor,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        inspection_id: int | None = None,
    ) -> list[AuditEventView]:
        workflow.authorise(actor, Action.READ_AUDIT)
        with self.database.transaction() as session:
            events = audit_log.list_events(
                session, object_type=object_type, object_id=object_id, inspection_id=inspection_id
            )
            return [AuditEventView.of(e) for e in events]

    # --- uploading a report into a draft ------------------------------------------------------

    def preview_upload(
        self,
        inspection_id: int,
        filename: str,
        content: bytes,
        actor: Actor,
        now: dt.datetime | None = None,
    ) -> UploadPreviewView:
        """Parse an uploaded report for a draft, and keep it until it is confirmed."""
        now = now or utc_now()
        workflow.authorise(actor, Action.IMPORT_INTO_DRAFT)
        name = Path(filename or "report.txt").name[:200] or "report.txt"
        if len(content) > MAX_UPLOAD_BYTES:
            raise InvalidRecord(
                f"{name}: {len(content):,} bytes is more than the {MAX_UPLOAD_BYTES:,} an upload "
                "may carry",
                code="upload_too_large",
                kind="too_large",
            )
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            _check_draft(inspection)
        parsed = _parse_upload(name, content)
        _check_matches(parsed, inspection)
        token = secrets.token_urlsafe(24)
        with self.database.transaction() as session:
            session.execute(
                delete(PendingUploadRow).where(PendingUploadRow.created_at < now - UPLOAD_LIFETIME)
            )
            session.add(
                PendingUploadRow(
                    token=token,
                    account=actor.name,
                    inspection_id=inspection_id,
                    filename=name,
                    content=content,
                    created_at=now,
                )
            )
        return UploadPreviewView(
            token=token,
            filename=name,
            force=parsed.force,
            framework=parsed.framework,
            period=parsed.period,
            title=parsed.title,
            judgments=len(parsed.judgments),
            findings=len(parsed.findings),
            figures=len(parsed.figures),
            warnings=tuple(w.message for w in parsed.warnings),
            grades=tuple((j.area, j.grade) for j in parsed.judgments),
        )

    def confirm_upload(
        self, inspection_id: int, token: str, actor: Actor, now: dt.datetime | None = None
    ) -> UploadResultView:
        """Import the previewed report into the draft; the draft stays a draft."""
        from peelkit.reportimport.store import store_document

        now = now or utc_now()
        workflow.authorise(actor, Action.IMPORT_INTO_DRAFT)
        with self.database.transaction() as session:
            pending = session.scalar(
                select(PendingUploadRow).where(
                    PendingUploadRow.token == token,
                    PendingUploadRow.inspection_id == inspection_id,
                    PendingUploadRow.account == actor.name,
                    PendingUploadRow.created_at >= now - UPLOAD_LIFETIME,
                )
            )
            if pending is None:
                raise NotFound(
                    "no upload waiting for confirmation with this token (it may have expired: "
                    "upload the report again)",
                    code="upload_not_found",
                )
            inspection = ops.get_inspection(session, inspection_id)
            _check_draft(inspection)
            parsed = _parse_upload(pending.filename, pending.content)
            kept = _status(inspection)
            result = store_document(session, parsed)
            if result.inspections and result.inspections != [inspection_id]:
                raise InvalidRecord(
                    f"{pending.filename} also holds other forces' grades (inspections "
                    f"{', '.join(str(i) for i in result.inspections if i != inspection_id)}); "
                    "import it with `peel import`",
                    code="upload_touches_others",
                )
            # The report does not publish the draft: the workflow does.
            inspection.status = kept["status"]
            inspection.published = None
            inspection.embargo_until = None
            session.delete(pending)
            session.flush()
            view = UploadResultView(
                inspection_id, result.document_id, result.already_imported, dict(result.counts)
            )
            self._event(
                session,
                actor,
                "inspection.import",
                "inspection",
                inspection_id,
                now,
                None,
                view,
                inspection_id=inspection_id,
                comment=pending.filename,
            )
            return view

    # --- reference data -----------------------------------------------------------------------

    def load_uploaded_groups(self, filename: str | None, content: bytes, actor: Actor) -> int:
        """A most-similar-groups CSV sent through the web or the API, loaded as
        ``peel groups load`` loads a file (administrators); how many groups it gave."""
        workflow.authorise(actor, Action.MANAGE_REFERENCE)
        name = Path(filename or "").name or "groups.csv"
        if len(content) > MAX_GROUPS_BYTES:
            raise InvalidRecord(
                f"{name}: more than the {MAX_GROUPS_BYTES:,} bytes a groups file may have",
                code="upload_too_large",
                kind="too_large",
            )
        with tempfile.TemporaryDirectory(prefix="peelkit-groups-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            loaded: list[Any] = self.load_groups(path, actor=actor)  # type: ignore[attr-defined]
        return len(loaded)

    # --- shared -------------------------------------------------------------------------------

    @staticmethod
    def _check_editable(
        session: Session, inspection: Inspection, actor: Actor, reason: str | None, now: dt.datetime
    ) -> None:
        if actor.is_operator and actor.via == "library":
            # The library used without an actor: history being transcribed (as by imports).
            return
        workflow.check_editable(session, inspection, actor, reason, now)

    @staticmethod
    def _event(
        session: Session,
        actor: Actor,
        action: str,
        object_type: str,
        object_id: object,
        now: dt.datetime,
        before: Any = None,
        after: Any = None,
        *,
        inspection_id: int | None = None,
        comment: str | None = None,
    ) -> None:
        from peelkit.views.json import to_json

        audit_log.record_event(
            session,
            actor,
            action,
            object_type,
            object_id,
            now=now,
            inspection_id=inspection_id,
            before=to_json(before) if before is not None else None,
            after=to_json(after) if after is not None else None,
            comment=comment,
        )


def _recommendation_names_its_cause(actor: Actor, kind: object, cause: int | None) -> None:
    """A recommendation a person enters (or edits) names the cause of concern it answers; the
    operator, transcribing older reports whose recommendations stand alone, need not."""
    if kind == FindingKind.RECOMMENDATION and cause is None and not actor.is_operator:
        raise InvalidRecord(
            "a recommendation must name the cause of concern it answers",
            code="recommendation_needs_cause",
        )


def _status(row: Inspection) -> dict[str, Any]:
    return {
        "status": row.status,
        "published": row.published.isoformat() if row.published else None,
        "embargo_until": row.embargo_until.isoformat() if row.embargo_until else None,
    }


def _check_draft(inspection: Inspection) -> None:
    if inspection.status != workflow.DRAFT:
        raise InvalidRecord(
            f"inspection {inspection.id} is {inspection.status}: reports are uploaded into drafts",
            code="not_a_draft",
            kind="conflict",
        )


def _parse_upload(name: str, content: bytes) -> Any:
    from peelkit.reportimport.importer import parse_file

    with tempfile.TemporaryDirectory(prefix="peelkit-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return parse_file(path)


def _check_matches(parsed: Any, inspection: Inspection) -> None:
    period = ops.inspection_period(load_framework(parsed.framework), parsed.period)
    found = (parsed.force, parsed.framework, period)
    wanted = (inspection.force_id, inspection.framework_id, inspection.period)
    if found != wanted:
        raise InvalidRecord(
            f"the report is of {found[0]} under {found[1]} for {found[2]}, but the draft is of "
            f"{wanted[0]} under {wanted[1]} for {wanted[2]}",
            code="upload_does_not_match",
        )
