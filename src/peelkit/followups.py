"""The follow-up desk: the Workspace's methods for what became of every cause of concern,
recommendation and area for improvement.

Reads take ``public_at`` (only what the public may see then; None: everything, as the
operator sees it) and ``today`` (what is overdue). Writes take an
:class:`~peelkit.record.audit.Actor`, are checked once (``Action.FOLLOW_UP``) and audited in
the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from peelkit.domain.followup import STATUSES
from peelkit.domain.permissions import Action
from peelkit.errors import InvalidRecord, NotFound
from peelkit.followup import register as facts
from peelkit.followup import store
from peelkit.followup.store import Cited
from peelkit.record import operations as ops
from peelkit.record import workflow
from peelkit.record.audit import Actor
from peelkit.record.visibility import is_public, utc_now
from peelkit.reference import resolve_force
from peelkit.reportimport.sources import read_source
from peelkit.views.followup import (
    FindingHistoryView,
    LinkView,
    MonitoringEpisodeView,
    ProgressView,
    RegisterRowView,
    RegisterView,
    ResponseRowView,
)

if TYPE_CHECKING:
    from peelkit.followup.documents.model import ParsedFollowup
    from peelkit.followup.documents.store import FollowupImportResult
    from peelkit.record.database import Database


def _today(today: dt.date | None) -> dt.date:
    return today or utc_now().date()


class FollowUpDesk:
    database: Database

    if TYPE_CHECKING:
        # The Workspace's audit helper (peelkit.inspectors.InspectorsDesk._event).
        def _event(
            self,
            session: Session,
            actor: Actor,
            action: str,
            object_type: str,
            object_id: object,
            now: dt.datetime,
            before: Any = None,
            after: Any = None,
        ) -> None: ...

    @staticmethod
    def is_followup_file(path: Path) -> bool:
        """Whether a file is a follow-up document (a letter, notice, register page or PCC
        response) rather than an inspection report."""
        from peelkit.followup.documents import is_followup

        return is_followup(read_source(path))

    # --- reading -----------------------------------------------------------------------------

    def followup_register(
        self,
        force: str | None = None,
        status: str | None = None,
        overdue: bool = False,
        public_at: dt.datetime | None = None,
        today: dt.date | None = None,
        national: bool | None = None,
    ) -> RegisterView:
        """Every followed finding (and national recommendation) with where it stands.
        ``national``: list the national recommendations too (None: only without ``force``);
        with ``force``, those addressed to all forces are that force's too (``all_forces``)."""
        force_id = resolve_force(force).id if force else None
        if status is not None and status not in STATUSES:
            raise InvalidRecord(
                f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})",
                code="unknown_status",
            )
        with self.database.transaction() as session:
            findings, nationals = facts.register(session, _today(today), force_id, public_at)
            rows = [RegisterRowView.of(f) for f in findings]
            if national is None:
                national = force_id is None
            rows.extend(
                RegisterRowView.of_national(n)
                for n in nationals
                if national and (force_id is None or n.recommendation.addressed_to == "all forces")
            )
        if status is not None:
            rows = [r for r in rows if r.status == status]
        if overdue:
            rows = [r for r in rows if r.overdue]
        return RegisterView(
            rows=tuple(rows),
            total=len(rows),
            overdue=sum(r.overdue for r in rows),
            force=force_id,
            status=status,
            only_overdue=overdue,
        )

    def followup_links(
        self,
        force: str | None = None,
        status: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> list[LinkView]:
        force_id = resolve_force(force).id if force else None
        with self.database.transaction() as session:
            found = facts.links(session, force_id, public_at)
            views = [LinkView.of(f) for f in found]
        if status is not None:
            views = [v for v in views if v.status == status]
        return views

    def followup_responses(
        self,
        overdue: bool = False,
        force: str | None = None,
        public_at: dt.datetime | None = None,
        today: dt.date | None = None,
    ) -> list[ResponseRowView]:
        """Every published inspection's section 55 response: due 56 days after publication.
        ``overdue``: only those with no response past the due date (``missing``)."""
        force_id = resolve_force(force).id if force else None
        day = _today(today)
        with self.database.transaction() as session:
            rows = [ResponseRowView.of(f) for f in facts.responses(session, day, public_at)]
        if force_id is not None:
            rows = [r for r in rows if r.force == force_id]
        if overdue:
            rows = [r for r in rows if r.missing]
        return rows

    def followup_monitoring(
        self, force: str | None = None, public_at: dt.datetime | None = None
    ) -> list[MonitoringEpisodeView]:
        """Monitoring episodes; with ``public_at``, only public causes of concern as reasons."""
        force_id = resolve_force(force).id if force else None
        with self.database.transaction() as session:
            return [
                MonitoringEpisodeView.of(e) for e in facts.episodes(session, force_id, public_at)
            ]

    def finding_history(
        self,
        finding_id: int,
        public_at: dt.datetime | None = None,
        today: dt.date | None = None,
    ) -> FindingHistoryView:
        with self.database.transaction() as session:
            finding = store.get_finding(session, finding_id)
            inspection = finding.inspection
            if public_at is not None and not is_public(
                inspection.status, inspection.embargo_until, public_at
            ):
                raise NotFound(f"no finding {finding_id}", code="finding_not_found")
            related = [
                link
                for link in facts.links(session, inspection.force_id, public_at)
                if finding_id in (link.link.earlier_id, link.link.later_id)
            ]
            # A link to a finding the reader may not see (embargoed) carries nothing.
            visible = (
                {finding_id, *(i for link in related for i in (link.earlier.id, link.later.id))}
                if public_at is not None
                else None
            )
            [found] = facts.finding_facts(session, [finding], _today(today), visible)
            return FindingHistoryView.of(found, related)

    def followup_progress(
        self,
        inspection_id: int,
        public_at: dt.datetime | None = None,
        today: dt.date | None = None,
    ) -> ProgressView:
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            return ProgressView.of(*facts.progress(session, inspection, _today(today), public_at))

    # --- writing -----------------------------------------------------------------------------

    def detect_links(self, force: str | None = None, actor: Actor | None = None) -> list[LinkView]:
        """Run lineage detection over one force's findings (or every force's); new links."""
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.FOLLOW_UP)
        now = utc_now()
        forces = [resolve_force(force).id] if force else None
        with self.database.transaction() as session:
            if forces is None:
                forces = sorted({i.force_id for i in ops.list_inspections(session)})
            added = []
            for force_id in forces:
                added.extend(store.refresh_links(session, force_id, now))
            views = [
                LinkView.of_row(
                    link,
                    store.get_finding(session, link.earlier_id),
                    store.get_finding(session, link.later_id),
                )
                for link in added
            ]
            if views:
                self._event(
                    session,
                    actor,
                    "followup.detect",
                    "force",
                    ",".join(forces),
                    now,
                    after={"links": [v.id for v in views]},
                )
            return views

    def decide_link(
        self,
        link_id: int,
        decision: str,
        actor: Actor | None = None,
        note: str | None = None,
        relation: str | None = None,
    ) -> LinkView:
        """Confirm or reject a link (``decision``: confirmed | rejected)."""
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.FOLLOW_UP)
        now = utc_now()
        with self.database.transaction() as session:
            link = store.get_link(session, link_id)
            before = LinkView.of_row(
                link,
                store.get_finding(session, link.earlier_id),
                store.get_finding(session, link.later_id),
            )
            link = store.decide_link(session, link_id, decision, actor.name, now, note, relation)
            after = LinkView.of_row(
                link,
                store.get_finding(session, link.earlier_id),
                store.get_finding(session, link.later_id),
            )
            verb = "confirm" if decision == "confirmed" else "reject"
            self._event(session, actor, f"link.{verb}", "link", link_id, now, before, after)
            return after

    def add_link(
        self,
        earlier: int,
        later: int,
        relation: str,
        actor: Actor | None = None,
        note: str | None = None,
    ) -> LinkView:
        """A link a person enters (confirmed)."""
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.FOLLOW_UP)
        now = utc_now()
        with self.database.transaction() as session:
            link = store.add_link(
                session,
                earlier,
                later,
                relation,
                now,
                cited=Cited(entered_by=actor.name),
                note=note,
            )
            view = LinkView.of_row(
                link, store.get_finding(session, earlier), store.get_finding(session, later)
            )
            self._event(session, actor, "link.add", "link", link.id, now, None, view)
            return view

    def record_status(
        self,
        finding_id: int,
        status: str,
        date: dt.date,
        source: str = "person",
        note: str | None = None,
        actor: Actor | None = None,
    ) -> FindingHistoryView:
        """Append a status event to a finding's history."""
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.FOLLOW_UP)
        now = utc_now()
        with self.database.transaction() as session:
            event = store.add_status_event(
                session,
                finding_id=finding_id,
                status=status,
                date=date,
                source=source,
                note=note,
                cited=Cited(entered_by=actor.name),
                now=now,
            )
            self._event(
                session,
                actor,
                "status.add",
                "finding",
                finding_id,
                now,
                after={
                    "status": status,
                    "date": date.isoformat(),
                    "source": source,
                    "note": note,
                    "event": event.id,
                },
            )
        return self.finding_history(finding_id)

    def record_response(
        self,
        inspection_id: int,
        responded: dt.date,
        address: str | None = None,
        text: str | None = None,
        actor: Actor | None = None,
    ) -> ResponseRowView:
        """Record a PCC's section 55 response to an inspection, as a person saw it."""
        actor = actor or Actor.operator()
        workflow.authorise(actor, Action.FOLLOW_UP)
        now = utc_now()
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            if inspection.status != "published":
                # Section 55 answers a published report; the register lists only those.
                raise InvalidRecord(
                    f"inspection {inspection_id} is {inspection.status}, not published: a PCC "
                    "responds to a published report"
                )
            row = store.record_pcc_response(
                session,
                inspection,
                responded=responded,
                address=address,
                text=text,
                cited=Cited(entered_by=actor.name),
            )
            self._event(
                session,
                actor,
                "response.add",
                "inspection",
                inspection_id,
                now,
                after={"responded": responded.isoformat(), "address": address, "id": row.id},
            )
            found = [
                f for f in facts.responses(session, now.date()) if f.inspection.id == inspection_id
            ]
            return ResponseRowView.of(found[0])

    # --- importing follow-up documents --------------------------------------------------------

    @staticmethod
    def parse_followup_file(path: Path, force: str | None = None) -> ParsedFollowup:
        from peelkit.followup.documents import parse_followup

        return parse_followup(read_source(path), force=force)

    def import_followup(
        self,
        path: Path,
        force: str | None = None,
        actor: Actor | None = None,
    ) -> tuple[ParsedFollowup, FollowupImportResult]:
        """Import one follow-up document in one transaction; again, it changes nothing."""
        from peelkit.followup.documents.store import store_followup

        parsed = self.parse_followup_file(path, force=force)
        now = utc_now()
        with self.database.transaction() as session:
            result = store_followup(session, parsed, now)
            if not result.already_imported:
                self._event(
                    session,
                    actor or Actor.operator(),
                    "document.import",
                    "document",
                    result.document_id,
                    now,
                    after={
                        "file": result.filename,
                        "family": result.family,
                        "counts": result.counts,
                    },
                )
            return parsed, result
