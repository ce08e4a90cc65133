"""The Workspace: peelkit's one front door. The CLI, web app and API are thin layers on it.

A workspace is a database (SQLite by default; PostgreSQL supported) plus the reference data
shipped in the package: forces, frameworks and most similar groups. Every method that writes
runs in one transaction: on any error nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from peelkit.domain.forces import Force, MostSimilarGroup
from peelkit.domain.frameworks import Framework
from peelkit.domain.periods import Period
from peelkit.errors import InvalidRecord, NotFound
from peelkit.frameworks import load_all, load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.indicators.compute import Engine, MsgMethod
from peelkit.indicators.service import COMPARATOR_NAMES, compute_rows, make_engine
from peelkit.record import exchange, groups, queries, serialise
from peelkit.record import operations as ops
from peelkit.record.database import Database, default_database_url
from peelkit.record.visibility import is_public
from peelkit.reference import all_forces, resolve_force
from peelkit.reference.groups import forces_without_group
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.store import ImportResult, document_warnings, store_document
from peelkit.sources.coverage import describe_dataset, problem_dict
from peelkit.sources.dataset import embedded, shipped_boundaries
from peelkit.sources.dataset import read_file as read_statistics_file
from peelkit.sources.store import StoredSource, combined, publication_keys, store_source
from peelkit.sources.store import imported as imported_statistics
from peelkit.views.force_report import (
    ForceReportInputs,
    ForceReportView,
    build_force_report,
    choose_year,
)
from peelkit.views.groups import GroupsView
from peelkit.views.indicators import IndicatorQuery, IndicatorRow
from peelkit.views.inspections import (
    DocumentView,
    EvidenceView,
    FigureView,
    FindingView,
    InspectionSummaryView,
    InspectionView,
    JudgmentView,
)
from peelkit.views.national import NationalInputs, NationalView, build_national
from peelkit.views.statistics import SourcesView, StatisticsProblemView
from peelkit.views.summary import SummaryView

Progress = Callable[[int, int], None]
# The national report's framework when the record holds no graded inspection.
DEFAULT_NATIONAL_FRAMEWORK = "peel-2018-19"


def predecessors_of(framework: Framework) -> list[Framework]:
    """The framework's graded predecessors (its era data's chain), latest first."""
    chain = []
    current = framework.predecessor
    while current is not None:
        earlier = load_framework(current)
        if earlier.grade_scale is not None:
            chain.append(earlier)
        current = earlier.predecessor
    return chain


class Workspace:
    """Open a workspace on a database URL (or the default SQLite file)."""

    def __init__(self, database_url: str | None = None) -> None:
        self.database = Database(database_url or default_database_url())
        self._engine: tuple[Hashable, Engine] | None = None

    @property
    def database_name(self) -> str:
        return self.database.name

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reference data (no database needed) ------------------------------------------------

    @staticmethod
    def forces() -> tuple[Force, ...]:
        return all_forces()

    @staticmethod
    def resolve_force(name: str) -> Force:
        return resolve_force(name)

    @staticmethod
    def frameworks() -> list[Framework]:
        return load_all()

    @staticmethod
    def framework(framework_id: str) -> Framework:
        return load_framework(framework_id)

    # --- setting up -------------------------------------------------------------------------

    def initialise(self) -> None:
        """Create or upgrade the schema and write the reference tables."""
        self.database.ensure_ready()

    # --- most similar groups ----------------------------------------------------------------

    def groups(self, force: str | None = None, year: str | None = None) -> list[MostSimilarGroup]:
        with self.database.transaction() as session:
            if force is None:
                if year is not None:
                    raise InvalidRecord("--year needs a force", code="usage")
                return groups.all_groups(session)
            return groups.groups_of(session, force, year)

    @staticmethod
    def no_group_reason(force: str) -> str | None:
        """Why a force has no most similar group (City of London), or None."""
        return forces_without_group().get(resolve_force(force).id)

    def most_similar_groups(self, force: str | None = None, year: str | None = None) -> GroupsView:
        """A force's groups (the one in effect in ``year``, if given), or every force's, and why
        a force has none."""
        found = self.groups(force, year)
        resolved = resolve_force(force).id if force else None
        reason = forces_without_group().get(resolved) if resolved else None
        return GroupsView.of(resolved, year, found, reason)

    def load_groups(self, path: Path) -> list[MostSimilarGroup]:
        parsed = groups.read_groups_csv(path)
        with self.database.transaction() as session:
            groups.store_groups(session, parsed)
        return parsed

    # --- inspections ------------------------------------------------------------------------

    def add_inspection(self, **fields: Any) -> InspectionView:
        with self.database.transaction() as session:
            return InspectionView.of(ops.create_inspection(session, **fields))

    def inspections(
        self,
        force: str | None = None,
        framework: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> list[InspectionSummaryView]:
        """The inspections (by force, period and id), their judgments and findings loaded in
        one query each, not one per inspection. With ``public_at``, only those the public may
        see at that time (published, out of embargo)."""
        with self.database.transaction() as session:
            listed = ops.list_inspections(session, force=force, framework=framework)
            return [
                InspectionSummaryView.of(i)
                for i in listed
                if public_at is None or is_public(i.status, i.embargo_until, public_at)
            ]

    def inspection(
        self, inspection_id: int, public_at: dt.datetime | None = None
    ) -> InspectionView:
        """One inspection; with ``public_at``, one the public may see then (else not found,
        exactly as for an id that does not exist)."""
        with self.database.transaction() as session:
            row = ops.get_inspection(session, inspection_id)
            if public_at is not None and not is_public(row.status, row.embargo_until, public_at):
                raise NotFound(
                    f"no inspection with id {inspection_id}", code="inspection_not_found"
                )
            return InspectionView.of(row)

    def add_judgment(self, inspection_id: int, **fields: Any) -> JudgmentView:
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            item = ops.record_judgment(session, inspection, **fields)
            session.flush()
            return JudgmentView.of(item)

    def add_finding(self, inspection_id: int, **fields: Any) -> FindingView:
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            item = ops.record_finding(session, inspection, **fields)
            session.flush()
            return FindingView.of(item)

    def add_evidence(self, inspection_id: int, **fields: Any) -> EvidenceView:
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            item = ops.record_evidence(session, inspection, **fields)
            session.flush()
            return EvidenceView.of(item)

    def add_figure(self, inspection_id: int, **fields: Any) -> FigureView:
        with self.database.transaction() as session:
            inspection = ops.get_inspection(session, inspection_id)
            item = ops.record_figure(session, inspection, **fields)
            session.flush()
            return FigureView.of(item)

    def delete_inspection(self, inspection_id: int) -> None:
        with self.database.transaction() as session:
            ops.delete_inspection(session, inspection_id)

    def register_document(self, **fields: Any) -> DocumentView:
        with self.database.transaction() as session:
            return DocumentView.of(ops.register_document(session, **fields))

    def summary(self) -> SummaryView:
        """Counts for a newcomer: forces, frameworks, groups and inspections by framework."""
        with self.database.transaction() as session:
            listed = ops.list_inspections(session)
            all_groups = groups.all_groups(session)
            held = [i.framework_id for i in listed]
        return SummaryView.of(self.database_name, all_forces(), load_all(), len(all_groups), held)

    # --- importing published reports ------------------------------------------------------

    @staticmethod
    def parse_report(
        path: Path, framework: str | None = None, force: str | None = None
    ) -> ParsedDocument:
        """Read a report (text, PDF or saved web page) without touching the database."""
        return parse_file(path, framework=framework, force=force)

    def import_report(
        self, path: Path, framework: str | None = None, force: str | None = None
    ) -> tuple[ParsedDocument, ImportResult]:
        """Import one report in one transaction; importing the same file again changes nothing."""
        parsed = parse_file(path, framework=framework, force=force)
        with self.database.transaction() as session:
            return parsed, store_document(session, parsed)

    def import_warnings(self, document_id: int) -> list[dict[str, Any]]:
        with self.database.transaction() as session:
            return [serialise.import_warning(r) for r in document_warnings(session, document_id)]

    # --- indicators ---------------------------------------------------------------------------

    def indicators(
        self,
        period: Period,
        force: str | None = None,
        indicator_ids: Sequence[str] | None = None,
        comparator: str = "england_and_wales",
        population_year: int | None = None,
        msg_method: MsgMethod = "pooled",
    ) -> list[IndicatorRow]:
        """Indicator rows for a force (all indicators by default) or, without a force, for every
        force (ranked), computed from the embedded dataset."""
        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
        force_id = resolve_force(force).id if force else None
        ids = list(indicator_ids) if indicator_ids else list(catalogue().indicators)
        for indicator_id in ids:
            catalogue().get(indicator_id)
        chosen = COMPARATOR_NAMES.get(comparator)
        if chosen is None:
            raise InvalidRecord(
                f"unknown comparator {comparator!r} (expected ew or msg)", code="unknown_choice"
            )
        rows = compute_rows(engine, ids, period, force_id, chosen, population_year, msg_method)
        return [IndicatorRow.from_engine(r) for r in rows]

    def _indicator_engine(self, session: Session) -> Engine:
        """The engine over the embedded and imported statistics, kept while neither the
        imported publications nor the most similar groups change (a report asks it a dozen
        questions; building it takes a fifth of a second)."""
        known_groups = groups.all_groups(session)
        key = (tuple(publication_keys(session)), tuple(known_groups))
        if self._engine is None or self._engine[0] != key:
            dataset = combined(embedded(), imported_statistics(session))
            self._engine = (key, make_engine(dataset, known_groups))
        return self._engine[1]

    def documents(self) -> dict[int, DocumentView]:
        """Every source document of the record, by id (titles and checksums for provenance)."""
        with self.database.transaction() as session:
            return {d.id: DocumentView.of(d) for d in queries.documents(session)}

        # --- official statistics ------------------------------------------------------------------

    def import_statistics(self, path: Path) -> StoredSource:
        """Identify, read, check and store an official statistics file (one transaction)."""
        data = read_statistics_file(path)
        with self.database.transaction() as session:
            return store_source(session, data)

    def statistics_sources(self) -> SourcesView:
        """What is loaded: the embedded dataset's publications and the imported ones."""
        with self.database.transaction() as session:
            user = imported_statistics(session)
        return SourcesView.of(describe_dataset(embedded()), describe_dataset(user))

    def statistics_problems(self) -> list[StatisticsProblemView]:
        """The validation problems of the embedded and imported statistics."""
        with self.database.transaction() as session:
            user = imported_statistics(session)
        return [StatisticsProblemView.of(p) for p in [*embedded().problems, *user.problems]]

    # --- published grades -------------------------------------------------------------------

    def load_grades(self, path: Path) -> Any:
        """Load the HMICFRS grades CSV (year,force,pillar,question,grade,source_url) as
        judgments, one inspection per force and framework (one transaction)."""
        from peelkit.record.grades_csv import read_grades_csv, store_grades

        grades = read_grades_csv(path)
        with self.database.transaction() as session:
            return store_grades(session, grades)

    # --- reports --------------------------------------------------------------------------------

    def force_report(
        self,
        force: str,
        framework: str,
        year: str | None = None,
        public_at: dt.datetime | None = None,
    ) -> ForceReportView:
        """The view of one force's report under one framework and year (default: the
        framework's), from the record and the indicator engine, in one transaction. With
        ``public_at``, built only from inspections the public may see at that time."""
        spec = load_framework(framework)
        resolved = resolve_force(force)
        chosen_year = choose_year(spec, year)
        predecessors = predecessors_of(spec)
        with self.database.transaction() as session:
            engine = self._indicator_engine(session)
            known_groups = groups.groups_of(session, resolved.id, chosen_year)
            peers = known_groups[0].peers if known_groups else ()
            rows = queries.full_inspections(
                session,
                forces={resolved.id, *peers},
                frameworks={spec.id, *(p.id for p in predecessors)},
                public_at=public_at,
            )
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
            revised = self._revised_by_file(session)
        inputs = ForceReportInputs(
            force=resolved,
            framework=spec,
            year=chosen_year,
            inspections=[
                i for i in inspections if i.force == resolved.id and i.framework == spec.id
            ],
            documents=documents,
            group=known_groups[0] if known_groups else None,
            no_group_reason=forces_without_group().get(resolved.id),
            peer_inspections={p: [i for i in inspections if i.force == p] for p in peers},
            predecessors=predecessors,
            revised_by_file=revised,
            query=IndicatorQuery(engine),
        )
        return build_force_report(inputs)

    def national_report(
        self,
        framework: str | None = None,
        indicator: str = "recorded_crime_per_1000",
        year: str | None = None,
        by_region: bool = False,
        boundaries: Path | None = None,
        public_at: dt.datetime | None = None,
    ) -> NationalView:
        """Every force's grades under a framework (default: the latest graded framework the
        record holds inspections of), their distribution, and one indicator for every force."""
        catalogue().get(indicator)
        with self.database.transaction() as session:
            if framework is None:
                held = {
                    i.framework_id
                    for i in ops.list_inspections(session)
                    if public_at is None or is_public(i.status, i.embargo_until, public_at)
                }
                graded = [f for f in load_all() if f.grade_scale is not None and f.id in held]
                framework = graded[-1].id if graded else DEFAULT_NATIONAL_FRAMEWORK
            spec = load_framework(framework)
            engine = self._indicator_engine(session)
            rows = queries.full_inspections(session, frameworks={spec.id}, public_at=public_at)
            inspections = [InspectionView.of(r) for r in rows]
            documents = {d.id: DocumentView.of(d) for d in queries.documents(session)}
            revised = self._revised_by_file(session)
        inputs = NationalInputs(
            framework=spec,
            year=choose_year(spec, year),
            indicator=indicator,
            by_region=by_region,
            inspections=inspections,
            documents=documents,
            boundaries=boundaries if boundaries is not None else shipped_boundaries(),
            revised_by_file=revised,
            query=IndicatorQuery(engine),
        )
        return build_national(inputs)

    @staticmethod
    def _revised_by_file(session: Session) -> dict[str, int]:
        """How many figures of each statistics file were revised between releases."""
        counts: dict[str, int] = {}
        for problem in [*embedded().problems, *imported_statistics(session).problems]:
            described = problem_dict(problem)
            if described.get("code") == "revised_between_releases" and described.get("file"):
                file = str(described["file"])
                counts[file] = counts.get(file, 0) + 1
        return counts

    # --- export and load --------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        with self.database.transaction() as session:
            return exchange.export_record(session)

    def export_to(self, path: Path) -> dict[str, int]:
        record = self.export()
        path.write_text(exchange.dumps(record), encoding="utf-8")
        return {
            "documents": len(record["documents"]),
            "inspections": len(record["inspections"]),
            "most_similar_groups": len(record["most_similar_groups"]),
        }

    def load(
        self, path: Path, replace: bool = False, progress: Progress | None = None
    ) -> dict[str, int]:
        """Load an export file into an empty record (or, with ``replace``, instead of it)."""
        document = exchange.parse_export(path)
        with self.database.transaction() as session:
            held = exchange.record_size(session)
            if held and not replace:
                raise InvalidRecord(
                    f"database {self.database_name} already holds a record; load needs an empty "
                    f"one (use --replace to discard what is there)",
                    code="record_not_empty",
                    kind="conflict",
                )
            if held:
                exchange.clear_record(session)
            return exchange.load_record(session, document, path.name, progress)
